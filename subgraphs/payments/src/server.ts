import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import { startOutboxRelay } from '@commerce/events';
import { databaseHealth, type SubgraphModule } from '@commerce/service-kit';
import type { Context } from './context';
import { entities } from './data/entities';
import { migrations } from './data/migrations';
import { paymentRepository } from './data/payment-repository';
import { outboxSchema } from './events/published';
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
    async background({ dataSource, bus, logger }) {
      // Only the saga writes events here, so the relay needs no wake-up from build().
      const relay = startOutboxRelay({ dataSource, schema: outboxSchema, bus, logger });
      const handle = paymentsSagaHandler(dataSource, provider, logger);
      let consuming = true;
      await bus.subscribe({
        queue: paymentsSagaQueue,
        bindings: [...paymentsSagaBindings],
        // The bus has no unsubscribe; once stopped, events are refused so the broker
        // keeps them for the next instance instead of them meeting a closed database.
        handle: async (event) => {
          if (!consuming) throw new Error('payments is shutting down');
          await handle(event);
          relay.notify();
        },
      });
      return {
        async stop() {
          consuming = false;
          await relay.stop();
        },
      };
    },
  };
}

// The bundled test provider is the only one there is: no real provider is
// configured anywhere, so there is nothing to choose from in config yet.
export const paymentsSubgraph = createPaymentsSubgraph(testPaymentProvider());

export { paymentsSagaHandler } from './saga/consumer';
export { PaymentNotOpenedError } from './saga/payment-saga';
export type { PaymentProvider } from './provider/payment-provider';
