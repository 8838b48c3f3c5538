import { once } from 'node:events';
import WebSocket from 'ws';
import { InMemoryLivePubSub } from '@commerce/pubsub';
import { bearer, jwt } from './helpers';
import { createGateway, type RunningGateway } from '../src/server';
import { orders } from './fixtures/orders';
import { startLiveFixtures, type LiveFixtures } from './fixtures/live-fixtures';

/**
 * Whatever a client sends to /graphql, the answer is never a 5xx and every
 * error in it carries a code that says what the client did (never
 * INTERNAL_SERVER_ERROR): every combination of method, content type,
 * Accept header (which picks plain HTTP, SSE or multipart) and operation
 * type, and each operation type over graphql-ws.
 */

const ada = { userId: 'u1', role: 'CUSTOMER' as const };
const operations = {
  query: '{ order(id: "o1") { id status } }',
  mutation: 'mutation { setOrderStatus(id: "o1", status: "PACKED") { id status } }',
  subscription: 'subscription { orderUpdated(orderId: "o1") { id status } }',
};
type OperationType = keyof typeof operations;
const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
/** How the body is written for each content type (null: no content-type header, the JSON body sent anyway). */
const contentTypes: Record<string, ((query: string) => string) | undefined> = {
  'application/json': (query) => JSON.stringify({ query }),
  'application/json; charset=utf-8': (query) => JSON.stringify({ query }),
  'application/graphql': (query) => query,
  'application/x-www-form-urlencoded': (query) => new URLSearchParams({ query }).toString(),
  'text/plain': (query) => JSON.stringify({ query }),
  none: (query) => JSON.stringify({ query }),
};
const accepts = [
  null,
  'application/json',
  'application/graphql-response+json',
  'application/graphql-response+json, application/json;q=0.9',
  '*/*',
  'text/event-stream',
  'multipart/mixed;subscriptionSpec="1.0", application/json',
  'multipart/mixed;deferSpec=20220824, application/json',
  'text/html',
];

let fixtures: LiveFixtures;
let gateway: RunningGateway;
const live = new InMemoryLivePubSub({ namespace: 'request-matrix' });

beforeAll(async () => {
  fixtures = await startLiveFixtures();
  gateway = await createGateway({ supergraphSdl: fixtures.supergraphSdl, jwt, live });
  orders.get('o1')!.status = 'PACKED';
});

afterAll(async () => {
  await gateway?.close();
  await fixtures?.close();
  await live.close();
});

interface GraphQLResult {
  data?: unknown;
  errors?: { message?: unknown; extensions?: { code?: unknown } }[];
}

/** What is wrong with a GraphQL result (nothing: null): it must carry data, or errors that all have a code, and none an internal error's. */
function untyped(result: GraphQLResult): string | null {
  if (result.errors?.length) {
    const missing = result.errors.filter((error) => typeof error.extensions?.code !== 'string' || error.extensions.code === 'INTERNAL_SERVER_ERROR');
    return missing.length ? `errors without a client's code: ${JSON.stringify(missing)}` : null;
  }
  return result.data === undefined ? `neither data nor errors: ${JSON.stringify(result)}` : null;
}

/** The first thing a response carries: a JSON body, the first event of an SSE stream, or the first part of a multipart one. */
async function firstResult(response: Response): Promise<{ result: GraphQLResult } | { text: string }> {
  const type = response.headers.get('content-type') ?? '';
  if (!type.startsWith('text/event-stream') && !type.startsWith('multipart/mixed')) {
    const text = await response.text();
    try {
      return { result: JSON.parse(text) as GraphQLResult };
    } catch {
      return { text };
    }
  }
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return { text };
      text += decoder.decode(value, { stream: true });
      const event = /event: next\ndata: (.*)\n\n/.exec(text)?.[1];
      if (event) return { result: JSON.parse(event) as GraphQLResult };
      const part = /\r\n\r\n(\{"(?:payload|data|errors)".*?)\r\n--/.exec(text)?.[1];
      if (part) {
        const parsed = JSON.parse(part) as GraphQLResult & { payload?: GraphQLResult };
        return { result: parsed.payload ?? parsed };
      }
    }
  } finally {
    await reader.cancel();
  }
}

const cases = methods.flatMap((method) =>
  Object.keys(contentTypes).flatMap((contentType) =>
    accepts.flatMap((accept) => (Object.keys(operations) as OperationType[]).map((type) => ({ method, contentType, accept, type }))),
  ),
);

describe('every request to /graphql', () => {
  it.each(cases)('$method, $contentType, accept $accept, a $type: no 5xx, every error typed', async ({ method, contentType, accept, type }) => {
    const query = operations[type];
    const headers: Record<string, string> = { ...bearer(ada) };
    if (accept) headers.accept = accept;
    let url = gateway.url;
    let body: string | undefined;
    if (method === 'GET') {
      url = `${url}?${new URLSearchParams({ query })}`;
    } else {
      body = contentTypes[contentType]!(query);
      if (contentType !== 'none') headers['content-type'] = contentType;
    }
    const response = await fetch(url, { method, headers, body });
    expect(response.status).toBeLessThan(500);
    const first = await firstResult(response);
    if ('result' in first) {
      expect(untyped(first.result)).toBeNull();
    } else if (response.status >= 400) {
      throw new Error(`HTTP ${response.status} with a body that is not a GraphQL response: ${first.text.slice(0, 200)}`);
    } else {
      // A 2xx that is not a GraphQL result: the explorer's page to a browser, or an SSE stream's reservation token (PUT).
      expect(response.headers.get('content-type') ?? '').toMatch(/^text\/(html|plain)/);
    }
  });
});

describe('every operation type over graphql-ws', () => {
  it.each(Object.keys(operations) as OperationType[])('runs a %s, answering data', async (type) => {
    const socket = new WebSocket(gateway.url.replace(/^http/, 'ws'), ['graphql-transport-ws']);
    const messages: { id?: string; type: string; payload?: GraphQLResult }[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(String(data)) as (typeof messages)[number]));
    try {
      await once(socket, 'open');
      const arrived = async (match: (message: (typeof messages)[number]) => boolean) => {
        const deadline = Date.now() + 10_000;
        while (!messages.some(match) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      };
      socket.send(JSON.stringify({ type: 'connection_init', payload: bearer(ada) }));
      await arrived((m) => m.type === 'connection_ack');
      socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: operations[type] } }));
      await arrived((m) => m.id === '1');
      const reply = messages.find((m) => m.id === '1');
      expect(reply?.type).toBe('next');
      expect(untyped(reply!.payload!)).toBeNull();
      expect(reply!.payload!.errors).toBeUndefined();
    } finally {
      socket.terminate();
    }
  });
});

describe('a subscription sent as a plain request', () => {
  it.each([
    ['POST', 'application/json', 200],
    ['POST', 'application/graphql-response+json', 400],
    // A GET is answered before Apollo (which would only say that GET runs queries), with the registry's status.
    ['GET', 'application/json', 400],
    ['GET', 'application/graphql-response+json', 400],
  ])('over %s accepting %s answers %i SUBSCRIPTION_TRANSPORT_REQUIRED, naming the transports that stream', async (method, accept, status) => {
    const query = operations.subscription;
    const response =
      method === 'GET'
        ? await fetch(`${gateway.url}?${new URLSearchParams({ query })}`, { headers: { accept, 'apollo-require-preflight': 'true', ...bearer(ada) } })
        : await fetch(gateway.url, { method, headers: { accept, 'content-type': 'application/json', ...bearer(ada) }, body: JSON.stringify({ query }) });
    expect(response.status).toBe(status);
    if (method === 'POST') expect(response.headers.get('content-type')).toMatch(new RegExp(`^${accept.replace('+', '\\+')}`));
    const body = (await response.json()) as GraphQLResult;
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/graphql-ws.*text\/event-stream.*multipart\/mixed/), extensions: { code: 'SUBSCRIPTION_TRANSPORT_REQUIRED' } }),
    ]);
  });
});
