import type { DataSource } from 'typeorm';
import { startOutboxRelay, type OutboxRelay } from '@commerce/events';
import type { SubgraphDependencies } from '@commerce/service-kit';

/** Where logistics' outbox table lives; events are appended there in the transaction of their change. */
export const outboxSchema = 'logistics';

// build() and background() receive the same data source but nothing else in
// common, so the relay is found through it when a mutation has events to announce.
const relays = new WeakMap<DataSource, OutboxRelay>();

export function startLogisticsOutboxRelay({ dataSource, bus, logger }: SubgraphDependencies): OutboxRelay {
  const relay = startOutboxRelay({ dataSource, schema: outboxSchema, bus, logger });
  relays.set(dataSource, relay);
  return {
    flush: () => relay.flush(),
    notify: () => relay.notify(),
    async stop() {
      relays.delete(dataSource);
      await relay.stop();
    },
  };
}

/**
 * Publishes freshly committed events now instead of at the relay's next poll.
 * Without a relay (not started, or stopped) the events wait in the outbox.
 */
export function wakeOutboxRelay(dataSource: DataSource): void {
  relays.get(dataSource)?.notify();
}
