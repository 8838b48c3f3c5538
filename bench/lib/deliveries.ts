import type { Receipts } from './subscriber-clients';
import { latencyOf, type Latency } from './subscriptions-report';

export interface DeliveryCheck {
  /** Events published, numbered 0..events-1. */
  events: number;
  /** When each event was published (wall clock, ms); NaN for one never published. */
  publishedAt: Float64Array;
  /** Subscribers that should receive event e. */
  audience(event: number): number;
  /**
   * The event a `next` payload for `subscriber` announces; 'current' for the
   * current state a subscription sends on subscribing (not an event); null
   * when it is not what that subscriber should see.
   */
  eventOf(payload: unknown, subscriber: number): number | 'current' | null;
}

export interface Tally {
  expected: number;
  delivered: number;
  /** Payloads not as expected, repeated or out of order. */
  wrong: number;
  /** Events that reached at least one subscriber. */
  eventsReached: number;
  /** Per event, publish → the first of its subscribers. */
  firstClient: Latency;
  /** Per event every subscriber of it received, publish → the last of them. */
  lastClient: Latency;
  /** Publish → receipt, every delivery. */
  allDeliveries: Latency;
}

/**
 * Checks every receipt and times it against its event's publish. Each
 * distinct message text is parsed once; per subscriber, events must come in
 * publish order, once each.
 */
export function tally(receipts: Receipts, check: DeliveryCheck): Tally {
  const payloads = receipts.texts.map((text) => (JSON.parse(text) as { payload?: unknown }).payload);
  const { events, publishedAt } = check;
  const first = new Float64Array(events).fill(Infinity);
  const last = new Float64Array(events).fill(-Infinity);
  const reached = new Int32Array(events);
  const latest = new Map<number, number>();
  const all: number[] = [];
  let wrong = 0;
  receipts.forEach((subscriber, at, text) => {
    const event = check.eventOf(payloads[text], subscriber);
    if (event === 'current') return;
    const previous = latest.get(subscriber) ?? -1;
    if (event === null || event < 0 || event >= events || event <= previous || Number.isNaN(publishedAt[event]!)) {
      wrong += 1;
      return;
    }
    latest.set(subscriber, event);
    const latency = at - publishedAt[event]!;
    all.push(latency);
    if (latency < first[event]!) first[event] = latency;
    if (latency > last[event]!) last[event] = latency;
    reached[event]! += 1;
  });
  const firsts: number[] = [];
  const lasts: number[] = [];
  let expected = 0;
  for (let event = 0; event < events; event++) {
    const audience = check.audience(event);
    expected += audience;
    if (reached[event]! > 0) firsts.push(first[event]!);
    if (reached[event] === audience) lasts.push(last[event]!);
  }
  return {
    expected,
    delivered: all.length,
    wrong: wrong + receipts.overflow,
    eventsReached: firsts.length,
    firstClient: latencyOf(Float64Array.from(firsts)),
    lastClient: latencyOf(Float64Array.from(lasts)),
    allDeliveries: latencyOf(Float64Array.from(all)),
  };
}
