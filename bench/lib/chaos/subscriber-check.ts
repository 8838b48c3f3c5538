import { invariant, type Invariant } from './invariants';
import type { InventoryWatch, OrderWatch, Segment } from './subscribers';

/**
 * What every orderUpdated subscriber received, against the order's status
 * history in the orders database (H, in the order the changes were written).
 * An order's statuses never repeat, so each message's `status` has one place
 * in H: the check needs no clock. The rules, per watch (one subscriber, one
 * order, possibly over several subscriptions after lost sockets or errors):
 *
 * 1. Every status received is in H.
 * 2. Within one subscription (a segment: from `subscribe` to complete, error
 *    or a lost socket), from its first status to the furthest one it reached,
 *    every status of H in between arrives: none skipped.
 * 3. The first message of a later segment (after a reconnect, or after a
 *    Redis restart, when the gateway resends the current state since live
 *    messages published while Redis was away are lost) is the current
 *    state: no earlier in H than the furthest status seen before. It may jump
 *    (what changed while disconnected is summed up in the current state), and
 *    from there rule 2 holds again, so every later change arrives.
 * 4. The final status of H arrives.
 *
 * Also counted, as observations that do not fail the run: a status arriving
 * after a later one within a subscription (every status still arrives, rule
 * 2, but out of order: a payment's or shipment's message names only the order
 * and is resolved to the order as it is by then, while a status change's
 * message is resolved as of that change, so a status change whose message is
 * resolved after a later one shows up late); messages whose
 * `history` is not a prefix of H ending at their `status` (the orders subgraph
 * reads the order and its history in separate statements, so a change
 * committed in between shows in one and not the other); error payloads (a
 * subgraph replica killed while the gateway resolved a message: the change
 * it carried is lost, so the subscriber subscribes again for the current
 * state, and rule 3 applies); and streams
 * the gateway completed before the final status (when reading the current
 * state failed) or that sent nothing 30 s after `subscribe` (not even the
 * current state), after either of which the subscriber subscribes again, as a
 * careful client would; and streams never completed after the final status (the
 * gateway's closing re-read of the current state failed). The rules above say whether a subscriber lost anything by them.
 */
export function checkOrderWatches(
  watches: OrderWatch[],
  histories: Map<string, string[]>,
  /** When Redis went down: live messages published while it was away are lost, and the gateway resends the current state, so a subscription's messages after one are held to rule 3, as after a reconnect. */
  resyncs: number[],
): { invariants: Invariant[]; observations: Invariant[]; stats: Record<string, number> } {
  const unknown: string[] = [];
  const backwards: string[] = [];
  const skipped: string[] = [];
  const stale: string[] = [];
  const unfinished: string[] = [];
  const torn: string[] = [];
  const errors: string[] = [];
  const early: string[] = [];
  const leftOpen: string[] = [];
  const stats: Record<string, number> = { watches: watches.length, messages: 0, resubscribed: 0, resynced: 0, repeats: 0 };
  for (const watch of watches) {
    const truth = histories.get(watch.orderId);
    const who = `subscriber ${watch.subscriber} on order ${watch.orderId}`;
    if (!truth) {
      unknown.push(`${who}: the order is not in the orders database`);
      continue;
    }
    const full = truth.join('>');
    let seen = -1;
    watch.segments.forEach((segment: Segment, index) => {
      if (index > 0) stats.resubscribed! += 1;
      if (segment.errorPayloads.length) errors.push(`${who}, segment ${index + 1}: ${segment.errorPayloads.length} error payload(s), first ${segment.errorPayloads[0]}`);
      if (segment.end === 'error' && segment.error) errors.push(`${who}, segment ${index + 1}: subscription error ${segment.error}`);
      if (segment.end === 'silent') early.push(`${who}, segment ${index + 1}: no current state within 30 s of subscribing (error payloads aside); subscribed again`);
      if (segment.end === 'complete-early') early.push(`${who}, segment ${index + 1}: completed after ${segment.messages.map((m) => m.split('|')[1]).join(', ') || 'no status'}${segment.errorPayloads.length ? ` and ${segment.errorPayloads.length} error payload(s)` : ''}; subscribed again`);
      let previous: number | null = null;
      let first: number | null = null;
      let reached = new Set<number>();
      const checkComplete = () => {
        if (first === null) return;
        const start = first;
        const furthest = Math.max(...reached);
        const missing = truth.slice(start, furthest + 1).filter((_, offset) => !reached.has(start + offset));
        if (missing.length) skipped.push(`${who}, segment ${index + 1}: received ${segment.messages.map((m) => m.split('|')[1]).join(', ')}, missing ${missing.join(', ')} (history ${full})`);
      };
      segment.messages.forEach((message, at) => {
        if (at > 0 && resyncs.some((time) => segment.times[at - 1]! < time && time <= segment.times[at]!)) {
          checkComplete();
          stats.resynced! += 1;
          previous = null;
          first = null;
          reached = new Set<number>();
        }
        stats.messages! += 1;
        const [history = '', status = ''] = message.split('|');
        if (history !== truth.slice(0, truth.indexOf(status) + 1).join('>')) torn.push(`${who}: status ${status} came with history ${history} (the history is ${full})`);
        const place = truth.indexOf(status);
        if (place < 0) {
          unknown.push(`${who}: received status ${status}, not in its history ${full}`);
          return;
        }
        if (previous === null) {
          first = place;
          if (place < seen) stale.push(`${who}: after a reconnect the first message was ${status}, older than ${truth[seen]} seen before (history ${full}; segment ${index + 1} on gateway ${segment.gateway + 1} got ${segment.messages.map((m) => m.split('|')[1]).join(', ')} at +${segment.times.map((t) => t - segment.subscribedAt).join(', +')} ms and ${segment.errorPayloads.length} error payload(s); the one before ended ${watch.segments[index - 1]?.end ?? 'with a resync'})`);
        } else if (place < previous) {
          backwards.push(`${who}: received ${status} after ${truth[previous]} (history ${full})`);
        } else if (place === previous) stats.repeats! += 1;
        reached.add(place);
        previous = place;
        seen = Math.max(seen, place);
      });
      checkComplete();
    });
    const last = watch.segments.at(-1);
    const state = last ? (last.end ?? 'open') : 'never subscribed';
    stats[`ended ${state}`] = (stats[`ended ${state}`] ?? 0) + 1;
    if (seen !== truth.length - 1) unfinished.push(`${who}: stream ${state} with the furthest status seen ${truth[seen] ?? 'none'}, but the history is ${full}`);
    else if (last?.end !== 'complete') leftOpen.push(`${who}: received the final ${truth[seen]}, but the stream was ${state} at the end of the run`);
  }
  const total = `${watches.length} watches, ${stats.messages} messages`;
  return {
    invariants: [
      invariant('orderUpdated sends only statuses the order had', total, unknown),
      invariant('orderUpdated skips no status', `${total}: within a subscription every status from its first to its furthest`, skipped),
      invariant('orderUpdated resubscription starts at the current state', `${stats.resubscribed} resubscriptions: the first message no older than what was seen before`, stale),
      invariant('orderUpdated delivers the final status', `${watches.length} watches: the furthest status received is the order's final one`, unfinished),
    ],
    observations: [
      invariant('orderUpdated statuses arriving after a later one (none lost)', `${total}, within each subscription`, backwards),
      invariant('orderUpdated messages whose history does not end at their status', total, torn),
      invariant('orderUpdated error payloads and subscription errors', total, errors),
      invariant('orderUpdated streams completed before the final status, or silent 30 s after subscribing (the subscriber subscribed again)', total, early),
      invariant('orderUpdated streams left open after the final status (never completed by the gateway)', `${watches.length} watches`, leftOpen),
    ],
    stats,
  };
}

/**
 * inventoryChanged sends changes only, with no current state on subscribing,
 * so a change made while a subscriber was reconnecting is by contract not
 * sent again. What is checked: no message shows stock below zero, and after
 * the faults, with everyone connected, the probe (one restock of every
 * product) reaches every subscriber with the stock the database then holds.
 */
export function checkInventoryWatches(
  watches: InventoryWatch[],
  probe: { stock: Map<string, number> },
): { invariants: Invariant[]; observations: Invariant[]; stats: Record<string, number> } {
  const negative: string[] = [];
  const missed: string[] = [];
  const errors: string[] = [];
  let messages = 0;
  for (const watch of watches) {
    const latestRestock = new Map<string, number>();
    for (const segment of watch.segments) {
      if (segment.errorPayloads.length) errors.push(`inventory subscriber ${watch.subscriber}: ${segment.errorPayloads.length} error payload(s), first ${segment.errorPayloads[0]}`);
      if (segment.end === 'error' && segment.error) errors.push(`inventory subscriber ${watch.subscriber}: subscription error ${segment.error}`);
      for (const message of segment.messages) {
        messages += 1;
        const [productId = '', previous, stock, reason] = message.split('|');
        if (Number(stock) < 0 || Number(previous) < 0) negative.push(`inventory subscriber ${watch.subscriber}: ${message}`);
        if (reason === 'RESTOCKED') latestRestock.set(productId, Number(stock));
      }
    }
    for (const [productId, stock] of probe.stock) {
      const got = latestRestock.get(productId);
      if (got !== stock) missed.push(`inventory subscriber ${watch.subscriber}: product ${productId} restocked to ${stock}, last restock seen ${got ?? 'none'}`);
    }
  }
  const total = `${watches.length} subscribers, ${messages} messages`;
  return {
    invariants: [
      invariant('inventoryChanged never shows stock below zero', total, negative),
      invariant('inventoryChanged delivers every change after recovery', `${total}: the final restock of ${probe.stock.size} products reached every subscriber with the database's stock`, missed),
    ],
    observations: [invariant('inventoryChanged error payloads and subscription errors', total, errors)],
    stats: { subscribers: watches.length, messages },
  };
}
