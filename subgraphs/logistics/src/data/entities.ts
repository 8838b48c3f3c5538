import { EntitySchema } from 'typeorm';
import type { PositionRow, ShipmentRow } from './rows';

// EntitySchema rather than decorators: rows stay plain interfaces, and no
// decorator metadata is needed at run time.
export const ShipmentEntity = new EntitySchema<ShipmentRow>({
  name: 'Shipment',
  tableName: 'shipments',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    orderId: { type: 'uuid', name: 'order_id' },
    status: { type: 'text' },
    deliveryAddress: { type: 'text', name: 'delivery_address' },
    courierId: { type: 'uuid', name: 'courier_id', nullable: true },
    eta: { type: 'timestamptz', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at', createDate: true },
    updatedAt: { type: 'timestamptz', name: 'updated_at', updateDate: true },
  },
});

export const PositionEntity = new EntitySchema<PositionRow>({
  name: 'Position',
  tableName: 'positions',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    shipmentId: { type: 'uuid', name: 'shipment_id' },
    lat: { type: 'double precision' },
    lng: { type: 'double precision' },
    at: { type: 'timestamptz' },
  },
});

export const entities = [ShipmentEntity, PositionEntity];
