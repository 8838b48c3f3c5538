import type { FormattedExecutionResult } from 'graphql';

/** One resolution of a shared subscription, as every subscriber of it receives it. */
export interface Delivery {
  /** Already formatted (errors masked) for clients: the same for every subscriber. */
  result: FormattedExecutionResult;
  /** The result as JSON, computed once for all subscribers. */
  serialized: string;
  /** Which resolution of its shared subscription this was (they count up from 1). */
  resolution: number;
  /** The field's `@liveUntil` says this value ends the stream: it is the last one sent. */
  final?: boolean;
  /** Which change of the entity it shows, when the owning subgraph said. */
  sequence?: number;
}

/**
 * Results a slow client may have waiting; past it the oldest are dropped. A
 * live payload is the entity's state, so a client that catches up loses only
 * intermediate states, never the latest.
 */
const backlogLimit = 100;

/**
 * One subscriber's stream: its own current state first, then what its shared
 * subscription delivers, in order. It is an async iterator with `return()`,
 * which every transport calls when the client completes or goes away (even
 * before the first `next()`); that is what leaves the shared subscription.
 */
export class LiveStream implements AsyncIterableIterator<FormattedExecutionResult> {
  private readonly backlog: Delivery[] = [];
  private wake: (() => void) | null = null;
  private finished = false;
  private initial: Delivery | null = null;
  /** Resolutions that started before the current state was read show nothing newer, unless their sequence says so (newer). */
  private skipThrough = 0;
  /** The latest change this subscriber was sent (its current state's, at first), when the owning subgraph said. */
  private sentSequence: number | undefined;
  /** The last result sent, so that a change to fields the client did not select sends nothing. */
  private lastSent: string | null = null;
  private final: FormattedExecutionResult | null = null;
  /** Handed a result that ends the stream (@liveUntil): it ends once that result is out, taking nothing more. */
  private closing = false;
  /** Set by writeTo: results go straight there, serialized once per shared resolution. */
  private sink: ((serialized: string) => void) | null = null;
  private readonly endCallbacks: (() => void)[] = [];

  /** Runs `callback` when the stream ends (at once if it has): leaving its shared subscription, say. */
  onEnd(callback: () => void): void {
    if (this.finished) callback();
    else this.endCallbacks.push(callback);
  }

  /**
   * The current state, to be sent first; `resolution` is the shared
   * subscription's count when it was read. A `final` one (an order already
   * delivered, say) is sent once and ends the stream.
   */
  setInitial(result: FormattedExecutionResult, resolution: number, final = false, sequence?: number): void {
    this.initial = { result, serialized: JSON.stringify(result), resolution };
    this.skipThrough = resolution;
    this.sentSequence = sequence;
    if (final) this.closing = true;
  }

  /**
   * Sends every result to `sink` as JSON instead of yielding it, and lets
   * next() resolve only when the stream ends. With thousands of subscribers
   * on one change, this spares each of them a promise, an object and a
   * JSON.stringify of its own: the WebSocket transport frames the one string.
   */
  writeTo(sink: (serialized: string) => void): void {
    this.sink = sink;
  }

  deliver(delivery: Delivery): void {
    if (this.finished || this.final || this.closing) return;
    // A final result older than the current state ends nothing: that state came after it.
    if (delivery.final && this.newer(delivery)) this.closing = true;
    // Straight to the socket once the current state is out; until then, in order behind it.
    if (this.sink && this.initial === null && this.backlog.length === 0) {
      this.send(delivery);
      if (this.closing) this.wake?.();
      return;
    }
    if (this.backlog.length >= backlogLimit) this.backlog.shift();
    this.backlog.push(delivery);
    this.wake?.();
  }

  /** Sends `result` after what is already waiting, then ends (an expired token, say). */
  end(result: FormattedExecutionResult): void {
    if (this.finished) return;
    this.final = result;
    this.wake?.();
  }

  async next(): Promise<IteratorResult<FormattedExecutionResult>> {
    if (this.sink) return this.writeAll(this.sink);
    if (this.initial) {
      const { result, serialized } = this.initial;
      this.initial = null;
      this.lastSent = serialized;
      return { value: result, done: false };
    }
    for (;;) {
      while (!this.finished && !this.final && !this.closing && this.backlog.length === 0) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = null;
      }
      if (this.finished) return { value: undefined, done: true };
      const delivery = this.backlog.shift();
      if (!delivery && this.closing && !this.final) return this.return();
      if (!delivery) {
        const final = this.final!;
        await this.return();
        return { value: final, done: false };
      }
      if (!this.fresh(delivery)) continue;
      this.sent(delivery);
      return { value: delivery.result, done: false };
    }
  }

  /** Whether a delivery shows the client something new: not older than its current state, not what it has. */
  private fresh(delivery: Delivery): boolean {
    return this.newer(delivery) && delivery.serialized !== this.lastSent;
  }

  /**
   * Where the delivery and what this subscriber was last sent both say which
   * change they show, that decides: a change already sent is not sent again,
   * and a resolution that started before the current state was read may still
   * have read later (it waited, or was retried). Otherwise only what started
   * after the current state was read can be newer.
   */
  private newer(delivery: Delivery): boolean {
    if (delivery.sequence !== undefined && this.sentSequence !== undefined && delivery.sequence !== this.sentSequence) {
      return delivery.sequence > this.sentSequence;
    }
    return delivery.resolution > this.skipThrough;
  }

  private send(delivery: Delivery): void {
    if (!this.fresh(delivery)) return;
    this.sent(delivery);
    this.sink!(delivery.serialized);
  }
  private sent(delivery: Delivery): void {
    this.lastSent = delivery.serialized;
    if (delivery.sequence !== undefined) this.sentSequence = Math.max(this.sentSequence ?? delivery.sequence, delivery.sequence);
  }


  /** Direct mode: the current state and what waits behind it, then every delivery as it comes, until the end. */
  private async writeAll(sink: (serialized: string) => void): Promise<IteratorResult<FormattedExecutionResult>> {
    if (this.initial) {
      this.lastSent = this.initial.serialized;
      sink(this.initial.serialized);
      this.initial = null;
    }
    for (let delivery = this.backlog.shift(); delivery; delivery = this.backlog.shift()) this.send(delivery);
    while (!this.finished && !this.final && !this.closing) {
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
      // Deliveries that arrived before direct writing began wait in the backlog; they go first.
      for (let delivery = this.backlog.shift(); delivery; delivery = this.backlog.shift()) this.send(delivery);
    }
    if (this.final && !this.finished) {
      for (let delivery = this.backlog.shift(); delivery; delivery = this.backlog.shift()) this.send(delivery);
      sink(JSON.stringify(this.final));
    }
    await this.return();
    return { value: undefined, done: true };
  }

  async return(): Promise<IteratorResult<FormattedExecutionResult>> {
    if (!this.finished) {
      this.finished = true;
      this.backlog.length = 0;
      this.wake?.();
      for (const callback of this.endCallbacks.splice(0)) callback();
    }
    return { value: undefined, done: true };
  }

  async throw(error: unknown): Promise<IteratorResult<FormattedExecutionResult>> {
    await this.return();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
