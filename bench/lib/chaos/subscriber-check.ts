import { invariant, type Invariant } from './invariants';
import type { InventoryWatch, OrderWatch, Segment } from './subscribers';

/**
 * What every orderUpdated subscriber received, against the order's status
 * history in the orders database (H, oldest first). Each message carries the
 * order's history up to that change, so each is a prefix of H: a message is
 * placed exactly, and a subscriber's view can be compared with the truth
 * without any clock. The rules, per watch (one subscriber, one order):
 *
 * 1. Every message is a prefix of H, and its status is the prefix's last
 *    (nothing invented, nothing out of date inside one message).
 * 2. Within one subscription (a segment: from `subscribe` to complete, error
 *    or a lost socket) each message's prefix is as long as the one before or
 *    one longer: never shorter (an older state after a newer one) and never
 *    two longer (a status skipped). Equal is allowed: a change that is not a
 *    status change (payment, shipment), or the current state and a change
 *    that raced with it.
 * 3. The first message of a later segment (after a reconnect) is the current
 *    state: as long as, or longer than, the last one seen before. It may jump
 *    (changes while disconnected are summed up in the current state), but then
 *    rule 2 holds again, so every later change arrives.
 * 4. A watch ends with the server completing the stream after a message that
 *    is the whole of H (the final status), and no segment may end otherwise
 *    except by a lost socket or an error it recovered from.
 */
export function checkOrderWatches(watches: OrderWatch[], histories: Map<string, string[]>): { invariants: Invariant[]; stats: Record<string, number> } {
  const inconsistent: string[] = [];
  const skipped: string[] = [];
  const stale: string[] = [];
  const unfinished: string[] = [];
  const errors: string[] = [];
  let messages = 0;
  let resubscribed = 0;
  let repeats = 0;
  for (const watch of watches) {
    const truth = histories.get(watch.orderId);
    const who = `subscriber ${watch.subscriber} on order ${watch.orderId}`;
    if (!truth) {
      inconsistent.push(`${who}: the order is not in the orders database`);
      continue;
    }
    const full = truth.join('>');
    let seen = 0;
    watch.segments.forEach((segment: Segment, index) => {
      if (index > 0) resubscribed += 1;
      if (segment.errorPayloads.length) errors.push(`${who}, segment ${index + 1}: ${segment.errorPayloads.length} error payload(s), first ${segment.errorPayloads[0]}`);
      let previous: number | null = null;
      for (const message of segment.messages) {
        messages += 1;
        const [history = '', status] = message.split('|');
        const prefix = history === '' ? [] : history.split('>');
        if (prefix.some((value, i) => truth[i] !== value) || prefix.at(-1) !== status) {
          inconsistent.push(`${who}: received ${history} (status ${status}) but the history is ${full}`);
          break;
        }
        if (previous === null) {
          if (prefix.length < seen) stale.push(`${who}: after a reconnect the first message was ${history}, older than ${truth.slice(0, seen).join('>')} seen before`);
        } else if (prefix.length < previous) {
          inconsistent.push(`${who}: received ${history} after ${truth.slice(0, previous).join('>')}`);
        } else if (prefix.length > previous + 1) {
          skipped.push(`${who}: went from ${truth[previous - 1]} to ${status}, skipping ${truth.slice(previous, prefix.length - 1).join(', ')} (history ${full})`);
        } else if (prefix.length === previous) repeats += 1;
        previous = prefix.length;
        seen = Math.max(seen, prefix.length);
      }
      if (segment.end === 'error' && segment.error) errors.push(`${who}, segment ${index + 1}: subscription error ${segment.error}`);
    });
    const last = watch.segments.at(-1);
    if (!last || last.end !== 'complete') unfinished.push(`${who}: stream ${last ? `ended ${last.end}` : 'never subscribed'} without completing (history ${full}, last seen ${truth.slice(0, seen).join('>') || 'nothing'})`);
    else if (seen !== truth.length || last.messages.at(-1)?.split('|')[0] !== full) unfinished.push(`${who}: completed after ${last.messages.at(-1) ?? 'no message'} but the history is ${full}`);
  }
  const total = `${watches.length} watches, ${messages} messages`;
  return {
    invariants: [
      invariant('orderUpdated messages match the order history', `${total}: every message a prefix of the history, never an older state after a newer one`, inconsistent),
      invariant('orderUpdated skips no status', `${total}: within a subscription each status follows the one before`, skipped),
      invariant('orderUpdated resubscription starts at the current state', `${resubscribed} resubscriptions: the first message no older than what was seen before`, stale),
      invariant('orderUpdated streams end at the final status', `${watches.length} watches: completed by the server right after the final status`, unfinished),
      invariant('orderUpdated carries no errors', `${total}: no error payloads or subscription errors`, errors),
    ],
    stats: { watches: watches.length, messages, resubscribed, repeats },
  };
}

/**
 * inventoryChanged sends changes only, with no current state on subscribing,
 * so a change made while a subscriber was reconnecting is by contract not
 * sent again. What is checked: no message shows stock below zero, and after
 * the faults, with everyone connected, the probe (one restock of every
 * product) reaches every subscriber with the stock the database then holds.
 */
export function checkInventoryWatches(watches: InventoryWatch[], probe: { since: number; stock: Map<string, number> }): { invariants: Invariant[]; stats: Record<string, number> } {
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
      invariant('inventoryChanged carries no errors', total, errors),
    ],
    stats: { subscribers: watches.length, messages },
  };
}
