import type { EntityManager } from 'typeorm';
import type { EventEnvelope } from './envelope';
import type { EventLogger } from './logger';
import { appendEvents } from './outbox/append';

/**
 * What a saga step did: the events to append in its transaction, or why it
 * did nothing (an event that no longer applies, which is not an error).
 */
export type SagaStep = { events: EventEnvelope[]; ignored?: undefined } | { events: []; ignored: string };

export const ignoreStep = (why: string): SagaStep => ({ events: [], ignored: why });

/**
 * Finishes a consumer's handling of `event`: the step's events go to the
 * outbox in the same transaction, or the reason it did nothing is logged at
 * debug (the event is still acknowledged).
 */
export async function recordSagaStep(
  manager: EntityManager,
  schema: string,
  event: EventEnvelope,
  step: SagaStep,
  logger: EventLogger,
): Promise<void> {
  if (step.ignored) {
    logger.debug({ eventId: event.id, type: event.type, aggregateId: event.aggregateId, why: step.ignored }, 'Saga event ignored');
    return;
  }
  await appendEvents(manager, schema, step.events);
}
