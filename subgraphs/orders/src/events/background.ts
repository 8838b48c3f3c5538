import type { BackgroundWork, SubgraphDependencies } from '@commerce/service-kit';
import { catalogEventsQueue, catalogEventTypes, catalogReadModelHandler } from './catalog-read-model';
import { startOrdersOutboxRelay } from './outbox';

/** The outbox relay that publishes `order.placed`, and the consumer that keeps the catalog read model. */
export async function startBackgroundWork(deps: SubgraphDependencies): Promise<BackgroundWork> {
  const relay = startOrdersOutboxRelay(deps);
  let consuming = true;
  const apply = catalogReadModelHandler(deps.dataSource);
  await deps.bus.subscribe({
    queue: catalogEventsQueue,
    bindings: [...catalogEventTypes],
    // The bus has no unsubscribe; once stopped, events are refused so the broker
    // keeps them for the next instance instead of them meeting a closed database.
    handle: (event) => (consuming ? apply(event) : Promise.reject(new Error('orders is shutting down'))),
  });
  return {
    async stop() {
      consuming = false;
      await relay.stop();
    },
  };
}
