import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { createEvent, handleOnceBatched, inboxMigrationSql, InvalidEventError, type EventEnvelope, type KnownEvent } from '../src';
import { openEventsTestDatabase, type EventsTestDatabase } from './database';

const schema = 'orders';

let database: EventsTestDatabase;

beforeAll(async () => {
  database = await openEventsTestDatabase(schema, [
    ...inboxMigrationSql(schema).up,
    `CREATE TABLE ${schema}.shop_names (shop_id uuid PRIMARY KEY, name text NOT NULL, applied integer NOT NULL DEFAULT 1, txid bigint NOT NULL)`,
  ]);
});

afterAll(async () => {
  await database.close();
});

/** Upserting counts how many times the handler's write committed, and remembers in which transaction. */
async function applyShopName(event: KnownEvent, manager: EntityManager): Promise<void> {
  if (event.type !== 'catalog.shop.changed') return;
  await manager.query(
    `INSERT INTO ${schema}.shop_names (shop_id, name, txid) VALUES ($1, $2, txid_current())
     ON CONFLICT (shop_id) DO UPDATE SET name = excluded.name, applied = shop_names.applied + 1, txid = excluded.txid`,
    [event.payload.shopId, event.payload.name],
  );
}

function shopChanged(name = 'Corner shop'): EventEnvelope {
  const shopId = randomUUID();
  return createEvent('catalog.shop.changed', shopId, { shopId, ownerId: randomUUID(), name });
}

async function applied(events: EventEnvelope[]): Promise<{ count: number; transactions: number }> {
  const rows: { count: number; transactions: number }[] = await database.dataSource.query(
    `SELECT COALESCE(sum(applied), 0)::int AS count, count(DISTINCT txid)::int AS transactions FROM ${schema}.shop_names WHERE shop_id = ANY($1::uuid[])`,
    [events.map((event) => event.aggregateId)],
  );
  return rows[0]!;
}

async function inboxCount(events: EventEnvelope[], consumer: string): Promise<number> {
  const rows: { n: number }[] = await database.dataSource.query(`SELECT count(*)::int AS n FROM ${schema}.inbox WHERE event_id = ANY($1::uuid[]) AND consumer = $2`, [
    events.map((event) => event.id),
    consumer,
  ]);
  return rows[0]!.n;
}

describe('handleOnceBatched (the inbox, with group commit)', () => {
  it('handles the deliveries that arrive while a transaction runs together, in one transaction, each once', async () => {
    const handle = handleOnceBatched(database.dataSource, schema, 'batched', applyShopName);
    const events = Array.from({ length: 10 }, (_, i) => shopChanged(`Shop ${i}`));

    // The first goes at once, alone; the nine arriving meanwhile wait for it and then go together.
    await Promise.all(events.map((event) => handle(event)));

    expect(await applied(events)).toEqual({ count: 10, transactions: 2 });
    expect(await inboxCount(events, 'batched')).toBe(10);
  });

  it('applies an event delivered again, in the same batch or a later one, only once', async () => {
    const handle = handleOnceBatched(database.dataSource, schema, 'batched', applyShopName);
    const [first, second] = [shopChanged(), shopChanged()];

    await Promise.all([handle(shopChanged()), handle(first!), handle(second!), handle(first!)]);
    await Promise.all([handle(shopChanged()), handle(second!), handle(first!)]);

    expect((await applied([first!, second!])).count).toBe(2);
  });

  it('fails only the event whose handler throws: the rest of its batch commits, and a redelivery of it succeeds', async () => {
    const doomed = shopChanged('doomed');
    let failing = true;
    const handle = handleOnceBatched(database.dataSource, schema, 'batched', async (event, manager) => {
      await applyShopName(event, manager);
      if (failing && event.id === doomed.id) throw new Error('downstream hiccup');
    });
    const others = [shopChanged(), shopChanged(), shopChanged()];

    const outcomes = await Promise.allSettled([shopChanged(), others[0]!, doomed, others[1]!, others[2]!].map((event) => handle(event)));

    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((await applied(others)).count).toBe(3);
    expect(await applied([doomed])).toEqual({ count: 0, transactions: 0 });
    expect(await inboxCount([doomed], 'batched')).toBe(0);

    failing = false;
    await handle(doomed);
    expect((await applied([doomed])).count).toBe(1);
  });

  it('rejects an event whose payload breaks its contract as invalid, and handles the rest of its batch', async () => {
    const handle = handleOnceBatched(database.dataSource, schema, 'batched', applyShopName);
    const invalid = createEvent('catalog.shop.changed', randomUUID(), { shopId: 'not-a-uuid' });
    const valid = [shopChanged(), shopChanged()];

    const outcomes = await Promise.allSettled([shopChanged(), valid[0]!, invalid, valid[1]!].map((event) => handle(event)));

    expect(outcomes[2]).toEqual({ status: 'rejected', reason: expect.any(InvalidEventError) });
    expect((await applied(valid)).count).toBe(2);
    expect(await inboxCount([invalid], 'batched')).toBe(0);
  });
});
