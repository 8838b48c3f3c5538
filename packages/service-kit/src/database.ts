import { DataSource, type EntitySchema, type Logger as TypeOrmLogger, type MigrationInterface } from 'typeorm';
import { traceQueries } from './traced-queries';

export type MigrationClass = new () => MigrationInterface;

export interface DatabaseOptions {
  /** postgres://… URL of a real server or of an embedded PGlite socket. */
  url: string;
  /** The Postgres schema this subgraph owns; no other subgraph touches it. */
  schema: string;
  entities: EntitySchema<any>[];
  migrations: MigrationClass[];
  /** Connection pool size; the embedded engine serializes anyway, so keep it small there. */
  poolSize?: number;
  logger?: TypeOrmLogger;
}

/**
 * A TypeORM data source on the subgraph's own schema. Tables are only ever
 * changed by migrations: `synchronize` stays off.
 */
export function createDataSource(options: DatabaseOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    logger: options.logger,
    extra: { max: options.poolSize ?? 10, keepAlive: true },
  });
}

/** Connects and brings the schema up to date (creating the Postgres schema itself first); statements inside a trace get spans. */
export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  const dataSource = createDataSource(options);
  traceQueries(dataSource, options.schema);
  await dataSource.initialize();
  await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
  await dataSource.runMigrations();
  return dataSource;
}
