import type { OrderRow, StatusChangeRow } from '../src/data/rows';
import type { OrderStatus } from '../src/domain/order-lifecycle';
import { historyOfRow, isAsOf, orderAsOf } from '../src/domain/order-as-of';

const statuses: OrderStatus[] = ['PENDING', 'CONFIRMED', 'PREPARING', 'READY_FOR_PICKUP'];
// Written in id order; the third change's transaction began first, so its `at` is the earliest.
const history: StatusChangeRow[] = statuses.map((status, index) => ({
  id: String(10 + index),
  orderId: 'o1',
  status,
  reason: null,
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, index === 2 ? 0 : index + 1)),
}));
const row = (status: OrderStatus): OrderRow => ({
  id: 'o1',
  customerId: 'c1',
  shopId: 's1',
  status,
  totalCents: 100,
  deliveryAddress: '1 Main St',
  courierId: null,
  createdAt: history[0]!.at,
  updatedAt: history[0]!.at,
});
const names = (changes: readonly StatusChangeRow[]) => changes.map((change) => change.status);

describe('an order as of one of its changes', () => {
  it('shows that change and the history up to it, by the order the changes were written', () => {
    const asOf = orderAsOf(row('READY_FOR_PICKUP'), history, 3);
    expect(asOf.status).toBe('PREPARING');
    expect(isAsOf(asOf) && names(asOf.historyAsOf)).toEqual(['PENDING', 'CONFIRMED', 'PREPARING']);
  });

  it('is the order as it is now for a change its history does not hold', () => {
    const now = row('READY_FOR_PICKUP');
    expect(orderAsOf(now, history, 9)).toBe(now);
  });
});

describe('the history of an order row', () => {
  it('ends at the change that set the status the row shows, when a later one committed between the two reads', () => {
    expect(names(historyOfRow(row('CONFIRMED'), history))).toEqual(['PENDING', 'CONFIRMED']);
  });

  it('is the whole history when the row is up to date', () => {
    expect(names(historyOfRow(row('READY_FOR_PICKUP'), history))).toEqual(statuses);
  });
});
