import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLFormattedError } from 'graphql';
import { sendJson, type VerifiedToken } from '@commerce/service-kit';
import { refusal, RefusalCode } from '../errors/registry';
import type { SubscribeParams } from '../subscriptions/service';
import type { HttpTransport } from './http-transport';
import { asRefusal, sendRefusal } from './refusals';
import type { TransportOptions } from './transport-options';

/** Apollo Client asks for a subscription over HTTP with this in its Accept header. */
export function isMultipartSubscription(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? '';
  return req.method === 'POST' && accept.includes('multipart/mixed') && accept.includes('subscriptionSpec');
}

/** Proxies drop a response that stays silent; an empty part every few seconds keeps it open. */
const heartbeatMs = 5_000;

function paramsOf(body: unknown): SubscribeParams | null {
  if (typeof body !== 'object' || body === null || typeof (body as { query?: unknown }).query !== 'string') return null;
  const { query, variables, operationName } = body as Record<string, unknown>;
  if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) return null;
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return null;
  return { query: query as string, variables: variables as Record<string, unknown> | null, operationName: operationName as string | null };
}

/**
 * The multipart HTTP subscription protocol Apollo Client speaks: one POST,
 * answered with `multipart/mixed;boundary="graphql";subscriptionSpec="1.0"`,
 * each result a JSON part `{"payload": …}`, `{}` as a heartbeat, and the
 * closing boundary when the stream ends. A refused subscription is an
 * ordinary JSON GraphQL response, as Apollo Client expects. The front door
 * has admitted the request as it admits plain HTTP, so it may carry a
 * persisted id.
 */
export function createMultipartTransport(options: TransportOptions): HttpTransport {
  const { service, callers, formatError } = options;
  // A subscription refused past admission is a GraphQL result (200), which Apollo Client hands to the subscriber.
  const refuseSubscription = (res: ServerResponse, errors: readonly GraphQLFormattedError[]) => sendJson(res, 200, { errors });

  return async (req: IncomingMessage, res: ServerResponse, request) => {
    let token: VerifiedToken | null;
    try {
      token = await callers.of(req);
    } catch (error) {
      return sendRefusal(res, asRefusal(error));
    }
    // Anything but a JSON object (unparsable, or not sent as JSON) is refused here, for want of a query.
    const params = paramsOf(request.body);
    if (!params) return sendRefusal(res, refusal(RefusalCode.BadRequest, 'Send a JSON body with a `query` string (and optional `variables`, `operationName`)'));
    const subscribed = await service.subscribe(params, token, () => !res.destroyed);
    if ('errors' in subscribed) return refuseSubscription(res, subscribed.errors.map(formatError));

    const { stream } = subscribed;
    res.writeHead(200, { 'content-type': 'multipart/mixed;boundary="graphql";subscriptionSpec="1.0"', 'cache-control': 'no-cache' });
    res.write('\r\n--graphql');
    const part = (body: object) => res.write(`\r\ncontent-type: application/json; charset=utf-8\r\n\r\n${JSON.stringify(body)}\r\n--graphql`);
    const heartbeat = setInterval(() => part({}), heartbeatMs);
    res.once('close', () => void stream.return());
    try {
      for await (const result of stream) {
        if (res.destroyed) break;
        part({ payload: result });
      }
    } finally {
      clearInterval(heartbeat);
      if (!res.destroyed) res.end('--\r\n');
    }
  };
}
