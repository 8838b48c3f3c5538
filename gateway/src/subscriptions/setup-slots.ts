/**
 * At most `limit` pieces of work under way at once per key; the rest wait
 * their turn, first come first served.
 *
 * Setting a subscription up (the owning subgraph's authorization, the
 * current state read) allocates far more than the idle subscription keeps.
 * With thousands of clients subscribing at once (reconnecting after a
 * deploy, or a benchmark), thousands of set-ups in flight together outlive
 * the young generation's collections and are promoted, and the old space they
 * leave behind stays allocated to the process long after they are gone: the
 * resident memory per idle connection measured about a fifth lower with
 * 32 at once than with no bound, and connecting took no longer, since one
 * core does the work either way. Keyed by the owning subgraph, so one that
 * hangs holds up only the subscriptions that need it.
 */
export class SetupSlots {
  private readonly queues = new Map<string, Queue>();

  constructor(private readonly limit: number) {}

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const queue = this.queues.get(key) ?? new Queue();
    this.queues.set(key, queue);
    if (queue.running >= this.limit) await new Promise<void>((start) => queue.wait(start));
    else queue.running++;
    try {
      return await work();
    } finally {
      // The slot passes straight to the next in line, or is freed.
      const next = queue.next();
      if (next) next();
      else if (--queue.running === 0) this.queues.delete(key);
    }
  }
}

/** Waiting starts in arrival order; `shift()` on a long array would copy it each time. */
class Queue {
  running = 0;
  private waiting: (() => void)[] = [];
  private head = 0;

  wait(start: () => void): void {
    this.waiting.push(start);
  }

  next(): (() => void) | undefined {
    if (this.head === this.waiting.length) return undefined;
    const start = this.waiting[this.head++];
    if (this.head === this.waiting.length) {
      this.waiting = [];
      this.head = 0;
    }
    return start;
  }
}
