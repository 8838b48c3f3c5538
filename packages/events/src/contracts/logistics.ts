import { z } from 'zod';

const id = z.string().uuid();

/** logistics → orders (OUT_FOR_DELIVERY): the courier has the order. */
export const shipmentPickedUp = z.object({ orderId: id, shipmentId: id, courierId: id });
export type ShipmentPickedUp = z.infer<typeof shipmentPickedUp>;

/** logistics → orders (DELIVERED): the courier handed the order over. */
export const shipmentDelivered = z.object({ orderId: id, shipmentId: id, courierId: id });
export type ShipmentDelivered = z.infer<typeof shipmentDelivered>;

/** logistics → subscribers: a shipment changed (assignment, position, ETA), for live tracking. */
export const shipmentUpdated = z.object({
  orderId: id,
  shipmentId: id,
  status: z.enum(['WAITING_FOR_COURIER', 'ASSIGNED', 'PICKED_UP', 'DELIVERED', 'CANCELLED']),
  courierId: id.nullable(),
});
export type ShipmentUpdated = z.infer<typeof shipmentUpdated>;
