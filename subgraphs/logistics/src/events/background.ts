import type { BackgroundWork, SubgraphDependencies } from '@commerce/service-kit';
import { startLogisticsOutboxRelay, wakeOutboxRelay } from './outbox';
import { logisticsSagaHandler, sagaEventTypes, sagaQueue } from './saga';

/** The outbox relay that publishes logistics' events, and the consumer of the order events it acts on. */
export async function startBackgroundWork(deps: SubgraphDependencies): Promise<BackgroundWork> {
  const relay = startLogisticsOutboxRelay(deps);
  let consuming = true;
  const apply = logisticsSagaHandler(deps.dataSource, deps.logger, () => wakeOutboxRelay(deps.dataSource));
  await deps.bus.subscribe({
    queue: sagaQueue,
    bindings: [...sagaEventTypes],
    // The bus has no unsubscribe; once stopped, events are refused so the broker
    // keeps them for the next instance instead of them meeting a closed database.
    handle: (event) => (consuming ? apply(event) : Promise.reject(new Error('logistics is shutting down'))),
  });
  return {
    async stop() {
      consuming = false;
      await relay.stop();
    },
  };
}
