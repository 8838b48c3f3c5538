import type { Position, ShipmentResolvers } from '../__generated__/resolvers-types';
import type { PositionRow } from '../data/rows';

const toPosition = (row: PositionRow): Position => ({ lat: row.lat, lng: row.lng, at: row.at.toISOString() });

export const Shipment: ShipmentResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.shipment.load(reference.id),
  // Key-only references: orders and users resolve the rest of these entities.
  order: (shipment) => ({ id: shipment.orderId }),
  courier: (shipment) => (shipment.courierId ? { id: shipment.courierId } : null),
  eta: (shipment) => shipment.eta?.toISOString() ?? null,
  position: async (shipment, _args, { loaders }) => {
    const latest = await loaders.latestPosition.load(shipment.id);
    return latest && toPosition(latest);
  },
};
