/** How often identical work was merged; the benchmark and tests read these. */
export interface InflightStats {
  /** Calls that did the work. */
  started: number;
  /** Calls that joined work already in flight instead. */
  joined: number;
}

interface Pending<T> {
  promise: Promise<T>;
  /** Callers still to receive the result. */
  waiting: number;
}

/**
 * Merges identical concurrent work: while a call for `key` is in flight, later
 * calls with the same key wait for the same result instead of starting their
 * own. Nothing is remembered once it settles, so this is not a cache: a
 * result is never older than the request that receives it.
 *
 * Every caller gets a result of its own, since callers may mutate what they
 * receive: all but the last to resume get `copy(result)`, and the last gets
 * the original. That is safe because each caller copies synchronously as it
 * resumes, so by the time the last one resumes every copy has been taken.
 */
export class InflightDeduplicator<T> {
  private readonly pending = new Map<string, Pending<T>>();
  readonly stats: InflightStats = { started: 0, joined: 0 };

  constructor(private readonly copy: (value: T) => T) {}

  async run(key: string, work: () => Promise<T>): Promise<T> {
    let entry = this.pending.get(key);
    if (entry) {
      this.stats.joined += 1;
      entry.waiting += 1;
    } else {
      this.stats.started += 1;
      let promise: Promise<T>;
      try {
        promise = work();
      } catch (error) {
        promise = Promise.reject(error);
      }
      const created: Pending<T> = { promise, waiting: 1 };
      entry = created;
      this.pending.set(key, created);
      const forget = () => {
        if (this.pending.get(key) === created) this.pending.delete(key);
      };
      promise.then(forget, forget);
    }
    const value = await entry.promise;
    entry.waiting -= 1;
    return entry.waiting === 0 ? value : this.copy(value);
  }

  get inflight(): number {
    return this.pending.size;
  }
}
