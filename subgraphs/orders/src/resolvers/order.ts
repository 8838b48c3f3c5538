import type { OrderItemResolvers, OrderResolvers, OrderStatusChangeResolvers } from '../__generated__/resolvers-types';
import { historyOfRow, isAsOf } from '../domain/order-as-of';
import { mayRead } from './readable';

export const Order: OrderResolvers = {
  // The gateway asks with the caller's identity, so a reference resolves only
  // to an order that caller may read; anything else is null, as for an unknown id.
  __resolveReference: async (reference, { identity, loaders }) => {
    const order = await loaders.order.load(reference.id);
    if (!order || !identity) return null;
    return (await mayRead(loaders, identity, order)) ? order : null;
  },
  customer: (order) => ({ id: order.customerId }),
  shop: (order) => ({ id: order.shopId }),
  items: (order, _args, { loaders }) => loaders.items.load(order.id),
  history: async (order, _args, { loaders }) => (isAsOf(order) ? order.historyAsOf : historyOfRow(order, await loaders.history.load(order.id))),
  createdAt: (order) => order.createdAt.toISOString(),
};

export const OrderItem: OrderItemResolvers = {
  product: (item) => ({ id: item.productId }),
};

export const OrderStatusChange: OrderStatusChangeResolvers = {
  at: (change) => change.at.toISOString(),
};
