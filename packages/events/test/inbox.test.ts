import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { createEvent, handleOnce, inboxMigrationSql, InvalidEventError, type EventEnvelope, type KnownEvent } from '../src';
import { openEventsTestDatabase, type EventsTestDatabase } from './database';

const schema = 'orders';

let database: EventsTestDatabase;

beforeAll(async () => {
  database = await openEventsTestDatabase(schema, [
    ...inboxMigrationSql(schema).up,
    `CREATE TABLE ${schema}.shop_names (shop_id uuid PRIMARY KEY, name text NOT NULL, applied integer NOT NULL DEFAULT 1)`,
  ]);
});

afterAll(async () => {
  await database.close();
});

/** The effect under test: upserting counts how many times the handler's write ran. */
async function applyShopName(event: KnownEvent, manager: EntityManager): Promise<void> {
  if (event.type !== 'catalog.shop.changed') return;
  await manager.query(
    `INSERT INTO ${schema}.shop_names (shop_id, name) VALUES ($1, $2)
     ON CONFLICT (shop_id) DO UPDATE SET name = excluded.name, applied = shop_names.applied + 1`,
    [event.payload.shopId, event.payload.name],
  );
}

function shopChanged(name = 'Corner shop'): EventEnvelope {
  const shopId = randomUUID();
  return createEvent('catalog.shop.changed', shopId, { shopId, ownerId: randomUUID(), name });
}

async function appliedCount(event: EventEnvelope): Promise<number> {
  const rows: { applied: number }[] = await database.dataSource.query(`SELECT applied FROM ${schema}.shop_names WHERE shop_id = $1`, [
    event.aggregateId,
  ]);
  return rows[0]?.applied ?? 0;
}

async function inboxRows(event: EventEnvelope): Promise<string[]> {
  const rows: { consumer: string }[] = await database.dataSource.query(`SELECT consumer FROM ${schema}.inbox WHERE event_id = $1`, [event.id]);
  return rows.map((row) => row.consumer);
}

describe('handleOnce (the inbox)', () => {
  it('applies an event delivered twice only once', async () => {
    const handle = handleOnce(database.dataSource, schema, 'read-model', applyShopName);
    const event = shopChanged();

    await handle(event);
    await handle(event);

    expect(await appliedCount(event)).toBe(1);
    expect(await inboxRows(event)).toEqual(['read-model']);
  });

  it('applies an event delivered twice at the same moment only once', async () => {
    const handle = handleOnce(database.dataSource, schema, 'read-model', applyShopName);
    const event = shopChanged();

    await Promise.all([handle(event), handle(event), handle(event)]);

    expect(await appliedCount(event)).toBe(1);
  });

  it('lets each consumer handle the same event once', async () => {
    const event = shopChanged();

    await handleOnce(database.dataSource, schema, 'read-model', applyShopName)(event);
    await handleOnce(database.dataSource, schema, 'audit', applyShopName)(event);

    expect(await appliedCount(event)).toBe(2);
    expect((await inboxRows(event)).sort()).toEqual(['audit', 'read-model']);
  });

  it('leaves neither the effect nor an inbox row when the handler throws, so a redelivery succeeds', async () => {
    let failing = true;
    const handle = handleOnce(database.dataSource, schema, 'read-model', async (event, manager) => {
      await applyShopName(event, manager);
      if (failing) throw new Error('downstream hiccup');
    });
    const event = shopChanged();

    await expect(handle(event)).rejects.toThrow('downstream hiccup');
    expect(await appliedCount(event)).toBe(0);
    expect(await inboxRows(event)).toEqual([]);

    failing = false;
    await handle(event);
    expect(await appliedCount(event)).toBe(1);
  });

  it('rejects an event whose payload breaks its contract as invalid, without calling the handler', async () => {
    const handler = jest.fn(applyShopName);
    const handle = handleOnce(database.dataSource, schema, 'read-model', handler);
    const event = createEvent('catalog.shop.changed', randomUUID(), { shopId: 'not-a-uuid' });

    await expect(handle(event)).rejects.toBeInstanceOf(InvalidEventError);
    expect(handler).not.toHaveBeenCalled();
    expect(await inboxRows(event)).toEqual([]);
  });
});
