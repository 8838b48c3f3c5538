import type { EventType, PayloadOf } from './contracts';
import { createEvent, type EventEnvelope } from './envelope';

/**
 * Creates an event of a catalogued type; the compiler holds the payload to the
 * type's contract, so producers cannot drift from what consumers validate.
 */
export function domainEvent<T extends EventType>(
  type: T,
  aggregateId: string,
  payload: PayloadOf<T>,
  options: { correlationId?: string; traceparent?: string } = {},
): EventEnvelope<T, PayloadOf<T>> {
  return createEvent(type, aggregateId, payload, options);
}
