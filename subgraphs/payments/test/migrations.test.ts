import { openDatabase } from '@commerce/service-kit';
import { createTestDatabase, type TestDatabase } from '@commerce/service-kit/src/testing';
import type { DataSource } from 'typeorm';
import { paymentsSubgraph } from '../src/server';

let database: TestDatabase;
let dataSource: DataSource;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await dataSource?.destroy();
  await database.drop();
});

const tableExists = async (name: string): Promise<boolean> =>
  (await dataSource.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [name]))[0].present;

const appliedMigrations = async (): Promise<number> =>
  Number((await dataSource.query(`SELECT count(*) AS n FROM payments.migrations`))[0].n);

describe('payments migrations', () => {
  it('apply to an empty database and revert completely', async () => {
    dataSource = await openDatabase({
      url: database.url,
      schema: 'payments',
      entities: paymentsSubgraph.entities,
      migrations: paymentsSubgraph.migrations,
    });
    expect(await tableExists('payments.payments')).toBe(true);

    while ((await appliedMigrations()) > 0) await dataSource.undoLastMigration();

    expect(await tableExists('payments.payments')).toBe(false);
  });
});
