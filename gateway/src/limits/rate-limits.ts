import type { GraphQLError } from 'graphql';
import { type Logger } from '@commerce/service-kit';
import { refusal, RefusalCode } from '../errors/registry';
import type { Client } from '../operations/clients';
import { InMemoryRateLimiter, type Budget, type RateLimiter, type RateVerdict } from './rate-limiter';

/**
 * Each client's budgets (clients.json's `rateLimit`): one for the whole
 * client and one per signed-in user of it. Callers without a token share the
 * client's budget. Unknown app names count as `anonymous` (client.policy),
 * so a made-up name does not buy a fresh budget.
 *
 * While the shared limiter (Redis) cannot count, this process counts on its
 * own, from zero: each instance then grants the whole budget, so a client
 * may get up to N times its budget across N instances for the length of the
 * outage, but no client goes unbounded and no request is refused, or held,
 * for want of Redis.
 */
export class RateLimits {
  private failing = false;

  constructor(
    private readonly limiter: RateLimiter,
    private readonly logger: Logger,
    private readonly fallback: RateLimiter = new InMemoryRateLimiter(),
  ) {}

  /** Counts one request, or answers RATE_LIMITED with the seconds until the spent budget's window ends. */
  async admit(client: Client, userId: string | null): Promise<GraphQLError | null> {
    const budgets: Budget[] = [];
    // The user first: one user's burst must not spend the budget the client's other users share.
    if (userId !== null) budgets.push({ key: `user:${client.policy}:${userId}`, limit: client.rateLimit.perUserPerMinute });
    budgets.push({ key: `client:${client.policy}`, limit: client.rateLimit.perMinute });
    const verdict = await this.take(budgets);
    if (verdict.allowed) return null;
    const retryAfter = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
    const whose = verdict.budget === budgets[0] && userId !== null ? `this user of client ${client.policy}` : `client ${client.policy}`;
    return refusal(RefusalCode.RateLimited, `Too many requests from ${whose}; retry after ${retryAfter} s`, { retryAfter }, { 'retry-after': String(retryAfter) });
  }

  private async take(budgets: Budget[]): Promise<RateVerdict> {
    let verdict: RateVerdict;
    try {
      verdict = await this.limiter.take(budgets);
    } catch (error) {
      // An outage is logged once, not per request.
      if (!this.failing) this.logger.error({ err: error }, 'rate limits cannot be counted in Redis; counting in this process until they can');
      this.failing = true;
      return this.fallback.take(budgets);
    }
    if (this.failing) this.logger.info('rate limits are counted in Redis again');
    this.failing = false;
    return verdict;
  }
}
