/**
 * `npm run seed`: creates the demo data through a stack started on free ports
 * (with the same DATABASE_URL / DATA_DIR as `npm start`), then stops it. Run it
 * while the quickstart is stopped: an embedded database has one owner at a time.
 */
import { seedDemoData } from './demo-data';
import { startStack } from './stack';

process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';

async function main(): Promise<void> {
  const stack = await startStack(process.env, 'ephemeral');
  try {
    const created = await seedDemoData(stack);
    console.log(created ? 'Demo data created.' : 'Demo data already present; nothing to do.');
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
