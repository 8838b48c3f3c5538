import { openDatabase } from '@commerce/service-kit';
import { createTestDatabase, type TestDatabase } from '@commerce/service-kit/src/testing';
import type { DataSource } from 'typeorm';
import { catalogSubgraph } from '../src/server';

let database: TestDatabase;
let dataSource: DataSource | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await dataSource?.destroy();
  await database.drop();
});

/** Every table, index and sequence in the catalog schema but TypeORM's own bookkeeping table and its key. */
const catalogObjects = async (db: DataSource): Promise<string[]> =>
  (
    (await db.query(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'catalog' AND c.relname NOT LIKE 'migrations%'
         AND c.oid NOT IN (SELECT indexrelid FROM pg_index WHERE indrelid = 'catalog.migrations'::regclass)
       ORDER BY 1`,
    )) as { name: string }[]
  ).map((row) => row.name);

describe('catalog migrations', () => {
  it('apply to an empty database and revert to nothing', async () => {
    const db = await openDatabase({
      url: database.url,
      schema: 'catalog',
      entities: catalogSubgraph.entities,
      migrations: catalogSubgraph.migrations,
    });
    dataSource = db;
    expect(await catalogObjects(db)).toEqual(expect.arrayContaining(['shops', 'categories', 'products']));

    const applied = async () => Number((await db.query(`SELECT count(*) AS n FROM catalog.migrations`))[0].n);
    while ((await applied()) > 0) await db.undoLastMigration();

    expect(await catalogObjects(db)).toEqual([]);
  });
});
