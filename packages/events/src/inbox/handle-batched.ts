import { context, type Context } from '@opentelemetry/api';
import type { DataSource, EntityManager } from 'typeorm';
import type { EventEnvelope } from '../envelope';
import { checkedSchema } from '../sql-names';
import { validatePayload, type KnownEvent } from '../validation';
import { handleOnce } from './handle-once';

interface Waiting {
  event: EventEnvelope;
  /** The delivery's trace context: its handler runs in it, so the events it appends continue its trace. */
  context: Context;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * {@link handleOnce} with group commit: while one transaction runs, the
 * deliveries that arrive (up to the bus's prefetch) wait, and then go together
 * in the next one — one inbox INSERT for all their ids, each handler in turn
 * on the same transaction, one COMMIT (and one disk sync) for them all. A
 * lone delivery goes at once, alone, so a quiet consumer waits for nothing.
 *
 * Each caller's promise settles once its event's transaction has committed,
 * so the bus acknowledges nothing that could still roll back. When any
 * handler of a batch throws, nothing of the batch commits and every event of
 * it goes again in a transaction of its own, so only the failing one fails
 * (its handler runs twice; handlers must be safe to retry, as for any
 * redelivery).
 *
 * One transaction at a time per handler: a batch's handlers lock rows in no
 * agreed order, and two batches at once could deadlock on them. Two events of
 * one aggregate never share a batch, since the buses deliver an aggregate's
 * next event only once its previous one settled.
 */
export function handleOnceBatched(
  dataSource: DataSource,
  schema: string,
  consumer: string,
  handler: (event: KnownEvent, manager: EntityManager) => Promise<void>,
  options: { maxBatch?: number } = {},
): (event: EventEnvelope) => Promise<void> {
  const s = checkedSchema(schema);
  const maxBatch = options.maxBatch ?? 64;
  const alone = handleOnce(dataSource, schema, consumer, handler);
  const waiting: Waiting[] = [];
  let draining = false;

  const runAlone = (item: Waiting) => context.with(item.context, () => alone(item.event)).then(item.resolve, item.reject);

  const runTogether = async (batch: Waiting[]) => {
    await dataSource.transaction(async (manager) => {
      const inserted: { event_id: string }[] = await manager.query(
        `INSERT INTO ${s}.inbox (event_id, consumer) SELECT DISTINCT unnest($1::uuid[]), $2::text ON CONFLICT DO NOTHING RETURNING event_id`,
        [batch.map((item) => item.event.id), consumer],
      );
      const fresh = new Set(inserted.map((row) => row.event_id.toLowerCase()));
      for (const item of batch) {
        // A second copy of an id in the batch finds it handled, as a redelivery would.
        if (!fresh.delete(item.event.id.toLowerCase())) continue;
        await context.with(item.context, () => handler(validatePayload(item.event), manager));
      }
    });
  };

  const drain = async () => {
    draining = true;
    while (waiting.length > 0) {
      const batch = waiting.splice(0, maxBatch);
      if (batch.length === 1) {
        await runAlone(batch[0]!);
        continue;
      }
      try {
        await runTogether(batch);
      } catch {
        // Nothing of the batch committed: each event goes again alone, so one failure stays its own.
        await Promise.all(batch.map(runAlone));
        continue;
      }
      for (const item of batch) item.resolve();
    }
    draining = false;
  };

  return (event) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ event, context: context.active(), resolve, reject });
      if (!draining) void drain();
    });
}
