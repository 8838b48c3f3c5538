import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import { databaseHealth, orderUpdatePublisher, type SubgraphModule } from '@commerce/service-kit';
import type { Context } from './context';
import { entities } from './data/entities';
import { migrations } from './data/migrations';
import { paymentRepository } from './data/payment-repository';
import { createLoaders } from './loaders';
import type { PaymentProvider } from './provider/payment-provider';
import { testPaymentProvider } from './provider/test-provider';
import { resolvers } from './resolvers';
import { paymentsSagaBindings, paymentsSagaHandler, paymentsSagaQueue } from './saga/consumer';

export const typeDefs = parse(readFileSync(path.join(__dirname, '../schema.graphql'), 'utf8'));

/** The payments subgraph charging through `provider`; tests pass one that counts or fails its calls. */
export function createPaymentsSubgraph(provider: PaymentProvider): SubgraphModule<Context> {
  return {
    name: 'payments',
    defaultPort: 4004,
    entities,
    migrations,
    outbox: true,
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
    consumers: ({ dataSource, logger, live }) => [
      { queue: paymentsSagaQueue, bindings: paymentsSagaBindings, handle: paymentsSagaHandler(dataSource, provider, logger) },
      orderUpdatePublisher(live, 'payments.live', ['payment.authorized', 'payment.declined', 'payment.settled']),
    ],
  };
}

// The bundled test provider is the only one there is: no real provider is
// configured anywhere, so there is nothing to choose from in config yet.
export const paymentsSubgraph = createPaymentsSubgraph(testPaymentProvider());

export { paymentsSagaHandler } from './saga/consumer';
export { PaymentNotOpenedError } from './saga/payment-saga';
export type { PaymentProvider } from './provider/payment-provider';
