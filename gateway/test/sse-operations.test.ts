import { createClient, type Client } from 'graphql-sse';
import { createLogger } from '@commerce/service-kit';
import { createGateway, type RunningGateway } from '../src/server';
import { catalogWithReviews, reviewsGate } from './fixtures/catalog-with-reviews';
import { composeFixtures, startFixture, type RunningFixture } from './fixtures/fixture';
import { jwt } from './helpers';

let fixtures: RunningFixture[] = [];
let gateway: RunningGateway;
const clients: Client[] = [];

beforeAll(async () => {
  fixtures = await Promise.all(catalogWithReviews.map((s) => startFixture(s)));
  const supergraphSdl = composeFixtures(catalogWithReviews, Object.fromEntries(fixtures.map((f) => [f.name, f.url])));
  gateway = await createGateway({ supergraphSdl, jwt, logger: createLogger('gateway', 'silent') });
});

afterAll(async () => {
  reviewsGate.open();
  for (const client of clients.splice(0)) client.dispose();
  await gateway?.close();
  await Promise.all(fixtures.map((f) => f.server.close()));
});

beforeEach(() => reviewsGate.open());
afterEach(() => {
  for (const client of clients.splice(0)) client.dispose();
});

interface Payload {
  query: string;
  variables?: Record<string, unknown>;
}

/** Every `next` of one operation through graphql-sse's own client (either mode), resolved at its `complete`. */
function results(singleConnection: boolean, payload: Payload, onNext?: (count: number) => void): Promise<unknown[]> {
  const client = createClient({ url: gateway.url, singleConnection, retryAttempts: 0 });
  clients.push(client);
  const received: unknown[] = [];
  return new Promise((resolve, reject) => {
    client.subscribe(payload, { next: (result) => {
        const count = received.push(result);
        onNext?.(count);
      },
      error: reject, complete: () => resolve(received) });
  });
}

/** The exact events of a distinct-connection stream for one operation, with the response's status. */
async function rawEvents(payload: Payload): Promise<{ status: number; events: { event: string; data: unknown }[] }> {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify(payload),
  });
  const text = await response.text();
  const events = [...text.matchAll(/^event: (\w+)\ndata: ?(.*)$/gm)].map(([, event, data]) => ({ event: event!, data: data ? (JSON.parse(data) as unknown) : null }));
  return { status: response.status, events };
}

const modes = [
  ['distinct connections', false],
  ['single connection', true],
] as const;

describe.each(modes)('queries and mutations over SSE (%s)', (_mode, singleConnection) => {
  it('runs a query: one `next`, then `complete`', async () => {
    expect(await results(singleConnection, { query: '{ product(id: "p1") { id name } }' })).toEqual([{ data: { product: { id: 'p1', name: 'Lamp' } } }]);
  });

  it('runs a mutation once', async () => {
    const rename = (name: string) => results(singleConnection, { query: 'mutation R($name: String!) { renameProduct(id: "p2", name: $name) { id name } }', variables: { name } });
    fixtures.forEach((f) => (f.received.length = 0));
    try {
      expect(await rename('Bench')).toEqual([{ data: { renameProduct: { id: 'p2', name: 'Bench' } } }]);
      expect(fixtures.find((f) => f.name === 'products')!.received).toHaveLength(1);
    } finally {
      // The other cases read the fixture's own name.
      await rename('Desk');
    }
  });

  it('answers a missing variable with a typed BAD_USER_INPUT error', async () => {
    expect(await results(singleConnection, { query: 'query Q($id: ID!) { product(id: $id) { id } }' })).toEqual([
      { errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) })] },
    ]);
  });

  it('sends a @defer query as successive results: the primary part before the fragment exists, then the fragment', async () => {
    reviewsGate.close();
    let nexts = 0;
    const all = results(singleConnection, { query: '{ products { id name ... @defer(label: "reviews") { reviews { body } } } }' }, (count) => (nexts = count));
    // The primary part arrives while the reviews subgraph is still held at the gate.
    for (let waited = 0; nexts === 0 || reviewsGate.waiting === 0; waited += 10) {
      if (waited > 5_000) throw new Error('Timed out waiting for the primary part');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
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
});

describe('the exact event stream of a distinct connection', () => {
  it('sends a nested @defer query as: the primary part, each fragment (nested after its parent), complete', async () => {
    const { status, events } = await rawEvents({
      query: `query Nested($id: ID!) {
        product(id: $id) { name ... @defer(label: "reviews") { reviews { body ... @defer { author { name } } } } }
      }`,
      variables: { id: 'p1' },
    });
    expect(status).toBe(200);
    expect(events).toEqual([
      { event: 'next', data: { data: { product: { name: 'Lamp' } }, hasNext: true } },
      { event: 'next', data: { incremental: [{ data: { reviews: [{ body: 'Bright' }] }, path: ['product'], label: 'reviews' }], hasNext: true } },
      { event: 'next', data: { incremental: [{ data: { author: { name: 'Ada' } }, path: ['product', 'reviews', 0] }], hasNext: false } },
      { event: 'complete', data: null },
    ]);
  });

  it('answers a missing variable with a 200 stream carrying the typed error, not a 5xx', async () => {
    const { status, events } = await rawEvents({ query: 'query Q($id: ID!) { product(id: $id) { id } }' });
    expect(status).toBe(200);
    expect(events).toEqual([
      { event: 'next', data: { errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) })] } },
      { event: 'complete', data: null },
    ]);
  });

  it('refuses a mutation sent with GET with a coded 405', async () => {
    const url = new URL(gateway.url);
    url.searchParams.set('query', 'mutation { renameProduct(id: "p2", name: "Stool") { id } }');
    const response = await fetch(url, { headers: { accept: 'text/event-stream' } });
    expect(response.status).toBe(405);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('METHOD_NOT_ALLOWED');
  });
});
