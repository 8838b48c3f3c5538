import { closeRedis, openRedis, type RedisClient } from '@commerce/pubsub';
import type { Budget, RateVerdict } from './rate-limiter';
import type { SignInAttempts } from './sign-in-attempts';

/**
 * Atomic: answers the first spent budget's position (1-based) and the
 * milliseconds its window has left, counting nothing; else counts one
 * attempt against every budget and answers 0. A counter without an expiry
 * (never expected) is given one, so no budget stays spent for good.
 */
const takeScript = `
for i, key in ipairs(KEYS) do
  local count = tonumber(redis.call('GET', key) or '0')
  if count >= tonumber(ARGV[i + 1]) then
    local ttl = redis.call('PTTL', key)
    if ttl < 0 then
      redis.call('PEXPIRE', key, ARGV[1])
      ttl = tonumber(ARGV[1])
    end
    return {i, ttl}
  end
end
for _, key in ipairs(KEYS) do
  redis.call('INCR', key)
  if redis.call('PTTL', key) < 0 then redis.call('PEXPIRE', key, ARGV[1]) end
end
return {0, 0}
`;

/** Takes one back where there is one to take: an expired counter is not brought back without its expiry. */
const refundScript = `
for _, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') > 0 then redis.call('DECR', key) end
end
return 0
`;

type TakeCommand = (...args: (string | number)[]) => Promise<[number, number]>;
type RefundCommand = (...args: (string | number)[]) => Promise<number>;

/**
 * Counters in Redis, so every gateway instance counts the same attempts.
 * Keys are `<namespace>:{sign-in}:<budget key>` and expire with their
 * window; the `{sign-in}` hash tag keeps an attempt's keys in one Redis
 * Cluster slot, as the scripts touching several of them require.
 */
export class RedisSignInAttempts implements SignInAttempts {
  private constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly windowMs: number,
  ) {
    redis.defineCommand('signInTake', { lua: takeScript });
    redis.defineCommand('signInRefund', { lua: refundScript });
  }

  static async connect(options: { url: string; namespace: string; windowMs: number }): Promise<RedisSignInAttempts> {
    // Fail fast: while Redis is away a command fails at once instead of holding the sign-in.
    const redis = await openRedis({ url: options.url, namespace: options.namespace, role: 'sign-in', failFast: true });
    return new RedisSignInAttempts(redis, `${options.namespace}:{sign-in}:`, options.windowMs);
  }

  async take(budgets: readonly Budget[]): Promise<RateVerdict> {
    if (budgets.length === 0) return { allowed: true };
    const take = (this.redis as unknown as { signInTake: TakeCommand }).signInTake.bind(this.redis);
    const [spent, ttl] = await take(budgets.length, ...budgets.map((b) => this.prefix + b.key), this.windowMs, ...budgets.map((b) => b.limit));
    const budget = budgets[spent - 1];
    return budget ? { allowed: false, budget, retryAfterMs: ttl } : { allowed: true };
  }

  async refund(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    const refund = (this.redis as unknown as { signInRefund: RefundCommand }).signInRefund.bind(this.redis);
    await refund(keys.length, ...keys.map((key) => this.prefix + key));
  }

  async clear(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  async close(): Promise<void> {
    await closeRedis(this.redis);
  }
}
