import type { Budget, RateVerdict } from './rate-limiter';

/**
 * Counters of sign-in attempts that were not (yet) found good: each attempt
 * is counted before it is let through, so that attempts sent at once cannot
 * all slip under the limit, and given back when it turns out not to have
 * been a wrong password. A counter's window opens with its first attempt.
 * One contract (gateway/test/sign-in-attempts.test.ts) holds for both
 * implementations.
 */
export interface SignInAttempts {
  /**
   * When every budget has room, counts one attempt against each; when one is
   * spent, counts nothing and answers it with the time its window has left.
   */
  take(budgets: readonly Budget[]): Promise<RateVerdict>;
  /** Takes back one attempt from each of `keys` (one that has ended stays ended). */
  refund(keys: readonly string[]): Promise<void>;
  /** Forgets `key`'s attempts: the account signed in. */
  clear(key: string): Promise<void>;
  close(): Promise<void>;
}

/** Counters the quickstart keeps before it drops the ended ones. */
const sweepAbove = 10_000;

/** For the quickstart without Redis: counts in this process only. */
export class InMemorySignInAttempts implements SignInAttempts {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();

  constructor(private readonly windowMs: number) {}

  async take(budgets: readonly Budget[]): Promise<RateVerdict> {
    const now = Date.now();
    if (this.windows.size > sweepAbove) this.sweep(now);
    for (const budget of budgets) {
      const window = this.live(budget.key, now);
      if (window && window.count >= budget.limit) return { allowed: false, budget, retryAfterMs: window.endsAt - now };
    }
    for (const { key } of budgets) {
      const window = this.live(key, now) ?? { count: 0, endsAt: now + this.windowMs };
      window.count++;
      this.windows.set(key, window);
    }
    return { allowed: true };
  }

  async refund(keys: readonly string[]): Promise<void> {
    const now = Date.now();
    for (const key of keys) {
      const window = this.live(key, now);
      if (window && window.count > 0) window.count--;
    }
  }

  async clear(key: string): Promise<void> {
    this.windows.delete(key);
  }

  async close(): Promise<void> {
    this.windows.clear();
  }

  private live(key: string, now: number) {
    const window = this.windows.get(key);
    return window && window.endsAt > now ? window : undefined;
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }
}
