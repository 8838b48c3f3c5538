import type { DataSource } from 'typeorm';

export interface PruneOptions {
  /** Rows older than this many hours go; must be positive. */
  retentionHours: number;
  /** Rows per DELETE. Default 1000. */
  batchSize?: number;
  /** Asked after each batch: true ends the pruning there (a stopping service). */
  stopping?: () => boolean;
  /** Told each batch's count once it has committed, e.g. for a metric. */
  onBatch?: (rows: number) => void;
}

/**
 * Deletes the rows of `table` whose `column` is older than the retention, a
 * batch per statement until a batch comes back short.
 *
 * Each batch is one autocommitted statement, never a transaction around all
 * of them: its locks last one statement, and under the embedded PGlite (one
 * session for everyone) requests waiting for the connection get it between
 * batches. The victims are chosen `FOR UPDATE SKIP LOCKED`, so pruners on
 * several instances take disjoint batches and never wait for one another;
 * `ARRAY(…)` makes Postgres pick them once (an init plan), then delete by ctid.
 * A row older than the cutoff compares true only when `column` is set, so a
 * NULL (an unpublished outbox row) is never deleted.
 */
export async function deleteInBatches(dataSource: DataSource, table: string, column: string, options: PruneOptions): Promise<number> {
  const batchSize = options.batchSize ?? 1000;
  if (!(options.retentionHours > 0)) throw new RangeError(`The retention of ${table} must be a positive number of hours`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`The batch size pruning ${table} must be a positive integer`);
  const sql = `WITH pruned AS (
      DELETE FROM ${table} WHERE ctid = ANY(ARRAY(
        SELECT ctid FROM ${table} WHERE ${column} < now() - $1::float8 * interval '1 hour'
        LIMIT $2 FOR UPDATE SKIP LOCKED))
      RETURNING 1)
    SELECT count(*)::int AS rows FROM pruned`;
  let total = 0;
  for (;;) {
    const result: { rows: number }[] = await dataSource.query(sql, [options.retentionHours, batchSize]);
    const rows = result[0]!.rows;
    total += rows;
    if (rows > 0) options.onBatch?.(rows);
    // A short batch means nothing old was left unlocked; what another pruner holds, it deletes.
    if (rows < batchSize || options.stopping?.()) return total;
  }
}
