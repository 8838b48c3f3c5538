import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { connect } from 'amqplib';
import { createTestDatabase, testConfig, type TestDatabase } from '@commerce/service-kit/testing';
import { startStack, type Stack } from '../../scripts/stack';

const run = promisify(execFile);

export const testAmqpUrl = process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
export const testRedisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestStack extends Stack {
  database: TestDatabase;
  /** Prefix of this stack's RabbitMQ exchange, queues and connection names. */
  namespace: string;
}

/**
 * The whole supergraph on free ports against real Postgres (a fresh database)
 * and real RabbitMQ (an exchange and queues of its own, so test files running
 * in parallel never see each other's events). `env` adds to or overrides the
 * variables every service is started with.
 */
export async function startTestStack(env: NodeJS.ProcessEnv = {}): Promise<TestStack> {
  const database = await createTestDatabase();
  const namespace = `test-${randomBytes(4).toString('hex')}`;
  const stack = await startStack(
    {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: database.url,
      AMQP_URL: testAmqpUrl,
      REDIS_URL: testRedisUrl,
      EVENTS_NAMESPACE: namespace,
      JWT_SECRET: testConfig.JWT_SECRET,
      ...env,
    },
    'ephemeral',
  );
  return {
    ...stack,
    database,
    namespace,
    async stop() {
      await stack.stop();
      await database.drop();
      await deleteBrokerNamespace(namespace);
    },
  };
}

/** Durable queues outlive their consumers: remove every queue of this run's namespace, and its exchange. */
export async function deleteBrokerNamespace(namespace: string): Promise<void> {
  // Bounded: a clean-up that hangs must fail the run, not hold it until CI's own limit.
  const { stdout } = await run('rabbitmqctl', ['list_queues', '--quiet', '--no-table-headers', 'name'], { timeout: 60_000 });
  const queues = stdout.split('\n').map((line) => line.trim()).filter((name) => name.startsWith(`${namespace}.`));
  const connection = await connect(testAmqpUrl);
  const channel = await connection.createChannel();
  for (const queue of queues) await channel.deleteQueue(queue);
  await channel.deleteExchange(`${namespace}.events`);
  await connection.close();
}
