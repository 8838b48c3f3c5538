import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import { databaseHealth, type SubgraphModule } from '@commerce/service-kit';
import type { Context } from './context';
import { entities } from './data/entities';
import { migrations } from './data/migrations';
import { paymentRepository } from './data/payment-repository';
import { createLoaders } from './loaders';
import { resolvers } from './resolvers';

export const typeDefs = parse(readFileSync(path.join(__dirname, '../schema.graphql'), 'utf8'));

export const paymentsSubgraph: SubgraphModule<Context> = {
  name: 'payments',
  defaultPort: 4004,
  entities,
  migrations,
  build({ dataSource, logger }) {
    const payments = paymentRepository(dataSource);
    return {
      name: 'payments',
      typeDefs,
      resolvers,
      logger,
      health: databaseHealth(dataSource),
      context: () => ({ loaders: createLoaders(payments), payments }),
    };
  },
};
