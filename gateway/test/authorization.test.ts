import { parse, type ExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-sse';
import { InMemoryLivePubSub } from '@commerce/pubsub';
import { eventually, type Identity } from '@commerce/service-kit';
import { bearer, jwt } from './helpers';
import { createGateway, type RunningGateway } from '../src/server';
import { composeFixtures, startFixture, type RunningFixture } from './fixtures/fixture';
import { cancelCalls, ratings, securedOrders } from './fixtures/secured';

/** @authenticated and @requiresScopes, enforced by the gateway from the supergraph as Apollo Router does. */

const customer: Identity = { userId: 'u1', role: 'CUSTOMER', scopes: ['orders:write'] };
const unscoped: Identity = { userId: 'u1', role: 'CUSTOMER' };
const auditor: Identity = { userId: 'u1', role: 'ADMIN', scopes: ['admin', 'ratings:read', 'orders:notes'] };

let ordersServer: RunningFixture;
let ratingsServer: RunningFixture;
let gateway: RunningGateway;
const live = new InMemoryLivePubSub({ namespace: 'authorization' });
const sseClients: Client[] = [];

beforeAll(async () => {
  ordersServer = await startFixture(securedOrders);
  ratingsServer = await startFixture(ratings);
  const supergraphSdl = composeFixtures([securedOrders, ratings], { orders: ordersServer.url, ratings: ratingsServer.url });
  gateway = await createGateway({ supergraphSdl, jwt, live });
});

afterAll(async () => {
  for (const client of sseClients) client.dispose();
  await gateway?.close();
  await ordersServer?.server.close();
  await ratingsServer?.server.close();
  await live.close();
});

beforeEach(() => {
  ordersServer.received.length = 0;
  ratingsServer.received.length = 0;
});

interface Answer {
  status: number;
  // Tests read whatever shape their query selected.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: { data?: Record<string, any> | null; errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[] };
}

async function send(query: string, caller: Identity | null, variables: Record<string, unknown> = {}): Promise<Answer> {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(caller ? bearer(caller) : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

const refusals = (answer: Answer) =>
  (answer.body.errors ?? []).map((error) => ({ message: error.message, path: error.path, code: error.extensions?.code }));
const refusedAt = (...paths: (string | number)[][]) =>
  paths.map((path) => ({ message: 'Unauthorized field or type', path, code: 'UNAUTHORIZED_FIELD_OR_TYPE' }));

describe('declarative authorization at the gateway', () => {
  it('answers null with an error for each field an anonymous caller may not see, and serves the rest', async () => {
    const answer = await send(`{ order(id: "o1") { id status customer { name email } } me { name } }`, null);
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({ order: { id: 'o1', status: 'PACKED', customer: null }, me: null });
    expect(refusals(answer)).toEqual(refusedAt(['order', 'customer', 'email'], ['me']));
  });

  it('serves the same operation whole to a signed-in caller', async () => {
    const answer = await send(`{ order(id: "o1") { id status customer { name email } } me { name } }`, unscoped);
    expect(answer.body).toEqual({
      data: { order: { id: 'o1', status: 'PACKED', customer: { name: 'Ada', email: 'ada@example.com' } }, me: { name: 'Ada' } },
    });
  });

  it('names a removed field inside a list once, with @ for the list, and nulls its non-null parent per item', async () => {
    const answer = await send(`{ orders { id customer { name email } } }`, null);
    expect(answer.body.data).toEqual({ orders: [{ id: 'o1', customer: null }, { id: 'o2', customer: null }] });
    expect(refusals(answer)).toEqual(refusedAt(['orders', '@', 'customer', 'email']));
  });

  it('answers an operation with nothing left with the errors alone, asking no subgraph', async () => {
    const answer = await send(`{ me { name } audit }`, null);
    expect(answer.status).toBe(200);
    expect(answer.body.data).toBeUndefined();
    expect(refusals(answer)).toEqual(refusedAt(['me'], ['audit']));
    expect(ordersServer.received).toHaveLength(0);
  });

  it('checks @requiresScopes against the token scope claim, any one of the alternatives sufficing', async () => {
    const query = `{ audit order(id: "o1") { note } }`;
    const without = await send(query, customer);
    expect(without.body.data).toEqual({ audit: null, order: { note: null } });
    expect(refusals(without)).toEqual(refusedAt(['audit'], ['order', 'note']));
    expect((await send(query, auditor)).body).toEqual({ data: { audit: ['opened', 'cancelled'], order: { note: 'Leave at the door' } } });
  });

  it("never asks a subgraph for a field the caller may not see, even when it is that subgraph's only field", async () => {
    const refused = await send(`{ order(id: "o1") { status rating } }`, customer);
    expect(refused.body.data).toEqual({ order: { status: 'PACKED', rating: null } });
    expect(refusals(refused)).toEqual(refusedAt(['order', 'rating']));
    expect(ratingsServer.received).toHaveLength(0);

    expect((await send(`{ order(id: "o1") { status rating } }`, auditor)).body).toEqual({ data: { order: { status: 'PACKED', rating: 5 } } });
    expect(ratingsServer.received).toHaveLength(1);
  });

  it('filters through fragments and aliases, and drops variables only removed fields used', async () => {
    const query = `
      query Mixed($id: ID!, $limit: Int) { first: order(id: $id) { ...Parts } log: audit(limit: $limit) }
      fragment Parts on Order { status customer { email } }
    `;
    const answer = await send(query, null, { id: 'o2', limit: 1 });
    expect(answer.body.data).toEqual({ first: { status: 'SHIPPED', customer: null }, log: null });
    expect(refusals(answer)).toEqual(refusedAt(['first', 'customer', 'email'], ['log']));
    expect((await send(query, auditor, { id: 'o2', limit: 1 })).body.data).toEqual({ first: { status: 'SHIPPED', customer: { email: 'ada@example.com' } }, log: ['opened'] });
  });

  it('does not run a mutation the caller lacks the scope for', async () => {
    const before = cancelCalls.count;
    const refused = await send(`mutation { cancel(id: "o1") { id } }`, unscoped);
    expect(refusals(refused)).toEqual(refusedAt(['cancel']));
    expect(cancelCalls.count).toBe(before);
    expect((await send(`mutation { cancel(id: "o1") { id } }`, customer)).body).toEqual({ data: { cancel: { id: 'o1' } } });
    expect(cancelCalls.count).toBe(before + 1);
  });

  it('removes a fragment on a type the caller may not see, nulling the objects of that type', async () => {
    const query = `{ journal { ... on PublicEntry { id text } ... on PrivateEntry { id text } } }`;
    const anonymous = await send(query, null);
    expect(anonymous.body.data).toEqual({ journal: [{ id: 'e1', text: 'Opened at nine' }, null] });
    expect(refusals(anonymous)).toEqual(refusedAt(['journal', '@', '... on PrivateEntry']));
    const signedIn = await send(query, unscoped);
    expect(signedIn.body).toEqual({ data: { journal: [{ id: 'e1', text: 'Opened at nine' }, { id: 'e2', text: 'Safe code 1234' }] } });
  });

  it('refuses to serve a supergraph with a security feature it does not enforce', async () => {
    const withPolicy = composeFixtures(
      [
        {
          name: 'policed',
          typeDefs: parse(`
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@policy"])
            type Query { secret: String @policy(policies: [["vault"]]) }
          `),
          resolvers: {},
        },
      ],
      { policed: ordersServer.url },
    );
    await expect(createGateway({ supergraphSdl: withPolicy, jwt })).rejects.toThrow(/policy/);
  });

  it('answers callers of one document by what each may see, never from one another', async () => {
    const query = `{ order(id: "o1") { note } }`;
    const [anonymous, scoped, again] = await Promise.all([send(query, null), send(query, auditor), send(query, null)]);
    expect(anonymous.body.data).toEqual({ order: { note: null } });
    expect(scoped.body.data).toEqual({ order: { note: 'Leave at the door' } });
    expect(again.body).toEqual(anonymous.body);
  });
});

describe('declarative authorization of subscriptions', () => {
  function subscribe(caller: Identity | null) {
    const client = createClient({ url: gateway.url, headers: caller ? bearer(caller) : {}, retryAttempts: 0 });
    sseClients.push(client);
    const results: ExecutionResult[] = [];
    let unsubscribe = () => undefined as void;
    const ended = new Promise<unknown>((resolve) => {
      unsubscribe = client.subscribe(
        { query: `subscription { orderUpdated(orderId: "o1") { status } }` },
        { next: (result) => void results.push(result as ExecutionResult), error: resolve, complete: () => resolve(null) },
      );
    });
    return { results, ended, unsubscribe };
  }

  it('refuses an anonymous subscriber to an @authenticated field at subscribe time, asking no subgraph', async () => {
    const { results, ended } = subscribe(null);
    await ended;
    expect(results.map((result) => result.errors?.map((error) => [error.extensions?.code, error.path]))).toEqual([
      [['UNAUTHORIZED_FIELD_OR_TYPE', ['orderUpdated']]],
    ]);
    expect(ordersServer.received).toHaveLength(0);
    expect(gateway.subscriptionStats().subscribers).toBe(0);
  });

  it('lets a signed-in subscriber have it', async () => {
    const { results, unsubscribe } = subscribe(unscoped);
    await eventually(async () => expect(results).toEqual([{ data: { orderUpdated: { status: 'PACKED' } } }]));
    unsubscribe();
    await eventually(async () => expect(gateway.subscriptionStats().subscribers).toBe(0));
  });
});
