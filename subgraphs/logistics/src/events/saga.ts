/**
 * # logistics in the saga (steps 7 and 9 of the order saga)
 *
 * - `order.ready_for_pickup` opens the order's shipment, WAITING_FOR_COURIER,
 *   with the delivery address; one per order however often the event comes.
 * - `order.cancelled` cancels a shipment no courier has picked up yet
 *   (WAITING_FOR_COURIER or ASSIGNED). orders refuses to cancel after pickup,
 *   so a PICKED_UP or DELIVERED shipment is left alone.
 *
 * Both are handled at most once per event id (the inbox). Both events come
 * from orders' outbox in order, but a retried `order.ready_for_pickup` may
 * still land after the cancellation; a cancellation of an order that was
 * ready for pickup therefore leaves a CANCELLED shipment behind, which the
 * late event then finds instead of opening a shipment nobody should take.
 * With replicas the two events can also be handled at the same moment by two
 * consumers; the unique order_id serializes them, and a cancellation that
 * loses the insert cancels the shipment the other one opened.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { appendEvents, handleOnce, type EventEnvelope, type KnownEvent } from '@commerce/events';
import type { Logger } from '@commerce/service-kit';
import { shipmentRepository, type ShipmentRepository } from '../data/shipment-repository';
import { shipmentChangeEvents } from './published';
import { config } from '../config';

export const sagaQueue = 'logistics.saga';

/** The order events logistics reacts to; also the bindings of its queue. */
export const sagaEventTypes = ['order.ready_for_pickup', 'order.cancelled'] as const;

async function apply(manager: EntityManager, shipments: ShipmentRepository, logger: Logger, event: KnownEvent): Promise<void> {
  const context = { eventId: event.id, type: event.type };
  switch (event.type) {
    case 'order.ready_for_pickup': {
      const { orderId, deliveryAddress } = event.payload;
      const opened = await shipments.openShipment(manager, { orderId, deliveryAddress });
      if (!opened) {
        logger.debug({ ...context, orderId }, 'The order has a shipment already; ignored');
        return;
      }
      await appendEvents(manager, config.name, shipmentChangeEvents(opened, null));
      return;
    }
    case 'order.cancelled': {
      const { orderId, previousStatus } = event.payload;
      let shipment = await shipments.lockByOrderId(manager, orderId);
      if (!shipment) {
        // Only an order that was ready for pickup can still have an order.ready_for_pickup on its way.
        if (previousStatus !== 'READY_FOR_PICKUP') return;
        const placeholder = await shipments.openShipment(manager, { orderId, deliveryAddress: '', status: 'CANCELLED' });
        if (placeholder) return;
        // Another replica opened the shipment in a transaction our first read
        // could not see yet; the insert waited for its commit, so it is visible now.
        shipment = await shipments.lockByOrderId(manager, orderId);
        if (!shipment) throw new Error(`Shipment of order ${orderId} conflicted on insert but cannot be read`);
      }
      if (shipment.status !== 'WAITING_FOR_COURIER' && shipment.status !== 'ASSIGNED') {
        logger.warn({ ...context, orderId, status: shipment.status }, 'Cancellation of a shipment past pickup; ignored');
        return;
      }
      const cancelled = await shipments.changeIf(manager, shipment.id, [shipment.status], { status: 'CANCELLED' });
      await appendEvents(manager, config.name, shipmentChangeEvents(cancelled!, shipment.status));
      return;
    }
    default:
      // Not bound to this queue; acknowledged so a misrouted event cannot block it.
      return;
  }
}

/** Applies one order event, at most once per event id. */
export function sagaHandler(dataSource: DataSource, logger: Logger): (event: EventEnvelope) => Promise<void> {
  const shipments = shipmentRepository(dataSource);
  return handleOnce(dataSource, config.name, 'logistics.saga', (event, manager) => apply(manager, shipments, logger, event));
}
