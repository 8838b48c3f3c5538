import { createHash } from 'node:crypto';
import type { GraphQLError } from 'graphql';
import type { Logger } from '@commerce/service-kit';
import { refusal, RefusalCode } from '../errors/registry';
import type { Budget } from './rate-limiter';
import type { SignInAttempts } from './sign-in-attempts';

export interface SignInLimits {
  /** Attempts per account and window that may fail before its sign-ins are refused. */
  perAccount: number;
  /** The same per client address, whichever accounts it tries. */
  perAddress: number;
}

export const defaultSignInLimits: SignInLimits = { perAccount: 5, perAddress: 20 };
export const defaultSignInWindowSeconds = 15 * 60;

/** How an attempt that was let through turned out. */
export type Outcome = 'wrong credentials' | 'signed in' | 'neither';

/** One attempt let through, to be settled once its result is known. */
export interface Attempt {
  settle(outcome: Outcome): Promise<void>;
}

/** Emails are compared as the users subgraph compares them; only a hash is stored. */
const accountKey = (email: string) => `account:${createHash('sha256').update(email.trim().toLowerCase()).digest('hex')}`;

/**
 * Budgets of sign-in attempts that failed, per account and per client
 * address. An attempt is counted against both before it may run; a
 * successful one forgets the account's failures and gives the address its
 * attempt back, and one that failed for another reason than the credentials
 * gives both back. While the shared counters cannot be reached (Redis
 * away), this process counts on its own, from zero, as the rate limits do:
 * across N instances an account then gets up to N times its budget for the
 * length of the outage, but never an unbounded number of guesses.
 */
export class SignInThrottle {
  private failing = false;

  constructor(
    private readonly attempts: SignInAttempts,
    private readonly limits: SignInLimits,
    private readonly logger: Logger,
    private readonly fallback: SignInAttempts,
  ) {}

  /** Counts an attempt at `email` from `address`, or answers TOO_MANY_SIGN_IN_ATTEMPTS with the seconds to wait. */
  async begin(email: string, address: string | null): Promise<Attempt | GraphQLError> {
    const account = accountKey(email);
    const budgets: Budget[] = [{ key: account, limit: this.limits.perAccount }];
    if (address) budgets.push({ key: `address:${address}`, limit: this.limits.perAddress });
    let store = this.attempts;
    let verdict;
    try {
      verdict = await store.take(budgets);
      this.recovered();
    } catch (error) {
      this.report(error);
      store = this.fallback;
      verdict = await store.take(budgets);
    }
    if (!verdict.allowed) {
      const retryAfter = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
      const whose = verdict.budget.key === account ? 'this account' : 'this address';
      return refusal(RefusalCode.TooManySignInAttempts, `Too many failed sign-ins for ${whose}; retry after ${retryAfter} s`, { retryAfter }, { 'retry-after': String(retryAfter) });
    }
    const keys = budgets.map((budget) => budget.key);
    return {
      settle: async (outcome) => {
        try {
          if (outcome === 'signed in') {
            await store.clear(account);
            await store.refund(keys.slice(1));
          } else if (outcome === 'neither') {
            await store.refund(keys);
          }
        } catch (error) {
          this.report(error);
        }
      },
    };
  }

  /** An outage is logged once, not per sign-in. */
  private report(error: unknown): void {
    if (!this.failing) this.logger.error({ err: error }, 'sign-in attempts cannot be counted in Redis; counting in this process until they can');
    this.failing = true;
  }

  private recovered(): void {
    if (this.failing) this.logger.info('sign-in attempts are counted in Redis again');
    this.failing = false;
  }
}
