import path from 'node:path';
import { readSchema, type SubgraphModule } from '@commerce/service-kit';
import { config } from './config';
import type { Context } from './context';
import { entities } from './data/entities';
import { migrations } from './data/migrations';
import { paymentRepository } from './data/payment-repository';
import { live } from './events/live';
import { sagaEventTypes, sagaHandler, sagaQueue } from './events/saga';
import { createLoaders } from './loaders';
import type { PaymentProvider } from './provider/payment-provider';
import { testPaymentProvider } from './provider/test-provider';
import { resolvers } from './resolvers';

const typeDefs = readSchema(path.join(__dirname, '../schema.graphql'));

/** The payments subgraph charging through `provider`; tests pass one that counts or fails its calls. */
export function createPaymentsSubgraph(provider: PaymentProvider): SubgraphModule<Context> {
  return {
    ...config,
    typeDefs,
    entities,
    migrations,
    outbox: true,
    build({ dataSource }) {
      const payments = paymentRepository(dataSource);
      return {
        resolvers,
        context: () => ({ loaders: createLoaders(payments), payments }),
      };
    },
    consumers: ({ dataSource, logger }) => [{ queue: sagaQueue, bindings: sagaEventTypes, handle: sagaHandler(dataSource, provider, logger) }],
    live,
  };
}

// The bundled test provider is the only one there is: no real provider is
// configured anywhere, so there is nothing to choose from in config yet.
export const paymentsSubgraph = createPaymentsSubgraph(testPaymentProvider());

export { PaymentNotOpenedError } from './domain/payment-saga';
export type { PaymentProvider } from './provider/payment-provider';
