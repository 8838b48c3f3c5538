import { setImmediate as nextTurn } from 'node:timers/promises';
import type { LivePubSub, Unsubscribe } from '@commerce/pubsub';
import type { Identity, Logger } from '@commerce/service-kit';
import type { LiveResult } from './live-until';
import { resolveInMessageTrace } from './message-trace';
import type { Delivery, LiveStream } from './stream';

export interface SharedSubscriptionSpec {
  channels: readonly string[];
  /** The message whose resolution is the current state (resent after the pub/sub reconnects); null for none. */
  initialEvent: object | null;
  /** Resolves the subscription's selection for one message, as `identity` may see it, formatted for clients, and whether it ends the stream. */
  resolve: (message: object, identity: Identity | null) => Promise<LiveResult>;
}

/**
 * Subscribers written to in one turn of the event loop. A socket write costs
 * about 10 µs, most of it in the kernel, so ten thousand subscribers would
 * hold every other connection and request of the instance for 100 ms; in
 * slices of this many, the others wait a few ms at most.
 */
const fanOutSlice = 500;

/**
 * How long a stream stays open after a resolution shows a final value (@liveUntil) before the
 * current state is read once more and, still final, ends it. A message that resolves to the
 * entity as it is now can run ahead of the changes still on their way (a shipment's update seen
 * after the order was delivered, before the order's own OUT_FOR_DELIVERY and DELIVERED
 * messages), and what follows a final status (a payment captured on delivery) comes shortly
 * after it: ending at once would lose both.
 */
export const finalSettleMs = 2_000;

/** Missing changes of one gap resolved at most; a wider one is more than lost messages, and the latest of it are what matter. */
const maxGapFilled = 20;

/**
 * Every subscriber of one subscription (same document, operation, variables
 * and, when the selection depends on the viewer, the same user) on this
 * gateway instance: one pub/sub subscription per channel and ONE resolution
 * per message, whatever the number of subscribers. Messages are resolved one
 * at a time in arrival order, so every subscriber sees changes in order.
 *
 * Each subscriber was authorized when it joined; a resolution runs as one of
 * them, which is sound because the result does not depend on who asks (that
 * is what shares it).
 */
export class SharedSubscription {
  private readonly subscribers = new Map<LiveStream, Identity | null>();
  private readonly queue: object[] = [];
  private draining = false;
  /** The delivery being written out to the subscribers; the next one starts when it is done. */
  private fanning: Promise<void> = Promise.resolve();
  private unsubscribes: Unsubscribe[] = [];
  /** Per channel, the highest `sequence` seen: a message at or below it is a redelivery or arrived late. */
  private readonly sequences = new Map<string, number>();
  /**
   * A change of the entity (its place in the owning subgraph's sequence, which
   * that subgraph reports with each answer) that every subscriber has been
   * shown, with every one before it: what comes later must start after it.
   */
  private shown: number | undefined;
  /** Resolutions started so far; a subscriber reading its current state skips those that started earlier. */
  resolutions = 0;
  private stopped = false;
  /** Armed while the latest resolution showed a final value; reset by every message, it reads the end. */
  private settle: NodeJS.Timeout | null = null;
  /** The next resolution is the settle timer's reading of the current state: a final value there ends the streams. */
  private closingCheck: object | null = null;
  readonly ready: Promise<void>;

  constructor(
    private readonly spec: SharedSubscriptionSpec,
    private readonly pubsub: LivePubSub,
    private readonly logger: Logger,
    private readonly onResolution: () => void,
    private readonly onEmpty: () => void,
  ) {
    this.ready = this.start();
  }

  get size(): number {
    return this.subscribers.size;
  }

  add(stream: LiveStream, identity: Identity | null): void {
    this.subscribers.set(stream, identity);
    stream.onEnd(() => this.remove(stream));
  }

  /**
   * A subscriber's current state, read outside the queue, showed the entity
   * at `sequence`; it may be behind what the others were shown (read before a
   * change they got). A later answer that skips past it fills the gap from
   * there, and each stream drops what it already has.
   */
  startsAt(sequence: number | undefined): void {
    if (sequence !== undefined) this.shown = Math.min(this.shown ?? sequence, sequence);
  }

  /** Messages were lost while the pub/sub was away: send everyone the current state. */
  resync(): void {
    if (this.spec.initialEvent) this.enqueue(this.spec.initialEvent);
  }

  /** Ends the pub/sub subscriptions and every subscriber's stream (their transports complete them). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.queue.length = 0;
    if (this.settle) clearTimeout(this.settle);
    for (const stream of [...this.subscribers.keys()]) void stream.return();
    await this.ready.catch(() => undefined);
    const unsubscribes = this.unsubscribes;
    this.unsubscribes = [];
    await Promise.all(unsubscribes.map((unsubscribe) => unsubscribe()));
  }

  private async start(): Promise<void> {
    try {
      for (const channel of this.spec.channels) {
        this.unsubscribes.push(await this.pubsub.subscribe(channel, (message) => this.receive(channel, message)));
      }
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  private remove(stream: LiveStream): void {
    if (!this.subscribers.delete(stream) || this.subscribers.size > 0) return;
    this.onEmpty();
    // Nobody awaits this, and a rejection nobody handles would end the process.
    this.stop().catch((error: unknown) => this.logger.error({ err: error }, 'a live subscription could not leave its channels'));
  }

  private receive(channel: string, message: unknown): void {
    if (typeof message !== 'object' || message === null) return;
    const sequence = (message as { sequence?: unknown }).sequence;
    if (typeof sequence === 'number') {
      if (sequence <= (this.sequences.get(channel) ?? -Infinity)) return;
      this.sequences.set(channel, sequence);
    }
    this.enqueue(message);
  }

  /** After a final value, waits for the messages still on their way; then the current state decides. */
  private armSettle(): void {
    if (this.settle) clearTimeout(this.settle);
    const current = this.spec.initialEvent;
    if (!current) return;
    this.settle = setTimeout(() => {
      this.settle = null;
      this.closingCheck = current;
      this.enqueue(current);
    }, finalSettleMs);
    this.settle.unref();
  }

  private enqueue(message: object): void {
    if (this.stopped) return;
    this.queue.push(message);
    if (!this.draining) void this.drain();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      for (let message = this.queue.shift(); message && !this.stopped; message = this.queue.shift()) {
        const resolved = await this.resolveOne(message);
        if (!resolved) continue;
        const { sequence } = resolved.live;
        if (sequence !== undefined && this.spec.initialEvent) {
          // A change's own message for a change already shown (it came late, or a gap was filled with it) is not sent again.
          if (this.shown !== undefined && sequence <= this.shown && sequenced(message)) continue;
          if (this.shown !== undefined && sequence > this.shown + 1) await this.fillGap(sequence);
          this.shown = Math.max(this.shown ?? sequence, sequence);
        }
        await this.deliver(message, resolved);
      }
    } finally {
      this.draining = false;
    }
  }

  /**
   * Changes between the last one shown and `next` that nobody was shown: their
   * messages were lost (a publisher died between its commit and its message)
   * or are still on their way behind a later one (they are dropped when they
   * come). Each is resolved from the current-state message with its sequence
   * added, which names that change, and sent before `next`: no subscriber
   * misses a status or sees one after a later one.
   */
  private async fillGap(next: number): Promise<void> {
    for (let missing = Math.max(this.shown! + 1, next - maxGapFilled); missing < next && !this.stopped; missing++) {
      const message = { ...this.spec.initialEvent, sequence: missing };
      const resolved = await this.resolveOne(message);
      // An error is sent, so that subscribers know a change may be missing; an answer showing another
      // change (the owning subgraph no longer has that one) has nothing to show for it.
      if (resolved && (resolved.live.sequence === missing || resolved.live.result.errors?.length)) await this.deliver(message, resolved);
      this.shown = missing;
    }
  }

  private async resolveOne(message: object): Promise<{ live: LiveResult; resolution: number } | null> {
    const resolution = ++this.resolutions;
    this.onResolution();
    try {
      return { live: await resolveInMessageTrace(message, (untraced) => this.spec.resolve(untraced, this.representative())), resolution };
    } catch (error) {
      this.logger.error({ err: error }, 'a live subscription could not resolve a message');
      return null;
    }
  }

  private async deliver(message: object, { live, resolution }: { live: LiveResult; resolution: number }): Promise<void> {
    const { result } = live;
    // Only the settle timer's reading of the current state ends the streams (finalSettleMs);
    // a final value from any other message arms that timer. Without a current-state message, it ends at once.
    const settled = message === this.closingCheck || !this.spec.initialEvent;
    if (message === this.closingCheck) this.closingCheck = null;
    const final = live.final && settled;
    // Every later message puts the end off again: more of the entity's changes are still coming.
    if (!settled && (live.final || this.settle)) this.armSettle();
    const delivery: Delivery = { result, serialized: JSON.stringify(result), resolution, final, sequence: live.sequence };
    // The next message resolves (mostly waiting on subgraphs) while this one is written out;
    // deliveries still go out one after another, so each subscriber sees them in order.
    await this.fanning;
    this.fanning = this.fanOut(delivery);
  }

  /**
   * Hands `delivery` to every subscriber, yielding to the event loop between
   * slices. The map is iterated live: one that leaves meanwhile is skipped,
   * one that joins meanwhile is reached, and its stream drops what is older
   * than its current state.
   */
  private async fanOut(delivery: Delivery): Promise<void> {
    let handed = 0;
    for (const stream of this.subscribers.keys()) {
      if (this.stopped) return;
      try {
        stream.deliver(delivery);
      } catch (error) {
        // One subscriber's failing sink must not cost the others this delivery.
        this.logger.error({ err: error }, 'a live subscription could not deliver a result');
      }
      if (++handed % fanOutSlice === 0) await nextTurn();
    }
  }

  /** Whom a resolution runs as: a signed-in subscriber if there is one (they may see what an anonymous one may). */
  private representative(): Identity | null {
    for (const identity of this.subscribers.values()) if (identity) return identity;
    return null;
  }
}

/** A message naming one change of its entity (it carries its sequence), rather than the entity as it is now. */
const sequenced = (message: object): boolean => typeof (message as { sequence?: unknown }).sequence === 'number';
