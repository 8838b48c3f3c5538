import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import { databaseHealth, type SubgraphModule } from '@commerce/service-kit';
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

export const typeDefs = parse(readFileSync(path.join(__dirname, '../schema.graphql'), 'utf8'));

export const logisticsSubgraph: SubgraphModule<Context> = {
  ...config,
  entities,
  migrations,
  outbox: true,
  build({ dataSource, logger, outbox }) {
    const shipments = shipmentRepository(dataSource);
    const couriers = shipmentService(dataSource, shipments, () => outbox.notify());
    return {
      name: config.name,
      typeDefs,
      resolvers,
      logger,
      health: databaseHealth(dataSource),
      context: () => ({ loaders: createLoaders(shipments), shipments, couriers }),
    };
  },
  consumers: ({ dataSource, logger }) => [{ queue: sagaQueue, bindings: sagaEventTypes, handle: sagaHandler(dataSource, logger) }],
  live,
};
