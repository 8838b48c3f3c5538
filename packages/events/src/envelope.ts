import { randomUUID } from 'node:crypto';

/**
 * Every domain event travels in this envelope. `id` is what consumers
 * deduplicate on; `aggregateId` orders events of one entity.
 */
export interface EventEnvelope<TType extends string = string, TPayload = unknown> {
  id: string;
  type: TType;
  version: number;
  occurredAt: string;
  aggregateId: string;
  /** Shared by every event one request caused, across hops. */
  correlationId: string;
  /** W3C trace context of the change that caused the event, when there is one. */
  traceparent?: string;
  /** Vendor trace state travelling with `traceparent`, when there is any. */
  tracestate?: string;
  payload: TPayload;
}

export function createEvent<TType extends string, TPayload>(
  type: TType,
  aggregateId: string,
  payload: TPayload,
  options: { correlationId?: string; traceparent?: string; version?: number } = {},
): EventEnvelope<TType, TPayload> {
  const id = randomUUID();
  return {
    id,
    type,
    version: options.version ?? 1,
    occurredAt: new Date().toISOString(),
    aggregateId,
    correlationId: options.correlationId ?? id,
    ...(options.traceparent ? { traceparent: options.traceparent } : {}),
    payload,
  };
}
