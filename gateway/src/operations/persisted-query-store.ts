import { openRedis, type RedisClient } from '@commerce/pubsub';

/**
 * Where automatic persisted queries (Apollo's APQ) are registered: by
 * SHA-256 hash, the document a client once sent in full.
 */
export interface PersistedQueryStore {
  get(hash: string): Promise<string | null>;
  set(hash: string, document: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * APQ in Redis: every gateway instance sees what a client registered on any
 * of them, and registrations survive gateway restarts. Entries expire `ttl`
 * seconds after their last registration; a client whose hash has expired
 * gets PERSISTED_QUERY_NOT_FOUND and registers it again.
 *
 * While Redis is away each call fails at once instead of waiting for it to
 * come back (no offline queue); the OperationGate reads a failed look-up
 * as a miss and skips a failed registration.
 */
export class RedisPersistedQueryStore implements PersistedQueryStore {
  private constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
  ) {}

  static async connect(options: { url: string; namespace: string; ttlSeconds: number }): Promise<RedisPersistedQueryStore> {
    const redis = await openRedis({ url: options.url, namespace: options.namespace, role: 'apq', failFast: true });
    return new RedisPersistedQueryStore(redis, `${options.namespace}:apq:`, options.ttlSeconds);
  }

  get(hash: string): Promise<string | null> {
    return this.redis.get(this.prefix + hash);
  }

  async set(hash: string, document: string): Promise<void> {
    await this.redis.set(this.prefix + hash, document, 'EX', this.ttlSeconds);
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }
}

/** Entries the quickstart keeps; the oldest registration goes first. */
const inMemoryLimit = 10_000;

/** APQ for the zero-infrastructure quickstart: one process, lost on restart. */
export class InMemoryPersistedQueryStore implements PersistedQueryStore {
  private readonly documents = new Map<string, string>();

  async get(hash: string): Promise<string | null> {
    return this.documents.get(hash) ?? null;
  }

  async set(hash: string, document: string): Promise<void> {
    this.documents.delete(hash);
    if (this.documents.size >= inMemoryLimit) this.documents.delete(this.documents.keys().next().value!);
    this.documents.set(hash, document);
  }

  async close(): Promise<void> {
    this.documents.clear();
  }
}
