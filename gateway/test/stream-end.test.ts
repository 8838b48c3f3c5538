import type { FormattedExecutionResult } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { InMemoryLivePubSub, liveChannels } from '@commerce/pubsub';
import { eventually } from '@commerce/service-kit';
import { bearer, jwt } from './helpers';
import { createGateway, type RunningGateway } from '../src/server';
import { orders } from './fixtures/orders';
import { startLiveFixtures, type LiveFixtures } from './fixtures/live-fixtures';

/**
 * Streams that end: `orderUpdated` declares (@liveUntil) that DELIVERED,
 * CANCELLED and REJECTED are final, and every transport completes the
 * subscription after sending the order in one of them, in its own words.
 */

const ada = { userId: 'u1', role: 'CUSTOMER' as const };
const waitMs = 10_000;

let fixtures: LiveFixtures;
let gateway: RunningGateway;
const live = new InMemoryLivePubSub({ namespace: 'stream-end' });

beforeAll(async () => {
  fixtures = await startLiveFixtures();
  gateway = await createGateway({ supergraphSdl: fixtures.supergraphSdl, jwt, live });
});

afterAll(async () => {
  await gateway?.close();
  await fixtures?.close();
  await live.close();
});

/** What a client saw of one subscription: every result, and whether the transport said the stream ended. */
interface Watched {
  results: FormattedExecutionResult[];
  completed: Promise<void>;
}

function viaGraphqlWs(query: string): Watched {
  const client = createClient({ url: gateway.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: bearer(ada), retryAttempts: 0 });
  const results: FormattedExecutionResult[] = [];
  const completed = new Promise<void>((resolve, reject) => {
    client.subscribe({ query }, { next: (result) => void results.push(result as FormattedExecutionResult), error: reject, complete: resolve });
  }).finally(() => client.dispose());
  return { results, completed };
}

/** Reads a streamed response to its end, handing `onText` everything so far each time more arrives. */
async function readToEnd(response: Response, onText: (text: string) => void): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return text;
    text += decoder.decode(value, { stream: true });
    onText(text);
  }
}

function viaSse(query: string): Watched {
  const results: FormattedExecutionResult[] = [];
  const completed = (async () => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...bearer(ada) },
      body: JSON.stringify({ query }),
    });
    const parse = (text: string) => [...text.matchAll(/event: next\ndata: (.*)\n\n/g)].map((m) => JSON.parse(m[1]!) as FormattedExecutionResult);
    const text = await readToEnd(response, (soFar) => results.splice(0, results.length, ...parse(soFar)));
    // graphql-sse's distinct-connection mode ends a finished operation with a `complete` event.
    if (!/event: complete\n/.test(text)) throw new Error(`The event stream ended without a complete event: ${text}`);
  })();
  return { results, completed };
}

function viaMultipart(query: string): Watched {
  const results: FormattedExecutionResult[] = [];
  const completed = (async () => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'multipart/mixed;subscriptionSpec="1.0", application/json', ...bearer(ada) },
      body: JSON.stringify({ query }),
    });
    const parse = (text: string) =>
      [...text.matchAll(/\r\n\r\n(\{"payload".*?)\r\n--graphql/g)].map((m) => (JSON.parse(m[1]!) as { payload: FormattedExecutionResult }).payload);
    const text = await readToEnd(response, (soFar) => results.splice(0, results.length, ...parse(soFar)));
    // The closing boundary is how the multipart protocol says the stream is over.
    if (!text.endsWith('--graphql--\r\n')) throw new Error(`The multipart stream ended without its closing boundary: ${text}`);
  })();
  return { results, completed };
}

const transports = { 'graphql-ws': viaGraphqlWs, SSE: viaSse, multipart: viaMultipart };

async function changeOrder(status: string): Promise<void> {
  orders.get('o1')!.status = status;
  await live.publish(liveChannels.orderUpdated('o1'), { orderId: 'o1' });
}

const statuses = (results: FormattedExecutionResult[]) => results.map((result) => (result.data?.orderUpdated as { status?: string } | undefined)?.status);

describe.each(Object.entries(transports))('over %s', (_transport, watch) => {
  beforeEach(() => {
    orders.get('o1')!.status = 'PACKED';
  });

  it.each(['DELIVERED', 'CANCELLED', 'REJECTED'])('completes after sending the order %s, and leaves its live channel', async (final) => {
    const watched = watch('subscription { orderUpdated(orderId: "o1") { id status } }');
    await eventually(async () => expect(statuses(watched.results)).toEqual(['PACKED']), waitMs, 10);
    await changeOrder('SHIPPED');
    await eventually(async () => expect(statuses(watched.results)).toEqual(['PACKED', 'SHIPPED']), waitMs, 10);
    await changeOrder(final);
    await watched.completed;
    expect(watched.results).toEqual([
      { data: { orderUpdated: { id: 'o1', status: 'PACKED' } } },
      { data: { orderUpdated: { id: 'o1', status: 'SHIPPED' } } },
      { data: { orderUpdated: { id: 'o1', status: final } } },
    ]);
    await eventually(async () => expect(gateway.subscriptionStats().subscribers).toBe(0), waitMs, 10);
  });

  it('sends an order that is already final once, then completes', async () => {
    orders.get('o1')!.status = 'CANCELLED';
    const watched = watch('subscription { orderUpdated(orderId: "o1") { id status } }');
    await watched.completed;
    expect(watched.results).toEqual([{ data: { orderUpdated: { id: 'o1', status: 'CANCELLED' } } }]);
  });

  it('ends on the final status even when the client did not select it, showing only what it selected', async () => {
    const watched = watch('subscription { orderUpdated(orderId: "o1") { id customer { name } } }');
    await eventually(async () => expect(watched.results).toHaveLength(1), waitMs, 10);
    await changeOrder('DELIVERED');
    await watched.completed;
    // The delivered order looks the same in this selection, so nothing new is sent: only the end.
    expect(watched.results).toEqual([{ data: { orderUpdated: { id: 'o1', customer: { name: 'Ada' } } } }]);
  });
});
