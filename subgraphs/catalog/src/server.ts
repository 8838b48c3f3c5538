import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import { databaseHealth, type SubgraphModule } from '@commerce/service-kit';
import { catalogService } from './catalog-service';
import type { Context } from './context';
import { entities } from './data/entities';
import { migrations } from './data/migrations';
import { catalogRepositories } from './data/repositories';
import { inventoryLivePublisher } from './live/publisher';
import { createLoaders } from './loaders';
import { resolvers } from './resolvers';
import { catalogSagaBindings, catalogSagaHandler, catalogSagaQueue } from './saga/consumer';

export const typeDefs = parse(readFileSync(path.join(__dirname, '../schema.graphql'), 'utf8'));

export const catalogSubgraph: SubgraphModule<Context> = {
  name: 'catalog',
  defaultPort: 4002,
  entities,
  migrations,
  outbox: true,
  build({ dataSource, logger, outbox }) {
    const repositories = catalogRepositories(dataSource, { onCommitted: () => outbox.notify() });
    const catalog = catalogService(repositories);
    return {
      name: 'catalog',
      typeDefs,
      resolvers,
      logger,
      health: databaseHealth(dataSource),
      context: () => ({ loaders: createLoaders(repositories), repositories, catalog }),
    };
  },
  consumers: ({ dataSource, logger, live }) => [
    { queue: catalogSagaQueue, bindings: catalogSagaBindings, handle: catalogSagaHandler(dataSource, logger) },
    inventoryLivePublisher(live),
  ],
};

export { catalogRepositories, type CatalogRepositories } from './data/repositories';
export { catalogService, type CatalogService } from './catalog-service';
export type { CategoryRow, ProductRow, ReservationRow, ShopRow } from './data/rows';
export { catalogSagaHandler } from './saga/consumer';
