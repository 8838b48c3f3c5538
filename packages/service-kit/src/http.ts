import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext, type ContextFunction } from '@apollo/server';
import { getOperationAST, parse, type DocumentNode, type FormattedExecutionResult } from 'graphql';
import type { Registry } from 'prom-client';
import { ErrorCode } from './errors';
import { respondMetrics } from './metrics';
import { isRecord } from './records';

/** What GET /health answers: 200 when every check passes, 503 with the failing reasons otherwise. */
export type HealthCheck = () => Promise<Record<string, string | null>>;

export interface HttpServerOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  context: ContextFunction<[{ req: IncomingMessage }], TContext>;
  health: HealthCheck;
  /** Dependencies the service can do without for a while: reported by /health, but not a 503. */
  degraded?: HealthCheck;
  /** Names among the `degraded` checks that GET /health/ready nonetheless requires (READY_REQUIRES). */
  readyRequires?: readonly string[];
  /** Answers a request before GraphQL does (a subgraph's extra routes, such as users' JWKS); returns true when it did. */
  before?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes?: number;
  /**
   * Answers one event of a live subscription (see SubscriptionEventRequest);
   * without it such requests go to Apollo, which refuses subscriptions.
   */
  subscriptionEvent?: (request: SubscriptionEventRequest, context: () => Promise<TContext>) => Promise<FormattedExecutionResult>;
  /** Served on GET /metrics, in Prometheus's text format. */
  metrics?: Registry;
}

/**
 * The gateway serves subscriptions itself and asks the owning subgraph two
 * things, each a POST of the `subscription` operation:
 * - `extensions.subscriptionAuthorize: true`, once per subscriber when it
 *   subscribes: may this caller open this stream? The field's `subscribe`
 *   resolver answers, by throwing (refused) or returning (allowed).
 * - `extensions.subscriptionEvent: <message>`, once per published change:
 *   the root field with the change as the root value. The answer carries
 *   `extensions.liveSequence` when the resolver reported which change of the
 *   entity it shows (live-sequence.ts).
 */
export interface SubscriptionEventRequest {
  document: DocumentNode;
  variables?: Record<string, unknown>;
  operationName?: string;
  /** The published message; absent for an authorization request. */
  event?: unknown;
  authorize: boolean;
}

export interface RunningHttpServer {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The request body is over the limit of ${limit} bytes`);
  }
}

/**
 * Reads the body up to `limit` bytes. Past the limit it keeps draining (so the
 * client gets a 413 instead of a reset connection) but keeps nothing.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  if (Number(req.headers['content-length']) > limit) return Promise.reject(new BodyTooLargeError(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => (size > limit ? reject(new BodyTooLargeError(limit)) : resolve(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

/**
 * The body of a GraphQL request over HTTP, read up to `limitBytes`: parsed
 * when its content type is JSON and it parses; otherwise the text as sent,
 * which the GraphQL layer refuses with a 400 or 415 of its own; undefined when
 * empty. Past the limit it rejects with BodyTooLargeError (see sendBodyTooLarge).
 */
export async function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  return parseBody(req, await readBody(req, limitBytes));
}

function parseBody(req: IncomingMessage, raw: string): unknown {
  if (raw === '') return undefined;
  const type = req.headers['content-type'] ?? '';
  if (!type.includes('json')) return raw;
  try {
    return JSON.parse(raw);
  } catch {
    // Apollo answers an unparsable JSON body with a 400 of its own.
    return raw;
  }
}

/** The event request the gateway sends, or null for anything else (which Apollo answers as usual). */
export function subscriptionEventOf(body: unknown): SubscriptionEventRequest | null {
  if (!isRecord(body) || !isRecord(body.extensions)) return null;
  const authorize = body.extensions.subscriptionAuthorize === true;
  if (!authorize && !('subscriptionEvent' in body.extensions)) return null;
  if (typeof body.query !== 'string') return null;
  const operationName = typeof body.operationName === 'string' ? body.operationName : undefined;
  let document: DocumentNode;
  try {
    document = parse(body.query);
  } catch {
    return null;
  }
  if (getOperationAST(document, operationName)?.operation !== 'subscription') return null;
  return {
    document,
    operationName,
    variables: isRecord(body.variables) ? body.variables : undefined,
    event: body.extensions.subscriptionEvent,
    authorize,
  };
}

/** Answers with `body` as JSON; `headers` go alongside the content type (and may replace it). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/**
 * The 413 for a body past its limit, with the code the gateway answers it
 * with too. The connection closes: the unread rest of the body must not
 * be taken for the next request on it.
 */
export function sendBodyTooLarge(res: ServerResponse, error: BodyTooLargeError): void {
  sendJson(res, 413, { errors: [{ message: error.message, extensions: { code: ErrorCode.BodyTooLarge, limit: error.limit } }] }, { connection: 'close' });
}

async function problemsOf(check: HealthCheck): Promise<Record<string, string>> {
  let checks: Record<string, string | null>;
  try {
    checks = await check();
  } catch (error) {
    checks = { health: error instanceof Error ? error.message : String(error) };
  }
  return Object.fromEntries(Object.entries(checks).filter((entry): entry is [string, string] => entry[1] !== null));
}

/**
 * 503 with the reasons when a dependency the service cannot serve without is
 * failing (`health`); a failing dependency it can do without for a while
 * (`degraded`: the broker, whose events wait in the outbox, or Redis) is
 * reported but keeps the 200, so an orchestrator does not restart a service
 * that still answers.
 */
export async function respondHealth(res: ServerResponse, health: HealthCheck, degraded?: HealthCheck): Promise<void> {
  const [failing, impaired] = await Promise.all([problemsOf(health), degraded ? problemsOf(degraded) : {}]);
  const ok = Object.keys(failing).length === 0;
  sendJson(res, ok ? 200 : 503, {
    status: ok ? 'ok' : 'unavailable',
    ...(ok ? {} : { reasons: failing }),
    ...(Object.keys(impaired).length > 0 ? { degraded: impaired } : {}),
  });
}

/**
 * GET /health/ready (Kubernetes readiness: may this process take traffic?): a
 * 503 while a required dependency fails, the `health` checks plus those
 * `degraded` ones named in `requires`; 200 again as soon as they answer,
 * since every check runs afresh on each probe.
 */
export async function respondReadiness(res: ServerResponse, health: HealthCheck, degraded: HealthCheck | undefined, requires: readonly string[]): Promise<void> {
  const [failing, impaired] = await Promise.all([problemsOf(health), degraded ? problemsOf(degraded) : {}]);
  const required = Object.fromEntries(Object.entries(impaired).filter(([name]) => requires.includes(name)));
  const reasons = { ...failing, ...required };
  const ok = Object.keys(reasons).length === 0;
  sendJson(res, ok ? 200 : 503, { status: ok ? 'ok' : 'unavailable', ...(ok ? {} : { reasons }) });
}

/**
 * GET /health/live (Kubernetes liveness: should this process be restarted?):
 * 200 while it answers at all. It checks no dependency on purpose: restarting
 * every replica because the database is down would not bring it back.
 */
export function respondLiveness(res: ServerResponse): void {
  sendJson(res, 200, { status: 'ok' });
}

/**
 * Serves a subgraph's Apollo Server on /graphql, GET /health and (given a
 * registry) GET /metrics over plain node:http, with HTTP keep-alive so the
 * gateway can reuse its connections. The gateway has its own front door
 * (gateway/src/transports/http.ts).
 */
export function createHttpHandler<TContext extends BaseContext>(options: HttpServerOptions<TContext>) {
  const maxBodyBytes = options.maxBodyBytes ?? 1_000_000;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      if (url.pathname === '/health' && req.method === 'GET') return await respondHealth(res, options.health, options.degraded);
      if (url.pathname === '/health/live' && req.method === 'GET') return respondLiveness(res);
      if (url.pathname === '/health/ready' && req.method === 'GET') return await respondReadiness(res, options.health, options.degraded, options.readyRequires ?? []);
      if (url.pathname === '/metrics' && req.method === 'GET' && options.metrics) return await respondMetrics(res, options.metrics);
      if (options.before && (await options.before(req, res))) return;
      if (url.pathname !== '/graphql') return sendJson(res, 404, { error: 'not found' });

      const body = await readJsonBody(req, maxBodyBytes);
      const search = url.search;
      const event = options.subscriptionEvent && req.method === 'POST' ? subscriptionEventOf(body) : null;
      if (event && options.subscriptionEvent) return sendJson(res, 200, await options.subscriptionEvent(event, () => options.context({ req })));
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      const response = await options.apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers, search, body },
        context: () => options.context({ req }),
      });
      for (const [key, value] of response.headers) res.setHeader(key, value);
      res.statusCode = response.status ?? 200;
      if (response.body.kind === 'complete') {
        res.end(response.body.string);
        return;
      }
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    } catch (error) {
      if (error instanceof BodyTooLargeError) return sendBodyTooLarge(res, error);
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.end();
    }
  };
}

export async function listen(handler: ReturnType<typeof createHttpHandler>, port: number, host = '127.0.0.1'): Promise<RunningHttpServer> {
  let inFlight = 0;
  let closing = false;
  let idle: (() => void) | null = null;
  const server = createServer({ keepAlive: true, keepAliveTimeout: 65_000 }, (req, res) => {
    inFlight++;
    // While closing, a kept-alive connection serves the request it carries and no other.
    if (closing) res.setHeader('connection', 'close');
    res.once('close', () => {
      inFlight--;
      if (inFlight === 0) idle?.();
    });
    void handler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    server,
    port: actual,
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actual}/graphql`,
    async close() {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) await new Promise<void>((resolve) => (idle = resolve));
      // Connections kept alive past their last response would hold close() open.
      server.closeAllConnections();
      await closed;
    },
  };
}
