import type { BackgroundWork, SubgraphDependencies } from '@commerce/service-kit';
import type { EventEnvelope } from '@commerce/events';
import { catalogEventsQueue, catalogEventTypes, catalogReadModelHandler } from './catalog-read-model';
import { startOrdersOutboxRelay, wakeOutboxRelay } from './outbox';
import { orderSagaHandler, sagaEventTypes, sagaQueue } from './saga';

/**
 * The outbox relay that publishes orders' events, the consumer that keeps the
 * catalog read model, and the consumer of the saga's events.
 */
export async function startBackgroundWork(deps: SubgraphDependencies): Promise<BackgroundWork> {
  const relay = startOrdersOutboxRelay(deps);
  let consuming = true;
  // The bus has no unsubscribe; once stopped, events are refused so the broker
  // keeps them for the next instance instead of them meeting a closed database.
  const whileConsuming =
    (handle: (event: EventEnvelope) => Promise<void>) =>
    (event: EventEnvelope): Promise<void> =>
      consuming ? handle(event) : Promise.reject(new Error('orders is shutting down'));
  await deps.bus.subscribe({
    queue: catalogEventsQueue,
    bindings: [...catalogEventTypes],
    handle: whileConsuming(catalogReadModelHandler(deps.dataSource)),
  });
  await deps.bus.subscribe({
    queue: sagaQueue,
    bindings: [...sagaEventTypes],
    handle: whileConsuming(orderSagaHandler(deps.dataSource, deps.logger, () => wakeOutboxRelay(deps.dataSource))),
  });
  return {
    async stop() {
      consuming = false;
      await relay.stop();
    },
  };
}
