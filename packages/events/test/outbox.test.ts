import { randomUUID } from 'node:crypto';
import {
  appendEvents,
  createEvent,
  outboxMigrationSql,
  startOutboxRelay,
  type EventBus,
  type EventEnvelope,
  type OutboxRelay,
} from '../src';
import { openEventsTestDatabase, type EventsTestDatabase } from './database';
import { sleep, waitUntil } from './event-bus.contract';

const schema = 'shop';

/** Records what reaches the broker, also in `everywhere` when buses share one; `failOn` makes chosen publishes fail. */
class RecordingBus implements EventBus {
  readonly published: EventEnvelope[] = [];
  failOn: (event: EventEnvelope) => boolean = () => false;

  constructor(
    private readonly delayMs = 0,
    private readonly everywhere: EventEnvelope[] = [],
    private beforeFirstPublish: (() => Promise<void>) | null = null,
  ) {}

  async publish(event: EventEnvelope): Promise<void> {
    const gate = this.beforeFirstPublish;
    this.beforeFirstPublish = null;
    if (gate) await gate();
    if (this.delayMs > 0) await sleep(this.delayMs);
    if (this.failOn(event)) throw new Error('broker unavailable');
    this.published.push(event);
    this.everywhere.push(event);
  }

  async subscribe(): Promise<void> {}

  async stopConsuming(): Promise<void> {}

  problem(): string | null {
    return null;
  }

  async close(): Promise<void> {}
}

let database: EventsTestDatabase;
let relays: OutboxRelay[] = [];

beforeAll(async () => {
  database = await openEventsTestDatabase(schema, outboxMigrationSql(schema).up);
});

afterEach(async () => {
  await Promise.all(relays.map((relay) => relay.stop()));
  relays = [];
  await database.dataSource.query(`TRUNCATE ${schema}.outbox`);
});

afterAll(async () => {
  await database.close();
});

/** A relay that, after its round at start-up, publishes only when asked, so tests decide when. */
function relayFor(bus: EventBus, options: { pollIntervalMs?: number; batchSize?: number } = {}): OutboxRelay {
  const relay = startOutboxRelay({ dataSource: database.dataSource, schema, bus, pollIntervalMs: 60_000, ...options });
  relays.push(relay);
  return relay;
}

function commitEvents(events: EventEnvelope[]): Promise<void> {
  return database.dataSource.transaction((manager) => appendEvents(manager, schema, events));
}

const unpublishedCount = async () =>
  Number((await database.dataSource.query(`SELECT count(*) AS n FROM ${schema}.outbox WHERE published_at IS NULL`))[0].n);

describe('the transactional outbox', () => {
  it('never publishes events appended in a transaction that rolled back', async () => {
    const bus = new RecordingBus();

    await expect(
      database.dataSource.transaction(async (manager) => {
        await appendEvents(manager, schema, [createEvent('shop.opened', randomUUID(), {})]);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');

    expect(await relayFor(bus).flush()).toBe(0);
    expect(bus.published).toEqual([]);
  });

  it('publishes committed events once, every aggregate in the order its events were appended', async () => {
    const bus = new RecordingBus();
    const shopId = randomUUID();
    const other = createEvent('shop.opened', randomUUID(), {});
    const first = [createEvent('shop.opened', shopId, {}), createEvent('shop.renamed', shopId, { name: 'B' })];
    const second = [createEvent('shop.closed', shopId, {}), other];

    await commitEvents(first);
    await commitEvents(second);
    const relay = relayFor(bus);

    expect(await relay.flush()).toBe(4);
    expect(await relay.flush()).toBe(0);
    expect(bus.published.filter((e) => e.aggregateId === shopId)).toEqual([...first, second[0]]);
    expect(bus.published).toContainEqual(other);
    expect(await unpublishedCount()).toBe(0);
  });

  it('refuses to append outside a transaction, where events would commit without their change', async () => {
    await expect(appendEvents(database.dataSource.manager, schema, [createEvent('shop.opened', randomUUID(), {})])).rejects.toThrow(
      'inside the transaction',
    );
  });

  it('publishes right after notify() instead of waiting for its poll', async () => {
    const bus = new RecordingBus();
    const relay = relayFor(bus);
    await relay.flush(); // the relay is idle, its next poll a minute away

    await commitEvents([createEvent('shop.opened', randomUUID(), {})]);
    relay.notify();

    await waitUntil(() => bus.published.length === 1, 1_000);
  });

  it('keeps the events it could not publish, and publishes them in order on a later round', async () => {
    const bus = new RecordingBus();
    let outage = true;
    bus.failOn = (event) => {
      if (!outage || event.type !== 'shop.renamed') return false;
      outage = false;
      return true;
    };
    const shopId = randomUUID();
    const events = ['shop.opened', 'shop.renamed', 'shop.closed'].map((type) => createEvent(type, shopId, {}));
    const unrelated = createEvent('shop.opened', randomUUID(), {});
    await commitEvents([...events, unrelated]);
    const relay = relayFor(bus);

    // The failed event holds back the rest of its aggregate, not other aggregates.
    await expect(relay.flush()).rejects.toThrow('broker unavailable');
    expect(bus.published).toEqual([events[0], unrelated]);

    await relay.flush();
    expect(bus.published).toEqual([events[0], unrelated, events[1], events[2]]);
    expect(await unpublishedCount()).toBe(0);
  });

  it('hands on what a round published, in outbox order, only once the round has marked it published', async () => {
    const bus = new RecordingBus();
    bus.failOn = (event) => event.type === 'shop.closed';
    const heard: { events: EventEnvelope[]; unpublished: number }[] = [];
    const relay = startOutboxRelay({
      dataSource: database.dataSource,
      schema,
      bus,
      pollIntervalMs: 60_000,
      onPublished: async (events) => void heard.push({ events, unpublished: await unpublishedCount() }),
    });
    relays.push(relay);
    await relay.flush();
    const [a, b] = [randomUUID(), randomUUID()];
    const events = [createEvent('shop.opened', a, {}), createEvent('shop.opened', b, {}), createEvent('shop.renamed', a, { name: 'A' }), createEvent('shop.closed', b, {})];
    await commitEvents(events);

    await expect(relay.flush()).rejects.toThrow('broker unavailable');

    // What the broker refused is neither marked nor handed on; the rest is both, in position order.
    expect(heard).toEqual([{ events: events.slice(0, 3), unpublished: 1 }]);
  });

  it('logs a failure of what it hands published events to, and keeps them published', async () => {
    const bus = new RecordingBus();
    const logged: string[] = [];
    const record = (_fields: object, message?: string) => void logged.push(message ?? '');
    const logger = { debug: () => undefined, info: () => undefined, warn: record, error: record };
    const relay = startOutboxRelay({
      dataSource: database.dataSource,
      schema,
      bus,
      logger,
      pollIntervalMs: 60_000,
      onPublished: () => Promise.reject(new Error('Redis is away')),
    });
    relays.push(relay);
    await commitEvents([createEvent('shop.opened', randomUUID(), {})]);

    await relay.flush();

    expect(await unpublishedCount()).toBe(0);
    expect(bus.published).toHaveLength(1);
    expect(logged).toEqual(['Outbox relay could not hand on the events it published']);
  });

  it('logs an outage once when it starts and once when it ends, however many rounds and rows it spans', async () => {
    const bus = new RecordingBus();
    let outage = true;
    bus.failOn = () => outage;
    const logged: { level: string; message?: string }[] = [];
    const record = (level: string) => (_fields: object, message?: string) => void logged.push({ level, message });
    const logger = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
    const events = Array.from({ length: 5 }, () => createEvent('shop.opened', randomUUID(), {}));
    await commitEvents(events);
    const relay = startOutboxRelay({ dataSource: database.dataSource, schema, bus, logger, pollIntervalMs: 5 });
    relays.push(relay);

    await waitUntil(() => logged.filter((entry) => entry.level === 'debug').length >= 3);
    expect(await unpublishedCount()).toBe(5);
    outage = false;
    await waitUntil(() => logged.some((entry) => entry.level === 'info'));

    expect(logged.filter((entry) => entry.level === 'error')).toEqual([
      { level: 'error', message: 'Outbox relay cannot publish; keeping the events for later rounds' },
    ]);
    expect(logged.filter((entry) => entry.level === 'info')).toEqual([{ level: 'info', message: 'Outbox relay is publishing again' }]);
    expect(new Set(bus.published)).toEqual(new Set(events));
    expect(await unpublishedCount()).toBe(0);
  });

  it('lets two relays run at once, publishing every event exactly once and each aggregate in order', async () => {
    const published: EventEnvelope[] = [];
    // Each relay's first publish waits for the other's, so both hold a claim at
    // the same moment instead of taking turns.
    const barrier = meetingPoint(2);
    const buses = [new RecordingBus(1, published, barrier), new RecordingBus(1, published, barrier)];
    const aggregates = Array.from({ length: 8 }, () => randomUUID());
    const appended: EventEnvelope[] = [];
    for (const aggregateId of aggregates) {
      // Grouped by aggregate, so a batch ends part-way through one: its later events are held back.
      const events = Array.from({ length: 6 }, (_, step) => createEvent('shop.step', aggregateId, { step }));
      appended.push(...events);
      await commitEvents(events);
    }

    for (const bus of buses) relayFor(bus, { pollIntervalMs: 5, batchSize: 8 });
    await waitUntil(() => published.length >= appended.length);
    await sleep(50);

    expect(published.map((event) => event.id).sort()).toEqual(appended.map((event) => event.id).sort());
    for (const aggregateId of aggregates) {
      const steps = published.filter((event) => event.aggregateId === aggregateId).map((event) => (event.payload as { step: number }).step);
      expect(steps).toEqual([0, 1, 2, 3, 4, 5]);
    }
    for (const bus of buses) expect(bus.published.length).toBeGreaterThan(0);
    expect(await unpublishedCount()).toBe(0);
  });
});

/** Returns a wait that resolves once `parties` callers are waiting (or after a second, so a bug cannot hang the suite). */
function meetingPoint(parties: number): () => Promise<void> {
  let waiting = 0;
  let release: () => void = () => undefined;
  const met = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 1_000);
    release = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  return () => {
    waiting++;
    if (waiting === parties) release();
    return met;
  };
}

describe('outboxMigrationSql', () => {
  it('names the table in the given schema and refuses names that are not plain identifiers', () => {
    expect(outboxMigrationSql('orders').up[0]).toContain('CREATE TABLE orders.outbox');
    expect(outboxMigrationSql('orders').down).toEqual(['DROP TABLE orders.outbox']);
    expect(() => outboxMigrationSql('orders; DROP TABLE x')).toThrow('Invalid schema name');
  });
});
