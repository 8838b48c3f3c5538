import { domainEvent, type EventEnvelope } from '@commerce/events';
import type { ChangedOrder } from '../data/rows';
import type { OrderStatus } from '../domain/order-lifecycle';

/**
 * What orders announces when an order moves from `from` (null: just placed)
 * to its current status: always `order.status_changed`, and for the moves
 * other subgraphs act on, the event they listen for (logistics opens a
 * shipment on `order.ready_for_pickup`; catalog, payments and logistics undo
 * their part on `order.cancelled`; payments captures on `order.delivered`).
 */
export function statusChangeEvents(from: OrderStatus | null, { order, sequence }: ChangedOrder, reason: string | null): EventEnvelope[] {
  const orderId = order.id;
  const events: EventEnvelope[] = [
    domainEvent('order.status_changed', orderId, {
      orderId,
      customerId: order.customerId,
      shopId: order.shopId,
      from,
      to: order.status,
      reason,
      sequence,
    }),
  ];
  switch (order.status) {
    case 'READY_FOR_PICKUP':
      events.push(
        domainEvent('order.ready_for_pickup', orderId, {
          orderId,
          shopId: order.shopId,
          customerId: order.customerId,
          deliveryAddress: order.deliveryAddress,
        }),
      );
      break;
    case 'CANCELLED':
      events.push(domainEvent('order.cancelled', orderId, { orderId, previousStatus: from ?? 'PENDING', reason: reason ?? 'Cancelled' }));
      break;
    case 'DELIVERED':
      events.push(domainEvent('order.delivered', orderId, { orderId }));
      break;
    default:
      break;
  }
  return events;
}
