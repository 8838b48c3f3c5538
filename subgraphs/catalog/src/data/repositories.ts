import type { DataSource } from 'typeorm';
import { categoryRepository } from './category-repository';
import { productRepository } from './product-repository';
import { shopRepository } from './shop-repository';
import { noHooks, type WriteHooks } from './write-hooks';

/**
 * Catalog's data access. The subgraph and the seed script both write through
 * these, so a seeded shop or product announces itself through the outbox just
 * like one created over GraphQL.
 */
export function catalogRepositories(db: DataSource, hooks: WriteHooks = noHooks) {
  return {
    shops: shopRepository(db, hooks),
    categories: categoryRepository(db),
    products: productRepository(db, hooks),
  };
}

export type CatalogRepositories = ReturnType<typeof catalogRepositories>;
