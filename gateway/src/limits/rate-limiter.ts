/** One budget a request counts against: at most `limit` requests per window under `key`. */
export interface Budget {
  key: string;
  limit: number;
}

export type RateVerdict = { allowed: true } | { allowed: false; budget: Budget; retryAfterMs: number };

/** Budgets are per minute (clients.json's `perMinute`); tests shorten the window. */
export const rateWindowMs = 60_000;

/**
 * Fixed-window request counters: a budget's window opens with its first
 * request and its count ends with the window. One contract
 * (gateway/test/rate-limits.test.ts) holds for both implementations.
 */
export interface RateLimiter {
  /**
   * Counts one request against each budget in order and stops at the first
   * one that is spent, so the budgets after it are not charged for a request
   * that is refused anyway.
   */
  take(budgets: readonly Budget[]): Promise<RateVerdict>;
  close(): Promise<void>;
}

/** Windows the quickstart keeps before it drops the ended ones. */
const sweepAbove = 10_000;

/** For the quickstart without Redis: counts in this process only, so each instance has the whole budget. */
export class InMemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();

  constructor(private readonly windowMs = rateWindowMs) {}

  async take(budgets: readonly Budget[]): Promise<RateVerdict> {
    const now = Date.now();
    if (this.windows.size > sweepAbove) this.sweep(now);
    for (const budget of budgets) {
      let window = this.windows.get(budget.key);
      if (!window || window.endsAt <= now) {
        window = { count: 0, endsAt: now + this.windowMs };
        this.windows.set(budget.key, window);
      }
      window.count++;
      if (window.count > budget.limit) return { allowed: false, budget, retryAfterMs: window.endsAt - now };
    }
    return { allowed: true };
  }

  async close(): Promise<void> {
    this.windows.clear();
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }
}
