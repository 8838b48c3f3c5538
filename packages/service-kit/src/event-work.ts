import { startEventRetention, startOutboxRelay, type EventBus, type EventEnvelope, type OutboxRelay } from '@commerce/events';
import type { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { prometheusEventMetrics, registerOutboxGauges } from './event-metrics';
import type { LiveEvents } from './live-events';
import type { Logger } from './logger';
import { inService } from './tracing';

/** Lets a write that committed events have them published now rather than at the relay's next poll. */
export interface OutboxNotifier {
  notify(): void;
}

/** A queue a subgraph consumes and the handler for its events (usually wrapped in handleOnce). */
export interface EventConsumer {
  queue: string;
  bindings: readonly string[];
  handle(event: EventEnvelope): Promise<void>;
}

export interface RunningEventWork {
  outbox: OutboxNotifier;
  /** Subscribes the consumers; called once the subgraph is built. */
  consume(consumers: EventConsumer[]): Promise<void>;
  stop(): Promise<void>;
}

const noOutbox: OutboxNotifier = { notify: () => undefined };

/** How long, in hours, the schema's event bookkeeping is kept (OUTBOX_RETENTION_HOURS, INBOX_RETENTION_HOURS). */
export interface EventRetentionHours {
  outbox: number;
  inbox: number;
}

/**
 * The event plumbing every subgraph shares: the outbox relay of its schema
 * (which hands what it published on to the live updates), its consumers,
 * each of which wakes the relay once its transaction has committed (a
 * handler's events should not wait for a poll either), and the pruning of
 * its outbox and inbox past their retention.
 */
export function startEventWork(options: {
  schema: string;
  outbox: boolean;
  dataSource: DataSource;
  bus: EventBus;
  logger: Logger;
  /** Where the service's metrics go: events published and consumed, rows pruned, and the outbox backlog. */
  metrics?: Registry;
  retention: EventRetentionHours;
  /** Where the relay hands the subgraph's own events once published: its live updates. */
  live?: LiveEvents;
}): RunningEventWork {
  const metrics = options.metrics ? prometheusEventMetrics(options.metrics) : undefined;
  if (options.metrics && options.outbox) registerOutboxGauges(options.metrics, options.dataSource, options.schema);
  const relay: OutboxRelay | null = options.outbox
    ? startOutboxRelay({
        dataSource: options.dataSource,
        schema: options.schema,
        bus: options.bus,
        logger: options.logger,
        metrics,
        onPublished: async (events) => options.live?.announce(events),
      })
    : null;
  const outbox = relay ?? noOutbox;
  // The inbox is pruned wherever the schema has one; a subgraph that consumes nothing has none.
  const retention = startEventRetention({
    dataSource: options.dataSource,
    schema: options.schema,
    outboxRetentionHours: options.outbox ? options.retention.outbox : undefined,
    inboxRetentionHours: options.retention.inbox,
    logger: options.logger,
    metrics,
  });
  let consuming = true;
  return {
    outbox,
    async consume(consumers) {
      for (const consumer of consumers) {
        await options.bus.subscribe({
          queue: consumer.queue,
          bindings: [...consumer.bindings],
          metrics,
          // The bus has no unsubscribe; once stopped, events are refused so the broker
          // keeps them for the next instance instead of them meeting a closed database.
          handle: async (event) => {
            if (!consuming) throw new Error(`${options.schema} is shutting down`);
            await inService(options.schema, () => consumer.handle(event));
            outbox.notify();
          },
        });
      }
    },
    async stop() {
      consuming = false;
      // Pruning ends after the batch in hand; the database closes once stop() returns.
      await retention.stop();
      // Drained rather than dropped: what committed before the stop is published now, not by the next instance.
      await relay?.flush().catch(() => 0);
      await relay?.stop();
      // The live pub/sub closes after this: what the relay handed on goes out first.
      await options.live?.settled();
    },
  };
}
