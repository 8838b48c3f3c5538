import { requireRole } from '@commerce/service-kit';
import type { QueryResolvers } from '../__generated__/resolvers-types';

export const Query: QueryResolvers = {
  myShipments: (_root, _args, { identity, shipments }) => shipments.findByCourier(requireRole(identity, 'COURIER').userId),
  availableShipments: (_root, _args, { identity, shipments }) => {
    requireRole(identity, 'COURIER');
    return shipments.waitingForCourier();
  },
};
