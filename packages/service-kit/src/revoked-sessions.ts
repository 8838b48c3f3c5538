import { closeRedis, createRedisConnection, type RedisClient } from '@commerce/pubsub';

/** Hears revocations as they happen, wherever the session was ended. */
export interface RevocationListener {
  /** `sessionId` was revoked just now. */
  revoked(sessionId: string): void;
  /**
   * Revocations may have gone unheard (the connection that carries them was
   * lost, and is back): whatever the listener holds open should be checked
   * against the list again.
   */
  missed(): void;
}

/**
 * Sessions that were signed out of (or caught reusing a refresh token),
 * remembered for as long as an access token of theirs could still be
 * presented; the users subgraph adds, every gateway instance asks. Each
 * addition is also announced to the watchers, so that a gateway can end what
 * is already open under the session (its live subscriptions).
 */
export interface RevokedSessions {
  add(sessionId: string, forSeconds: number): Promise<void>;
  has(sessionId: string): Promise<boolean>;
  /** The ones of `sessionIds` that are revoked, in one round trip. */
  revokedAmong(sessionIds: readonly string[]): Promise<string[]>;
  /** Calls `listener` for every later addition, made by any process sharing the list; returns what stops it. */
  watch(listener: RevocationListener): () => void;
  close(): Promise<void>;
}

/** A listener that throws must not stop the others, nor the connection that carries the event. */
function tell(listeners: Iterable<RevocationListener>, call: (listener: RevocationListener) => void): void {
  for (const listener of listeners) {
    try {
      call(listener);
    } catch {
      // The listener's own failure, for it to report.
    }
  }
}

/** One process's memory: the quickstart, where the users subgraph and the gateway share it. */
export class InMemoryRevokedSessions implements RevokedSessions {
  private readonly until = new Map<string, number>();
  private readonly listeners = new Set<RevocationListener>();

  async add(sessionId: string, forSeconds: number): Promise<void> {
    this.forgetExpired();
    this.until.set(sessionId, Date.now() + forSeconds * 1000);
    tell(this.listeners, (listener) => listener.revoked(sessionId));
  }

  async has(sessionId: string): Promise<boolean> {
    return (this.until.get(sessionId) ?? 0) > Date.now();
  }

  async revokedAmong(sessionIds: readonly string[]): Promise<string[]> {
    const now = Date.now();
    return sessionIds.filter((sessionId) => (this.until.get(sessionId) ?? 0) > now);
  }

  watch(listener: RevocationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }

  private forgetExpired(): void {
    const now = Date.now();
    for (const [sessionId, until] of this.until) if (until <= now) this.until.delete(sessionId);
  }
}

/** Keys read at once when re-checking many sessions. */
const idsPerRead = 1_000;

/**
 * Keys `<namespace>:revoked-session:<id>` that expire by themselves once no
 * token of the session can be valid, each addition published (in the same
 * transaction) on the channel `<namespace>:revoked-sessions`.
 */
export class RedisRevokedSessions implements RevokedSessions {
  private readonly prefix: string;
  private readonly channel: string;
  private connecting: Promise<void> | null = null;
  private readonly listeners = new Set<RevocationListener>();
  private subscriber: RedisClient | null = null;

  private constructor(
    private readonly redis: RedisClient,
    private readonly options: { url: string; namespace: string },
  ) {
    this.prefix = `${options.namespace}:revoked-session:`;
    this.channel = `${options.namespace}:revoked-sessions`;
  }

  /**
   * Connects on first use, so services that never revoke open nothing. A
   * command fails at once while Redis is away (no offline queue): a sign-out
   * reports the failure, and a gateway does not hold requests waiting.
   */
  static open(options: { url: string; namespace: string }): RedisRevokedSessions {
    // Its errors reach the callers of add() and has(), which decide what they mean.
    const redis = createRedisConnection({ url: options.url, namespace: options.namespace, role: 'sessions', failFast: true });
    return new RedisRevokedSessions(redis, options);
  }

  async add(sessionId: string, forSeconds: number): Promise<void> {
    await this.connected();
    const results = await this.redis
      .multi()
      .set(this.prefix + sessionId, '1', 'EX', Math.max(1, Math.ceil(forSeconds)))
      .publish(this.channel, sessionId)
      .exec();
    const failed = results?.find(([error]) => error);
    if (failed) throw failed[0];
  }

  async has(sessionId: string): Promise<boolean> {
    await this.connected();
    return (await this.redis.exists(this.prefix + sessionId)) === 1;
  }

  async revokedAmong(sessionIds: readonly string[]): Promise<string[]> {
    if (sessionIds.length === 0) return [];
    await this.connected();
    const revoked: string[] = [];
    for (let start = 0; start < sessionIds.length; start += idsPerRead) {
      const ids = sessionIds.slice(start, start + idsPerRead);
      // One EXISTS per key rather than MGET: on a Redis Cluster the keys live in different slots.
      const found = await Promise.all(ids.map((sessionId) => this.redis.exists(this.prefix + sessionId)));
      ids.forEach((sessionId, i) => found[i] === 1 && revoked.push(sessionId));
    }
    return revoked;
  }

  /**
   * The first watcher opens a subscriber connection of its own (a connection
   * that has subscribed takes no other command). It queues its SUBSCRIBE
   * until Redis is reachable and retries for good: a gateway started while
   * Redis was away hears revocations once it is back. Every time the
   * subscription is (again) in place the watchers are told they may have
   * missed some.
   */
  watch(listener: RevocationListener): () => void {
    this.listeners.add(listener);
    this.subscriber ??= this.subscribe();
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    if (this.subscriber) await closeRedis(this.subscriber);
    await closeRedis(this.redis);
  }

  private subscribe(): RedisClient {
    const subscriber = createRedisConnection({ url: this.options.url, namespace: this.options.namespace, role: 'sessions:subscriber' });
    subscriber.on('message', (channel: string, sessionId: string) => {
      if (channel === this.channel) tell(this.listeners, (listener) => listener.revoked(sessionId));
    });
    // ioredis (re)subscribes only after emitting 'ready'; a PING queued behind the SUBSCRIBE is
    // answered once it is in place, and only from then on is nothing more missed.
    subscriber.on('ready', () =>
      setImmediate(() => {
        subscriber.ping().then(
          () => tell(this.listeners, (listener) => listener.missed()),
          () => undefined,
        );
      }),
    );
    // Failures while Redis is away are retried by the connection itself.
    subscriber.subscribe(this.channel).catch(() => undefined);
    return subscriber;
  }

  private connected(): Promise<void> {
    this.connecting ??= this.redis.connect().catch((error: unknown) => {
      // The next call tries again.
      this.connecting = null;
      throw error;
    });
    return this.connecting;
  }
}
