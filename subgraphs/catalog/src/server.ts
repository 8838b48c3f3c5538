import path from 'node:path';
import { readSchema, type SubgraphModule } from '@commerce/service-kit';
import { catalogService } from './domain/catalog-service';
import { config } from './config';
import type { Context } from './context';
import { entities } from './data/entities';
import { migrations } from './data/migrations';
import { catalogRepositories } from './data/repositories';
import { createLoaders } from './loaders';
import { resolvers } from './resolvers';
import { live } from './events/live';
import { sagaEventTypes, sagaHandler, sagaQueue } from './events/saga';

export const catalogSubgraph: SubgraphModule<Context> = {
  ...config,
  typeDefs: readSchema(path.join(__dirname, '../schema.graphql')),
  entities,
  migrations,
  outbox: true,
  build({ dataSource, outbox }) {
    const repositories = catalogRepositories(dataSource, { onCommitted: () => outbox.notify() });
    const catalog = catalogService(repositories);
    return {
      resolvers,
      context: () => ({ loaders: createLoaders(repositories), repositories, catalog }),
    };
  },
  consumers: ({ dataSource, logger }) => [{ queue: sagaQueue, bindings: sagaEventTypes, handle: sagaHandler(dataSource, logger) }],
  live,
};

export { catalogRepositories, type CatalogRepositories } from './data/repositories';
export { catalogService, type CatalogService } from './domain/catalog-service';
export type { CategoryRow, ProductRow, ReservationRow, ShopRow } from './data/rows';
