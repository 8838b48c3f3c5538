import { readFileSync } from 'node:fs';
import type { FormattedExecutionResult } from 'graphql';
import { createClient as createSseClient, type Client as SseClient } from 'graphql-sse';
import { createClient, type Client } from 'graphql-ws';
import Redis from 'ioredis';
import jwt from 'jsonwebtoken';
import WebSocket from 'ws';
import { createGateway, type RunningGateway } from '@commerce/gateway';
import { RedisLivePubSub } from '@commerce/pubsub';
import { createLogger, eventually, InMemoryRevokedSessions, postGraphQL, RedisRevokedSessions, type RevokedSessions } from '@commerce/service-kit';
import { testConfig } from '@commerce/service-kit/testing';
import { supergraphPath } from '../scripts/stack';
import { signUp as signUpActor, testPassword, type Actor } from './support/graph';
import { multipartParts, multipartSubscriptionAccept } from './support/multipart';
import { OwnRedisServer } from '@commerce/pubsub/testing';
import { startTestStack, testRedisUrl, type TestStack } from './support/stack';

// Signing out ends the session's live subscriptions on every gateway instance,
// whichever instance the sign-out went through, over every transport.

let stack: TestStack;
const stops: (() => Promise<void>)[] = [];
const wsClients: Client[] = [];
const sseClients: SseClient[] = [];
const aborts: AbortController[] = [];

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => {
  for (const client of wsClients) await client.dispose();
  for (const client of sseClients) client.dispose();
  for (const abort of aborts) abort.abort();
  for (const stop of stops.reverse()) await stop();
  await stack?.stop();
});

/** A gateway instance of this file's own over the stack's subgraphs, its revoked list by default the stack's in Redis. */
async function startInstance(revokedSessions: RevokedSessions = RedisRevokedSessions.open({ url: testRedisUrl, namespace: stack.namespace })): Promise<RunningGateway> {
  const live = await RedisLivePubSub.connect({ url: testRedisUrl, namespace: stack.namespace });
  const gateway = await createGateway({
    supergraphSdl: readFileSync(supergraphPath, 'utf8'),
    subgraphUrls: Object.fromEntries(Object.entries(stack.services).map(([name, s]) => [name, s.subgraph.url])),
    jwt: { secret: testConfig.JWT_SECRET, issuer: testConfig.JWT_ISSUER, audience: testConfig.JWT_AUDIENCE },
    live,
    revokedSessions,
    logger: createLogger('gateway', 'silent'),
  });
  stops.push(async () => {
    await gateway.close();
    await revokedSessions.close();
    await live.close();
  });
  return gateway;
}

interface Session {
  token: string;
  refreshToken: string;
  email: string;
}

async function signIn(email: string): Promise<Session> {
  const result = await postGraphQL<{ signIn: { token: string; refreshToken: string } }>(
    stack.gatewayUrl,
    `mutation ($e: String!, $p: String!) { signIn(email: $e, password: $p) { token refreshToken } }`,
    { e: email, p: testPassword },
  );
  if (!result.data) throw new Error(JSON.stringify(result.errors));
  return { ...result.data.signIn, email };
}

const signOut = (via: string, session: Session) => postGraphQL<{ signOut: boolean }>(via, `mutation ($t: String!) { signOut(refreshToken: $t) }`, { t: session.refreshToken });

/** What one subscriber received, and whether its stream has ended. */
interface Seen {
  payloads: unknown[];
  codes: unknown[];
  ended: boolean;
}

const newSeen = (): Seen => ({ payloads: [], codes: [], ended: false });

function record(seen: Seen, result: Pick<FormattedExecutionResult, 'data' | 'errors'>): void {
  if (result.data) seen.payloads.push(result.data);
  for (const error of result.errors ?? []) seen.codes.push(error.extensions?.code);
}

/** Codes of a graphql-ws `error` message (an array of errors) or of a close event. */
function recordFailure(seen: Seen, error: unknown): void {
  if (Array.isArray(error)) for (const e of error as { extensions?: { code?: unknown } }[]) seen.codes.push(e.extensions?.code);
  else seen.codes.push((error as { code?: unknown }).code ?? String(error));
  seen.ended = true;
}

function wsClient(url: string, token: string, connections: { count: number }): Client {
  const client = createClient({
    url: url.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    // Kept open when idle, so that what the socket answers after the sign-out can be seen on it.
    lazy: false,
    onNonLazyError: () => undefined,
    retryAttempts: 0,
    on: { connected: () => connections.count++ },
  });
  wsClients.push(client);
  return client;
}

function watchWs(client: Client, query: string, variables: Record<string, unknown>): Seen {
  const seen = newSeen();
  client.subscribe({ query, variables }, { next: (result) => record(seen, result), error: (error) => recordFailure(seen, error), complete: () => (seen.ended = true) });
  return seen;
}

function watchSse(url: string, token: string, query: string, variables: Record<string, unknown>): Seen {
  const client = createSseClient({ url, headers: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
  sseClients.push(client);
  const seen = newSeen();
  client.subscribe({ query, variables }, { next: (result) => record(seen, result), error: (error) => recordFailure(seen, error), complete: () => (seen.ended = true) });
  return seen;
}

function watchMultipart(url: string, token: string, query: string, variables: Record<string, unknown>): Seen {
  const seen = newSeen();
  const abort = new AbortController();
  aborts.push(abort);
  const read = async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { accept: multipartSubscriptionAccept, 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      signal: abort.signal,
    });
    for await (const part of multipartParts(response)) if (part.payload) record(seen, part.payload as FormattedExecutionResult);
    seen.ended = true;
  };
  read().catch((error: unknown) => recordFailure(seen, error));
  return seen;
}

const inventory = `subscription ($ids: [ID!]) { inventoryChanged(productIds: $ids) { stock } }`;

async function productOf(owner: Actor): Promise<string> {
  const { createShop } = await owner.data(`mutation { createShop(input: { name: "Revocation Shop" }) { id } }`);
  const { createProduct } = await owner.data(`mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }`, {
    input: { shopId: createShop.id, name: 'Revocation rolls', priceCents: 300, stock: 10 },
  });
  return createProduct.id as string;
}

const restock = (owner: Actor, productId: string) =>
  owner.data(`mutation ($id: ID!) { restockProduct(productId: $id, quantity: 1) { stock } }`, { id: productId });

describe('signing out', () => {
  it("ends the session's subscriptions on both gateway instances and every transport, and nothing of another session", async () => {
    const [a, b] = [await startInstance(), await startInstance()];
    const owner = await signUpActor(stack.gatewayUrl, 'SHOP_OWNER');
    const productId = await productOf(owner);
    const customer = await signUpActor(stack.gatewayUrl, 'CUSTOMER');
    const [ending, staying] = [await signIn(customer.email), await signIn(customer.email)];
    const variables = { ids: [productId] };

    const connections = { count: 0 };
    const endingOnA = wsClient(a.url, ending.token, connections);
    const ended: Record<string, Seen> = {
      'graphql-ws on A': watchWs(endingOnA, inventory, variables),
      'graphql-ws on B': watchWs(wsClient(b.url, ending.token, connections), inventory, variables),
      'SSE on A': watchSse(a.url, ending.token, inventory, variables),
      'multipart on B': watchMultipart(b.url, ending.token, inventory, variables),
    };
    const kept = { 'graphql-ws on A': watchWs(wsClient(a.url, staying.token, { count: 0 }), inventory, variables), 'multipart on B': watchMultipart(b.url, staying.token, inventory, variables) };
    await eventually(async () => expect([a.subscriptionStats().subscribers, b.subscriptionStats().subscribers]).toEqual([3, 3]));

    expect((await signOut(b.url, ending)).data).toEqual({ signOut: true });
    await eventually(async () => {
      for (const [transport, seen] of Object.entries(ended)) expect({ transport, ...seen }).toEqual({ transport, payloads: [], codes: ['UNAUTHENTICATED'], ended: true });
    });
    await eventually(async () => expect([a.subscriptionStats().subscribers, b.subscriptionStats().subscribers]).toEqual([1, 1]));

    // The socket stays open, but takes nothing more under the ended session; its client did not reconnect.
    const after = watchWs(endingOnA, inventory, variables);
    await eventually(async () => expect(after).toEqual({ payloads: [], codes: ['UNAUTHENTICATED'], ended: true }));
    expect(connections.count).toBe(2);

    await restock(owner, productId);
    for (const [transport, seen] of Object.entries(kept)) {
      await eventually(async () => expect({ transport, ...seen }).toEqual({ transport, payloads: [{ inventoryChanged: { stock: 11 } }], codes: [], ended: false }));
    }
    for (const seen of Object.values(ended)) expect(seen.payloads).toEqual([]);
  });

  it('is caught up with by an instance that missed the announcement, once its Redis subscription is back', async () => {
    const own = await OwnRedisServer.start();
    stops.push(() => own.kill());
    const redis = new Redis(own.url);
    stops.push(async () => redis.disconnect());
    const gateway = await startInstance(RedisRevokedSessions.open({ url: own.url, namespace: stack.namespace }));
    const owner = await signUpActor(stack.gatewayUrl, 'SHOP_OWNER');
    const productId = await productOf(owner);
    const customer = await signUpActor(stack.gatewayUrl, 'CUSTOMER');
    const [ending, staying] = [await signIn(customer.email), await signIn(customer.email)];

    const endingSeen = watchWs(wsClient(gateway.url, ending.token, { count: 0 }), inventory, { ids: [productId] });
    const stayingSeen = watchWs(wsClient(gateway.url, staying.token, { count: 0 }), inventory, { ids: [productId] });
    await eventually(async () => expect(gateway.subscriptionStats().subscribers).toBe(2));

    // Recorded without being announced, as while the instance was reconnecting to Redis.
    const { sid } = jwt.decode(ending.token) as { sid: string };
    await redis.set(`${stack.namespace}:revoked-session:${sid}`, '1', 'EX', 900);
    expect(await redis.client('KILL', 'TYPE', 'pubsub')).toBeGreaterThan(0);

    await eventually(async () => expect(endingSeen).toEqual({ payloads: [], codes: ['UNAUTHENTICATED'], ended: true }));
    expect(gateway.subscriptionStats().subscribers).toBe(1);
    await restock(owner, productId);
    await eventually(async () => expect(stayingSeen).toEqual({ payloads: [{ inventoryChanged: { stock: 11 } }], codes: [], ended: false }));
  });

  it("ends them through the quickstart's in-process list too", async () => {
    // In the quickstart the users subgraph adds to the very list the gateway watches.
    const revoked = new InMemoryRevokedSessions();
    const gateway = await startInstance(revoked);
    const owner = await signUpActor(stack.gatewayUrl, 'SHOP_OWNER');
    const productId = await productOf(owner);
    const customer = await signUpActor(stack.gatewayUrl, 'CUSTOMER');
    const [ending, staying] = [await signIn(customer.email), await signIn(customer.email)];
    const endingSeen = watchSse(gateway.url, ending.token, inventory, { ids: [productId] });
    const stayingSeen = watchSse(gateway.url, staying.token, inventory, { ids: [productId] });
    await eventually(async () => expect(gateway.subscriptionStats().subscribers).toBe(2));

    await revoked.add((jwt.decode(ending.token) as { sid: string }).sid, 900);
    await eventually(async () => expect(endingSeen).toEqual({ payloads: [], codes: ['UNAUTHENTICATED'], ended: true }));
    await restock(owner, productId);
    await eventually(async () => expect(stayingSeen).toEqual({ payloads: [{ inventoryChanged: { stock: 11 } }], codes: [], ended: false }));
  });
});
