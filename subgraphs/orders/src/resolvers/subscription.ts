import { forbidden, gatewayServed, notFound, reportLiveSequence, requireIdentity } from '@commerce/service-kit';
import type { SubscriptionOrderPlacedArgs, SubscriptionOrderUpdatedArgs, SubscriptionResolvers } from '../__generated__/resolvers-types';
import type { Context } from '../context';
import { asPlacedOrder, sequenceOf } from '../events/live-messages';
import { canReadOrdersOfShop } from '../domain/order-access';
import { historyOfRow, isAsOf, orderAsOf } from '../domain/order-as-of';
import { mayRead } from './readable';

/** NOT_FOUND and FORBIDDEN (rather than null as `order` answers) let the gateway refuse the stream. */
async function readableOrder({ orderId }: SubscriptionOrderUpdatedArgs, { identity, loaders }: Context) {
  const caller = requireIdentity(identity);
  const order = await loaders.order.load(orderId);
  if (!order) throw notFound('Order', orderId);
  if (!(await mayRead(loaders, caller, order))) throw forbidden('This order is not yours');
  return order;
}

/** The shop's new orders are for those who may read its orders: its owner and admins. */
async function watchShopOrders({ shopId }: SubscriptionOrderPlacedArgs, { identity, loaders }: Context): Promise<void> {
  const caller = requireIdentity(identity);
  const shop = await loaders.shop.load(shopId);
  if (!shop) throw notFound('Shop', shopId);
  if (!canReadOrdersOfShop(caller, shop.ownerId)) throw forbidden("Only the shop's owner sees its new orders");
}

/**
 * The gateway owns the streams (graphql-ws, Redis fan-out); this subgraph is
 * asked whether each subscriber may have one, then once per published
 * message, with the message as the root value. Every message is checked
 * against the subscriber again: the caller's rights can change mid-stream.
 */
export const Subscription: SubscriptionResolvers = {
  orderUpdated: {
    subscribe: gatewayServed(async (args: SubscriptionOrderUpdatedArgs, context: Context) => {
      await readableOrder(args, context);
    }),
    // A status change's message names the change: the order as of it, so no status is skipped.
    // The gateway is told which change the answer shows, so it can resolve any it then misses.
    resolve: async (message: unknown, args: SubscriptionOrderUpdatedArgs, context: Context) => {
      const order = await readableOrder(args, context);
      const history = await context.loaders.history.load(order.id);
      const sequence = sequenceOf(message);
      const shown = sequence === null ? order : orderAsOf(order, history, sequence);
      reportLiveSequence(context, isAsOf(shown) ? shown.historyAsOf.length : historyOfRow(order, history).length);
      return shown;
    },
  },
  orderPlaced: {
    subscribe: gatewayServed(watchShopOrders),
    resolve: async (message: unknown, args: SubscriptionOrderPlacedArgs, context: Context) => {
      await watchShopOrders(args, context);
      const { orderId } = asPlacedOrder(message);
      const order = await context.loaders.order.load(orderId);
      // The shop is checked on the order itself, so no message can show an order to another shop's owner.
      if (!order || order.shopId !== args.shopId) throw notFound('Order', orderId);
      return order;
    },
  },
};
