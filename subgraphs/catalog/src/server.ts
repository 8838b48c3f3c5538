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
import { catalogSagaBindings, catalogSagaHandler, catalogSagaQueue } from './saga/consumer';

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
    const handle = catalogSagaHandler(dataSource, logger);
    let consuming = true;
    await bus.subscribe({
      queue: catalogSagaQueue,
      bindings: [...catalogSagaBindings],
      // The bus has no unsubscribe; once stopped, events are refused so the broker
      // keeps them for the next instance instead of them meeting a closed database.
      handle: async (event) => {
        if (!consuming) throw new Error('catalog is shutting down');
        await handle(event);
        relay.notify();
      },
    });
    return {
      async stop() {
        consuming = false;
        relays.delete(dataSource);
        await relay.stop();
      },
    };
  },
};

export { catalogRepositories, type CatalogRepositories } from './data/repositories';
export { catalogService, type CatalogService } from './catalog-service';
export type { CategoryRow, ProductRow, ReservationRow, ShopRow } from './data/rows';
export { catalogSagaHandler } from './saga/consumer';
