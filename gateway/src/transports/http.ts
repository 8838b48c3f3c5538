import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, readJsonBody, respondMetrics, sendJson, type Logger } from '@commerce/service-kit';
import { refusal, RefusalCode } from '../errors/registry';
import { sendHealth, type GatewayHealth } from '../http/health';
import { bodyBytesCeiling } from '../limits/settings';
import type { GatewayMetrics } from '../metrics/gateway-metrics';
import type { Admission, GraphQLHttpRequest } from '../operations/admission';
import type { Client } from '../operations/clients';
import type { RequestCallers } from '../tokens/callers';
import type { HttpTransport } from './http-transport';
import { isMultipartSubscription } from './multipart';
import { sendRefusal } from './refusals';
import { isSseRequest } from './sse';

export interface FrontDoorOptions {
  admission: Admission;
  callers: RequestCallers;
  /** Sets the CORS headers of a /graphql request; true when it was a preflight, which it answered. */
  cors: (req: IncomingMessage, res: ServerResponse) => boolean;
  health: () => Promise<GatewayHealth>;
  /** GET /health/ready: the health above, turned unavailable once the gateway starts draining. */
  ready: () => Promise<GatewayHealth>;
  metrics: GatewayMetrics;
  /** Outside production: GraphiQL's page and assets; true when it answered. */
  explorer?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  /** Queries and mutations (Apollo). */
  graphql: HttpTransport;
  sse: HttpTransport;
  multipart: HttpTransport;
  logger: Logger;
}

/** GET and POST carry an operation; SSE's PUT (reserve a stream) and DELETE (stop one) do not. */
const carriesParams = (method: string) => method === 'GET' || method === 'POST';

/**
 * The gateway's one HTTP handler: GET /health (every subgraph's status),
 * GET /metrics, the explorer outside production, and every GraphQL request
 * on /graphql whatever its protocol. A GraphQL request passes each step
 * once, in this order: CORS, the client identified and counted (admission),
 * the body read within the client's limit, the operation admitted; only then
 * does the transport its headers ask for (multipart, SSE, or plain HTTP)
 * see it. Every refusal on the way is answered by the one refusal mapper.
 * WebSockets upgrade on the same server and path (graphql-ws.ts).
 */
export function createFrontDoor(options: FrontDoorOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { admission, callers } = options;

  const graphql = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    // First, so that every answer below, refusals included, carries the CORS headers; a preflight ends here.
    if (options.cors(req, res)) return;
    const entry = await admission.admitRequest(req, { userId: await callers.userIdOf(req) });
    if ('refused' in entry) return sendRefusal(res, entry.refused);
    const transport = isMultipartSubscription(req) ? 'multipart' : isSseRequest(req) ? 'sse' : 'graphql';
    if (transport === 'graphql' && options.explorer && (await options.explorer(req, res))) return;

    const method = req.method ?? 'GET';
    let request: GraphQLHttpRequest = { method, headers: req.headers, search: url.search, body: undefined };
    if (method === 'POST') {
      const body = await readBodyOrAnswer(req, res, entry.client);
      if (!body) return;
      request.body = body.value;
    }
    if (carriesParams(method)) {
      const admitted = await admission.admitHttp(request, entry.client);
      if ('refused' in admitted) return sendRefusal(res, admitted.refused);
      request = admitted.request;
    }
    if (transport !== 'graphql') options.metrics.connections.track(transport, res);
    await options[transport](req, res, request);
  };

  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      if (req.method === 'GET' && url.pathname === '/health') return sendHealth(res, await options.health());
      if (req.method === 'GET' && url.pathname === '/health/ready') return sendHealth(res, await options.ready());
      // Liveness checks nothing beyond this process answering: a subgraph outage must not restart gateways.
      if (req.method === 'GET' && url.pathname === '/health/live') return sendJson(res, 200, { status: 'ok' });
      if (req.method === 'GET' && url.pathname === '/metrics') return await respondMetrics(res, options.metrics.registry);
      if (url.pathname === '/graphql') return await graphql(req, res, url);
      if (options.explorer && (await options.explorer(req, res))) return;
      sendJson(res, 404, { error: 'not found' });
    } catch (error) {
      options.logger.error({ err: error }, 'unexpected error serving a request');
      if (!res.headersSent) sendRefusal(res, refusal(RefusalCode.InternalServerError));
      else res.end();
    }
  };
}

/**
 * The body, read up to the client's limit (whose Content-Length admission
 * has already checked), or null once answered: past the limit with the 413;
 * when the request stream breaks the client has gone and nobody is left to
 * answer.
 */
async function readBodyOrAnswer(req: IncomingMessage, res: ServerResponse, client: Client | null): Promise<{ value: unknown } | null> {
  try {
    return { value: await readJsonBody(req, client?.limits.bodyBytes ?? bodyBytesCeiling) };
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      // The unread rest of the body must not be taken for the next request on this connection.
      sendRefusal(res, refusal(RefusalCode.BodyTooLarge, error.message, { limit: error.limit }, { connection: 'close' }));
    } else {
      res.destroy();
    }
    return null;
  }
}
