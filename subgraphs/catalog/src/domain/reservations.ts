import type { EntityManager } from 'typeorm';
import { domainEvent, ignoreStep, type EventEnvelope, type OrderPlaced, type SagaStep } from '@commerce/events';
import { claimReservation, lockReservation, setReservationStatus } from '../data/reservation-repository';
import type { ReservationLine, StockRow } from '../data/rows';
import { addStock, lockStock } from '../data/stock-repository';
import { stockChangeEvents, type StockChangeReason } from '../events/published';
import { findShortage, mergeLines } from './shortage';


/** Applies `lines` to stock (locked by the caller) and describes each product's change. */
async function changeStock(
  manager: EntityManager,
  lines: readonly ReservationLine[],
  before: readonly StockRow[],
  reason: StockChangeReason,
  orderId: string,
): Promise<EventEnvelope[]> {
  const previous = new Map(before.map((row) => [row.productId, row.stock]));
  const after = await addStock(manager, lines);
  return after
    .sort((a, b) => a.productId.localeCompare(b.productId))
    .flatMap((row) => stockChangeEvents({ ...row, previousStock: previous.get(row.productId)! }, reason, orderId));
}

/**
 * Reserves stock for every item of a placed order, or for none: the product
 * rows are locked in id order and checked before any is changed, all in the
 * caller's transaction, so concurrent orders can neither oversell nor deadlock.
 * An order that already has a reservation row (a redelivery, or cancelled
 * before it was placed) reserves nothing.
 */
export async function reserveStock(manager: EntityManager, order: OrderPlaced): Promise<SagaStep> {
  const lines = mergeLines(order.items);
  const claimed = await claimReservation(manager, order.orderId, 'RESERVED', lines);
  if (!claimed) return ignoreStep('the order already has a reservation (handled, or cancelled first)');
  const stock = await lockStock(manager, lines.map((line) => line.productId));
  const shortage = findShortage(lines, stock, order.shopId);
  if (shortage) {
    await setReservationStatus(manager, order.orderId, 'REJECTED');
    return { events: [domainEvent('inventory.rejected', order.orderId, { orderId: order.orderId, ...shortage })] };
  }
  const taken = lines.map((line) => ({ productId: line.productId, quantity: -line.quantity }));
  const changes = await changeStock(manager, taken, stock, 'RESERVED', order.orderId);
  return { events: [domainEvent('inventory.reserved', order.orderId, { orderId: order.orderId, items: lines }), ...changes] };
}

/** Puts a RESERVED order's stock back, once: the reservation becomes RELEASED. */
async function release(manager: EntityManager, orderId: string): Promise<SagaStep> {
  const reservation = await lockReservation(manager, orderId);
  if (!reservation) return ignoreStep('the order has no reservation');
  if (reservation.status !== 'RESERVED') return ignoreStep(`the reservation is ${reservation.status}`);
  const stock = await lockStock(manager, reservation.items.map((line) => line.productId));
  await setReservationStatus(manager, orderId, 'RELEASED');
  return { events: await changeStock(manager, reservation.items, stock, 'RELEASED', orderId) };
}

/** The payment was declined: the held stock goes back on sale. */
export function releaseAfterDecline(manager: EntityManager, orderId: string): Promise<SagaStep> {
  return release(manager, orderId);
}

/**
 * The order was cancelled: held stock goes back on sale. When the cancellation
 * overtakes `order.placed`, a CANCELLED reservation is recorded instead, so
 * the late `order.placed` finds it and reserves nothing.
 */
export async function releaseAfterCancel(manager: EntityManager, orderId: string): Promise<SagaStep> {
  const tombstone = await claimReservation(manager, orderId, 'CANCELLED', []);
  if (tombstone) return ignoreStep('cancelled before it was placed; recorded so nothing will be reserved');
  return release(manager, orderId);
}
