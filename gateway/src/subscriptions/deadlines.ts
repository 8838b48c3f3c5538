/**
 * Callbacks due at given times (ms since the epoch), run by one timer for
 * all of them. Every live connection ends when its token expires; with a
 * setTimeout each, ten thousand idle connections hold ten thousand timers,
 * each in a list of its own (Node groups timers by duration, and no two
 * tokens have quite the same one left). Here a connection costs a set entry.
 *
 * Times are kept to the second, rounded up: token expiries are whole seconds
 * already (a JWT's `exp`), and nothing is run before its time.
 */
export class Deadlines {
  private readonly due = new Map<number, Set<() => void>>();
  private timer: NodeJS.Timeout | null = null;
  /** The second the timer is set for; Infinity when it is not set. */
  private armedFor = Infinity;

  /** Runs `callback` at `time` (at once, on the next turn, if that has passed); `cancel` with the same two arguments. */
  add(time: number, callback: () => void): void {
    const second = Math.ceil(time / 1000);
    let callbacks = this.due.get(second);
    if (!callbacks) {
      callbacks = new Set();
      this.due.set(second, callbacks);
    }
    callbacks.add(callback);
    if (second < this.armedFor) this.arm(second);
  }

  cancel(time: number, callback: () => void): void {
    const second = Math.ceil(time / 1000);
    const callbacks = this.due.get(second);
    if (!callbacks?.delete(callback) || callbacks.size > 0) return;
    this.due.delete(second);
    // The timer may stay set for an emptied second: it then finds nothing due and sets itself for the next.
  }

  private arm(second: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.armedFor = second;
    // setTimeout takes at most 2^31 - 1 ms; a later time re-arms when that passes.
    this.timer = setTimeout(() => this.fire(), Math.min(Math.max(0, second * 1000 - Date.now()), 2 ** 31 - 1));
    // Deadlines alone never keep the process alive.
    this.timer.unref();
  }

  private fire(): void {
    this.timer = null;
    this.armedFor = Infinity;
    const now = Date.now();
    let next = Infinity;
    for (const [second, callbacks] of this.due) {
      if (second * 1000 > now) {
        next = Math.min(next, second);
        continue;
      }
      this.due.delete(second);
      for (const callback of callbacks) callback();
    }
    if (next !== Infinity && next < this.armedFor) this.arm(next);
  }
}
