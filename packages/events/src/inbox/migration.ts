import { checkedSchema } from '../sql-names';

/**
 * DDL of `<schema>.inbox`: one row per (event, consumer) handled, written in
 * the same transaction as the handler's effects.
 */
export function inboxMigrationSql(schema: string): { up: string[]; down: string[] } {
  const s = checkedSchema(schema);
  return {
    up: [
      `CREATE TABLE ${s}.inbox (
        event_id uuid NOT NULL,
        consumer text NOT NULL,
        handled_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (event_id, consumer)
      )`,
    ],
    down: [`DROP TABLE ${s}.inbox`],
  };
}

/**
 * The index pruning `<schema>.inbox` reads ({@link pruneInbox}), for a later
 * migration of its own. Built `CONCURRENTLY`, since the inbox it arrives at may
 * be large and a plain build would hold up every handler recording an event:
 * the migration class must set `transaction = false`. `IF NOT EXISTS` lets a
 * run that built the index and then died before recording the migration go again.
 * The drop is plain (quick, and TypeORM reverts inside a transaction whatever the class says).
 */
export function inboxRetentionMigrationSql(schema: string): { up: string[]; down: string[] } {
  const s = checkedSchema(schema);
  return {
    up: [`CREATE INDEX CONCURRENTLY IF NOT EXISTS inbox_handled_at_idx ON ${s}.inbox (handled_at)`],
    down: [`DROP INDEX IF EXISTS ${s}.inbox_handled_at_idx`],
  };
}
