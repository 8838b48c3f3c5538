import { forbidden, requireIdentity } from '@commerce/service-kit';
import type { UserResolvers } from '../__generated__/resolvers-types';
import { canReadOrdersOf } from '../domain/order-access';

export const User: UserResolvers = {
  orders: (user, _args, { identity, loaders }) => {
    const caller = requireIdentity(identity);
    if (!canReadOrdersOf(caller, user.id)) throw forbidden('Orders are private');
    return loaders.ordersOfCustomer.load(user.id);
  },
};
