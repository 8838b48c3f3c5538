import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import type { EventEnvelope } from './envelope';

/**
 * An event carries the W3C trace context of the change that caused it, so the
 * trace of a request goes on through every consumer of its events and the
 * events those consumers write in turn. Only the OpenTelemetry API is used
 * here: the process that runs the bus registers (or not) the SDK and the
 * propagator.
 */
const tracer = trace.getTracer('@commerce/events');

type TraceFields = Pick<EventEnvelope, 'traceparent' | 'tracestate'>;

/** The event with the active trace context, unless it already has one (an event keeps the trace it was born in). */
export function withActiveTrace(event: EventEnvelope): EventEnvelope {
  if (event.traceparent) return event;
  const fields: TraceFields = {};
  propagation.inject(context.active(), fields);
  return fields.traceparent ? { ...event, ...fields } : event;
}

/** The event's trace context as message headers, for consumers that read headers rather than bodies. */
export function traceHeaders(event: EventEnvelope): Record<string, string> {
  const headers: Record<string, string> = {};
  if (event.traceparent) headers.traceparent = event.traceparent;
  if (event.tracestate) headers.tracestate = event.tracestate;
  return headers;
}

/**
 * Runs `handle` in a CONSUMER span, a child of the trace that caused the
 * event: from the message headers when they carry it, else from the envelope.
 * It starts from the root context, never from whatever the delivery happened
 * to run in.
 */
export function consumeTraced(queue: string, event: EventEnvelope, headers: Record<string, unknown> | undefined, handle: () => Promise<void>): Promise<void> {
  const carrier = typeof headers?.traceparent === 'string' ? headers : event;
  const attributes = {
    'messaging.operation.type': 'process',
    'messaging.destination.name': queue,
    'messaging.message.id': event.id,
    'messaging.message.conversation_id': event.correlationId,
    'event.type': event.type,
  };
  return tracer.startActiveSpan(`process ${event.type}`, { kind: SpanKind.CONSUMER, attributes }, propagation.extract(ROOT_CONTEXT, carrier), async (span) => {
    try {
      await handle();
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}
