import { checkedSchema } from '../sql-names';

/**
 * DDL of `<schema>.outbox`, for a subgraph's own migration class to run
 * statement by statement. `position` is the publishing order; published rows
 * stay (with `published_at`) as a record, and the partial indexes keep the
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
