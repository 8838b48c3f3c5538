import type { EntityManager } from 'typeorm';
import { appendEvents } from '@commerce/events';
import type { OrderRepository } from '../data/order-repository';
import type { OrderRow } from '../data/rows';
import { statusChangeEvents } from '../events/published';
import type { OrderStatus } from './order-lifecycle';
import { config } from '../config';

export interface OrderMove {
  /** The order as the caller last saw it; the move applies only if it is still in this status. */
  order: OrderRow;
  to: OrderStatus;
  reason: string | null;
  /** The courier now carrying the order, on pickup. */
  courierId?: string;
}

/**
 * The one way an order changes status, for people and the saga alike: the
 * status, its history row and the events announcing it commit together in
 * `manager`'s transaction. Null when the order had already left
 * `move.order.status`; nothing is written then.
 */
export async function moveOrder(manager: EntityManager, orders: OrderRepository, move: OrderMove): Promise<OrderRow | null> {
  const from = move.order.status;
  const changed = await orders.changeStatus(manager, {
    orderId: move.order.id,
    from,
    to: move.to,
    reason: move.reason,
    ...(move.courierId === undefined ? {} : { courierId: move.courierId }),
  });
  if (!changed) return null;
  await appendEvents(manager, config.name, statusChangeEvents(from, changed, move.reason));
  return changed.order;
}
