import { domainEvent, type EventEnvelope } from '@commerce/events';
import type { ShipmentRow, ShipmentStatus } from '../data/rows';

/**
 * What logistics announces after a shipment changed from `previousStatus`
 * (null: just opened): always `shipment.updated` (live tracking), and when
 * it was picked up or delivered just now, the event orders moves the order
 * on. Every event is keyed by the order id, so the outbox keeps them in order
 * with the rest of the order's saga.
 */
export function shipmentChangeEvents(shipment: ShipmentRow, previousStatus: ShipmentStatus | null): EventEnvelope[] {
  const { orderId, id: shipmentId, courierId } = shipment;
  const events: EventEnvelope[] = [];
  const became = (status: ShipmentStatus) => shipment.status === status && previousStatus !== status;
  if (courierId !== null && became('PICKED_UP')) {
    events.push(domainEvent('shipment.picked_up', orderId, { orderId, shipmentId, courierId }));
  }
  if (courierId !== null && became('DELIVERED')) {
    events.push(domainEvent('shipment.delivered', orderId, { orderId, shipmentId, courierId }));
  }
  events.push(domainEvent('shipment.updated', orderId, { orderId, shipmentId, status: shipment.status, courierId }));
  return events;
}
