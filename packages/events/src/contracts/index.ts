import type { z } from 'zod';
import { productChanged, shopChanged } from './catalog';
import { inventoryChanged, inventoryLowStock, inventoryRejected, inventoryReserved } from './inventory';
import { shipmentDelivered, shipmentPickedUp, shipmentUpdated } from './logistics';
import { orderCancelled, orderDelivered, orderPlaced, orderReadyForPickup, orderStatusChanged } from './orders';
import { paymentAuthorized, paymentDeclined, paymentSettled } from './payments';

/**
 * The catalogue of event types: routing key → payload validator. Consumers
 * validate every payload before acting; an invalid one is a poison message.
 * docs/events.md lists each type's producer and consumers.
 */
export const eventContracts = {
  'catalog.shop.changed': shopChanged,
  'catalog.product.changed': productChanged,
  'order.placed': orderPlaced,
  'order.ready_for_pickup': orderReadyForPickup,
  'order.cancelled': orderCancelled,
  'order.delivered': orderDelivered,
  'order.status_changed': orderStatusChanged,
  'inventory.reserved': inventoryReserved,
  'inventory.rejected': inventoryRejected,
  'inventory.changed': inventoryChanged,
  'inventory.low_stock': inventoryLowStock,
  'payment.authorized': paymentAuthorized,
  'payment.declined': paymentDeclined,
  'payment.settled': paymentSettled,
  'shipment.picked_up': shipmentPickedUp,
  'shipment.delivered': shipmentDelivered,
  'shipment.updated': shipmentUpdated,
} as const;

export type EventType = keyof typeof eventContracts;
export type PayloadOf<T extends EventType> = z.infer<(typeof eventContracts)[T]>;

export * from './catalog';
export * from './inventory';
export * from './logistics';
export * from './orders';
export * from './payments';
