import { forbidden, notFound, requireIdentity } from '@commerce/service-kit';
import type { SubscriptionOrderUpdatedArgs, SubscriptionResolvers } from '../__generated__/resolvers-types';
import type { Context } from '../context';
import { mayRead } from './readable';

/**
 * The gateway owns the stream (graphql-ws, Redis fan-out); this subgraph is
 * asked once per change, with the published message as the root value, for
 * the order as the subscriber may see it. Asking for NOT_FOUND and FORBIDDEN
 * (rather than null as `order` answers) lets the gateway refuse the stream.
 */
export const Subscription: SubscriptionResolvers = {
  orderUpdated: {
    subscribe: () => {
      throw new Error('orderUpdated is served by the gateway');
    },
    resolve: async (_message: unknown, { orderId }: SubscriptionOrderUpdatedArgs, { identity, loaders }: Context) => {
      const caller = requireIdentity(identity);
      const order = await loaders.order.load(orderId);
      if (!order) throw notFound('Order', orderId);
      if (!(await mayRead(loaders, caller, order))) throw forbidden('This order is not yours');
      return order;
    },
  },
};
