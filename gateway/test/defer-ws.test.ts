import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createLogger } from '@commerce/service-kit';
import { createGateway, type RunningGateway } from '../src/server';
import { catalogWithReviews, reviewsGate } from './fixtures/catalog-with-reviews';
import { composeFixtures, startFixture, type RunningFixture } from './fixtures/fixture';
import { jwt } from './helpers';

let fixtures: RunningFixture[] = [];
let gateway: RunningGateway;
let client: Client;

beforeAll(async () => {
  fixtures = await Promise.all(catalogWithReviews.map((s) => startFixture(s)));
  const supergraphSdl = composeFixtures(catalogWithReviews, Object.fromEntries(fixtures.map((f) => [f.name, f.url])));
  gateway = await createGateway({ supergraphSdl, jwt, logger: createLogger('gateway', 'silent') });
  client = createClient({ url: wsUrl(), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
});

afterAll(async () => {
  reviewsGate.open();
  await client?.dispose();
  await gateway?.close();
  await Promise.all(fixtures.map((f) => f.server.close()));
});

beforeEach(() => reviewsGate.open());

const wsUrl = () => gateway.url.replace(/^http/, 'ws');

async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 5_000) throw new Error('Timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Every `next` payload of one operation through graphql-ws's own client, resolved at its `complete`. */
function results(payload: { query: string; variables?: Record<string, unknown> }, onNext?: (count: number) => void): Promise<unknown[]> {
  const received: unknown[] = [];
  return new Promise((resolve, reject) => {
    client.subscribe(payload, {
      next: (result) => {
        received.push(result);
        onNext?.(received.length);
      },
      error: reject,
      complete: () => resolve(received),
    });
  });
}

/** The exact messages the server sends on a raw socket for one subscribe, up to and including its `complete` or `error`. */
async function rawMessages(payload: { query: string; variables?: Record<string, unknown> }): Promise<unknown[]> {
  const socket = new WebSocket(wsUrl(), 'graphql-transport-ws');
  const messages: unknown[] = [];
  const done = new Promise<void>((resolve, reject) => {
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as { type: string };
      messages.push(message);
      if (message.type === 'connection_ack') socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload }));
      if (message.type === 'complete' || message.type === 'error') resolve();
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error('closed before the operation ended')));
  });
  socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
  await done;
  socket.removeAllListeners('close');
  socket.close(1000);
  return messages;
}

describe('@defer over graphql-ws', () => {
  it('sends the primary part as a `next` message before the deferred fragment exists, then the fragment, then `complete`', async () => {
    reviewsGate.close();
    let nexts = 0;
    const all = results({ query: '{ products { id name ... @defer(label: "reviews") { reviews { body } } } }' }, (count) => (nexts = count));
    // The primary part arrives while the reviews subgraph is still held at the gate.
    await until(() => nexts === 1 && reviewsGate.waiting > 0);
    expect(nexts).toBe(1);
    reviewsGate.open();
    expect(await all).toEqual([
      { data: { products: [{ id: 'p1', name: 'Lamp' }, { id: 'p2', name: 'Desk' }] }, hasNext: true },
      {
        incremental: [
          { data: { reviews: [{ body: 'Bright' }] }, path: ['products', 0], label: 'reviews' },
          { data: { reviews: [] }, path: ['products', 1], label: 'reviews' },
        ],
        hasNext: false,
      },
    ]);
  });

  it('sends exactly: ack, the primary part, each fragment (nested after its parent), complete', async () => {
    const messages = await rawMessages({
      query: `query Nested($id: ID!) {
        product(id: $id) { name ... @defer(label: "reviews") { reviews { body ... @defer { author { name } } } } }
      }`,
      variables: { id: 'p1' },
    });
    expect(messages).toEqual([
      { type: 'connection_ack' },
      { id: '1', type: 'next', payload: { data: { product: { name: 'Lamp' } }, hasNext: true } },
      { id: '1', type: 'next', payload: { incremental: [{ data: { reviews: [{ body: 'Bright' }] }, path: ['product'], label: 'reviews' }], hasNext: true } },
      { id: '1', type: 'next', payload: { incremental: [{ data: { author: { name: 'Ada' } }, path: ['product', 'reviews', 0] }], hasNext: false } },
      { id: '1', type: 'complete' },
    ]);
  });

  it("carries a deferred field's error in the fragment's payload", async () => {
    expect(await results({ query: '{ product(id: "p1") { id ... @defer(label: "price") { price } } }' })).toEqual([
      { data: { product: { id: 'p1' } }, hasNext: true },
      {
        incremental: [
          {
            data: { price: null },
            path: ['product'],
            label: 'price',
            errors: [{ message: 'No price list', path: ['product', 'price'], extensions: { code: 'NOT_FOUND', serviceName: 'products' } }],
          },
        ],
        hasNext: false,
      },
    ]);
  });

  it('answers one whole result when @defer is turned off, as without it', async () => {
    const off = await results({ query: 'query Off($later: Boolean!) { product(id: "p1") { id ... @defer(if: $later) { name } } }', variables: { later: false } });
    const plain = await results({ query: '{ product(id: "p1") { id ... { name } } }' });
    expect(off).toEqual([{ data: { product: { id: 'p1', name: 'Lamp' } } }]);
    expect(plain).toEqual(off);
  });

  it('runs a mutation with @defer once, answering it whole', async () => {
    fixtures.forEach((f) => (f.received.length = 0));
    expect(await results({ query: 'mutation { renameProduct(id: "p2", name: "Table") { id ... @defer { name } } }' })).toEqual([
      { data: { renameProduct: { id: 'p2', name: 'Table' } } },
    ]);
    expect(fixtures.find((f) => f.name === 'products')!.received).toHaveLength(1);
  });

  it('answers a primary part that fails whole (a missing variable) with an `error` message', async () => {
    const messages = await rawMessages({ query: 'query Q($id: ID!) { product(id: $id) { id ... @defer { name } } }' });
    expect(messages).toEqual([
      { type: 'connection_ack' },
      { id: '1', type: 'error', payload: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) })] },
    ]);
  });

  it('answers a document invalid inside a deferred fragment with the validation error', async () => {
    const messages = await rawMessages({ query: '{ product(id: "p1") { id ... @defer { weight } } }' });
    expect(messages).toEqual([
      { type: 'connection_ack' },
      { id: '1', type: 'error', payload: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED' }) })] },
    ]);
  });
});
