import type { OrderRow, StatusChangeRow } from '../data/rows';

/**
 * An order as it was right after one of its status changes: that change's
 * status, and its history up to and including it. Live subscribers are shown
 * it so that every status reaches them, even one that a later change had
 * already replaced when the gateway asked.
 */
export interface OrderAsOf extends OrderRow {
  historyAsOf: StatusChangeRow[];
}

export function isAsOf(order: OrderRow): order is OrderAsOf {
  return 'historyAsOf' in order;
}

/**
 * The order as of the `sequence`-th change of `history`. Changes are counted
 * in the order they were written, which is their id order (each one held the
 * order's row until it committed); their `at` is when the writing transaction
 * began, which can disagree.
 */
export function orderAsOf(order: OrderRow, history: readonly StatusChangeRow[], sequence: number): OrderRow {
  const written = [...history].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  const change = written[sequence - 1];
  // A change the history does not hold cannot be shown; the order now is the closest truth.
  if (!change) return order;
  const historyAsOf = history.filter((row) => BigInt(row.id) <= BigInt(change.id));
  const asOf: OrderAsOf = { ...order, status: change.status, updatedAt: change.at, historyAsOf };
  return asOf;
}
