import { createDataSource } from '@commerce/service-kit';
import { createTestDatabase, type TestDatabase } from '@commerce/service-kit/src/testing';
import { ordersSubgraph } from '../src/server';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(() => database.drop());

describe('orders migrations', () => {
  it('apply to an empty database and revert to nothing', async () => {
    const dataSource = createDataSource({
      url: database.url,
      schema: 'orders',
      entities: ordersSubgraph.entities,
      migrations: ordersSubgraph.migrations,
    });
    await dataSource.initialize();
    try {
      await dataSource.query('CREATE SCHEMA orders');
      const applied = await dataSource.runMigrations();
      expect(applied).toHaveLength(ordersSubgraph.migrations.length);

      // Everything in the schema but TypeORM's own bookkeeping table and its key.
      const relations = async () =>
        ((await dataSource.query(
          `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'orders' AND c.relname NOT LIKE 'migrations%'
             AND c.oid NOT IN (SELECT indexrelid FROM pg_index WHERE indrelid = 'orders.migrations'::regclass)
           ORDER BY 1`,
        )) as { name: string }[]).map((r) => r.name);
      expect(await relations()).toEqual(
        expect.arrayContaining(['orders', 'order_items', 'order_status_changes', 'catalog_products', 'catalog_shops', 'outbox', 'inbox']),
      );

      for (let i = 0; i < applied.length; i += 1) await dataSource.undoLastMigration();
      expect(await relations()).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });
});
