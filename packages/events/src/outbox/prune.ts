import type { DataSource } from 'typeorm';
import { deleteInBatches, type PruneOptions } from '../prune-batches';
import { checkedSchema } from '../sql-names';

/**
 * Deletes `<schema>.outbox` rows published more than `retentionHours` ago, in
 * batches; resolves with how many went. Unpublished rows stay whatever their
 * age: they are events still owed to the broker. Published ones are kept a
 * while only as a record, and they carry whole payloads (a card token in
 * `order.placed`), so they should not outlive that use.
 */
export function pruneOutbox(dataSource: DataSource, schema: string, options: PruneOptions): Promise<number> {
  return deleteInBatches(dataSource, `${checkedSchema(schema)}.outbox`, 'published_at', options);
}
