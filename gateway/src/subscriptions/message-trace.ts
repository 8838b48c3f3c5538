import { ROOT_CONTEXT, SpanKind, propagation } from '@opentelemetry/api';
import { inSpan, serviceContext } from '@commerce/service-kit';

/**
 * Resolves a live message in a span continuing the trace of the change it
 * announces (the publishing subgraph put its trace context in the message),
 * or in a trace of its own for a message without one (a current state). The
 * trace fields stay out of the root value: the resolution's fetches carry the
 * trace in their headers.
 */
export function resolveInMessageTrace<T>(message: object, resolve: (message: object) => Promise<T>): Promise<T> {
  const { traceparent, tracestate, ...rest } = message as { traceparent?: unknown; tracestate?: unknown };
  const parent = typeof traceparent === 'string' ? propagation.extract(ROOT_CONTEXT, { traceparent, tracestate }) : ROOT_CONTEXT;
  return inSpan('live message', { kind: SpanKind.CONSUMER }, serviceContext('gateway', parent), () => resolve(rest));
}
