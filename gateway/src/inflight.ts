/** How often identical work was merged; the benchmark and tests read these. */
export interface InflightStats {
  /** Calls that did the work. */
  started: number;
  /** Calls that joined work already in flight instead. */
  joined: number;
}

/**
 * Merges identical concurrent work: while a call for `key` is in flight, later
 * calls with the same key get the same promise instead of starting their own.
 * Nothing is remembered once it settles, so this is not a cache: a result is
 * never older than the request that receives it.
 */
export class InflightDeduplicator<T> {
  private readonly pending = new Map<string, Promise<T>>();
  readonly stats: InflightStats = { started: 0, joined: 0 };

  run(key: string, work: () => Promise<T>): Promise<T> {
    const existing = this.pending.get(key);
    if (existing) {
      this.stats.joined += 1;
      return existing;
    }
    this.stats.started += 1;
    let promise: Promise<T>;
    try {
      promise = work();
    } catch (error) {
      promise = Promise.reject(error);
    }
    this.pending.set(key, promise);
    const forget = () => {
      this.pending.delete(key);
    };
    promise.then(forget, forget);
    return promise;
  }

  get inflight(): number {
    return this.pending.size;
  }
}
