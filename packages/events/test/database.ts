import type { DataSource } from 'typeorm';
import { openDatabase } from '@commerce/service-kit';
import { createTestDatabase, type TestDatabase } from '@commerce/service-kit/testing';

export interface EventsTestDatabase {
  dataSource: DataSource;
  close(): Promise<void>;
}

/** A fresh Postgres database with `schema` created and the given DDL run by hand, as a migration would. */
export async function openEventsTestDatabase(schema: string, statements: string[]): Promise<EventsTestDatabase> {
  const database: TestDatabase = await createTestDatabase();
  const dataSource = await openDatabase({ url: database.url, schema, entities: [], migrations: [], poolSize: 6 });
  for (const statement of statements) await dataSource.query(statement);
  return {
    dataSource,
    async close() {
      await dataSource.destroy();
      await database.drop();
    },
  };
}
