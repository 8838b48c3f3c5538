import { isSpanContextValid, trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type Logger } from 'pino';
import { currentRequestId } from './observed-request';

export type { Logger };

/**
 * Fields whose values are credentials, wherever they appear (up to three
 * levels down, e.g. `req.headers.authorization` or `variables.input.cardToken`).
 */
const secretFields = ['password', 'token', 'accessToken', 'authorization', 'cookie', 'cardToken', 'apiKey', 'x-api-key'];

const prefixes = ['', '*', '*.*', '*.*.*'];
const pathTo = (prefix: string, field: string) => (/^\w+$/.test(field) ? (prefix ? `${prefix}.${field}` : field) : `${prefix}["${field}"]`);

const redactedPaths = [
  ...secretFields.flatMap((field) => prefixes.map((prefix) => pathTo(prefix, field))),
  // A failed query's parameters: password hashes, card tokens.
  'err.parameters',
];

/** The trace and request the line was logged in, so one request's lines can be found across services. */
function correlation(): Record<string, string> {
  const fields: Record<string, string> = {};
  const span = trace.getActiveSpan()?.spanContext();
  if (span && isSpanContextValid(span)) {
    fields.trace_id = span.traceId;
    fields.span_id = span.spanId;
  }
  const requestId = currentRequestId();
  if (requestId) fields.requestId = requestId;
  return fields;
}

/** Structured JSON logs, with trace and request ids; credentials are redacted wherever they appear. */
export function createLogger(service: string, level: string = 'info', destination?: DestinationStream): Logger {
  const options = { name: service, level, mixin: correlation, redact: { paths: redactedPaths, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
