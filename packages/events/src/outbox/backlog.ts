import type { DataSource } from 'typeorm';
import { checkedSchema } from '../sql-names';

export interface OutboxBacklog {
  /** Events written and not yet published. */
  pending: number;
  /** Seconds since the oldest of them was written; 0 when there is none. */
  oldestAgeSeconds: number;
}

/**
 * How far `<schema>.outbox`'s relay is behind, in one query over the
 * unpublished rows (which the partial index keeps few). A plain read: it
 * neither waits for nor disturbs the rows a relay holds locked.
 */
export async function outboxBacklog(dataSource: DataSource, schema: string): Promise<OutboxBacklog> {
  const s = checkedSchema(schema);
  const rows: { pending: number; age: number }[] = await dataSource.query(
    `SELECT count(*)::int AS pending, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS age
     FROM ${s}.outbox WHERE published_at IS NULL`,
  );
  return { pending: rows[0]!.pending, oldestAgeSeconds: rows[0]!.age };
}
