/**
 * # orders in the saga (steps 4 and 8 of the order saga)
 *
 * Other subgraphs decide what happens to a PENDING or shipped order; orders
 * records it:
 *
 * - `payment.authorized` → CONFIRMED;
 * - `inventory.rejected`, `payment.declined` → REJECTED, with the reason in the history;
 * - `shipment.picked_up` → OUT_FOR_DELIVERY, remembering the courier (who may
 *   then read the order);
 * - `shipment.delivered` → DELIVERED (and `order.delivered`, for payments to capture).
 *
 * Events arrive at least once and, across producers, in any order. Each one
 * is handled at most once (the inbox), and a move applies only if the
 * lifecycle still allows it as a `system` move from where the order is now:
 * an order already CANCELLED or REJECTED stays so, a duplicate finds the move
 * done. Neither throws, because a retry could not change the answer.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { handleOnceBatched, type EventEnvelope, type KnownEvent } from '@commerce/events';
import type { Logger } from '@commerce/service-kit';
import { orderRepository, type OrderRepository } from '../data/order-repository';
import { decideTransition, systemMover, type OrderStatus } from '../domain/order-lifecycle';
import { moveOrder } from '../domain/order-transitions';
import { config } from '../config';

export const sagaQueue = 'orders.saga';

/** The saga events orders reacts to; also the bindings of its queue. */
export const sagaEventTypes = [
  'inventory.rejected',
  'payment.authorized',
  'payment.declined',
  'shipment.picked_up',
  'shipment.delivered',
] as const;

interface Step {
  to: OrderStatus;
  reason: string | null;
  courierId?: string;
}

/**
 * The moves an event asks for, in order. A delivery whose pickup event has
 * not been seen (it is being retried) implies the pickup, so the order still
 * passes through OUT_FOR_DELIVERY and its history stays whole.
 */
export function stepsFor(event: KnownEvent): Step[] {
  switch (event.type) {
    case 'payment.authorized':
      return [{ to: 'CONFIRMED', reason: null }];
    case 'inventory.rejected':
      return [{ to: 'REJECTED', reason: `Not enough stock (${event.payload.reason})` }];
    case 'payment.declined':
      return [{ to: 'REJECTED', reason: `Payment declined (${event.payload.reason})` }];
    case 'shipment.picked_up':
      return [{ to: 'OUT_FOR_DELIVERY', reason: null, courierId: event.payload.courierId }];
    case 'shipment.delivered':
      return [
        { to: 'OUT_FOR_DELIVERY', reason: null, courierId: event.payload.courierId },
        { to: 'DELIVERED', reason: null },
      ];
    default:
      return [];
  }
}

function orderIdOf(event: KnownEvent): string | null {
  const payload: object = event.payload;
  return 'orderId' in payload && typeof payload.orderId === 'string' ? payload.orderId : null;
}

async function applySteps(
  manager: EntityManager,
  orders: OrderRepository,
  logger: Logger,
  event: KnownEvent,
): Promise<void> {
  const steps = stepsFor(event);
  const orderId = orderIdOf(event);
  if (steps.length === 0 || orderId === null) return;
  const context = { eventId: event.id, type: event.type, orderId };
  let order = await orders.lockById(manager, orderId);
  if (!order) {
    // orders publishes order.placed only after the order commits, so no saga event can precede it.
    logger.warn(context, 'Saga event for an unknown order; ignored');
    return;
  }
  for (const step of steps) {
    if (order.status === step.to) continue;
    if (decideTransition(order.status, step.to, systemMover) !== 'allowed') {
      logger.debug({ ...context, status: order.status, to: step.to }, 'Saga event no longer applies; ignored');
      break;
    }
    // The row is locked, so the order is still where we read it and the move applies.
    order = (await moveOrder(manager, orders, { order, ...step }))!;
  }
}

/** Applies one saga event, at most once per event id. */
export function sagaHandler(dataSource: DataSource, logger: Logger): (event: EventEnvelope) => Promise<void> {
  const orders = orderRepository(dataSource);
  return handleOnceBatched(dataSource, config.name, 'orders.saga', (event, manager) => applySteps(manager, orders, logger, event));
}
