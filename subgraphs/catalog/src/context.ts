import type { BaseSubgraphContext } from '@commerce/service-kit';
import type { CatalogService } from './domain/catalog-service';
import type { CatalogRepositories } from './data/repositories';
import type { Loaders } from './loaders';

export interface Context extends BaseSubgraphContext {
  loaders: Loaders;
  repositories: CatalogRepositories;
  catalog: CatalogService;
}
