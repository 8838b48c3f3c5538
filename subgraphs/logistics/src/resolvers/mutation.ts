import { requireIdentity } from '@commerce/service-kit';
import type { MutationResolvers } from '../__generated__/resolvers-types';

export const Mutation: MutationResolvers = {
  acceptShipment: (_root, { id }, { identity, couriers }) => couriers.accept(requireIdentity(identity), id),
  pickUpShipment: (_root, { id }, { identity, couriers }) => couriers.pickUp(requireIdentity(identity), id),
  reportPosition: (_root, { shipmentId, lat, lng }, { identity, couriers }) =>
    couriers.reportPosition(requireIdentity(identity), shipmentId, lat, lng),
  deliverShipment: (_root, { id }, { identity, couriers }) => couriers.deliver(requireIdentity(identity), id),
};
