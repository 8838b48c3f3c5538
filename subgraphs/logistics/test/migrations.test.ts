import { openDatabase } from '@commerce/service-kit';
import { createTestDatabase, type TestDatabase } from '@commerce/service-kit/src/testing';
import type { DataSource } from 'typeorm';
import { logisticsSubgraph } from '../src/server';

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
  Number((await dataSource.query(`SELECT count(*) AS n FROM logistics.migrations`))[0].n);

describe('logistics migrations', () => {
  it('apply to an empty database and revert completely', async () => {
    dataSource = await openDatabase({
      url: database.url,
      schema: 'logistics',
      entities: logisticsSubgraph.entities,
      migrations: logisticsSubgraph.migrations,
    });
    expect(await tableExists('logistics.shipments')).toBe(true);
    expect(await tableExists('logistics.positions')).toBe(true);

    while ((await appliedMigrations()) > 0) await dataSource.undoLastMigration();

    expect(await tableExists('logistics.shipments')).toBe(false);
    expect(await tableExists('logistics.positions')).toBe(false);
  });
});
