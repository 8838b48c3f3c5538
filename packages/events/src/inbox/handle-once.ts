import type { DataSource, EntityManager } from 'typeorm';
import type { EventEnvelope } from '../envelope';
import { checkedSchema } from '../sql-names';
import { validatePayload, type KnownEvent } from '../validation';

/**
 * Makes a handler idempotent on the event id, per consumer: the inbox row and
 * the handler's writes (through `manager`) commit together or not at all.
 *
 * - a redelivered event finds its row and changes nothing;
 * - two deliveries at once serialize on the row's key, the second then skips;
 * - a handler that throws rolls its row back, so a redelivery tries again;
 * - a payload that breaks its contract throws {@link InvalidEventError}, which
 *   the buses drop instead of retrying.
 *
 * @param consumer names the handler, so one service may handle an event in
 *   several independent ways.
 */
export function handleOnce(
  dataSource: DataSource,
  schema: string,
  consumer: string,
  handler: (event: KnownEvent, manager: EntityManager) => Promise<void>,
): (event: EventEnvelope) => Promise<void> {
  const s = checkedSchema(schema);
  return (event) =>
    dataSource.transaction(async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO ${s}.inbox (event_id, consumer) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id`,
        [event.id, consumer],
      );
      if (inserted.length === 0) return;
      await handler(validatePayload(event), manager);
    });
}
