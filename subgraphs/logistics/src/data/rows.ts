/** Every state a shipment can be in; the migration's CHECK constraint lists the same values. */
export const shipmentStatuses = ['WAITING_FOR_COURIER', 'ASSIGNED', 'PICKED_UP', 'DELIVERED', 'CANCELLED'] as const;
export type ShipmentStatus = (typeof shipmentStatuses)[number];

/** A shipment as the repositories return it: a plain object, never a TypeORM instance. */
export interface ShipmentRow {
  id: string;
  /** One shipment per order, enforced by a unique index. */
  orderId: string;
  status: ShipmentStatus;
  /** Where the courier takes it, copied from the order when it became ready for pickup. */
  deliveryAddress: string;
  /** The users-subgraph id of the courier carrying it; null until one is assigned. */
  courierId: string | null;
  eta: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A point a courier reported for a shipment. */
export interface PositionRow {
  id: string;
  shipmentId: string;
  lat: number;
  lng: number;
  at: Date;
}
