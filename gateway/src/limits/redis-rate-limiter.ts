import { openRedis, type RedisClient } from '@commerce/pubsub';
import { rateWindowMs, type Budget, type RateLimiter, type RateVerdict } from './rate-limiter';

/**
 * One round trip, atomic: counts the request against each budget in order
 * and stops at the first that is spent, answering its position (1-based)
 * and the milliseconds its window has left; 0 when every budget allowed it.
 * A counter without an expiry (never expected) is given one, so no budget
 * can stay spent for good.
 */
const takeScript = `
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then
    redis.call('PEXPIRE', key, ARGV[1])
    ttl = tonumber(ARGV[1])
  end
  if count > tonumber(ARGV[i + 1]) then return {i, ttl} end
end
return {0, 0}
`;

type TakeCommand = (...args: (string | number)[]) => Promise<[number, number]>;

/**
 * Counters in Redis, so every gateway instance draws on the same budgets.
 * Keys are `<namespace>:{ratelimit}:<budget key>` and expire with their
 * window. The `{ratelimit}` hash tag puts every counter in one Redis Cluster
 * slot, where the script (several keys, one call) must find them all.
 *
 * While Redis is away each call fails at once (no offline queue): the
 * caller decides what to count on instead (see RateLimits).
 */
export class RedisRateLimiter implements RateLimiter {
  private constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly windowMs: number,
  ) {
    redis.defineCommand('rateLimitTake', { lua: takeScript });
  }

  static async connect(options: { url: string; namespace: string; windowMs?: number }): Promise<RedisRateLimiter> {
    // Fail fast: while Redis is away a command fails at once instead of holding the request.
    const redis = await openRedis({ url: options.url, namespace: options.namespace, role: 'ratelimit', failFast: true });
    return new RedisRateLimiter(redis, `${options.namespace}:{ratelimit}:`, options.windowMs ?? rateWindowMs);
  }

  async take(budgets: readonly Budget[]): Promise<RateVerdict> {
    if (budgets.length === 0) return { allowed: true };
    const take = (this.redis as unknown as { rateLimitTake: TakeCommand }).rateLimitTake.bind(this.redis);
    const [spent, ttl] = await take(budgets.length, ...budgets.map((b) => this.prefix + b.key), this.windowMs, ...budgets.map((b) => b.limit));
    const budget = budgets[spent - 1];
    return budget ? { allowed: false, budget, retryAfterMs: ttl } : { allowed: true };
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }
}
