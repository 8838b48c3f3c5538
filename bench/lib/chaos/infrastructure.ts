import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '@commerce/service-kit/testing';
import { freePorts } from './ports';
import { RabbitMqNode } from './rabbitmq-node';
import { RedisNode } from './redis-node';

export interface Infrastructure {
  dir: string;
  database: TestDatabase;
  redis: RedisNode;
  rabbit: RabbitMqNode;
  namespace: string;
  /** Stops what was started, in reverse, each step even when an earlier one failed. */
  stop(): Promise<void>;
}

/**
 * What the chaos run owns, so that nothing shared is ever disturbed: a
 * database on the shared Postgres server (created here, dropped at the end),
 * and its own redis-server and RabbitMQ node, which it may kill and restart.
 */
export async function startInfrastructure(log: (line: string) => void): Promise<Infrastructure> {
  const dir = await mkdtemp(path.join(tmpdir(), 'chaos-'));
  const undo: (() => Promise<unknown>)[] = [() => rm(dir, { recursive: true, force: true })];
  const stop = async () => {
    for (const step of undo.reverse()) await step().catch((error: unknown) => log(`cleanup: ${error instanceof Error ? error.message : String(error)}`));
  };
  try {
    const [redisPort, amqpPort, distPort] = await freePorts(3);
    const database = await createTestDatabase();
    undo.push(() => database.drop());
    const redis = new RedisNode(redisPort!, dir);
    undo.push(() => redis.stop());
    await redis.start();
    log(`redis-server on ${redis.url}`);
    const rabbit = new RabbitMqNode(amqpPort!, distPort!, path.join(dir, 'rabbitmq'));
    undo.push(() => rabbit.stop());
    const started = Date.now();
    await rabbit.start();
    log(`RabbitMQ node ${rabbit.nodeName} on port ${amqpPort} (up in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return { dir, database, redis, rabbit, namespace: 'chaos', stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
