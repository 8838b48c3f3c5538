import { forbidden, requireIdentity } from '@commerce/service-kit';
import type { QueryResolvers } from '../__generated__/resolvers-types';
import { canReadOrdersOfShop } from '../domain/order-access';
import { mayRead } from './readable';

export const Query: QueryResolvers = {
  order: async (_root, { id }, { identity, loaders }) => {
    const caller = requireIdentity(identity);
    const order = await loaders.order.load(id);
    if (!order) return null;
    if (!(await mayRead(loaders, caller, order))) throw forbidden('This order is not yours');
    return order;
  },
  myOrders: (_root, _args, { identity, loaders }) => loaders.ordersOfCustomer.load(requireIdentity(identity).userId),
  shopOrders: async (_root, { shopId }, { identity, loaders }) => {
    const caller = requireIdentity(identity);
    const shop = await loaders.shop.load(shopId);
    if (!canReadOrdersOfShop(caller, shop?.ownerId ?? null)) throw forbidden('Only the shop owner sees its orders');
    return loaders.ordersOfShop.load(shopId);
  },
};
