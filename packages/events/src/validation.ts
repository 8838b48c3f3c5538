import { z } from 'zod';
import { eventContracts, type EventType, type PayloadOf } from './contracts';
import type { EventEnvelope } from './envelope';
import { InvalidEventError } from './errors';

/** The wire shape of {@link EventEnvelope}; `payload` is checked per type by {@link validatePayload}. */
export const envelopeSchema = z.object({
  id: z.string().uuid(),
  type: z.string().min(1),
  version: z.number().int().positive(),
  occurredAt: z.iso.datetime({ offset: true }),
  aggregateId: z.string().min(1),
  correlationId: z.string().min(1),
  traceparent: z.string().optional(),
  tracestate: z.string().optional(),
  payload: z.unknown().refine((payload) => payload !== undefined, 'Required'),
});

/** An envelope whose type is in the catalogue and whose payload passed that type's contract. */
export type KnownEvent = { [T in EventType]: EventEnvelope<T, PayloadOf<T>> }[EventType];

function issuesOf(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`);
}

/** Checks anything (usually freshly parsed JSON) is an envelope. Throws {@link InvalidEventError}. */
export function parseEnvelope(value: unknown): EventEnvelope {
  const result = envelopeSchema.safeParse(value);
  if (!result.success) throw new InvalidEventError('Invalid event envelope', issuesOf(result.error));
  return { ...result.data, payload: result.data.payload };
}

function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(eventContracts, type);
}

/**
 * Checks the payload against the contract of the event's type and returns the
 * event typed by it. Throws {@link InvalidEventError} for an unknown type or a
 * payload that breaks the contract.
 */
export function validatePayload(event: EventEnvelope): KnownEvent {
  if (!isEventType(event.type)) throw new InvalidEventError(`Unknown event type "${event.type}"`);
  const result = eventContracts[event.type].safeParse(event.payload);
  if (!result.success) {
    throw new InvalidEventError(`Invalid payload for "${event.type}"`, issuesOf(result.error));
  }
  // The map above pairs each type with its validator, so the parsed payload fits the type.
  return { ...event, payload: result.data } as KnownEvent;
}
