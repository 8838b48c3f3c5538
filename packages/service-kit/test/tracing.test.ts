import { randomBytes, randomUUID } from 'node:crypto';
import { SpanKind, trace } from '@opentelemetry/api';
import { parse } from 'graphql';
import type { DataSource } from 'typeorm';
import { appendEvents, createEvent, InMemoryEventBus, outboxMigrationSql, type EventEnvelope } from '@commerce/events';
import { openDatabase } from '../src/database';
import { eventually } from '../src/eventually';
import { createLogger } from '../src/logger';
import { recordSpans, type ReadableSpan, type SpanRecording } from '../src/span-recording';
import { startSubgraph, type RunningSubgraph } from '../src/subgraph';
import { createTestDatabase, type TestDatabase } from '../src/testing';

const schema = 'tracing';
let recording: SpanRecording;
let database: TestDatabase;
let dataSource: DataSource;
let subgraph: RunningSubgraph;

beforeAll(async () => {
  recording = recordSpans();
  database = await createTestDatabase();
  dataSource = await openDatabase({ url: database.url, schema, entities: [], migrations: [] });
  for (const statement of outboxMigrationSql(schema).up) await dataSource.query(statement);
  subgraph = await startSubgraph(
    {
      name: 'probe',
      typeDefs: parse('type Query { now: String! }'),
      resolvers: { Query: { now: async () => (await dataSource.query('SELECT now()::text AS now, $1::text AS secret', ['hunter2']))[0].now } },
      logger: createLogger('probe', 'silent'),
      health: async () => ({}),
      context: () => ({}),
    },
    0,
  );
});

afterAll(async () => {
  recording?.stop();
  await subgraph?.close();
  await dataSource?.destroy();
  await database?.drop();
});

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const spansOf = (traceId: string) => recording.spans().filter((span) => span.spanContext().traceId === traceId);
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe('tracing in the kit', () => {
  it("serves a request in a SERVER span under the caller's traceparent, with a span per SQL statement under it", async () => {
    const [traceId, callerSpanId] = [hex(16), hex(8)];
    const response = await fetch(subgraph.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-${callerSpanId}-01`, 'x-request-id': 'req-42' },
      body: JSON.stringify({ query: 'query Now { now }', operationName: 'Now' }),
    });
    expect(response.headers.get('x-request-id')).toBe('req-42');
    expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();

    const server = await eventually(async () => {
      const found = spansOf(traceId).find((span) => span.kind === SpanKind.SERVER);
      if (!found) throw new Error('no server span yet');
      return found;
    });
    expect(parentOf(server)).toBe(callerSpanId);
    expect(server.attributes).toMatchObject({ 'service.name': 'probe', 'graphql.operation.name': 'Now', 'graphql.operation.type': 'query' });

    const sql = spansOf(traceId).filter((span) => span.kind === SpanKind.CLIENT);
    expect(sql).toHaveLength(1);
    expect(parentOf(sql[0]!)).toBe(server.spanContext().spanId);
    expect(sql[0]!.attributes).toMatchObject({ 'db.system.name': 'postgresql', 'db.namespace': schema, 'service.name': 'probe' });
    expect(sql[0]!.attributes['db.query.text']).toContain('SELECT now()');
    expect(JSON.stringify(sql[0]!.attributes)).not.toContain('hunter2');
  });

  it('gives a request without a usable x-request-id one of its own', async () => {
    const response = await fetch(subgraph.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': `${'x'.repeat(200)} <script>` },
      body: JSON.stringify({ query: '{ now }' }),
    });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('makes no spans for statements outside a trace', async () => {
    const before = recording.spans().length;
    await dataSource.query('SELECT 1');
    expect(recording.spans()).toHaveLength(before);
  });

  it("handles an event in a CONSUMER span under its traceparent, and the events it writes continue that trace", async () => {
    const bus = new InMemoryEventBus();
    const [traceId, publisherSpanId] = [hex(16), hex(8)];
    const handled: { traceId: string; spanId: string }[] = [];
    await bus.subscribe({
      queue: 'tracing.probe',
      bindings: ['probe.happened'],
      handle: async () => {
        handled.push(trace.getActiveSpan()!.spanContext());
        await dataSource.transaction((manager) => appendEvents(manager, schema, [createEvent('probe.followed', randomUUID(), {})]));
      },
    });
    await bus.publish(createEvent('probe.happened', randomUUID(), {}, { traceparent: `00-${traceId}-${publisherSpanId}-01` }));
    await eventually(async () => {
      if (handled.length === 0) throw new Error('not handled yet');
    });
    await bus.close();

    const consumer = spansOf(traceId).find((span) => span.kind === SpanKind.CONSUMER);
    expect(consumer).toBeDefined();
    expect(parentOf(consumer!)).toBe(publisherSpanId);
    expect(handled[0]).toMatchObject({ traceId, spanId: consumer!.spanContext().spanId });
    expect(consumer!.attributes).toMatchObject({ 'messaging.destination.name': 'tracing.probe', 'event.type': 'probe.happened' });

    const [written] = (await dataSource.query(`SELECT envelope FROM ${schema}.outbox WHERE type = 'probe.followed'`)) as { envelope: EventEnvelope }[];
    expect(written!.envelope.traceparent).toBe(`00-${traceId}-${consumer!.spanContext().spanId}-01`);
  });
});
