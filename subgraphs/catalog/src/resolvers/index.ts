import type { Resolvers } from '../__generated__/resolvers-types';
import { InventoryChange, Subscription } from './subscription';

/** Thin: unpack arguments, call a loader or the catalog service, return. */
export const resolvers: Resolvers = {
  Query: {
    shops: (_root, _args, { repositories }) => repositories.shops.list(),
    shop: (_root, { id }, { loaders }) => loaders.shop.load(id),
    product: (_root, { id }, { loaders }) => loaders.product.load(id),
    products: (_root, args, { catalog }) => catalog.productPage(args),
    categories: (_root, _args, { repositories }) => repositories.categories.list(),
  },
  Mutation: {
    createShop: (_root, { input }, { identity, catalog }) => catalog.createShop(identity, input),
    createProduct: (_root, { input }, { identity, catalog }) => catalog.createProduct(identity, input),
    restockProduct: (_root, { productId, quantity }, { identity, catalog }) =>
      catalog.restockProduct(identity, productId, quantity),
    updateProduct: (_root, { input }, { identity, catalog }) => catalog.updateProduct(identity, input),
  },
  Subscription,
  InventoryChange,
  Shop: {
    __resolveReference: (reference, { loaders }) => loaders.shop.load(reference.id),
    // Users are resolved by the users subgraph; a key is all catalog knows.
    owner: (shop) => ({ id: shop.ownerId }),
    products: (shop, _args, { loaders }) => loaders.productsOfShop.load(shop.id),
  },
  Product: {
    __resolveReference: (reference, { loaders }) => loaders.product.load(reference.id),
    shop: async (product, _args, { loaders }) => {
      const shop = await loaders.shop.load(product.shopId);
      // The foreign key makes this unreachable; fail loudly rather than return a broken entity.
      if (!shop) throw new Error(`Product ${product.id} has no shop ${product.shopId}`);
      return shop;
    },
    category: (product, _args, { loaders }) => (product.categoryId ? loaders.category.load(product.categoryId) : null),
  },
};
