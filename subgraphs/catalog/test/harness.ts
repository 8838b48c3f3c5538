import { randomUUID } from 'node:crypto';
import type { EventBus } from '@commerce/events';
import type { Identity } from '@commerce/service-kit';
import { startIsolatedSubgraph, type GraphQLResponse, type IsolatedSubgraph } from '@commerce/service-kit/testing';
import { catalogRepositories, catalogSubgraph, type CatalogRepositories } from '../src/server';

export interface Catalog {
  subgraph: IsolatedSubgraph;
  url: string;
  /** Writes through the same code path as the subgraph (events included), for fast setup. */
  repositories: CatalogRepositories;
  /** Sends an operation as `caller` (null: anonymous), as the gateway would. */
  call<T = NonNullable<GraphQLResponse['data']>>(caller: Identity | null, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  count(table: 'shops' | 'products' | 'categories' | 'outbox'): Promise<number>;
  stop(): Promise<void>;
}

/** The catalog subgraph on port 0 over a fresh database of its own. */
export async function startCatalog(bus?: EventBus): Promise<Catalog> {
  const subgraph = await startIsolatedSubgraph(catalogSubgraph, bus);
  return {
    subgraph,
    url: subgraph.url,
    repositories: catalogRepositories(subgraph.dataSource),
    call: (caller, query, variables) => subgraph.call(caller, query, variables),
    count: async (table) => Number((await subgraph.dataSource.query(`SELECT count(*) AS n FROM catalog.${table}`))[0].n),
    stop: () => subgraph.stop(),
  };
}

export const shopOwner = (): Identity => ({ userId: randomUUID(), role: 'SHOP_OWNER' });
export const customer = (): Identity => ({ userId: randomUUID(), role: 'CUSTOMER' });
export const admin = (): Identity => ({ userId: randomUUID(), role: 'ADMIN' });

export const createShop = `mutation ($input: CreateShopInput!) { createShop(input: $input) { id name lowStockThreshold owner { id } } }`;
export const createProduct = `mutation ($input: CreateProductInput!) {
  createProduct(input: $input) { id name description priceCents stock shop { id } category { id name } }
}`;
export const restockProduct = `mutation ($productId: ID!, $quantity: Int!) { restockProduct(productId: $productId, quantity: $quantity) { id stock } }`;

export const updateProduct = `mutation ($input: UpdateProductInput!) {
  updateProduct(input: $input) { id name description priceCents stock }
}`;

export const unknownId = '00000000-0000-0000-0000-000000000000';

/** Polls `check` until it returns true or `timeoutMs` passes. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
