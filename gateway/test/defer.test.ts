import { createLogger } from '@commerce/service-kit';
import { deferredOperationOf } from '../src/defer/deferred-fragments';
import { incrementalResults } from '../src/defer/execute';
import { createGateway, type RunningGateway } from '../src/server';
import { catalogWithReviews, reviewsGate } from './fixtures/catalog-with-reviews';
import { composeFixtures, startFixture, type RunningFixture } from './fixtures/fixture';
import { jwt } from './helpers';
import { multipartParts } from './multipart-reader';

let fixtures: RunningFixture[] = [];
let gateway: RunningGateway;

beforeAll(async () => {
  fixtures = await Promise.all(catalogWithReviews.map((s) => startFixture(s)));
  const supergraphSdl = composeFixtures(catalogWithReviews, Object.fromEntries(fixtures.map((f) => [f.name, f.url])));
  gateway = await createGateway({ supergraphSdl, jwt, logger: createLogger('gateway', 'silent') });
});

afterAll(async () => {
  reviewsGate.open();
  await gateway?.close();
  await Promise.all(fixtures.map((f) => f.server.close()));
});

beforeEach(() => reviewsGate.open());

const incrementalAccept = 'multipart/mixed;deferSpec=20220824, application/json';

function post(body: object, accept = incrementalAccept): Promise<Response> {
  return fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', accept }, body: JSON.stringify(body) });
}

async function allParts(response: Response): Promise<Record<string, unknown>[]> {
  const parts = [];
  for await (const part of multipartParts(response)) parts.push(part);
  return parts;
}

async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 5_000) throw new Error('Timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const received = () => Object.fromEntries(fixtures.map((f) => [f.name, f.received.length]));
const resetReceived = () => fixtures.forEach((f) => (f.received.length = 0));

describe('@defer over multipart/mixed', () => {
  it('sends the primary part before a deferred fragment from another subgraph exists, then the fragment per list item, labelled', async () => {
    reviewsGate.close();
    const response = await post({ query: '{ products { id name ... @defer(label: "reviews") { reviews { body } } } }' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('multipart/mixed; boundary="-"; deferSpec=20220824');
    const parts = multipartParts(response);

    // The reviews subgraph is still held at the gate: this part cannot have waited for it.
    expect((await parts.next()).value).toEqual({
      data: { products: [{ id: 'p1', name: 'Lamp' }, { id: 'p2', name: 'Desk' }] },
      hasNext: true,
    });
    // The deferred stage has reached the reviews subgraph, which holds it: still nothing more may have come.
    await until(() => reviewsGate.waiting > 0);
    reviewsGate.open();

    expect((await parts.next()).value).toEqual({
      incremental: [
        { data: { reviews: [{ body: 'Bright' }] }, path: ['products', 0], label: 'reviews' },
        { data: { reviews: [] }, path: ['products', 1], label: 'reviews' },
      ],
      hasNext: false,
    });
    expect((await parts.next()).done).toBe(true);
  });

  it('answers from memory a fetch of a stage that an earlier stage already made', async () => {
    resetReceived();
    // The reviews stage needs the products fetch exactly as the primary part made it (with the key and __typename).
    const parts = await allParts(await post({ query: '{ products { __typename id name ... @defer { reviews { body } } } }' }));
    expect(parts).toHaveLength(2);
    expect(received()).toEqual({ products: 1, reviews: 1, people: 0 });
  });

  it('sends a fragment nested in a deferred one after it, at its own path, and leaves out labels not given', async () => {
    const parts = await allParts(
      await post({
        query: `query Nested($id: ID!) {
          product(id: $id) {
            name
            ... @defer(label: "reviews") { reviews { body ... @defer { author { name } } } }
          }
        }`,
        variables: { id: 'p1' },
      }),
    );
    expect(parts).toEqual([
      { data: { product: { name: 'Lamp' } }, hasNext: true },
      { incremental: [{ data: { reviews: [{ body: 'Bright' }] }, path: ['product'], label: 'reviews' }], hasNext: true },
      { incremental: [{ data: { author: { name: 'Ada' } }, path: ['product', 'reviews', 0] }], hasNext: false },
    ]);
  });

  it('defers a fragment spread and keeps the primary part of an object whose every field is deferred', async () => {
    const parts = await allParts(
      await post({
        query: `{ product(id: "p2") { ...Later @defer(label: "later") } }
                fragment Later on Product { name reviews { body } }`,
      }),
    );
    expect(parts).toEqual([
      { data: { product: {} }, hasNext: true },
      { incremental: [{ data: { name: 'Desk', reviews: [] }, path: ['product'], label: 'later' }], hasNext: false },
    ]);
  });

  it('delivers a GET query incrementally too', async () => {
    const search = new URLSearchParams({ query: '{ product(id: "p2") { id ... @defer { name } } }' });
    const response = await fetch(`${gateway.url}?${search}`, { headers: { accept: incrementalAccept, 'apollo-require-preflight': 'true' } });
    expect(await allParts(response)).toEqual([
      { data: { product: { id: 'p2' } }, hasNext: true },
      { incremental: [{ data: { name: 'Desk' }, path: ['product'] }], hasNext: false },
    ]);
  });

  it("carries a deferred field's error in the fragment's payload, at its path", async () => {
    const parts = await allParts(await post({ query: '{ product(id: "p1") { id ... @defer(label: "price") { price } } }' }));
    expect(parts).toEqual([
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

  it('inlines a fragment whose @defer is turned off by its `if` argument', async () => {
    const response = await post({
      query: 'query Off($later: Boolean!) { product(id: "p1") { id ... @defer(if: $later) { name } } }',
      variables: { later: false },
    });
    expect(response.headers.get('content-type')).toMatch(/json/);
    expect(await response.json()).toEqual({ data: { product: { id: 'p1', name: 'Lamp' } } });
  });

  it('answers a document that is invalid inside a deferred fragment with the validation error, in one piece', async () => {
    const response = await post({ query: '{ product(id: "p1") { id ... @defer { weight } } }' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('@defer for clients that do not take incremental delivery', () => {
  it('answers the whole result at once, deferred fragments merged in', async () => {
    const response = await post(
      { query: '{ products { id ... @defer(label: "reviews") { reviews { body author { name } } } } }' },
      'application/graphql-response+json',
    );
    expect(response.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
    expect(await response.json()).toEqual({
      data: {
        products: [
          { id: 'p1', reviews: [{ body: 'Bright', author: { name: 'Ada' } }] },
          { id: 'p2', reviews: [] },
        ],
      },
    });
  });

  it('runs a mutation with @defer once and answers it whole, even to a client that takes multipart', async () => {
    resetReceived();
    const response = await post({ query: 'mutation { renameProduct(id: "p2", name: "Table") { id ... @defer { name reviews { body } } } }' });
    expect(response.headers.get('content-type')).toMatch(/json/);
    expect(await response.json()).toEqual({ data: { renameProduct: { id: 'p2', name: 'Table', reviews: [] } } });
    expect(received().products).toBe(1);
  });
});

describe('@defer as successive results (the seam for graphql-ws and SSE)', () => {
  it('yields the primary part, then each deferred fragment, from an admitted operation', async () => {
    const params = { query: '{ product(id: "p1") { id ... @defer(label: "reviews") { reviews { author { name } } } } }' };
    const results = [];
    for await (const result of incrementalResults(gateway.apollo, deferredOperationOf(params)!, params, { identity: null })) results.push(result);
    expect(results).toEqual([
      { data: { product: { id: 'p1' } }, hasNext: true },
      { incremental: [{ data: { reviews: [{ author: { name: 'Ada' } }] }, path: ['product'], label: 'reviews' }], hasNext: false },
    ]);
  });

  it('yields one result with the errors (and no data, a request error) when the primary part fails', async () => {
    const params = { query: 'query Q($id: ID!) { product(id: $id) { id ... @defer { name } } }', variables: {} };
    const results = [];
    for await (const result of incrementalResults(gateway.apollo, deferredOperationOf(params)!, params, { identity: null })) results.push(result);
    expect(results).toEqual([{ errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) })], hasNext: false }]);
  });
});
