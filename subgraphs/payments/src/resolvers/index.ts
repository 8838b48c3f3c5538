import type { Resolvers } from '../__generated__/resolvers-types';

export const resolvers: Resolvers = {
  Payment: {
    __resolveReference: (reference, { loaders }) => loaders.payment.load(reference.id),
    updatedAt: (payment) => payment.updatedAt.toISOString(),
  },
  Order: {
    payment: (order, _args, { loaders }) => loaders.paymentByOrder.load(order.id),
  },
};
