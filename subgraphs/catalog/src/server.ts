import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import type { DataSource } from 'typeorm';
import { startOutboxRelay, type OutboxRelay } from '@commerce/events';
import { databaseHealth, type SubgraphModule } from '@commerce/service-kit';
import { catalogService } from './catalog-service';
import type { Context } from './context';
import { entities } from './data/entities';
import { migrations } from './data/migrations';
import { catalogRepositories } from './data/repositories';
import { outboxSchema } from './events/published';
import { createLoaders } from './loaders';
import { resolvers } from './resolvers';

export const typeDefs = parse(readFileSync(path.join(__dirname, '../schema.graphql'), 'utf8'));

// build() and background() receive the same data source but cannot see each
// other's values; this lets a committed write wake the relay that publishes it.
const relays = new WeakMap<DataSource, OutboxRelay>();

export const catalogSubgraph: SubgraphModule<Context> = {
  name: 'catalog',
  defaultPort: 4002,
  entities,
  migrations,
  build({ dataSource, logger }) {
    const repositories = catalogRepositories(dataSource, { onCommitted: () => relays.get(dataSource)?.notify() });
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
  async background({ dataSource, bus, logger }) {
    const relay = startOutboxRelay({ dataSource, schema: outboxSchema, bus, logger });
    relays.set(dataSource, relay);
    return {
      async stop() {
        relays.delete(dataSource);
        await relay.stop();
      },
    };
  },
};

export { catalogRepositories, type CatalogRepositories } from './data/repositories';
export { catalogService, type CatalogService } from './catalog-service';
export type { CategoryRow, ProductRow, ShopRow } from './data/rows';
