import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, createContextKey, propagation, type Span } from '@opentelemetry/api';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { Logger } from './logger';
import { inSpan, serviceContext } from './tracing';

/** What the logs say about the HTTP request being served; filled in as it becomes known. */
interface ObservedRequest {
  requestId: string;
  span: Span;
  operationName?: string;
  client?: string;
}

const requestKey = createContextKey('commerce.request');

const current = (): ObservedRequest | undefined => context.active().getValue(requestKey) as ObservedRequest | undefined;

export const requestIdHeader = 'x-request-id';

/** A caller's id is kept when it is a plain token; anything else (too long, odd characters) is replaced. */
const acceptableRequestId = /^[\w.:-]{1,128}$/;

function requestIdOf(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given !== undefined && acceptableRequestId.test(given) ? given : randomUUID();
}

/** The id of the request being served, for the logs and the calls it makes. */
export function currentRequestId(): string | undefined {
  return current()?.requestId;
}

/** Records which GraphQL operation the request runs. */
export function noteOperation(name: string | null | undefined, type: string): void {
  const request = current();
  if (!request) return;
  if (name) request.operationName = name;
  request.span.setAttributes({ 'graphql.operation.type': type, ...(name ? { 'graphql.operation.name': name } : {}) });
}

/** Records which client application (or partner) the request came from. */
export function noteClient(client: string): void {
  const request = current();
  if (!request) return;
  request.client = client;
  request.span.setAttribute('graphql.client.name', client);
}

/** Notes each operation's name and type once Apollo has resolved it (whatever the client sent or left out). */
export const operationObserver: ApolloServerPlugin<BaseContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operationName, operation }) {
        if (operation) noteOperation(operationName, operation.operation);
      },
    };
  },
};

export interface ObserveOptions {
  service: string;
  logger: Logger;
  /** The level of the line logged per request: the gateway's are worth `info`, a subgraph's fetches `debug`. */
  level?: 'info' | 'debug';
}

const observedPath = (url: string | undefined) => new URL(url ?? '/', 'http://localhost').pathname === '/graphql';

/**
 * Serves each GraphQL request inside a SERVER span continuing the caller's
 * W3C trace context, under a request id (the caller's `x-request-id`, or a new
 * one) echoed in the response, and logs one line for it once answered. Health
 * checks and other paths go through unobserved.
 */
export function observeRequests(
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  options: ObserveOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const level = options.level ?? 'info';
  return (req, res) => {
    if (!observedPath(req.url)) return handler(req, res);
    const method = req.method ?? 'GET';
    const parent = serviceContext(options.service, propagation.extract(ROOT_CONTEXT, req.headers));
    const attributes = { 'http.request.method': method, 'url.path': '/graphql' };
    return inSpan(`${method} /graphql`, { kind: SpanKind.SERVER, attributes }, parent, async (span) => {
      const request: ObservedRequest = { requestId: requestIdOf(req.headers[requestIdHeader]), span };
      res.setHeader(requestIdHeader, request.requestId);
      span.setAttribute(`http.request.header.${requestIdHeader}`, [request.requestId]);
      const started = performance.now();
      await context.with(context.active().setValue(requestKey, request), async () => {
        try {
          await handler(req, res);
        } finally {
          span.setAttribute('http.response.status_code', res.statusCode);
          if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          const { operationName, client } = request;
          const durationMs = Math.round(performance.now() - started);
          options.logger[level]({ method, status: res.statusCode, durationMs, operationName, client }, 'request completed');
        }
      });
    });
  };
}
