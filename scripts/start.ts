/** `npm start`: the whole supergraph, seeded on its first start. */
import { demoAccounts, demoPassword, seedDemoData } from './demo-data';
import { startStack } from './stack';

// Apollo's gateway reports usage and probes cloud metadata unless told not to: nothing leaves this machine.
process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';

async function main(): Promise<void> {
  const stack = await startStack();
  const seeded = await seedDemoData(stack);
  const logins = Object.values(demoAccounts)
    .map((account) => `    ${account.role.padEnd(10)} ${account.email}`)
    .join('\n');
  console.log(`
  Supergraph ready at ${stack.gatewayUrl}  (${stack.mode === 'embedded' ? 'embedded Postgres and in-process events' : 'configured services'})
  ${seeded ? 'Demo data created.' : 'Demo data already present.'} Demo logins, password "${demoPassword}":
${logins}
`);
  const shutdown = () => void stack.stop().then(() => process.exit(0), () => process.exit(1));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
