import type { ExecutionResult, FormattedExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-sse';
import { InMemoryLivePubSub, liveChannels } from '@commerce/pubsub';
import { eventually } from '@commerce/service-kit';
import { bearer, jwt } from './helpers';
import { createGateway, type RunningGateway } from '../src/server';
import { orders } from './fixtures/orders';
import { startLiveFixtures, type LiveFixtures } from './fixtures/live-fixtures';

/** Subscriptions over plain HTTP: GraphQL over SSE (graphql-sse) and Apollo's multipart protocol. */

const ada = { userId: 'u1', role: 'CUSTOMER' as const };
const watchOrder = `subscription Watch($id: ID!) { orderUpdated(orderId: $id) { id status customer { name } } }`;

let fixtures: LiveFixtures;
let gateway: RunningGateway;
const live = new InMemoryLivePubSub({ namespace: 'http-subscriptions' });
const sseClients: Client[] = [];

beforeAll(async () => {
  fixtures = await startLiveFixtures();
  const { supergraphSdl } = fixtures;
  gateway = await createGateway({ supergraphSdl, jwt, live });
});

afterAll(async () => {
  for (const client of sseClients) client.dispose();
  await gateway?.close();
  await fixtures?.close();
  await live.close();
});

const statusOf = (result: FormattedExecutionResult | ExecutionResult) => (result.data?.orderUpdated as { status: string } | undefined)?.status;

async function publishStatus(orderId: string, status: string): Promise<void> {
  orders.get(orderId)!.status = status;
  await live.publish(liveChannels.orderUpdated(orderId), { orderId });
}

describe('GraphQL over SSE (graphql-sse)', () => {
  function sse(headers: Record<string, string>, singleConnection = false): Client {
    const client = createClient({ url: gateway.url, headers, singleConnection, retryAttempts: 0 });
    sseClients.push(client);
    return client;
  }

  function watch(client: Client, id: string) {
    const results: ExecutionResult[] = [];
    let unsubscribe = () => undefined as void;
    const ended = new Promise<unknown>((resolve) => {
      unsubscribe = client.subscribe({ query: watchOrder, variables: { id } }, { next: (r) => void results.push(r as ExecutionResult), error: resolve, complete: () => resolve(null) });
    });
    return { results, ended, unsubscribe };
  }

  it.each([
    ['distinct connections', false],
    ['a single connection', true],
  ])('streams the current state, then each change, over %s', async (_mode, single) => {
    orders.get('o1')!.status = 'PACKED';
    const { results, unsubscribe } = watch(sse(bearer(ada), single), 'o1');
    await eventually(async () => expect(results.map(statusOf)).toEqual(['PACKED']));
    expect(results[0]?.data).toEqual({ orderUpdated: { id: 'o1', status: 'PACKED', customer: { name: 'Ada' } } });
    await publishStatus('o1', 'SHIPPED');
    await eventually(async () => expect(results.map(statusOf)).toEqual(['PACKED', 'SHIPPED']));
    unsubscribe();
    await eventually(async () => expect(gateway.subscriptionStats().subscribers).toBe(0));
  });

  it('refuses a foreign order with the owning subgraph\'s code', async () => {
    const { results, ended } = watch(sse(bearer(ada)), 'o2');
    await ended;
    expect(results.map((r) => r.errors?.[0]?.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(gateway.subscriptionStats().subscribers).toBe(0);
  });

  it('answers a bad token with 401 before streaming anything', async () => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { accept: 'text/event-stream', 'content-type': 'application/json', authorization: 'Bearer forged' },
      body: JSON.stringify({ query: watchOrder, variables: { id: 'o1' } }),
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('answers a body that is not JSON with a coded 400', async () => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { accept: 'text/event-stream', 'content-type': 'application/json', ...bearer(ada) },
      body: '{ not json',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('BAD_REQUEST');
  });
});

/** Reads Apollo's multipart subscription response part by part, as Apollo Client does. */
async function* multipartPayloads(response: Response): AsyncGenerator<Record<string, unknown>> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let end = buffer.indexOf('\r\n--graphql'); end !== -1; end = buffer.indexOf('\r\n--graphql')) {
      const part = buffer.slice(0, end);
      buffer = buffer.slice(end + '\r\n--graphql'.length);
      const body = part.split('\r\n\r\n')[1];
      if (body) yield JSON.parse(body) as Record<string, unknown>;
    }
  }
}

describe('multipart HTTP subscriptions (Apollo Client)', () => {
  const accept = 'multipart/mixed;boundary="graphql";subscriptionSpec=1.0,application/json';

  function post(headers: Record<string, string>, body: object, signal?: AbortSignal) {
    return fetch(gateway.url, { method: 'POST', headers: { accept, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal });
  }

  it('streams the current state, then each change, as multipart parts', async () => {
    orders.get('o1')!.status = 'PACKED';
    const abort = new AbortController();
    const response = await post(bearer(ada), { query: watchOrder, variables: { id: 'o1' } }, abort.signal);
    expect(response.headers.get('content-type')).toBe('multipart/mixed;boundary="graphql";subscriptionSpec="1.0"');
    const parts = multipartPayloads(response);
    const first = (await parts.next()).value as { payload: FormattedExecutionResult };
    expect(first?.payload.data).toEqual({ orderUpdated: { id: 'o1', status: 'PACKED', customer: { name: 'Ada' } } });
    await publishStatus('o1', 'SHIPPED');
    const second = (await parts.next()).value as { payload: FormattedExecutionResult };
    expect(second && statusOf(second.payload)).toBe('SHIPPED');
    abort.abort();
    await eventually(async () => expect(gateway.subscriptionStats().subscribers).toBe(0));
  });

  it('answers a refused subscription as a plain GraphQL response', async () => {
    const response = await post(bearer(ada), { query: watchOrder, variables: { id: 'o2' } });
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('FORBIDDEN');
  });

  it('refuses a body without a query, and a bad token, with their HTTP statuses', async () => {
    expect((await post(bearer(ada), { variables: {} })).status).toBe(400);
    expect((await post({ authorization: 'Bearer forged' }, { query: watchOrder, variables: { id: 'o1' } })).status).toBe(401);
  });
});

describe('a gateway shutting down', () => {
  it('ends SSE and multipart streams (completed, closing boundary) rather than cutting them', async () => {
    const closing = await createGateway({ supergraphSdl: fixtures.supergraphSdl, jwt, live });
    const sse = createClient({ url: closing.url, headers: bearer(ada), retryAttempts: 0 });
    sseClients.push(sse);
    const completed = new Promise<string>((resolve) =>
      sse.subscribe({ query: watchOrder, variables: { id: 'o1' } }, { next: () => undefined, error: () => resolve('error'), complete: () => resolve('complete') }),
    );
    const multipart = await fetch(closing.url, {
      method: 'POST',
      headers: { accept: 'multipart/mixed;boundary="graphql";subscriptionSpec=1.0,application/json', 'content-type': 'application/json', ...bearer(ada) },
      body: JSON.stringify({ query: watchOrder, variables: { id: 'o1' } }),
    });
    await eventually(async () => expect(closing.subscriptionStats().subscribers).toBe(2));
    await closing.close();
    expect(await completed).toBe('complete');
    expect((await multipart.text()).endsWith('--graphql--\r\n')).toBe(true);
  });
});
