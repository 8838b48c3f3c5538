import { readFileSync } from 'node:fs';
import type { FormattedExecutionResult } from 'graphql';
import { createClient as createSseClient, type Client as SseClient } from 'graphql-sse';
import { createClient, type Client, type ClientOptions } from 'graphql-ws';
import Redis from 'ioredis';
import WebSocket from 'ws';
import { createGateway, type RunningGateway } from '@commerce/gateway';
import { liveChannels, RedisLivePubSub } from '@commerce/pubsub';
import { createLogger, eventually, postGraphQL } from '@commerce/service-kit';
import { testConfig } from '@commerce/service-kit/testing';
import { supergraphPath } from '../scripts/stack';
import { composeEdited } from './support/compose';
import { signUp, type Actor } from './support/graph';
import { multipartParts, multipartSubscriptionAccept } from './support/multipart';
import { startTestStack, testRedisUrl, type TestStack } from './support/stack';

/** A gateway instance of this file's own, beside the stack's, on the same subgraphs and Redis. */
interface Instance {
  gateway: RunningGateway;
  /** Closes the gateway but not its Redis connections, so what it leaves behind can be seen. */
  closeGateway(): Promise<void>;
  stop(): Promise<void>;
}

let stack: TestStack;
let redis: Redis;
let second: RunningGateway;
let third: RunningGateway;
const instances = new Set<Instance>();
const clients: Client[] = [];
const sseClients: SseClient[] = [];
const multipartAborts: AbortController[] = [];

beforeAll(async () => {
  stack = await startTestStack();
  redis = new Redis(testRedisUrl);
  // More gateway instances over the same subgraphs and Redis: every instance hears every change.
  second = (await startInstance()).gateway;
  third = (await startInstance()).gateway;
});

afterAll(async () => {
  for (const client of clients) await client.dispose();
  for (const client of sseClients) client.dispose();
  for (const abort of multipartAborts) abort.abort();
  for (const instance of [...instances]) await instance.stop();
  redis?.disconnect();
  await stack?.stop();
});

async function startInstance(supergraphSdl = readFileSync(supergraphPath, 'utf8')): Promise<Instance> {
  const live = await RedisLivePubSub.connect({ url: testRedisUrl, namespace: stack.namespace });
  let gateway: RunningGateway;
  try {
    gateway = await createGateway({
      supergraphSdl,
      subgraphUrls: Object.fromEntries(Object.entries(stack.services).map(([name, s]) => [name, s.subgraph.url])),
      jwt: { secret: testConfig.JWT_SECRET, issuer: testConfig.JWT_ISSUER, audience: testConfig.JWT_AUDIENCE },
      live,
      logger: createLogger('gateway', 'silent'),
    });
  } catch (error) {
    await live.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  const instance: Instance = {
    gateway,
    closeGateway: () => (closing ??= gateway.close()),
    async stop() {
      instances.delete(instance);
      await instance.closeGateway();
      await live.close();
    },
  };
  instances.add(instance);
  return instance;
}

function wsClient(gatewayUrl: string, actor: Actor, on?: ClientOptions['on']): Client {
  const client = createClient({
    url: gatewayUrl.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${actor.token}` },
    retryAttempts: 0,
    on,
  });
  clients.push(client);
  return client;
}

/** What one subscriber received: the subscription field's value per result, and any errors. */
interface Seen {
  payloads: Record<string, any>[];
  errors: unknown[];
  stop: () => void;
}

function newSeen(): Seen {
  return { payloads: [], errors: [], stop: () => undefined };
}

/** Takes any transport's result: they differ only in how they type `extensions`. */
function record(seen: Seen, result: Pick<FormattedExecutionResult, 'data' | 'errors'>): void {
  if (result.errors) seen.errors.push(...result.errors);
  if (result.data) seen.payloads.push(Object.values(result.data)[0] as Record<string, any>);
}

function watchWs(client: Client, query: string, variables: Record<string, unknown>): Seen {
  const seen = newSeen();
  seen.stop = client.subscribe(
    { query, variables },
    { next: (result) => record(seen, result), error: (error) => seen.errors.push(error), complete: () => undefined },
  );
  return seen;
}

function watchSse(gatewayUrl: string, actor: Actor, singleConnection: boolean, query: string, variables: Record<string, unknown>): Seen {
  const client = createSseClient({ url: gatewayUrl, headers: { authorization: `Bearer ${actor.token}` }, singleConnection, retryAttempts: 0 });
  sseClients.push(client);
  const seen = newSeen();
  seen.stop = client.subscribe(
    { query, variables },
    { next: (result) => record(seen, result), error: (error) => seen.errors.push(error), complete: () => undefined },
  );
  return seen;
}

/** Subscribes as Apollo Client does over HTTP; stopping aborts the request, which is how that client leaves. */
function watchMultipart(gatewayUrl: string, actor: Actor, query: string, variables: Record<string, unknown>): Seen {
  const seen = newSeen();
  const abort = new AbortController();
  multipartAborts.push(abort);
  seen.stop = () => abort.abort();
  const read = async () => {
    const response = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { accept: multipartSubscriptionAccept, 'content-type': 'application/json', authorization: `Bearer ${actor.token}` },
      body: JSON.stringify({ query, variables }),
      signal: abort.signal,
    });
    // A refusal is a plain GraphQL response.
    if (!response.headers.get('content-type')?.startsWith('multipart/mixed')) return record(seen, (await response.json()) as FormattedExecutionResult);
    for await (const part of multipartParts(response)) {
      if (part.payload) record(seen, part.payload as FormattedExecutionResult);
    }
  };
  read().catch((error: unknown) => {
    if (!abort.signal.aborted) seen.errors.push(error);
  });
  return seen;
}

async function listenersOn(channel: string): Promise<number> {
  const [, listeners] = (await redis.pubsub('NUMSUB', `${stack.namespace}.${channel}`)) as [string, number];
  return Number(listeners);
}

/** Resolves once no gateway holds a Redis subscription to any of `channels`. */
async function noListeners(channels: string[]): Promise<void> {
  await eventually(async () => {
    for (const channel of channels) expect({ channel, listeners: await listenersOn(channel) }).toEqual({ channel, listeners: 0 });
  });
}

/** The ids of this stack's live subscriber connections that are subscribed to something (named by RedisLivePubSub). */
async function liveSubscriberIds(): Promise<string[]> {
  const list = (await redis.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string;
  return list
    .split('\n')
    .map((line) => Object.fromEntries(line.trim().split(' ').map((field) => field.split('=', 2))) as Record<string, string | undefined>)
    .flatMap((client) => (client.name === `${stack.namespace}:live:subscriber` && client.id ? [client.id] : []));
}

const trackStatus = `subscription ($id: ID!) { orderUpdated(orderId: $id) { id status customer { name } } }`;

/** The statuses a subscriber saw, with repeats of the same status folded. */
const statuses = (seen: Seen) => seen.payloads.map((p) => p.status as string).filter((s, i, all) => s !== all[i - 1]);

async function openShop(name: string): Promise<{ owner: Actor; shopId: string }> {
  const owner = await signUp(stack.gatewayUrl, 'SHOP_OWNER');
  const { createShop } = await owner.data(`mutation ($name: String!) { createShop(input: { name: $name }) { id } }`, { name });
  return { owner, shopId: createShop.id as string };
}

async function addProduct(owner: Actor, shopId: string, name: string, stock: number): Promise<string> {
  const { createProduct } = await owner.data(`mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }`, {
    input: { shopId, name, priceCents: 300, stock },
  });
  return createProduct.id as string;
}

/** Places an order of one unit as soon as orders' read model has learnt of the product from catalog's events. */
function placedOrder(customer: Actor, shopId: string, productId: string): Promise<string> {
  return eventually(async () => {
    const { placeOrder } = await customer.data(`mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`, {
      input: { shopId, items: [{ productId, quantity: 1 }], deliveryAddress: '3 Live Lane', cardToken: 'tok_visa' },
    });
    return placeOrder.id as string;
  });
}

/** An order of one unit, once the saga has confirmed it. */
async function confirmedOrder(customer: Actor, shopId: string, productId: string): Promise<string> {
  const orderId = await placedOrder(customer, shopId, productId);
  await eventually(async () => {
    const { order } = await customer.data(`query ($id: ID!) { order(id: $id) { status } }`, { id: orderId });
    if (order.status !== 'CONFIRMED') throw new Error(order.status);
  });
  return orderId;
}

const moveOrder = (owner: Actor, orderId: string, status: string) =>
  owner.data(`mutation ($id: ID!, $s: OrderStatus!) { updateOrderStatus(id: $id, status: $s) { status } }`, { id: orderId, s: status });

const restock = (owner: Actor, productId: string, quantity: number) =>
  owner.data(`mutation ($id: ID!, $q: Int!) { restockProduct(productId: $id, quantity: $q) { stock } }`, { id: productId, q: quantity });

describe('live order tracking over graphql-ws, fanned out through Redis', () => {
  it('shows the current state first, then every change in order, on two gateway instances, and frees Redis when clients leave', async () => {
    const { owner, shopId } = await openShop('Live Shop');
    const customer = await signUp(stack.gatewayUrl, 'CUSTOMER');
    const orderId = await confirmedOrder(customer, shopId, await addProduct(owner, shopId, 'Live bagel', 10));

    const query = `subscription ($id: ID!) { orderUpdated(orderId: $id) { id status customer { name } payment { status } shipment { status } } }`;
    const onA = watchWs(wsClient(stack.gatewayUrl, customer), query, { id: orderId });
    const onB = watchWs(wsClient(second.url, customer), query, { id: orderId });
    await eventually(async () => {
      if (onA.payloads.length === 0 || onB.payloads.length === 0) throw new Error('no current state yet');
    });
    expect(onA.payloads[0]).toEqual({ id: orderId, status: 'CONFIRMED', customer: { name: expect.any(String) }, payment: { status: 'AUTHORIZED' }, shipment: null });

    // Each message re-resolves the order as it is then, so changes closer together than one
    // resolution may fold into one payload; here every change is awaited before the next.
    for (const status of ['PREPARING', 'READY_FOR_PICKUP']) {
      await moveOrder(owner, orderId, status);
      for (const seen of [onA, onB]) await eventually(async () => expect(statuses(seen).at(-1)).toBe(status));
    }
    for (const seen of [onA, onB]) {
      expect(statuses(seen)).toEqual(['CONFIRMED', 'PREPARING', 'READY_FOR_PICKUP']);
      await eventually(async () => expect(seen.payloads.at(-1)?.shipment).toEqual({ status: 'WAITING_FOR_COURIER' }));
      expect(seen.errors).toEqual([]);
    }

    onA.stop();
    onB.stop();
    await noListeners([liveChannels.orderUpdated(orderId)]);
  });

  it("refuses a subscription to someone else's order with a typed error", async () => {
    const stranger = await signUp(stack.gatewayUrl, 'CUSTOMER');
    const mine = await signUp(stack.gatewayUrl, 'CUSTOMER');
    const { owner, shopId } = await openShop('Private');
    const orderId = await placedOrder(mine, shopId, await addProduct(owner, shopId, 'Secret', 5));
    const seen = watchWs(wsClient(stack.gatewayUrl, stranger), trackStatus, { id: orderId });
    await eventually(async () => {
      if (seen.errors.length === 0) throw new Error('not refused yet');
    });
    expect(seen.payloads).toEqual([]);
    expect(JSON.stringify(seen.errors)).toContain('FORBIDDEN');
  });
});

describe('identical subscriptions share one resolution per message', () => {
  it('resolves a restock once per instance for 20 subscribers of five users on two instances, each of whom gets it exactly once', async () => {
    const { owner, shopId } = await openShop('Shared Shop');
    const users = [owner, ...(await Promise.all([signUp(stack.gatewayUrl, 'CUSTOMER'), signUp(stack.gatewayUrl, 'CUSTOMER'), signUp(stack.gatewayUrl, 'COURIER'), signUp(stack.gatewayUrl, 'SHOP_OWNER')]))];
    // Creating a product announces its stock (CREATED) on the product's channel, then on the shop's;
    // heard on the shop's here, it has been published before anyone below subscribes.
    const announced: unknown[] = [];
    const unlisten = await stack.live.subscribe(liveChannels.shopInventory(shopId), (message) => announced.push(message));
    const scone = await addProduct(owner, shopId, 'Shared scone', 10);
    const productIds = [scone, await addProduct(owner, shopId, 'Shared jam', 10)];
    await eventually(async () => expect(announced).toEqual(productIds.map((productId) => expect.objectContaining({ productId, reason: 'CREATED' }))));
    await unlisten();

    const query = `subscription ($ids: [ID!]) { inventoryChanged(productIds: $ids) { reason previousStock stock product { id name shop { name owner { name } } } } }`;
    const gateways = [second, third].map((gateway) => ({ gateway, before: gateway.subscriptionStats() }));
    const subscribers = Array.from({ length: 20 }, (_, i) => {
      const client = wsClient(gateways[i % 2]!.gateway.url, users[i % users.length]!);
      return { client, seen: watchWs(client, query, { ids: productIds }) };
    });
    const channels = productIds.map(liveChannels.productInventory);
    await eventually(async () => {
      for (const { gateway, before } of gateways) {
        expect(gateway.subscriptionStats()).toMatchObject({ shared: before.shared + 1, subscribers: before.subscribers + 10 });
      }
      for (const channel of channels) expect(await listenersOn(channel)).toBe(2);
    });

    const resolutionsBefore = gateways.map(({ gateway }) => gateway.subscriptionStats().resolutions);
    await restock(owner, scone, 5);
    await eventually(async () => expect(subscribers.filter(({ seen }) => seen.payloads.length === 0)).toEqual([]));
    const change = {
      reason: 'RESTOCKED',
      previousStock: 10,
      stock: 15,
      product: { id: scone, name: 'Shared scone', shop: { name: 'Shared Shop', owner: { name: `SHOP_OWNER ${owner.email}` } } },
    };
    for (const { seen } of subscribers) expect({ payloads: seen.payloads, errors: seen.errors }).toEqual({ payloads: [change], errors: [] });
    expect(gateways.map(({ gateway }) => gateway.subscriptionStats().resolutions)).toEqual(resolutionsBefore.map((count) => count + 1));

    // Half complete their subscription, half drop their socket: either way Redis is freed.
    subscribers.forEach(({ client, seen }, i) => (i % 4 < 2 ? seen.stop() : void client.dispose()));
    await noListeners(channels);
    for (const { gateway, before } of gateways) expect(gateway.subscriptionStats()).toMatchObject({ shared: before.shared, subscribers: before.subscribers });
  });
});

describe('every transport', () => {
  it('sends SSE (both modes) and multipart subscribers the same order changes as a graphql-ws one, and frees Redis when they leave', async () => {
    const { owner, shopId } = await openShop('Transport Shop');
    const customer = await signUp(stack.gatewayUrl, 'CUSTOMER');
    const orderId = await confirmedOrder(customer, shopId, await addProduct(owner, shopId, 'Transport tea', 10));

    const variables = { id: orderId };
    const subscribers: Record<string, Seen> = {
      'graphql-ws': watchWs(wsClient(stack.gatewayUrl, customer), trackStatus, variables),
      'SSE, distinct connections': watchSse(second.url, customer, false, trackStatus, variables),
      'SSE, single connection': watchSse(stack.gatewayUrl, customer, true, trackStatus, variables),
      multipart: watchMultipart(second.url, customer, trackStatus, variables),
    };
    const all = Object.values(subscribers);
    await eventually(async () => expect(all.filter((seen) => seen.payloads.length === 0)).toEqual([]));
    for (const status of ['PREPARING', 'READY_FOR_PICKUP']) {
      await moveOrder(owner, orderId, status);
      await eventually(async () => expect(all.map((seen) => seen.payloads.at(-1)?.status)).toEqual(all.map(() => status)));
    }

    const expected = ['CONFIRMED', 'PREPARING', 'READY_FOR_PICKUP'].map((status) => ({ id: orderId, status, customer: { name: `CUSTOMER ${customer.email}` } }));
    for (const [transport, seen] of Object.entries(subscribers)) {
      expect({ transport, payloads: seen.payloads, errors: seen.errors }).toEqual({ transport, payloads: expected, errors: [] });
    }

    for (const seen of all) seen.stop();
    await noListeners([liveChannels.orderUpdated(orderId)]);
  });
});

describe('losing the Redis subscriber connection', () => {
  it('resends the current state on the same sockets once the connections are back, then carries on with later changes', async () => {
    const { owner, shopId } = await openShop('Outage Shop');
    const customer = await signUp(stack.gatewayUrl, 'CUSTOMER');
    const productId = await addProduct(owner, shopId, 'Outage oats', 10);
    const orderId = await confirmedOrder(customer, shopId, productId);

    let connections = 0;
    const client = wsClient(second.url, customer, { connected: () => connections++ });
    const seen = watchWs(client, `subscription ($id: ID!) { orderUpdated(orderId: $id) { status items { product { stock } } } }`, { id: orderId });
    const snapshot = () => seen.payloads.map((p) => [p.status, p.items[0].product.stock]);
    await eventually(async () => expect(snapshot()).toEqual([['CONFIRMED', 9]]));

    // Stock is announced on the product's channels, never the order's: only a fresh
    // resolution of the order, such as the resend after reconnecting, can show it.
    await restock(owner, productId, 5);
    expect(snapshot()).toEqual([['CONFIRMED', 9]]);
    const killed = await liveSubscriberIds();
    expect(killed).not.toEqual([]);
    for (const id of killed) await redis.client('KILL', 'ID', id);

    await eventually(async () => expect(snapshot()).toEqual([['CONFIRMED', 9], ['CONFIRMED', 14]]));
    const reconnected = await liveSubscriberIds();
    expect(reconnected.filter((id) => killed.includes(id))).toEqual([]);
    await moveOrder(owner, orderId, 'PREPARING');
    await eventually(async () => expect(snapshot()).toEqual([['CONFIRMED', 9], ['CONFIRMED', 14], ['PREPARING', 14]]));
    expect(seen.errors).toEqual([]);
    expect(connections).toBe(1);

    seen.stop();
    await noListeners([liveChannels.orderUpdated(orderId)]);
  });
});

describe('a supergraph reloaded at run time', () => {
  it('validates queries against the new supergraph while a live subscription carries on', async () => {
    const instance = await startInstance();
    const { gateway } = instance;
    const { owner, shopId } = await openShop('Reload Shop');
    const customer = await signUp(stack.gatewayUrl, 'CUSTOMER');
    const productId = await addProduct(owner, shopId, 'Reload rye', 10);
    const orderId = await confirmedOrder(customer, shopId, productId);

    let connections = 0;
    const seen = watchWs(wsClient(gateway.url, customer, { connected: () => connections++ }), trackStatus, { id: orderId });
    await eventually(async () => expect(statuses(seen)).toEqual(['CONFIRMED']));

    const withSubtitle = () => postGraphQL(gateway.url, `query ($id: ID!) { product(id: $id) { name subtitle } }`, { id: productId });
    const codes = (response: { errors?: { extensions?: Record<string, unknown> }[] }) => (response.errors ?? []).map((e) => e.extensions?.code);
    const refused = await withSubtitle();
    expect(codes(refused)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(refused).not.toHaveProperty('data');

    // A harmless addition: a nullable field. catalog does not serve it yet (a rollout would
    // deploy it first), so the query now gets past the gateway's validation to fail in catalog.
    const addSubtitle = (sdl: string) => {
      const edited = sdl.replace('type Product @key(fields: "id") {', '$&\n  subtitle: String');
      if (edited === sdl) throw new Error('catalog SDL has no Product type to extend');
      return edited;
    };
    await gateway.reload(composeEdited({ catalog: addSubtitle }));
    const accepted = await withSubtitle();
    expect(codes(accepted)).not.toContain('GRAPHQL_VALIDATION_FAILED');
    expect(accepted).toHaveProperty('data');

    await moveOrder(owner, orderId, 'PREPARING');
    await eventually(async () => expect(statuses(seen)).toEqual(['CONFIRMED', 'PREPARING']));
    expect(seen.errors).toEqual([]);
    expect(connections).toBe(1);

    seen.stop();
    await instance.stop();
  });
});

describe('an instance shutting down', () => {
  it('closes its WebSockets with 1001 Going Away and leaves their channels', async () => {
    const instance = await startInstance();
    const { owner, shopId } = await openShop('Closing Shop');
    const customer = await signUp(stack.gatewayUrl, 'CUSTOMER');
    const orderId = await confirmedOrder(customer, shopId, await addProduct(owner, shopId, 'Closing cake', 10));

    const closeCodes: number[] = [];
    const client = wsClient(instance.gateway.url, customer, { closed: (event) => closeCodes.push((event as { code: number }).code) });
    const seen = watchWs(client, trackStatus, { id: orderId });
    await eventually(async () => expect(statuses(seen)).toEqual(['CONFIRMED']));
    expect(await listenersOn(liveChannels.orderUpdated(orderId))).toBe(1);

    await instance.closeGateway();
    await eventually(async () => expect(closeCodes).toEqual([1001]));
    await noListeners([liveChannels.orderUpdated(orderId)]);
    await instance.stop();
  });
});
