import { RedisPubSub } from 'graphql-redis-subscriptions';
import { Cluster } from 'ioredis';
import { closeRedis, connectRedis, createRedisConnection, type RedisClient } from './redis-connection';
import { checkNamespace, deliver, silentLiveLogger, type LiveLogger, type LivePubSub, type Unsubscribe } from './live-pubsub';

export interface RedisLivePubSubOptions {
  /** REDIS_URL, in any of its forms (parseRedisUrl). */
  url: string;
  /** The deployment's EVENTS_NAMESPACE; prefixes every channel. */
  namespace: string;
  logger?: LiveLogger;
}

/**
 * The live pub/sub over Redis PUBLISH/SUBSCRIBE, so every gateway instance
 * hears every change. It holds two connections: a connection that has
 * subscribed accepts no other command, so publishing needs its own.
 * Subscribers of one channel share one Redis subscription, dropped with the
 * last of them.
 */
export class RedisLivePubSub implements LivePubSub {
  private closed = false;
  private readonly resubscribedListeners = new Set<() => void>();

  private constructor(
    private readonly engine: RedisPubSub,
    private readonly publisher: RedisClient,
    private readonly subscriber: RedisClient,
    private readonly namespace: string,
    private readonly logger: LiveLogger,
  ) {
    // ioredis resubscribes every channel on reconnecting (autoResubscribe), but sends the
    // SUBSCRIBE commands only after emitting 'ready'; a PING queued behind them is answered
    // once they are all in place, and only then is it true that nothing more is missed.
    subscriber.on('ready', () =>
      setImmediate(() => {
        subscriber.ping().then(
          () => this.resubscribedListeners.forEach((listener) => deliver(listener, undefined, 'resubscribed', this.logger)),
          (error: unknown) => this.logger.error({ err: error }, 'live pub/sub could not confirm its resubscription'),
        );
      }),
    );
  }

  /** Opens both connections; fails (leaving nothing behind) when Redis cannot be reached. */
  static async connect(options: RedisLivePubSubOptions): Promise<RedisLivePubSub> {
    const namespace = checkNamespace(options.namespace);
    const logger = options.logger ?? silentLiveLogger;
    // Unreachable at start-up is a configuration error to report, not to retry
    // forever; once up, a dropped connection is retried (and resubscribed).
    const open = (role: 'publisher' | 'subscriber') =>
      createRedisConnection({
        url: options.url,
        namespace,
        role: `live:${role}`,
        retry: 'once-ready',
        onError: (error) => logger.error({ err: error, role }, 'live pub/sub connection error'),
      });
    const publisher = open('publisher');
    const subscriber = open('subscriber');
    const connected = await Promise.allSettled([connectRedis(publisher), connectRedis(subscriber)]);
    const failed = connected.find((result) => result.status === 'rejected');
    if (failed) {
      // The other one may have connected: it is dropped too, so nothing is left behind.
      for (const redis of [publisher, subscriber]) if (redis.status !== 'end') redis.disconnect();
      throw failed.reason;
    }
    catchDroppedUnsubscribes(subscriber, logger);
    publishThroughOneNode(publisher);
    const engine = new RedisPubSub({ publisher, subscriber });
    return new RedisLivePubSub(engine, publisher, subscriber, namespace, logger);
  }

  async publish(channel: string, message: object): Promise<void> {
    if (this.closed) throw new Error('The live pub/sub is closed');
    await this.engine.publish(this.qualified(channel), message);
  }

  async subscribe(channel: string, onMessage: (message: unknown) => void): Promise<Unsubscribe> {
    if (this.closed) throw new Error('The live pub/sub is closed');
    const name = this.qualified(channel);
    const id = await this.engine.subscribe<unknown>(name, (message) => deliver(onMessage, message, name, this.logger));
    let active = true;
    return async () => {
      if (!active || this.closed) return;
      active = false;
      this.engine.unsubscribe(id);
      // The engine sends UNSUBSCRIBE without waiting for it; a PING on the same
      // connection is answered after it, so on return Redis has dropped the channel.
      // While Redis is away there is nothing to wait for: the channel goes with the connection.
      await this.subscriber.ping().catch(() => undefined);
    };
  }

  problem(): string | null {
    if (this.closed) return 'the live pub/sub is closed';
    const statuses = { publisher: this.publisher.status, subscriber: this.subscriber.status };
    const down = Object.entries(statuses).filter(([, status]) => status !== 'ready');
    return down.length === 0 ? null : `Redis ${down.map(([role, status]) => `${role} ${status}`).join(', ')}`;
  }

  onResubscribed(listener: () => void): () => void {
    this.resubscribedListeners.add(listener);
    return () => this.resubscribedListeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Not the engine's close(): its QUITs would wait for a Redis that is away until the connections give up.
    await Promise.all([this.publisher, this.subscriber].map(closeRedis));
  }

  private qualified(channel: string): string {
    return `${this.namespace}.${channel}`;
  }
}

/**
 * graphql-redis-subscriptions sends UNSUBSCRIBE and PUNSUBSCRIBE and drops
 * their promises. While Redis is away those commands wait in the offline queue
 * until the connection gives up on them, and a rejection nobody handles ends
 * the process (a gateway lost every socket to a Redis restart this way). The
 * connection's own methods are wrapped so that failure is only logged: Redis
 * has dropped the channel with the connection anyway.
 */
function catchDroppedUnsubscribes(subscriber: RedisClient, logger: LiveLogger): void {
  for (const command of ['unsubscribe', 'punsubscribe'] as const) {
    const send = subscriber[command].bind(subscriber) as (...args: unknown[]) => Promise<unknown>;
    const caught = (...args: unknown[]) =>
      send(...args).catch((error: unknown) => {
        logger.error({ err: error, command }, 'live pub/sub could not leave a channel while Redis was away');
        return 0;
      });
    Object.assign(subscriber, { [command]: caught });
  }
}

/**
 * On a Redis Cluster ioredis sends each PUBLISH (it names no key) to a node
 * picked at random, and messages that entered through different nodes reach a
 * subscriber over different links of the cluster bus, where a later one can
 * overtake an earlier one. Sent through one node, a channel's messages keep
 * their order; every node sees every message either way.
 */
function publishThroughOneNode(publisher: RedisClient): void {
  if (!(publisher instanceof Cluster)) return;
  const anyNode = publisher.publish.bind(publisher) as (channel: string, message: string) => Promise<number>;
  const publish = (channel: string, message: string) => {
    const [node] = publisher.nodes('master');
    return node ? node.publish(channel, message) : anyNode(channel, message);
  };
  Object.assign(publisher, { publish });
}
