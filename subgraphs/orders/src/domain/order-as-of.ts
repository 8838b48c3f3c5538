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
 * The order as of the `sequence`-th change of `history`, which lists the
 * changes in the order they were written (id order: each one held the order's
 * row until it committed; their `at` is when the writing transaction began,
 * which can disagree).
 */
export function orderAsOf(order: OrderRow, history: readonly StatusChangeRow[], sequence: number): OrderRow {
  const change = history[sequence - 1];
  // A change the history does not hold cannot be shown; the order now is the closest truth.
  if (!change) return order;
  const asOf: OrderAsOf = { ...order, status: change.status, updatedAt: change.at, historyAsOf: history.slice(0, sequence) };
  return asOf;
}

/**
 * The history as far as `order` (its row) shows it. The row and the history
 * are read in separate statements, the history after the row, so a change
 * committed in between is in the history but not yet in the row's status:
 * cutting the history after the change that set that status keeps the two
 * telling one story. An order's statuses never repeat.
 */
export function historyOfRow(order: OrderRow, history: StatusChangeRow[]): StatusChangeRow[] {
  const end = history.findLastIndex((change) => change.status === order.status);
  return end < 0 ? history : history.slice(0, end + 1);
}
