import path from 'node:path';
import { readSchema, type SubgraphModule } from '@commerce/service-kit';
import { config } from './config';
import type { Context } from './context';
import { entities } from './data/entities';
import { migrations } from './data/migrations';
import { shipmentRepository } from './data/shipment-repository';
import { live } from './events/live';
import { sagaEventTypes, sagaHandler, sagaQueue } from './events/saga';
import { createLoaders } from './loaders';
import { resolvers } from './resolvers';
import { shipmentService } from './domain/shipment-service';

export const logisticsSubgraph: SubgraphModule<Context> = {
  ...config,
  typeDefs: readSchema(path.join(__dirname, '../schema.graphql')),
  entities,
  migrations,
  outbox: true,
  build({ dataSource, outbox }) {
    const shipments = shipmentRepository(dataSource);
    const couriers = shipmentService(dataSource, shipments, () => outbox.notify());
    return {
      resolvers,
      context: () => ({ loaders: createLoaders(shipments), shipments, couriers }),
    };
  },
  consumers: ({ dataSource, logger }) => [{ queue: sagaQueue, bindings: sagaEventTypes, handle: sagaHandler(dataSource, logger) }],
  live,
};
