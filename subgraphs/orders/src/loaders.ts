import { loaderByKey, loaderOfLists } from '@commerce/service-kit';
import type { CatalogReadModelRepository } from './data/catalog-read-model-repository';
import type { OrderRepository } from './data/order-repository';

/** Fresh per request, so batching never leaks data between callers. */
export function createLoaders(orders: OrderRepository, catalog: CatalogReadModelRepository) {
  return {
    order: loaderByKey((ids: readonly string[]) => orders.findByIds(ids), (row) => row.id),
    items: loaderOfLists((ids: readonly string[]) => orders.itemsOf(ids), (row) => row.orderId),
    history: loaderOfLists((ids: readonly string[]) => orders.historyOf(ids), (row) => row.orderId),
    ordersOfCustomer: loaderOfLists((ids: readonly string[]) => orders.ofCustomers(ids), (row) => row.customerId),
    ordersOfShop: loaderOfLists((ids: readonly string[]) => orders.ofShops(ids), (row) => row.shopId),
    shop: loaderByKey((ids: readonly string[]) => catalog.shopsByIds(ids), (row) => row.shopId),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
