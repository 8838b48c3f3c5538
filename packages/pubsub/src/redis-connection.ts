import { Redis } from 'ioredis';

export interface RedisConnectionOptions {
  /** redis://host:port/db */
  url: string;
  /** The deployment's EVENTS_NAMESPACE. */
  namespace: string;
  /** What the connection is for; with the namespace it names the connection, so CLIENT LIST tells an operator who holds it. */
  role: string;
  /**
   * While Redis is away, fail each command at once instead of queueing it
   * until Redis is back: for work that must not wait on Redis (a request
   * being admitted, a token being checked). Default: queue.
   */
  failFast?: boolean;
  /**
   * How a lost connection is retried. `always` (ioredis' own): from the
   * first attempt on. `once-ready`: only after the connection has been ready
   * once, so a Redis unreachable at start-up is reported as the configuration
   * error it is instead of retried forever.
   */
  retry?: 'always' | 'once-ready';
  /** Hears connection errors; without it they are dropped (a command that fails still fails, to its caller). */
  onError?(error: unknown): void;
}

/**
 * One Redis connection, named and not yet connected (connect it with
 * {@link connectRedis}, or let it connect on its first command). Every
 * service opens its connections here, so they are named and retried alike.
 */
export function createRedisConnection(options: RedisConnectionOptions): Redis {
  let ready = false;
  const redis = new Redis(options.url, {
    lazyConnect: true,
    connectionName: `${options.namespace}:${options.role}`,
    ...(options.failFast ? { enableOfflineQueue: false } : {}),
    ...(options.retry === 'once-ready' ? { retryStrategy: (attempt: number) => (ready ? Math.min(attempt * 100, 2_000) : null) } : {}),
  });
  redis.once('ready', () => {
    ready = true;
  });
  // An 'error' without a listener would be thrown at the process.
  redis.on('error', (error: unknown) => options.onError?.(error));
  return redis;
}

/** Connects `redis`; when that fails, it is disconnected (nothing goes on retrying in the background) and the error thrown. */
export async function connectRedis(redis: Redis): Promise<Redis> {
  try {
    await redis.connect();
    return redis;
  } catch (error) {
    // One that has ended already is left alone: disconnecting it again would hold the process for ioredis' disconnect timeout.
    if (redis.status !== 'end') redis.disconnect();
    throw error;
  }
}

/** A named connection, connected: {@link createRedisConnection} then {@link connectRedis}. */
export function openRedis(options: RedisConnectionOptions): Promise<Redis> {
  return connectRedis(createRedisConnection(options));
}

/** Quits `redis` politely when it is connected, else drops it at once. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') await redis.quit();
  else redis.disconnect();
}
