import { requireRole } from '@commerce/service-kit';
import type { Position, Resolvers } from '../__generated__/resolvers-types';
import type { PositionRow } from '../data/rows';

const toPosition = (row: PositionRow): Position => ({ lat: row.lat, lng: row.lng, at: row.at.toISOString() });

export const resolvers: Resolvers = {
  Query: {
    myShipments: (_root, _args, { identity, shipments }) => {
      const courier = requireRole(identity, 'COURIER');
      return shipments.findByCourier(courier.userId);
    },
  },
  Shipment: {
    __resolveReference: (reference, { loaders }) => loaders.shipment.load(reference.id),
    // A key-only reference: the users subgraph resolves the courier's fields.
    courier: (shipment) => (shipment.courierId ? { id: shipment.courierId } : null),
    eta: (shipment) => shipment.eta?.toISOString() ?? null,
    position: async (shipment, _args, { loaders }) => {
      const latest = await loaders.latestPosition.load(shipment.id);
      return latest && toPosition(latest);
    },
  },
  Order: {
    shipment: (order, _args, { loaders }) => loaders.shipmentByOrder.load(order.id),
  },
};
