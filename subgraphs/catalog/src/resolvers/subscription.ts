import { GraphQLError } from 'graphql';
import { notFound } from '@commerce/service-kit';
import type { InventoryChangeMessage } from '../data/rows';
import type { InventoryChangeResolvers, SubscriptionResolvers } from '../__generated__/resolvers-types';

const fields = { productId: 'string', shopId: 'string', previousStock: 'number', stock: 'number', reason: 'string', at: 'string' } as const;

/** The root value comes from the gateway's extensions, so its shape is checked, not assumed. */
function asInventoryChange(message: unknown): InventoryChangeMessage {
  const candidate = (typeof message === 'object' && message !== null ? message : {}) as Record<string, unknown>;
  for (const [field, type] of Object.entries(fields)) {
    if (typeof candidate[field] !== type) throw new GraphQLError(`The inventory change message has no valid ${field}`);
  }
  return candidate as unknown as InventoryChangeMessage;
}

/**
 * The gateway owns the stream (graphql-ws, Redis fan-out); it asks once per
 * published change, with the message as the root value.
 */
export const Subscription: SubscriptionResolvers = {
  inventoryChanged: {
    subscribe: () => {
      throw new Error('inventoryChanged is served by the gateway');
    },
    resolve: (message: unknown) => asInventoryChange(message),
  },
};

export const InventoryChange: InventoryChangeResolvers = {
  product: async (change, _args, { loaders }) => {
    const product = await loaders.product.load(change.productId);
    if (!product) throw notFound('Product', change.productId);
    return product;
  },
};
