import { DataSource, MigrationExecutor, type EntitySchema, type Logger as TypeOrmLogger, type MigrationInterface, type QueryRunner } from 'typeorm';
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
  try {
    await migrateExclusively(dataSource, options.schema);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

/**
 * Creates the schema and runs pending migrations while holding a Postgres
 * advisory lock keyed on the schema, so replicas that start together migrate
 * once: the first runs them, the others wait and then find nothing pending.
 * The lock is taken and the migrations run on ONE connection (the embedded
 * engine's pool has a single one, and a session lock belongs to its
 * connection); it is released when that connection is, even if this process dies.
 */
export async function migrateExclusively(dataSource: DataSource, schema: string): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  const key = `migrations:${schema}`;
  try {
    await takeAdvisoryLock(runner, key);
    try {
      await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'each';
      await executor.executePendingMigrations();
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
    }
  } finally {
    await runner.release();
  }
}

/**
 * Polls pg_try_advisory_lock instead of blocking in pg_advisory_lock: a
 * session blocked inside a statement holds a snapshot, and a migration that
 * runs CREATE INDEX CONCURRENTLY waits for every such snapshot to end, which
 * Postgres reports as a deadlock between the holder and the waiters.
 */
async function takeAdvisoryLock(runner: QueryRunner, key: string, pollMs = 100): Promise<void> {
  for (;;) {
    const [row] = (await runner.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [key])) as { locked: boolean }[];
    if (row?.locked) return;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
