import { closeRedis, createRedisConnection, type RedisClient } from '@commerce/pubsub';

/**
 * Sessions that were signed out of (or caught reusing a refresh token),
 * remembered for as long as an access token of theirs could still be
 * presented; the users subgraph adds, every gateway instance asks.
 */
export interface RevokedSessions {
  add(sessionId: string, forSeconds: number): Promise<void>;
  has(sessionId: string): Promise<boolean>;
  close(): Promise<void>;
}

/** One process's memory: the quickstart, where the users subgraph and the gateway share it. */
export class InMemoryRevokedSessions implements RevokedSessions {
  private readonly until = new Map<string, number>();

  async add(sessionId: string, forSeconds: number): Promise<void> {
    this.forgetExpired();
    this.until.set(sessionId, Date.now() + forSeconds * 1000);
  }

  async has(sessionId: string): Promise<boolean> {
    return (this.until.get(sessionId) ?? 0) > Date.now();
  }

  async close(): Promise<void> {}

  private forgetExpired(): void {
    const now = Date.now();
    for (const [sessionId, until] of this.until) if (until <= now) this.until.delete(sessionId);
  }
}

/** Keys `<namespace>:revoked-session:<id>` that expire by themselves once no token of the session can be valid. */
export class RedisRevokedSessions implements RevokedSessions {
  private readonly prefix: string;
  private connecting: Promise<void> | null = null;

  private constructor(
    private readonly redis: RedisClient,
    namespace: string,
  ) {
    this.prefix = `${namespace}:revoked-session:`;
  }

  /**
   * Connects on first use, so services that never revoke open nothing. A
   * command fails at once while Redis is away (no offline queue): a sign-out
   * reports the failure, and a gateway does not hold requests waiting.
   */
  static open(options: { url: string; namespace: string }): RedisRevokedSessions {
    // Its errors reach the callers of add() and has(), which decide what they mean.
    const redis = createRedisConnection({ url: options.url, namespace: options.namespace, role: 'sessions', failFast: true });
    return new RedisRevokedSessions(redis, options.namespace);
  }

  async add(sessionId: string, forSeconds: number): Promise<void> {
    await this.connected();
    await this.redis.set(this.prefix + sessionId, '1', 'EX', Math.max(1, Math.ceil(forSeconds)));
  }

  async has(sessionId: string): Promise<boolean> {
    await this.connected();
    return (await this.redis.exists(this.prefix + sessionId)) === 1;
  }

  close(): Promise<void> {
    return closeRedis(this.redis);
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
