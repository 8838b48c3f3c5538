import type { DataSource } from 'typeorm';
import { deleteInBatches, type PruneOptions } from '../prune-batches';
import { checkedSchema } from '../sql-names';

/**
 * Deletes `<schema>.inbox` rows handled more than `retentionHours` ago, in
 * batches; resolves with how many went. An event delivered again after its
 * row is gone is handled again, so the retention must outlast every
 * redelivery: broker retries, a republish after a relay crashed, a replayed
 * dead letter (docs/events.md, "Retention").
 */
export function pruneInbox(dataSource: DataSource, schema: string, options: PruneOptions): Promise<number> {
  return deleteInBatches(dataSource, `${checkedSchema(schema)}.inbox`, 'handled_at', options);
}
