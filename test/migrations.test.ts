import type { DataSource } from 'typeorm';
import { openDatabase } from '@commerce/service-kit';
import { createTestDatabase, type TestDatabase } from '@commerce/service-kit/testing';
import { subgraphModules } from '../scripts/stack';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(() => database.drop());

/** Tables, indexes and sequences in a schema, leaving out TypeORM's own bookkeeping table and its key. */
async function objectsIn(db: DataSource, schema: string): Promise<string[]> {
  const rows: { name: string }[] = await db.query(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relname NOT LIKE 'migrations%'
       AND c.oid NOT IN (SELECT indexrelid FROM pg_index WHERE indrelid = to_regclass($1 || '.migrations'))
     ORDER BY 1`,
    [schema],
  );
  return rows.map((row) => row.name);
}

describe.each(subgraphModules.map((module) => [module.name, module] as const))('%s migrations', (schema, module) => {
  it('apply to an empty database, revert to nothing, and apply again', async () => {
    const db = await openDatabase({ url: database.url, schema, entities: module.entities, migrations: module.migrations });
    try {
      const created = await objectsIn(db, schema);
      expect(created.length).toBeGreaterThan(0);

      const applied = async () => Number((await db.query(`SELECT count(*) AS n FROM "${schema}".migrations`))[0].n);
      while ((await applied()) > 0) await db.undoLastMigration();
      expect(await objectsIn(db, schema)).toEqual([]);

      await db.runMigrations();
      expect(await objectsIn(db, schema)).toEqual(created);
    } finally {
      await db.destroy();
    }
  });
});

describe('migrations when replicas start together', () => {
  it('run once: every replica opens the database, each migration is recorded exactly once', async () => {
    const fresh = await createTestDatabase();
    const module = subgraphModules.find((m) => m.name === 'orders')!;
    const replicas: DataSource[] = [];
    try {
      // Four replicas, each with its own pool, reach the empty database at the same moment.
      const opened = await Promise.allSettled(
        Array.from({ length: 4 }, () => openDatabase({ url: fresh.url, schema: module.name, entities: module.entities, migrations: module.migrations })),
      );
      for (const result of opened) if (result.status === 'fulfilled') replicas.push(result.value);
      expect(opened.filter((result) => result.status === 'rejected')).toEqual([]);
      const rows: { name: string; n: string }[] = await replicas[0]!.query(`SELECT name, count(*) AS n FROM "${module.name}".migrations GROUP BY name`);
      expect(rows).toHaveLength(module.migrations.length);
      expect(rows.every((row) => Number(row.n) === 1)).toBe(true);
    } finally {
      await Promise.all(replicas.map((db) => db.destroy()));
      await fresh.drop();
    }
  });
});
