/**
 * `npm run start:replicas`: REPLICAS (default 2) Node processes of every
 * subgraph and of the gateway, on the configured Postgres, RabbitMQ and Redis
 * (local standard ports by default), at the same addresses as `npm start`:
 * the gateway at http://localhost:4000/graphql, the subgraphs at 4001–4005.
 *
 * Why Node's cluster module: Node 20 cannot set SO_REUSEPORT on a TCP server,
 * so separate processes cannot bind one port themselves. A cluster primary
 * can: every worker that listens on port P shares the primary's socket for P,
 * and on Linux the primary hands each new connection to the next worker
 * (round-robin), which is the small balancer the port needs, without a proxy
 * copying bytes. One primary serves all six ports, since workers of different
 * services listen on different ports. Each worker is a full, separate process
 * (its own pools, AMQP and Redis connections), so replicas of a subgraph
 * consume its queues as competing consumers and run its outbox relay and
 * retention side by side (both claim rows FOR UPDATE SKIP LOCKED), and
 * migrations run once under an advisory lock (see openDatabase). A worker that
 * dies is forked again, as an orchestrator would restart a pod.
 *
 * Demo data is created first, through a stack on free ports, which also
 * migrates every schema; the simulator then runs here, in the primary.
 */
import cluster, { type Worker } from 'node:cluster';
import path from 'node:path';
import { Client } from 'pg';
import { z } from 'zod';
import { AmqpEventBus } from '@commerce/events';
import { startSimulator } from '@commerce/simulator';
import { baseEnv, createLogger, loadConfig, runUntilSignalled } from '@commerce/service-kit';
import { demoAccounts, demoPassword, seedDemoData } from './demo-data';
import { startStack, subgraphModules, supergraphPath } from './stack';

process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';

const replicasEnv = {
  REPLICAS: z.coerce.number().int().min(1).max(16).default(2),
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/commerce'),
  AMQP_URL: z.string().url().default('amqp://guest:guest@127.0.0.1:5672'),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  EVENTS_NAMESPACE: z.string().min(1).default('commerce'),
  EVENTS_QUEUE_TYPE: baseEnv.EVENTS_QUEUE_TYPE,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SIMULATOR: z.enum(['on', 'off']).default('on'),
  SIMULATOR_STEP_MS: z.coerce.number().int().min(0).default(3000),
  /** Forks of one service within RESTART_WINDOW_MS before it is left down (a crash loop). */
  RESTART_LIMIT: z.coerce.number().int().min(0).default(5),
};

interface ServiceSpec {
  name: string;
  entry: string;
  args: string[];
  port: number;
}

const root = path.resolve(__dirname, '..');
const restartWindowMs = 60_000;

export function serviceSpecs(): ServiceSpec[] {
  return [
    ...subgraphModules.map((module) => ({
      name: module.name,
      entry: path.join(root, 'subgraphs', module.name, 'src/index.ts'),
      args: [],
      port: module.defaultPort,
    })),
    { name: 'gateway', entry: path.join(root, 'gateway/src/index.ts'), args: ['--supergraph', supergraphPath], port: 4000 },
  ];
}

async function main(): Promise<{ stop(): Promise<void> }> {
  const config = loadConfig(replicasEnv);
  const logger = createLogger('replicas', config.LOG_LEVEL);
  const shared = {
    DATABASE_URL: config.DATABASE_URL,
    AMQP_URL: config.AMQP_URL,
    REDIS_URL: config.REDIS_URL,
    EVENTS_NAMESPACE: config.EVENTS_NAMESPACE,
    LOG_LEVEL: config.LOG_LEVEL,
  };
  const env = { ...process.env, ...shared };

  await ensureDatabase(config.DATABASE_URL);
  // Schemas and demo data first, in this process, on free ports.
  const seeding = await startStack(env, 'ephemeral');
  let seeded: boolean;
  try {
    seeded = await seedDemoData(seeding);
  } finally {
    await seeding.stop();
  }

  let stopping = false;
  const owners = new Map<Worker, ServiceSpec>();
  const restarts = new Map<string, number[]>();
  const fork = (spec: ServiceSpec, replica: number): Promise<void> => {
    cluster.setupPrimary({ exec: spec.entry, args: spec.args, execArgv: ['--import', 'tsx'] });
    const worker = cluster.fork({ ...shared, PORT: String(spec.port), REPLICA: `${spec.name}-${replica}` });
    owners.set(worker, spec);
    worker.on('exit', (code, signal) => {
      owners.delete(worker);
      if (stopping) return;
      const now = Date.now();
      const recent = (restarts.get(spec.name) ?? []).filter((at) => now - at < restartWindowMs);
      if (recent.length >= config.RESTART_LIMIT) {
        logger.error({ service: spec.name, code, signal }, 'replica keeps dying; not restarting it');
        return;
      }
      restarts.set(spec.name, [...recent, now]);
      logger.warn({ service: spec.name, replica, code, signal }, 'replica exited; starting it again');
      void fork(spec, replica);
    });
    return new Promise((resolve, reject) => {
      worker.once('listening', () => resolve());
      worker.once('exit', (code) => reject(new Error(`${spec.name} replica ${replica} exited (${code}) before listening`)));
    });
  };

  // Subgraphs before the gateway, which probes them; replicas of one service start together.
  const specs = serviceSpecs();
  for (const spec of specs) {
    await Promise.all(Array.from({ length: config.REPLICAS }, (_, i) => fork(spec, i + 1)));
    logger.info({ service: spec.name, replicas: config.REPLICAS, port: spec.port }, 'replicas listening');
  }

  const gatewayUrl = 'http://localhost:4000/graphql';
  const bus = config.SIMULATOR === 'on' ? await AmqpEventBus.connect({ url: config.AMQP_URL, namespace: config.EVENTS_NAMESPACE, logger, queueType: config.EVENTS_QUEUE_TYPE }) : null;
  const simulator = bus
    ? await startSimulator({
        bus,
        gatewayUrl,
        shop: { email: demoAccounts.admin.email, password: demoPassword },
        courier: { email: demoAccounts.courier.email, password: demoPassword },
        stepDelayMs: config.SIMULATOR_STEP_MS,
        logger: createLogger('simulator', config.LOG_LEVEL),
      })
    : null;
  console.log(`
  Supergraph ready at ${gatewayUrl}: ${config.REPLICAS} processes of each of ${specs.map((s) => s.name).join(', ')}
  ${seeded ? 'Demo data created.' : 'Demo data already present.'} Demo logins as for npm start, password "${demoPassword}".
  ${simulator ? 'Simulator on.' : 'Simulator off.'}
`);

  return {
    async stop() {
      stopping = true;
      await simulator?.stop();
      await bus?.close();
      // The gateway first (it drains and closes live sockets with the reconnect code), then the subgraphs.
      const byService = (names: (name: string) => boolean) => [...owners].filter(([, spec]) => names(spec.name)).map(([worker]) => worker);
      await stopWorkers(byService((name) => name === 'gateway'));
      await stopWorkers(byService((name) => name !== 'gateway'));
    },
  };
}

/** Creates the database named in the URL when the server does not have it yet (a fresh server). */
async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.href });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((error: { code?: string }) => {
      // Another starter created it meanwhile.
      if (error.code !== '42P04') throw error;
    });
  } finally {
    await client.end();
  }
}

/** SIGTERM each worker (its runUntilSignalled drains and closes), SIGKILL after 20 s. */
async function stopWorkers(workers: Worker[]): Promise<void> {
  await Promise.all(
    workers.map(
      (worker) =>
        new Promise<void>((resolve) => {
          if (worker.isDead()) return resolve();
          const timer = setTimeout(() => worker.process.kill('SIGKILL'), 20_000);
          worker.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          worker.process.kill('SIGTERM');
        }),
    ),
  );
}

if (cluster.isPrimary) runUntilSignalled(main);
