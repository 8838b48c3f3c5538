/** `npm start`: the whole supergraph, seeded on its first start, with the demo simulator. */
import { z } from 'zod';
import { startSimulator } from '@commerce/simulator';
import { createLogger, loadConfig, runUntilSignalled } from '@commerce/service-kit';
import { demoAccounts, demoPassword, seedDemoData } from './demo-data';
import { startStack } from './stack';
import { ensureWebBuild, startWebServer } from './web-server';

// Apollo's gateway reports usage and probes cloud metadata unless told not to: nothing leaves this machine.
process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';

const quickstartEnv = {
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Demo shops and couriers that move every order on to DELIVERED. */
  SIMULATOR: z.enum(['on', 'off']).default('on'),
  /** Pause before each simulated step. */
  SIMULATOR_STEP_MS: z.coerce.number().int().min(0).default(3000),
  /** The web app (web/), served beside the gateway; built first when web/dist is missing. */
  WEB: z.enum(['on', 'off']).default('on'),
  WEB_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
};

async function main(): Promise<{ stop(): Promise<void> }> {
  const config = loadConfig(quickstartEnv);
  if (config.WEB === 'on') await ensureWebBuild();
  const stack = await startStack();
  const seeded = await seedDemoData(stack);
  const simulator =
    config.SIMULATOR === 'on'
      ? await startSimulator({
          bus: stack.bus,
          gatewayUrl: stack.gatewayUrl,
          shop: { email: demoAccounts.admin.email, password: demoPassword },
          courier: { email: demoAccounts.courier.email, password: demoPassword },
          stepDelayMs: config.SIMULATOR_STEP_MS,
          logger: createLogger('simulator', config.LOG_LEVEL),
        })
      : null;
  const web =
    config.WEB === 'on'
      ? await startWebServer({ port: config.WEB_PORT, host: config.HOST, gatewayPort: Number(new URL(stack.gatewayUrl).port) || config.PORT })
      : null;
  const logins = Object.values(demoAccounts)
    .map((account) => `    ${account.role.padEnd(10)} ${account.email}`)
    .join('\n');
  console.log(`
  ${web ? `Web app at ${web.url}
  ` : ''}Supergraph ready at ${stack.gatewayUrl}  (${stack.mode === 'embedded' ? 'embedded Postgres and in-process events' : 'configured services'})
  ${seeded ? 'Demo data created.' : 'Demo data already present.'} Demo logins, password "${demoPassword}":
${logins}
  ${simulator ? `The simulator moves new orders on every ${config.SIMULATOR_STEP_MS} ms (SIMULATOR=off to stop it).` : 'Simulator off.'}
`);
  return {
    async stop() {
      await web?.close();
      await simulator?.stop();
      await stack.stop();
    },
  };
}

runUntilSignalled(main);
