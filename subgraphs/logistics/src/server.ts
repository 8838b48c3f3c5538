import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import { databaseHealth, orderUpdatePublisher, type SubgraphModule } from '@commerce/service-kit';
import type { Context } from './context';
import { entities } from './data/entities';
import { migrations } from './data/migrations';
import { shipmentRepository } from './data/shipment-repository';
import { logisticsSagaHandler, sagaEventTypes, sagaQueue } from './events/saga';
import { createLoaders } from './loaders';
import { resolvers } from './resolvers';
import { shipmentService } from './shipment-service';

export const typeDefs = parse(readFileSync(path.join(__dirname, '../schema.graphql'), 'utf8'));

export const logisticsSubgraph: SubgraphModule<Context> = {
  name: 'logistics',
  defaultPort: 4005,
  entities,
  migrations,
  outbox: true,
  build({ dataSource, logger, outbox }) {
    const shipments = shipmentRepository(dataSource);
    const couriers = shipmentService(dataSource, shipments, () => outbox.notify());
    return {
      name: 'logistics',
      typeDefs,
      resolvers,
      logger,
      health: databaseHealth(dataSource),
      context: () => ({ loaders: createLoaders(shipments), shipments, couriers }),
    };
  },
  consumers: ({ dataSource, logger, live }) => [
    { queue: sagaQueue, bindings: sagaEventTypes, handle: logisticsSagaHandler(dataSource, logger) },
    orderUpdatePublisher(live, 'logistics.live', ['shipment.updated']),
  ],
};
