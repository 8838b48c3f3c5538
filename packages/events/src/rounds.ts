/**
 * Background work done in rounds, one at a time: the first `firstAfterMs`
 * after start, the next `intervalMs` after each one ends, and whenever asked
 * (`request`). The outbox relay and event retention are both such schedules.
 */
export interface RoundsOptions<T> {
  /** One round. A failure is the round's to report; the schedule only goes on. */
  round(): Promise<T>;
  /** What a request answers once stopped. */
  idle: T;
  firstAfterMs: number;
  intervalMs: number;
  /**
   * A request made while a round runs: `join` it (its answer is as good), or
   * `follow` it with one more round, for work that may have arrived after the
   * running round looked (every request until that round starts shares it).
   */
  whileRunning: 'join' | 'follow';
}

export class Rounds<T> {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<T> | null = null;
  /** A round requested to follow the running one, not yet started. */
  private next: Promise<T> | null = null;
  private stoppedFlag = false;

  constructor(private readonly options: RoundsOptions<T>) {}

  /** Starts the schedule. */
  start(): this {
    this.schedule(this.options.firstAfterMs);
    return this;
  }

  /** Set by stop(): a round in progress checks it to end early, between units of its work. */
  get stopped(): boolean {
    return this.stoppedFlag;
  }

  /** A round now (or the one it joins or follows), with its answer; `idle` once stopped. */
  request(): Promise<T> {
    if (this.stoppedFlag) return Promise.resolve(this.options.idle);
    // Checked before `running`: a round that has just ended is no longer running while the one
    // following it waits to start, and a round begun then would run beside that one.
    if (this.next) return this.next;
    if (!this.running) return this.begin();
    if (this.options.whileRunning === 'join') return this.running;
    this.next = this.running
      .catch(() => undefined)
      .then(() => {
        this.next = null;
        return this.begin();
      });
    return this.next;
  }

  /** Starts a round at once: its first step runs before request() returns. */
  private begin(): Promise<T> {
    const round = this.options.round();
    this.running = round;
    const clear = () => {
      if (this.running === round) this.running = null;
    };
    round.then(clear, clear);
    return round;
  }

  /** Ends the schedule and waits for the rounds already requested. */
  async stop(): Promise<void> {
    this.stoppedFlag = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.running || this.next) await Promise.allSettled([this.running, this.next]);
  }

  private schedule(delayMs: number): void {
    if (this.stoppedFlag) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.request()
        .catch(() => undefined)
        .then(() => this.schedule(this.options.intervalMs));
    }, delayMs);
  }
}
