import type { EntityManager } from 'typeorm';
import type { EventEnvelope } from '../envelope';
import { checkedSchema } from '../sql-names';
import { withActiveTrace } from '../trace-context';
import { parseEnvelope } from '../validation';

/**
 * Records events in the outbox inside the caller's transaction, so they are
 * published if and only if the change they announce commits. Wake the relay
 * (`relay.notify()`) after the commit to publish them without waiting for its poll.
 *
 * @throws when `manager` is not inside a transaction: the events would then
 *   commit on their own, which is exactly what the outbox exists to prevent.
 */
export async function appendEvents(manager: EntityManager, schema: string, events: EventEnvelope[]): Promise<void> {
  const s = checkedSchema(schema);
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error('appendEvents must run inside the transaction that makes the change the events announce');
  }
  if (events.length === 0) return;
  const values: string[] = [];
  const parameters: unknown[] = [];
  // The request or handler making the change is the trace its events continue.
  for (const event of events.map((event) => withActiveTrace(parseEnvelope(event)))) {
    const n = parameters.length;
    values.push(`($${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}::jsonb)`);
    parameters.push(event.id, event.type, event.aggregateId, JSON.stringify(event));
  }
  await manager.query(`INSERT INTO ${s}.outbox (id, type, aggregate_id, envelope) VALUES ${values.join(', ')}`, parameters);
}
