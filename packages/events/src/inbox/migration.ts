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
