import { Counter, Gauge, type Registry } from 'prom-client';
import { outboxBacklog, type EventMetrics, type OutboxBacklog } from '@commerce/events';
import type { DataSource } from 'typeorm';
import { metricPrefix } from './metrics';

/** The events package's counting port, on prom-client, in `registry`. */
export function prometheusEventMetrics(registry: Registry): EventMetrics {
  const registers = [registry];
  const published = new Counter({
    name: `${metricPrefix}events_published_total`,
    help: 'Events the outbox relay published and the broker confirmed, by type.',
    labelNames: ['type'],
    registers,
  });
  const consumed = new Counter({
    name: `${metricPrefix}events_consumed_total`,
    help: 'Deliveries handled by this service, by queue, type and outcome (ok, retried, dead-lettered).',
    labelNames: ['queue', 'type', 'outcome'],
    registers,
  });
  // The same figures as two of consumed's outcomes, under names an alert rule can read plainly.
  const retried = new Counter({
    name: `${metricPrefix}events_retried_total`,
    help: 'Deliveries whose handler failed and that wait for another attempt, by queue and type.',
    labelNames: ['queue', 'type'],
    registers,
  });
  const deadLettered = new Counter({
    name: `${metricPrefix}events_dead_lettered_total`,
    help: 'Deliveries given up on (last attempt failed, or not a readable event), by queue and type.',
    labelNames: ['queue', 'type'],
    registers,
  });
  const pruned = new Counter({
    name: `${metricPrefix}events_pruned_rows_total`,
    help: 'Rows retention deleted, by table: published outbox rows and inbox rows past their retention.',
    labelNames: ['table'],
    registers,
  });
  return {
    published: (type) => published.inc({ type }),
    consumed: (queue, type, outcome) => {
      consumed.inc({ queue, type, outcome });
      if (outcome === 'retried') retried.inc({ queue, type });
      if (outcome === 'dead-lettered') deadLettered.inc({ queue, type });
    },
    pruned: (table, rows) => pruned.inc({ table }, rows),
  };
}

/**
 * How far the outbox relay of `schema` is behind, read when Prometheus
 * scrapes: both gauges come from one query per scrape. When the query fails
 * they read NaN, since neither zero nor the last figure would be true.
 */
export function registerOutboxGauges(registry: Registry, dataSource: DataSource, schema: string): void {
  let reading: Promise<OutboxBacklog | null> | null = null;
  // prom-client collects every metric of a scrape at once, so the second gauge joins the first one's query.
  const read = () =>
    (reading ??= outboxBacklog(dataSource, schema)
      .catch(() => null)
      .finally(() => {
        reading = null;
      }));
  new Gauge({
    name: `${metricPrefix}outbox_backlog`,
    help: 'Events written to the outbox and not yet published.',
    registers: [registry],
    async collect() {
      this.set((await read())?.pending ?? Number.NaN);
    },
  });
  new Gauge({
    name: `${metricPrefix}outbox_oldest_age_seconds`,
    help: 'Age of the oldest unpublished outbox event; 0 when there is none.',
    registers: [registry],
    async collect() {
      this.set((await read())?.oldestAgeSeconds ?? Number.NaN);
    },
  });
}
