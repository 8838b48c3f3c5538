import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import { databaseHealth, type SubgraphModule } from '@commerce/service-kit';
import { config } from './config';
import type { Context } from './context';
import { catalogReadModelRepository } from './data/catalog-read-model-repository';
import { entities } from './data/entities';
import { migrations } from './data/migrations';
import { orderRepository } from './data/order-repository';
import { catalogEventsQueue, catalogEventTypes, catalogReadModelHandler } from './events/catalog-read-model';
import { live } from './events/live';
import { sagaEventTypes, sagaHandler, sagaQueue } from './events/saga';
import { createLoaders } from './loaders';
import { orderService } from './domain/order-service';
import { resolvers } from './resolvers';

export const typeDefs = parse(readFileSync(path.join(__dirname, '../schema.graphql'), 'utf8'));

export const ordersSubgraph: SubgraphModule<Context> = {
  ...config,
  entities,
  migrations,
  outbox: true,
  build({ dataSource, logger, outbox }) {
    const orders = orderRepository(dataSource);
    const catalog = catalogReadModelRepository(dataSource);
    const service = orderService(dataSource, orders, catalog, () => outbox.notify());
    return {
      name: config.name,
      typeDefs,
      resolvers,
      logger,
      health: databaseHealth(dataSource),
      context: () => ({ loaders: createLoaders(orders, catalog), orders: service }),
    };
  },
  consumers: ({ dataSource, logger }) => [
    { queue: catalogEventsQueue, bindings: catalogEventTypes, handle: catalogReadModelHandler(dataSource) },
    { queue: sagaQueue, bindings: sagaEventTypes, handle: sagaHandler(dataSource, logger) },
  ],
  live,
};
