import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { InMemoryLivePubSub } from '@commerce/pubsub';
import { bearer, jwt } from './helpers';
import { createGateway, type RunningGateway } from '../src/server';
import { refusals, RefusalCode } from '../src/errors/registry';
import { InMemoryRateLimiter } from '../src/limits/rate-limiter';
import { ClientRegistry } from '../src/operations/clients';
import { sha256 } from '../src/operations/manifest';
import { orders } from './fixtures/orders';
import { startLiveFixtures, type LiveFixtures } from './fixtures/live-fixtures';

/**
 * One table of cases, run through every transport the gateway serves: a
 * refusal carries the same code from the error registry whichever way the
 * operation came, and where the transport answers it at the door (an HTTP
 * response, a closed socket) the registry's status or close code too.
 */

const ada = { userId: 'u1', role: 'CUSTOMER' as const };
const watchOrder = 'subscription Watch($id: ID!) { orderUpdated(orderId: $id) { id status } }';
const readOrder = 'query Read($id: ID!) { order(id: $id) { id status } }';
const listedQuery = 'query Listed { users { id } }';
const transports = ['HTTP POST', 'HTTP GET', 'graphql-ws', 'graphql-ws query', 'SSE', 'SSE query', 'multipart'] as const;
type Transport = (typeof transports)[number];
/** Which operation type each transport runs: queries over plain HTTP and as graphql-ws's and SSE's single results, subscriptions over the rest. */
const runsSubscriptions = (transport: Transport) => transport !== 'HTTP POST' && transport !== 'HTTP GET' && transport !== 'graphql-ws query' && transport !== 'SSE query';

/** What a client sends, whatever the transport. */
interface Operation {
  query?: string;
  documentId?: string;
  variables?: Record<string, unknown>;
  /** Sent as `apollographql-client-name` (or in connection_init over graphql-ws). */
  clientName?: string;
  authorization?: string;
}

/**
 * What came back: data, or a refusal with its code, and how the transport
 * delivered it: an HTTP error response (with its status), a closed socket
 * (with its close code), or a GraphQL result within an accepted exchange.
 */
type Outcome =
  | { data: unknown }
  | { code: string; via: 'response'; status: number }
  | { via: 'close'; close: number }
  | { code: string; via: 'result' };

let directory: string;
let fixtures: LiveFixtures;
let gateway: RunningGateway;
const live = new InMemoryLivePubSub({ namespace: 'transport-contract' });
const sockets: WebSocket[] = [];

/** A rate-limited client per transport, so that each spends its own budget. */
const briefClient = (transport: Transport) => `brief-${transport.toLowerCase().replace(/[^a-z]+/g, '-')}`;

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'transport-contract-'));
  await writeFile(path.join(directory, 'safe.json'), JSON.stringify({ [`sha256:${sha256(listedQuery)}`]: listedQuery }));
  const configFile = path.join(directory, 'clients.json');
  const clients = {
    safe: { mode: 'SAFELIST', manifest: 'safe.json' },
    tight: { mode: 'ALLOW', limits: { bodyBytes: 400 } },
    ...Object.fromEntries(transports.map((transport) => [briefClient(transport), { mode: 'ALLOW', rateLimit: { perMinute: 1 } }])),
  };
  await writeFile(configFile, JSON.stringify({ anonymous: { mode: 'ALLOW' }, clients }));
  const registry = await ClientRegistry.load(configFile);
  fixtures = await startLiveFixtures();
  gateway = await createGateway({ supergraphSdl: fixtures.supergraphSdl, jwt, live, clients: () => registry, rateLimiter: new InMemoryRateLimiter() });
  orders.get('o1')!.status = 'PACKED';
});

afterAll(async () => {
  for (const socket of sockets) socket.terminate();
  await gateway?.close();
  await fixtures?.close();
  await live.close();
  await rm(directory, { recursive: true, force: true });
});

type GraphQLBody = { data?: unknown; errors?: { extensions?: { code?: string } }[] };

/** A GraphQL result: its data, or the first error's code. */
function outcomeOf(body: GraphQLBody, status: number, asResult: boolean): Outcome {
  const code = body.errors?.[0]?.extensions?.code;
  if (code === undefined) return { data: body.data };
  return asResult ? { code, via: 'result' } : { code, via: 'response', status };
}

function httpHeaders(operation: Operation, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...(operation.clientName ? { 'apollographql-client-name': operation.clientName } : {}),
    ...(operation.authorization ? { authorization: operation.authorization } : {}),
    ...extra,
  };
}

const bodyOf = (operation: Operation) => JSON.stringify({ query: operation.query, documentId: operation.documentId, variables: operation.variables });

/**
 * Plain HTTP asks for GraphQL over HTTP's own media type, under which every
 * refusal carries the registry's status (under the legacy application/json a
 * request error is a 200: see http-matrix.test.ts).
 */
const graphqlResponse = 'application/graphql-response+json';

async function viaPost(operation: Operation): Promise<Outcome> {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: httpHeaders(operation, { 'content-type': 'application/json', accept: graphqlResponse }),
    body: bodyOf(operation),
  });
  return outcomeOf((await response.json()) as GraphQLBody, response.status, false);
}

async function viaGet(operation: Operation): Promise<Outcome> {
  const search = new URLSearchParams();
  if (operation.query !== undefined) search.set('query', operation.query);
  if (operation.documentId !== undefined) search.set('documentId', operation.documentId);
  if (operation.variables) search.set('variables', JSON.stringify(operation.variables));
  const response = await fetch(`${gateway.url}?${search}`, { headers: httpHeaders(operation, { 'apollo-require-preflight': 'true', accept: graphqlResponse }) });
  return outcomeOf((await response.json()) as GraphQLBody, response.status, false);
}

/** The first part of a stream that is not a heartbeat, read as text until `complete` says it is whole. */
async function firstPart(response: Response, complete: (text: string) => string | null): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`The stream ended before a result: ${text}`);
      text += decoder.decode(value, { stream: true });
      const part = complete(text);
      if (part !== null) return part;
    }
  } finally {
    await reader.cancel();
  }
}

async function viaSse(operation: Operation): Promise<Outcome> {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: httpHeaders(operation, { 'content-type': 'application/json', accept: 'text/event-stream' }),
    body: bodyOf(operation),
  });
  if (!response.headers.get('content-type')?.includes('text/event-stream')) return outcomeOf((await response.json()) as GraphQLBody, response.status, false);
  const data = await firstPart(response, (text) => /event: next\ndata: (.*)\n\n/.exec(text)?.[1] ?? null);
  return outcomeOf(JSON.parse(data) as GraphQLBody, response.status, true);
}

async function viaMultipart(operation: Operation): Promise<Outcome> {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: httpHeaders(operation, { 'content-type': 'application/json', accept: 'multipart/mixed;subscriptionSpec="1.0", application/json' }),
    body: bodyOf(operation),
  });
  // A subscription refused after admission is an ordinary JSON result, as Apollo Client expects: 200 with errors.
  if (!response.headers.get('content-type')?.startsWith('multipart/mixed')) {
    return outcomeOf((await response.json()) as GraphQLBody, response.status, response.status === 200);
  }
  const part = await firstPart(response, (text) => /\r\n\r\n(\{"payload".*?)\r\n--graphql/.exec(text)?.[1] ?? null);
  return outcomeOf((JSON.parse(part) as { payload: GraphQLBody }).payload, response.status, true);
}

/** graphql-ws, frame by frame: connection_init with the token and client name, then one subscribe (of any operation type). */
async function viaWebSocket(operation: Operation): Promise<Outcome> {
  const socket = new WebSocket(gateway.url.replace(/^http/, 'ws'), ['graphql-transport-ws']);
  sockets.push(socket);
  const messages: { type: string; payload?: unknown }[] = [];
  let wake = () => undefined as void;
  socket.on('message', (data) => {
    messages.push(JSON.parse(String(data)) as { type: string; payload?: unknown });
    wake();
  });
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => (resolve(code), wake())));
  let closeCode: number | null = null;
  void closed.then((code) => (closeCode = code));
  const next = async (): Promise<{ type: string; payload?: unknown } | null> => {
    while (messages.length === 0 && closeCode === null) await new Promise<void>((resolve) => (wake = resolve));
    return messages.shift() ?? null;
  };
  await once(socket, 'open');
  socket.send(JSON.stringify({ type: 'connection_init', payload: { clientName: operation.clientName, authorization: operation.authorization } }));
  const ack = await next();
  if (ack?.type !== 'connection_ack') return { via: 'close', close: await closed };
  // graphql-ws requires a `query` string in every subscribe message, so an id travels with an empty one.
  const payload = { query: operation.query ?? '', variables: operation.variables, documentId: operation.documentId };
  socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload }));
  const reply = await next();
  socket.close();
  if (reply?.type === 'next') return outcomeOf(reply.payload as GraphQLBody, 200, true);
  if (reply?.type === 'error') return outcomeOf({ errors: reply.payload as GraphQLBody['errors'] }, 200, true);
  throw new Error(`Unexpected reply ${JSON.stringify(reply)}`);
}

const send: Record<Transport, (operation: Operation) => Promise<Outcome>> = {
  'HTTP POST': viaPost,
  'HTTP GET': viaGet,
  'graphql-ws': viaWebSocket,
  'graphql-ws query': viaWebSocket,
  SSE: viaSse,
  'SSE query': viaSse,
  multipart: viaMultipart,
};

/** The operation each transport runs when a case needs one that would succeed. */
const valid = (transport: Transport): Operation => ({
  query: runsSubscriptions(transport) ? watchOrder : readOrder,
  variables: { id: 'o1' },
  authorization: bearer(ada).authorization,
});

interface RefusalCase {
  name: string;
  code: RefusalCode;
  /** The HTTP status and WebSocket close code a client sees for it, as the README documents them. */
  status: number;
  close: number;
  /** Transports the case cannot happen on (a GET has no body). */
  skip?: Transport[];
  operation: (transport: Transport) => Operation;
  /** Sent first, to spend a budget. */
  before?: (transport: Transport) => Operation;
}

const refusalCases: RefusalCase[] = [
  {
    name: 'a document that does not parse',
    code: RefusalCode.ParseFailed,
    status: 400,
    close: 4400,
    operation: (transport) => ({ ...valid(transport), query: runsSubscriptions(transport) ? 'subscription {' : '{' }),
  },
  {
    name: 'an unknown persisted id',
    code: RefusalCode.PersistedDocumentNotFound,
    status: 400,
    close: 4400,
    operation: (transport) => ({ ...valid(transport), query: undefined, documentId: `sha256:${'0'.repeat(64)}` }),
  },
  {
    name: 'an operation not in its SAFELIST client’s list',
    code: RefusalCode.OperationNotInSafelist,
    status: 403,
    close: 4403,
    operation: (transport) => ({ ...valid(transport), clientName: 'safe' }),
  },
  {
    name: 'a body over its client’s limit',
    code: RefusalCode.BodyTooLarge,
    status: 413,
    close: 1009,
    skip: ['HTTP GET'],
    operation: (transport) => ({ ...valid(transport), clientName: 'tight', variables: { id: 'o1', pad: 'x'.repeat(500) } }),
  },
  {
    name: 'a request over its client’s rate limit',
    code: RefusalCode.RateLimited,
    status: 429,
    close: 1013,
    before: (transport) => ({ ...valid(transport), clientName: briefClient(transport) }),
    operation: (transport) => ({ ...valid(transport), clientName: briefClient(transport) }),
  },
  {
    name: 'a bad access token',
    code: RefusalCode.Unauthenticated,
    status: 401,
    close: 4403,
    operation: (transport) => ({ ...valid(transport), authorization: 'Bearer not-a-token' }),
  },
];

describe.each(transports)('over %s', (transport) => {
  it('runs the operation the transport carries', async () => {
    const outcome = await send[transport](valid(transport));
    expect(outcome).toEqual({ data: { [runsSubscriptions(transport) ? 'orderUpdated' : 'order']: { id: 'o1', status: 'PACKED' } } });
  });

  const cases = refusalCases.filter((c) => !c.skip?.includes(transport));
  it.each(cases.map((c) => [c.name, c] as const))('refuses %s with its code from the registry', async (_name, refusalCase) => {
    if (refusalCase.before) await send[transport](refusalCase.before(transport));
    const outcome = await send[transport](refusalCase.operation(transport));
    const spec = refusals[refusalCase.code];
    // A socket closed at the door carries no GraphQL error, only the code's close code.
    if ('via' in outcome && outcome.via === 'close') expect(outcome.close).toBe(spec.close);
    else expect('code' in outcome && outcome.code).toBe(refusalCase.code);
    if ('via' in outcome && outcome.via === 'response') expect(outcome.status).toBe(spec.status);
  });
});

describe('the registry', () => {
  it.each(refusalCases.map((c) => [c.code, c] as const))('answers %s with its documented status and close code', (_code, refusalCase) => {
    expect(refusals[refusalCase.code]).toMatchObject({ status: refusalCase.status, close: refusalCase.close });
  });

  it('answers every code with a client-error status or 5xx for internal errors only, and a close code in the ranges WebSocket allows', () => {
    for (const [code, spec] of Object.entries(refusals)) {
      if (code === RefusalCode.InternalServerError) expect(spec.status).toBe(500);
      else expect(spec.status).toBeLessThan(500);
      expect(spec.close === 1001 || spec.close === 1009 || spec.close === 1013 || (spec.close >= 4000 && spec.close <= 4999)).toBe(true);
      expect(spec.message).not.toBe('');
    }
  });
});
