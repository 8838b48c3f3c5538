import { readFileSync } from 'node:fs';
import { createClient, type Client } from 'graphql-ws';
import Redis from 'ioredis';
import WebSocket from 'ws';
import { createGateway, type RunningGateway } from '@commerce/gateway';
import { RedisLivePubSub } from '@commerce/pubsub';
import { eventually } from '@commerce/service-kit';
import { testConfig } from '@commerce/service-kit/src/testing';
import { supergraphPath } from '../scripts/stack';
import { signUp, type Actor } from './support/graph';
import { startTestStack, testRedisUrl, type TestStack } from './support/stack';

let stack: TestStack;
let second: RunningGateway;
let secondLive: RedisLivePubSub;
const clients: Client[] = [];

beforeAll(async () => {
  stack = await startTestStack();
  // A second gateway instance over the same subgraphs and Redis: every instance hears every change.
  secondLive = await RedisLivePubSub.connect({ url: testRedisUrl, namespace: stack.namespace });
  second = await createGateway({
    supergraphSdl: readFileSync(supergraphPath, 'utf8'),
    subgraphUrls: Object.fromEntries(Object.entries(stack.services).map(([name, s]) => [name, s.subgraph.url])),
    jwt: { secret: testConfig.JWT_SECRET, issuer: testConfig.JWT_ISSUER, audience: testConfig.JWT_AUDIENCE },
    live: secondLive,
  });
});

afterAll(async () => {
  for (const client of clients) await client.dispose();
  await second?.close();
  await secondLive?.close();
  await stack?.stop();
});

function wsClient(gatewayUrl: string, actor: Actor): Client {
  const client = createClient({
    url: gatewayUrl.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${actor.token}` },
    retryAttempts: 0,
  });
  clients.push(client);
  return client;
}

interface Seen {
  payloads: Record<string, any>[];
  errors: unknown[];
  stop: () => void;
}

function watch(client: Client, orderId: string): Seen {
  const seen: Seen = { payloads: [], errors: [], stop: () => undefined };
  seen.stop = client.subscribe(
    {
      query: `subscription ($id: ID!) { orderUpdated(orderId: $id) { id status customer { name } payment { status } shipment { status } } }`,
      variables: { id: orderId },
    },
    {
      next: (result) => {
        if (result.errors) seen.errors.push(...result.errors);
        if (result.data) seen.payloads.push(result.data.orderUpdated as Record<string, any>);
      },
      error: (error) => seen.errors.push(error),
      complete: () => undefined,
    },
  );
  return seen;
}

/** The statuses a subscriber saw, with repeats of the same status folded. */
const statuses = (seen: Seen) => seen.payloads.map((p) => p.status as string).filter((s, i, all) => s !== all[i - 1]);

describe('live order tracking over graphql-ws, fanned out through Redis', () => {
  it('shows the current state first, then every change in order, on two gateway instances, and frees Redis when clients leave', async () => {
    const [owner, customer] = await Promise.all([signUp(stack.gatewayUrl, 'SHOP_OWNER'), signUp(stack.gatewayUrl, 'CUSTOMER')]);
    const shopId = (await owner.data(`mutation { createShop(input: { name: "Live Shop" }) { id } }`)).createShop.id;
    const productId = (
      await owner.data(`mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }`, {
        input: { shopId, name: 'Live bagel', priceCents: 300, stock: 10 },
      })
    ).createProduct.id;
    const orderId = await eventually(async () => {
      const { placeOrder } = await customer.data(`mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`, {
        input: { shopId, items: [{ productId, quantity: 1 }], deliveryAddress: '3 Live Lane', cardToken: 'tok_visa' },
      });
      return placeOrder.id as string;
    });
    await eventually(async () => {
      const { order } = await customer.data(`query ($id: ID!) { order(id: $id) { status } }`, { id: orderId });
      if (order.status !== 'CONFIRMED') throw new Error(order.status);
    });

    const onA = watch(wsClient(stack.gatewayUrl, customer), orderId);
    const onB = watch(wsClient(second.url, customer), orderId);
    await eventually(async () => {
      if (onA.payloads.length === 0 || onB.payloads.length === 0) throw new Error('no current state yet');
    });
    expect(onA.payloads[0]).toEqual({ id: orderId, status: 'CONFIRMED', customer: { name: expect.any(String) }, payment: { status: 'AUTHORIZED' }, shipment: null });

    // Each message re-resolves the order as it is then, so changes closer together than one
    // resolution may fold into one payload; here every change is awaited before the next.
    for (const status of ['PREPARING', 'READY_FOR_PICKUP']) {
      await owner.data(`mutation ($id: ID!, $s: OrderStatus!) { updateOrderStatus(id: $id, status: $s) { status } }`, { id: orderId, s: status });
      for (const seen of [onA, onB]) await eventually(async () => expect(statuses(seen).at(-1)).toBe(status));
    }
    for (const seen of [onA, onB]) {
      expect(statuses(seen)).toEqual(['CONFIRMED', 'PREPARING', 'READY_FOR_PICKUP']);
      await eventually(async () => expect(seen.payloads.at(-1)?.shipment).toEqual({ status: 'WAITING_FOR_COURIER' }));
      expect(seen.errors).toEqual([]);
    }

    onA.stop();
    onB.stop();
    const redis = new Redis(testRedisUrl);
    try {
      await eventually(async () => {
        const [, listeners] = (await redis.pubsub('NUMSUB', `${stack.namespace}.orderUpdated.${orderId}`)) as [string, number];
        expect(Number(listeners)).toBe(0);
      });
    } finally {
      redis.disconnect();
    }
  });

  it("refuses a subscription to someone else's order with a typed error", async () => {
    const stranger = await signUp(stack.gatewayUrl, 'CUSTOMER');
    const mine = await signUp(stack.gatewayUrl, 'CUSTOMER');
    const owner = await signUp(stack.gatewayUrl, 'SHOP_OWNER');
    const shopId = (await owner.data(`mutation { createShop(input: { name: "Private" }) { id } }`)).createShop.id;
    const productId = (
      await owner.data(`mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }`, {
        input: { shopId, name: 'Secret', priceCents: 100, stock: 5 },
      })
    ).createProduct.id;
    const orderId = await eventually(async () => {
      const { placeOrder } = await mine.data(`mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`, {
        input: { shopId, items: [{ productId, quantity: 1 }], deliveryAddress: '4 Quiet St', cardToken: 'tok_visa' },
      });
      return placeOrder.id as string;
    });
    const seen = watch(wsClient(stack.gatewayUrl, stranger), orderId);
    await eventually(async () => {
      if (seen.errors.length === 0) throw new Error('not refused yet');
    });
    expect(seen.payloads).toEqual([]);
    expect(JSON.stringify(seen.errors)).toContain('FORBIDDEN');
  });
});
