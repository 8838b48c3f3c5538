/** What became of one delivery: handled, put aside for a later attempt, or given up on. */
export type ConsumeOutcome = 'ok' | 'retried' | 'dead-lettered';

/** The tables retention prunes. */
export type PrunedTable = 'outbox' | 'inbox';

/**
 * What the outbox relay, the buses and retention count for a service's metrics. An
 * interface, so this package needs no metrics library: the service kit
 * implements it with prom-client.
 */
export interface EventMetrics {
  /** An event the broker has confirmed. */
  published(type: string): void;
  /** One delivery to a consumer of `queue` (the name it subscribed with, without the namespace). */
  consumed(queue: string, type: string, outcome: ConsumeOutcome): void;
  /** Old rows retention deleted from `table`, one call per batch. */
  pruned(table: PrunedTable, rows: number): void;
}

const ignore = (): void => undefined;

/** The default when no metrics are given: nothing is counted. */
export const noEventMetrics: EventMetrics = { published: ignore, consumed: ignore, pruned: ignore };

/** The type label of a message that is not a readable envelope: a free-text property must not become a label value. */
export const unreadableEventType = 'unreadable';
