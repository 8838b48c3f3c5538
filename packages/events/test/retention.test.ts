import { randomUUID } from 'node:crypto';
import {
  appendEvents,
  createEvent,
  handleOnce,
  inboxMigrationSql,
  inboxRetentionMigrationSql,
  noEventMetrics,
  outboxMigrationSql,
  outboxRetentionMigrationSql,
  pruneInbox,
  pruneOutbox,
  startEventRetention,
  type EventMetrics,
  type EventRetention,
  type EventRetentionOptions,
  type PrunedTable,
} from '../src';
import { openEventsTestDatabase, type EventsTestDatabase } from './database';
import { waitUntil } from './event-bus.contract';

const schema = 'shop';
/** A schema with an outbox and no inbox, as a service that publishes and consumes nothing would have. */
const bare = 'bare';

let database: EventsTestDatabase;
let retentions: EventRetention[] = [];

beforeAll(async () => {
  database = await openEventsTestDatabase(schema, [
    ...outboxMigrationSql(schema).up,
    ...inboxMigrationSql(schema).up,
    ...outboxRetentionMigrationSql(schema).up,
    ...inboxRetentionMigrationSql(schema).up,
    `CREATE SCHEMA ${bare}`,
    ...outboxMigrationSql(bare).up,
    ...outboxRetentionMigrationSql(bare).up,
  ]);
});

afterEach(async () => {
  await Promise.all(retentions.map((retention) => retention.stop()));
  retentions = [];
  await database.dataSource.query(`TRUNCATE ${schema}.outbox, ${schema}.inbox, ${bare}.outbox`);
});

afterAll(async () => {
  await database.close();
});

const query = <T = unknown>(sql: string, parameters: unknown[] = []): Promise<T[]> => database.dataSource.query(sql, parameters);

/** `count` outbox rows of aggregate `tag`, published now (as the relay marks them) or not yet. */
async function addOutboxRows(tag: string, count: number, published: boolean, table = `${schema}.outbox`): Promise<void> {
  await query(
    `INSERT INTO ${table} (id, type, aggregate_id, envelope, published_at)
     SELECT gen_random_uuid(), 'test.retention', $1, '{}'::jsonb, CASE WHEN $3::boolean THEN now() END FROM generate_series(1, $2::int)`,
    [tag, count, published],
  );
}

/** Moves the rows of aggregate `tag` `hours` into the past: written and, if so, published that much earlier. */
async function ageOutboxRows(tag: string, hours: number, table = `${schema}.outbox`): Promise<void> {
  await query(
    `UPDATE ${table} SET created_at = created_at - $2::float8 * interval '1 hour', published_at = published_at - $2::float8 * interval '1 hour'
     WHERE aggregate_id = $1`,
    [tag, hours],
  );
}

/** `count` inbox rows of consumer `tag`, handled now. */
async function addInboxRows(tag: string, count: number): Promise<void> {
  await query(`INSERT INTO ${schema}.inbox (event_id, consumer) SELECT gen_random_uuid(), $1 FROM generate_series(1, $2::int)`, [tag, count]);
}

async function ageInboxRows(tag: string, hours: number): Promise<void> {
  await query(`UPDATE ${schema}.inbox SET handled_at = handled_at - $2::float8 * interval '1 hour' WHERE consumer = $1`, [tag, hours]);
}

/** Rows left per tag (outbox aggregate or inbox consumer); a tag with none is absent. */
async function rowsLeft(table: string, tagColumn: string): Promise<Record<string, number>> {
  const rows = await query<{ tag: string; n: number }>(`SELECT ${tagColumn} AS tag, count(*)::int AS n FROM ${table} GROUP BY 1`);
  return Object.fromEntries(rows.map((row) => [row.tag, row.n]));
}
const outboxLeft = (table = `${schema}.outbox`) => rowsLeft(table, 'aggregate_id');
const inboxLeft = () => rowsLeft(`${schema}.inbox`, 'consumer');

/** Counts what retention reports, per table, batch by batch. */
function recordingMetrics(): EventMetrics & { batches: Record<PrunedTable, number[]> } {
  const batches: Record<PrunedTable, number[]> = { outbox: [], inbox: [] };
  return { ...noEventMetrics, batches, pruned: (table, rows) => batches[table].push(rows) };
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

function retentionFor(options: Partial<EventRetentionOptions> = {}): EventRetention {
  const retention = startEventRetention({ dataSource: database.dataSource, schema, firstRunAfterMs: 60_000, ...options });
  retentions.push(retention);
  return retention;
}

describe('pruning the outbox', () => {
  it('deletes published rows past the retention, and keeps recent ones and unpublished ones of any age', async () => {
    // Written as a service writes them, then published and aged as the relay and time would.
    const events = ['old-published', 'recent-published', 'old-unpublished', 'new-unpublished'].map((tag) =>
      createEvent('catalog.shop.changed', tag, { shopId: randomUUID(), ownerId: randomUUID(), name: tag }),
    );
    await database.dataSource.transaction((manager) => appendEvents(manager, schema, events));
    await query(`UPDATE ${schema}.outbox SET published_at = now() WHERE aggregate_id LIKE '%-published'`);
    await ageOutboxRows('old-published', 25);
    await ageOutboxRows('recent-published', 23);
    await ageOutboxRows('old-unpublished', 24 * 365);

    expect(await pruneOutbox(database.dataSource, schema, { retentionHours: 24 })).toBe(1);
    expect(await outboxLeft()).toEqual({ 'recent-published': 1, 'old-unpublished': 1, 'new-unpublished': 1 });
  });

  it('deletes more rows than one batch, one batch per statement', async () => {
    await addOutboxRows('old', 250, true);
    await ageOutboxRows('old', 48);
    await addOutboxRows('stuck', 5, false);
    await ageOutboxRows('stuck', 48);
    const metrics = recordingMetrics();

    const pruned = await pruneOutbox(database.dataSource, schema, {
      retentionHours: 24,
      batchSize: 100,
      onBatch: (rows) => metrics.pruned('outbox', rows),
    });

    expect(pruned).toBe(250);
    expect(metrics.batches.outbox).toEqual([100, 100, 50]);
    expect(await outboxLeft()).toEqual({ stuck: 5 });
  });

  it('shares the rows between two pruners running at once, neither failing', async () => {
    await addOutboxRows('old', 2_000, true);
    await ageOutboxRows('old', 48);
    await addOutboxRows('recent', 10, true);

    const counts = await Promise.all([1, 2].map(() => pruneOutbox(database.dataSource, schema, { retentionHours: 24, batchSize: 50 })));

    expect(sum(counts)).toBe(2_000);
    expect(await outboxLeft()).toEqual({ recent: 10 });
  });

  it('refuses a retention that is not a positive number of hours', async () => {
    await expect(pruneOutbox(database.dataSource, schema, { retentionHours: 0 })).rejects.toThrow(RangeError);
    expect(() => retentionFor({ outboxRetentionHours: -1 })).toThrow(RangeError);
  });
});

describe('pruning the inbox', () => {
  it('deletes rows handled before the retention and keeps recent ones', async () => {
    await addInboxRows('old', 3);
    await ageInboxRows('old', 24 * 7 + 1);
    await addInboxRows('recent', 2);
    await ageInboxRows('recent', 24 * 7 - 1);
    await addInboxRows('new', 1);

    expect(await pruneInbox(database.dataSource, schema, { retentionHours: 24 * 7 })).toBe(3);
    expect(await inboxLeft()).toEqual({ recent: 2, new: 1 });
  });

  it('deletes more rows than one batch, and two pruners at once share them', async () => {
    await addInboxRows('old', 1_500);
    await ageInboxRows('old', 200);
    await addInboxRows('new', 4);
    const batches: number[] = [];

    const counts = await Promise.all(
      [1, 2].map(() => pruneInbox(database.dataSource, schema, { retentionHours: 168, batchSize: 100, onBatch: (rows) => batches.push(rows) })),
    );

    expect(sum(counts)).toBe(1_500);
    expect(batches.length).toBeGreaterThanOrEqual(15);
    expect(Math.max(...batches)).toBeLessThanOrEqual(100);
    expect(await inboxLeft()).toEqual({ new: 4 });
  });

  it('forgets a handled event once its row is pruned: delivered again, it is handled again', async () => {
    let applied = 0;
    const handle = handleOnce(database.dataSource, schema, 'shop.names', async () => {
      applied += 1;
    });
    const event = createEvent('catalog.shop.changed', randomUUID(), { shopId: randomUUID(), ownerId: randomUUID(), name: 'Corner shop' });
    await handle(event);
    await handle(event);
    expect(applied).toBe(1);

    await ageInboxRows('shop.names', 200);
    expect(await pruneInbox(database.dataSource, schema, { retentionHours: 168 })).toBe(1);
    await handle(event);
    expect(applied).toBe(2);
  });
});

describe('scheduled retention', () => {
  it('prunes both tables shortly after start and counts the rows per table', async () => {
    await addOutboxRows('old', 30, true);
    await ageOutboxRows('old', 25);
    await addOutboxRows('recent', 2, true);
    await addInboxRows('old', 12);
    await ageInboxRows('old', 169);
    await addInboxRows('recent', 3);
    const metrics = recordingMetrics();

    retentionFor({ outboxRetentionHours: 24, inboxRetentionHours: 168, firstRunAfterMs: 0, batchSize: 10, metrics });

    await waitUntil(async () => sum(metrics.batches.outbox) === 30 && sum(metrics.batches.inbox) === 12);
    expect(metrics.batches).toEqual({ outbox: [10, 10, 10], inbox: [10, 2] });
    expect(await outboxLeft()).toEqual({ recent: 2 });
    expect(await inboxLeft()).toEqual({ recent: 3 });
  });

  it('stops after the batch in hand, and stop() waits for that batch', async () => {
    await addOutboxRows('old', 300, true);
    await ageOutboxRows('old', 48);
    await addInboxRows('old', 5);
    await ageInboxRows('old', 200);
    const retention = retentionFor({ outboxRetentionHours: 24, inboxRetentionHours: 168, batchSize: 100 });

    const round = retention.prune();
    await retention.stop();

    expect(await outboxLeft()).toEqual({ old: 200 });
    expect(await round).toEqual({ outbox: 100, inbox: 0 });
    expect(await retention.prune()).toEqual({ outbox: 0, inbox: 0 });
    expect(await outboxLeft()).toEqual({ old: 200 });
    expect(await inboxLeft()).toEqual({ old: 5 });
  });

  it('joins a round already running rather than starting a second', async () => {
    await addOutboxRows('old', 40, true);
    await ageOutboxRows('old', 48);
    const retention = retentionFor({ outboxRetentionHours: 24, batchSize: 10 });

    const [first, second] = await Promise.all([retention.prune(), retention.prune()]);

    expect(first).toEqual({ outbox: 40, inbox: 0 });
    expect(second).toBe(first);
  });

  it('leaves alone a table it has no retention for, and a schema without an inbox', async () => {
    await addOutboxRows('old', 3, true, `${bare}.outbox`);
    await ageOutboxRows('old', 48, `${bare}.outbox`);
    await addOutboxRows('old', 3, true);
    await ageOutboxRows('old', 48);
    await addInboxRows('old', 2);
    await ageInboxRows('old', 200);

    const inBare = retentionFor({ schema: bare, outboxRetentionHours: 24, inboxRetentionHours: 168 });
    expect(await inBare.prune()).toEqual({ outbox: 3, inbox: 0 });
    expect(await outboxLeft(`${bare}.outbox`)).toEqual({});

    const inboxOnly = retentionFor({ inboxRetentionHours: 168 });
    expect(await inboxOnly.prune()).toEqual({ outbox: 0, inbox: 2 });
    expect(await outboxLeft()).toEqual({ old: 3 });
  });
});
