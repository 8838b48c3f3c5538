import { GraphQLError } from 'graphql';
import { forbidden, gatewayServed, isRecord, notFound, requireIdentity } from '@commerce/service-kit';
import type { Context } from '../context';
import type { InventoryChangeMessage, LowStockMessage } from '../events/live-messages';
import type { InventoryChangeResolvers, SubscriptionLowStockArgs, SubscriptionResolvers } from '../__generated__/resolvers-types';

const inventoryChangeFields = { productId: 'string', shopId: 'string', previousStock: 'number', stock: 'number', reason: 'string', at: 'string' } as const;
const lowStockFields = { productId: 'string', shopId: 'string', stock: 'number', threshold: 'number', at: 'string' } as const;

/** The root value comes from the gateway's extensions, so its shape is checked, not assumed. */
function checked<T>(message: unknown, fields: Record<string, 'string' | 'number'>, what: string): T {
  const candidate = isRecord(message) ? message : {};
  for (const [field, type] of Object.entries(fields)) {
    if (typeof candidate[field] !== type) throw new GraphQLError(`The ${what} message has no valid ${field}`);
  }
  return candidate as T;
}

/** Stock alerts are the shop's business: its owner's and admins'. */
async function watchLowStock({ shopId }: SubscriptionLowStockArgs, { identity, loaders }: Context): Promise<void> {
  const caller = requireIdentity(identity);
  const shop = await loaders.shop.load(shopId);
  if (!shop) throw notFound('Shop', shopId);
  if (caller.role !== 'ADMIN' && shop.ownerId !== caller.userId.toLowerCase()) throw forbidden("Only the shop's owner sees its stock alerts");
}

/**
 * The gateway owns the streams (graphql-ws, Redis fan-out); this subgraph is
 * asked whether each subscriber may have one, then once per published
 * change, with the message as the root value.
 */
export const Subscription: SubscriptionResolvers = {
  // Stock is as public as `Product.stock`, so anyone may subscribe.
  inventoryChanged: {
    subscribe: gatewayServed(),
    resolve: (message: unknown) => checked<InventoryChangeMessage>(message, inventoryChangeFields, 'inventory change'),
  },
  lowStock: {
    subscribe: gatewayServed(watchLowStock),
    // Checked on every alert too: the caller's rights can change mid-stream.
    resolve: async (message: unknown, args: SubscriptionLowStockArgs, context: Context) => {
      await watchLowStock(args, context);
      const { productId, stock, threshold, at } = checked<LowStockMessage>(message, lowStockFields, 'low-stock');
      const product = await context.loaders.product.load(productId);
      // The shop is checked on the product itself, so no message can alert another shop's owner.
      if (!product || product.shopId !== args.shopId) throw notFound('Product', productId);
      return { product, stock, threshold, at };
    },
  },
};

export const InventoryChange: InventoryChangeResolvers = {
  product: async (change, _args, { loaders }) => {
    const product = await loaders.product.load(change.productId);
    if (!product) throw notFound('Product', change.productId);
    return product;
  },
};
