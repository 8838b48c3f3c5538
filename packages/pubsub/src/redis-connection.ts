import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { parseRedisUrl } from './redis-url';

/** A connection to one server (standalone or behind Sentinels) or to a cluster. */
export type RedisClient = Redis | Cluster;

export interface RedisConnectionOptions {
  /** Any form {@link parseRedisUrl} reads: redis://, rediss://, redis-sentinel://, redis-cluster://. */
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
 *
 * Whatever the form, ioredis reconnects and (on a connection that
 * subscribed) resubscribes by itself; nothing here turns that off.
 */
export function createRedisConnection(options: RedisConnectionOptions): RedisClient {
  let ready = false;
  const afterReady = (attempt: number) => (ready ? Math.min(attempt * 100, 2_000) : null);
  const retry = options.retry === 'once-ready' ? afterReady : undefined;
  const connectionName = `${options.namespace}:${options.role}`;
  const offline = options.failFast ? { enableOfflineQueue: false } : {};
  const target = parseRedisUrl(options.url);
  let redis: RedisClient;
  if (target.kind === 'cluster') {
    const { nodes, username, password } = target;
    redis = new Cluster(nodes, {
      lazyConnect: true,
      redisOptions: { connectionName, username, password },
      ...offline,
      ...(retry ? { clusterRetryStrategy: retry } : {}),
    });
  } else {
    const serverOptions: RedisOptions = { lazyConnect: true, connectionName, ...offline, ...(retry ? { retryStrategy: retry } : {}) };
    redis =
      target.kind === 'sentinel'
        ? new Redis({
            ...serverOptions,
            sentinels: target.sentinels,
            name: target.name,
            db: target.db,
            username: target.username,
            password: target.password,
            // ioredis would ask unreachable Sentinels forever, so connecting would never fail: a first
            // connection fails as a plain server's does, later losses are retried.
            sentinelRetryStrategy: afterReady,
          })
        : new Redis(target.url, serverOptions);
  }
  redis.once('ready', () => {
    ready = true;
  });
  // An 'error' without a listener would be thrown at the process.
  redis.on('error', (error: unknown) => options.onError?.(error));
  return redis;
}

/** Connects `redis`; when that fails, it is disconnected (nothing goes on retrying in the background) and the error thrown. */
export async function connectRedis<Client extends RedisClient>(redis: Client): Promise<Client> {
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
export function openRedis(options: RedisConnectionOptions): Promise<RedisClient> {
  return connectRedis(createRedisConnection(options));
}

/** Quits `redis` politely when it is connected, else drops it at once. */
export async function closeRedis(redis: RedisClient): Promise<void> {
  if (redis.status === 'ready') await redis.quit();
  else redis.disconnect();
}
