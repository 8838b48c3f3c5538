import { checkedSchema } from '../sql-names';

/**
 * DDL of `<schema>.outbox`, for a subgraph's own migration class to run
 * statement by statement. `position` is the publishing order; published rows
 * stay (with `published_at`) as a record until pruned (see
 * {@link outboxRetentionMigrationSql}), and the partial indexes keep the
 * relay's queries on the unpublished few.
 */
export function outboxMigrationSql(schema: string): { up: string[]; down: string[] } {
  const s = checkedSchema(schema);
  return {
    up: [
      `CREATE TABLE ${s}.outbox (
        position bigserial PRIMARY KEY,
        id uuid NOT NULL UNIQUE,
        type text NOT NULL,
        aggregate_id text NOT NULL,
        envelope jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      )`,
      `CREATE INDEX outbox_unpublished_idx ON ${s}.outbox (position) WHERE published_at IS NULL`,
      `CREATE INDEX outbox_unpublished_aggregate_idx ON ${s}.outbox (aggregate_id, position) WHERE published_at IS NULL`,
    ],
    down: [`DROP TABLE ${s}.outbox`],
  };
}

/**
 * The index pruning `<schema>.outbox` reads ({@link pruneOutbox}), for a later
 * migration of its own. Built `CONCURRENTLY`, since the outbox it arrives at may
 * be large and a plain build would hold up every write appending events: the
 * migration class must set `transaction = false`. `IF NOT EXISTS` lets a run
 * that built the index and then died before recording the migration go again.
 * The drop is plain (quick, and TypeORM reverts inside a transaction whatever the class says).
 */
export function outboxRetentionMigrationSql(schema: string): { up: string[]; down: string[] } {
  const s = checkedSchema(schema);
  return {
    up: [`CREATE INDEX CONCURRENTLY IF NOT EXISTS outbox_published_at_idx ON ${s}.outbox (published_at) WHERE published_at IS NOT NULL`],
    down: [`DROP INDEX IF EXISTS ${s}.outbox_published_at_idx`],
  };
}
