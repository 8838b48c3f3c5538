import path from 'node:path';
import { readSchema, type SubgraphModule } from '@commerce/service-kit';
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

export const ordersSubgraph: SubgraphModule<Context> = {
  ...config,
  typeDefs: readSchema(path.join(__dirname, '../schema.graphql')),
  entities,
  migrations,
  outbox: true,
  build({ dataSource, outbox }) {
    const orders = orderRepository(dataSource);
    const catalog = catalogReadModelRepository(dataSource);
    const service = orderService(dataSource, orders, catalog, () => outbox.notify());
    return {
      resolvers,
      context: () => ({ loaders: createLoaders(orders, catalog), orders: service }),
    };
  },
  consumers: ({ dataSource, logger }) => [
    { queue: catalogEventsQueue, bindings: catalogEventTypes, handle: catalogReadModelHandler(dataSource) },
    { queue: sagaQueue, bindings: sagaEventTypes, handle: sagaHandler(dataSource, logger) },
  ],
  live,
};
