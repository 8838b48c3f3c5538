import { randomBytes, randomUUID } from 'node:crypto';
import { connect } from 'amqplib';
import { parse } from 'graphql';
import { Registry } from 'prom-client';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { appendEvents, createEvent, InvalidEventError, outboxMigrationSql, queueTopology, type EventEnvelope } from '@commerce/events';
import { eventually } from '../src/eventually';
import { scrapeMetrics, type MetricsScrape } from '../src/metrics-text';
import { prometheusEventMetrics } from '../src/event-metrics';
import { runSubgraph, type RunningService, type SubgraphModule } from '../src/service';
import { createTestDatabase, type TestDatabase } from '../src/testing';

/**
 * A subgraph's GET /metrics against real Postgres and RabbitMQ: a probe
 * subgraph run as every subgraph runs (runSubgraph) writes events to its
 * outbox and consumes them itself, and the scrapes before and after are compared.
 */

const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const namespace = `metrics-${randomBytes(4).toString('hex')}`;
const schema = 'probe';
const queue = 'probe.events';

class CreateProbeOutbox1732330000000 implements MigrationInterface {
  name = 'CreateProbeOutbox1732330000000';

  async up(db: QueryRunner): Promise<void> {
    for (const statement of outboxMigrationSql(schema).up) await db.query(statement);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const statement of outboxMigrationSql(schema).down) await db.query(statement);
  }
}

/** Events whose first delivery failed, so the next one succeeds. */
const failedOnce = new Set<string>();

/** `probe.ok` is handled, `probe.flaky` fails once, `probe.poison` can never be handled. */
async function handle(event: EventEnvelope): Promise<void> {
  if (event.type === 'probe.poison') throw new InvalidEventError('The probe refuses this one');
  if (event.type === 'probe.flaky' && !failedOnce.has(event.id)) {
    failedOnce.add(event.id);
    throw new Error('Failing once');
  }
}

const probe: SubgraphModule = {
  name: schema,
  defaultPort: 0,
  typeDefs: parse('type Query { ok: Boolean }'),
  entities: [],
  migrations: [CreateProbeOutbox1732330000000],
  outbox: true,
  build: () => ({
    resolvers: { Query: { ok: () => true } },
    context: () => ({}),
  }),
  consumers: () => [{ queue, bindings: ['probe.#'], handle }],
};

let database: TestDatabase;
let service: RunningService;

beforeAll(async () => {
  database = await createTestDatabase();
  service = await runSubgraph(probe, {
    PORT: '0',
    LOG_LEVEL: 'silent',
    DATABASE_URL: database.url,
    AMQP_URL: amqpUrl,
    EVENTS_NAMESPACE: namespace,
    JWT_SECRET: 'test-secret-of-sufficient-length',
  });
});

afterAll(async () => {
  await service?.stop();
  await database?.drop();
  const connection = await connect(amqpUrl);
  try {
    const channel = await connection.createChannel();
    const topology = queueTopology(namespace, queue, [1_000, 5_000, 25_000]);
    for (const name of [topology.main, topology.dead, ...topology.retries.map((retry) => retry.name)]) await channel.deleteQueue(name);
    await channel.deleteExchange(`${namespace}.events`);
  } finally {
    await connection.close();
  }
});

/** Writes events as a subgraph's resolver does, in a transaction; the relay's poll publishes them. */
async function write(...events: EventEnvelope[]): Promise<void> {
  await service.database.dataSource.transaction((manager) => appendEvents(manager, schema, events));
}

const scrape = () => scrapeMetrics(service.subgraph.url);
const delta = (before: MetricsScrape, after: MetricsScrape) => (name: string, labels: Record<string, string> = {}) =>
  after.value(name, labels) - before.value(name, labels);

describe("a subgraph's GET /metrics", () => {
  it('is served with the process metrics, every name prefixed', async () => {
    const metrics = await scrape();
    expect(metrics.value('commerce_process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(metrics.samples.filter((sample) => !sample.name.startsWith('commerce_'))).toEqual([]);
  });

  it('counts events published, and consumed by queue, type and outcome, with the retries and dead letters', async () => {
    const before = await scrape();
    await write(createEvent('probe.ok', randomUUID(), {}), createEvent('probe.flaky', randomUUID(), {}), createEvent('probe.poison', randomUUID(), {}));

    const moved = await eventually(async () => {
      const change = delta(before, await scrape());
      expect(change('commerce_events_consumed_total', { type: 'probe.flaky', outcome: 'ok' })).toBe(1);
      expect(change('commerce_events_consumed_total', { type: 'probe.poison' })).toBe(1);
      return change;
    });
    for (const type of ['probe.ok', 'probe.flaky', 'probe.poison']) expect(moved('commerce_events_published_total', { type })).toBe(1);
    expect(moved('commerce_events_consumed_total', { queue, type: 'probe.ok', outcome: 'ok' })).toBe(1);
    expect(moved('commerce_events_consumed_total', { queue, type: 'probe.flaky', outcome: 'retried' })).toBe(1);
    expect(moved('commerce_events_consumed_total', { queue, type: 'probe.poison', outcome: 'dead-lettered' })).toBe(1);
    expect(moved('commerce_events_consumed_total')).toBe(4);
    expect(moved('commerce_events_retried_total', { queue, type: 'probe.flaky' })).toBe(1);
    expect(moved('commerce_events_retried_total')).toBe(1);
    expect(moved('commerce_events_dead_lettered_total', { queue, type: 'probe.poison' })).toBe(1);
    expect(moved('commerce_events_dead_lettered_total')).toBe(1);
  });

  it("reads the outbox's backlog and its oldest event's age at every scrape", async () => {
    await eventually(async () => expect((await scrape()).value('commerce_outbox_backlog')).toBe(0));
    expect((await scrape()).value('commerce_outbox_oldest_age_seconds')).toBe(0);

    // A row the relay can never publish (the broker refuses a broken envelope) stands for an outage.
    const stuck = randomUUID();
    await service.database.dataSource.query(
      `INSERT INTO ${schema}.outbox (id, type, aggregate_id, envelope, created_at) VALUES ($1::uuid, 'probe.stuck', $1::text, '{}'::jsonb, now() - interval '90 seconds')`,
      [stuck],
    );
    let stalled = await scrape();
    expect(stalled.value('commerce_outbox_backlog')).toBe(1);
    expect(stalled.value('commerce_outbox_oldest_age_seconds')).toBeGreaterThanOrEqual(90);

    // Events of other aggregates still go out past it.
    await write(createEvent('probe.ok', randomUUID(), {}));
    await eventually(async () => expect(delta(stalled, await scrape())('commerce_events_published_total', { type: 'probe.ok' })).toBe(1));
    stalled = await scrape();
    expect(stalled.value('commerce_outbox_backlog')).toBe(1);

    await service.database.dataSource.query(`DELETE FROM ${schema}.outbox WHERE id = $1`, [stuck]);
    const cleared = await scrape();
    expect(cleared.value('commerce_outbox_backlog')).toBe(0);
    expect(cleared.value('commerce_outbox_oldest_age_seconds')).toBe(0);
  });
});

describe('the events metrics on prom-client', () => {
  it('counts the rows retention pruned, per table', async () => {
    const registry = new Registry();
    const metrics = prometheusEventMetrics(registry);
    metrics.pruned('outbox', 1000);
    metrics.pruned('outbox', 20);
    metrics.pruned('inbox', 7);

    const counter = (await registry.getMetricsAsJSON()).find((metric) => metric.name === 'commerce_events_pruned_rows_total');
    expect(counter?.values.map(({ labels, value }) => [labels.table, value])).toEqual([
      ['outbox', 1020],
      ['inbox', 7],
    ]);
  });
});
