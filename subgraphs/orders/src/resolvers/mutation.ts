import { requireIdentity, requireRole } from '@commerce/service-kit';
import type { MutationResolvers } from '../__generated__/resolvers-types';

export const Mutation: MutationResolvers = {
  placeOrder: (_root, { input }, { identity, orders }) => orders.placeOrder(requireRole(identity, 'CUSTOMER'), input),
  cancelOrder: (_root, { id }, { identity, orders }) => orders.changeStatus(requireIdentity(identity), id, 'CANCELLED'),
  updateOrderStatus: (_root, { id, status }, { identity, orders }) =>
    orders.changeStatus(requireIdentity(identity), id, status),
};
