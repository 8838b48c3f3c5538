import { loaderByKey, loaderOfLists } from '@commerce/service-kit';
import type { CatalogRepositories } from './data/repositories';

/** Fresh per request, so batching never leaks data between callers. */
export function createLoaders({ shops, categories, products }: CatalogRepositories) {
  return {
    shop: loaderByKey((ids: readonly string[]) => shops.findByIds(ids), (row) => row.id),
    product: loaderByKey((ids: readonly string[]) => products.findByIds(ids), (row) => row.id),
    category: loaderByKey((ids: readonly string[]) => categories.findByIds(ids), (row) => row.id),
    productsOfShop: loaderOfLists((shopIds: readonly string[]) => products.ofShops(shopIds), (row) => row.shopId),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
