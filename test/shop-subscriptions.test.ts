import { createClient, type Client } from 'graphql-ws';
import { domainEvent } from '@commerce/events';
import Redis from 'ioredis';
import WebSocket from 'ws';
import { eventually } from '@commerce/service-kit';
import { signUp, type Actor } from './support/graph';
import { startTestStack, testRedisUrl, type TestStack } from './support/stack';

let stack: TestStack;
let redis: Redis;
const clients: Client[] = [];
let owner: Actor;
let rival: Actor;
let customer: Actor;
let courier: Actor;
let shopId: string;

beforeAll(async () => {
  stack = await startTestStack();
  redis = new Redis(testRedisUrl);
  [owner, rival, customer, courier] = await Promise.all([
    signUp(stack.gatewayUrl, 'SHOP_OWNER'),
    signUp(stack.gatewayUrl, 'SHOP_OWNER'),
    signUp(stack.gatewayUrl, 'CUSTOMER'),
    signUp(stack.gatewayUrl, 'COURIER'),
  ]);
  shopId = (await owner.data(`mutation { createShop(input: { name: "Live Corner", lowStockThreshold: 3 }) { id } }`)).createShop.id;
  // orders answers for a shop once its read model has heard of it from catalog.
  await eventually(() => owner.data(`query ($shopId: ID!) { shopOrders(shopId: $shopId) { id } }`, { shopId }));
});

afterAll(async () => {
  for (const client of clients) await client.dispose();
  redis?.disconnect();
  await stack?.stop();
});

interface Seen {
  payloads: unknown[];
  errors: unknown[];
}

/** Subscribes over graphql-ws as `actor`, collecting payloads and errors (refusals included). */
function watch(actor: Actor, query: string, variables: Record<string, unknown>): Seen {
  const client = createClient({
    url: stack.gatewayUrl.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${actor.token}` },
    retryAttempts: 0,
  });
  clients.push(client);
  const seen: Seen = { payloads: [], errors: [] };
  client.subscribe(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) seen.errors.push(...result.errors);
        if (result.data) seen.payloads.push(Object.values(result.data)[0]);
      },
      error: (error) => seen.errors.push(error),
      complete: () => undefined,
    },
  );
  return seen;
}

/** Resolves once a gateway listens on the live channel, so a change published from now on reaches the subscriber. */
async function listenedTo(channel: string): Promise<void> {
  await eventually(async () => {
    const [, listeners] = (await redis.pubsub('NUMSUB', `${stack.namespace}.${channel}`)) as [string, number];
    expect(Number(listeners)).toBeGreaterThan(0);
  });
}

async function newProduct(name: string, stock: number): Promise<string> {
  const { createProduct } = await owner.data(`mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }`, {
    input: { shopId, name, priceCents: 300, stock },
  });
  return createProduct.id as string;
}

/** Places an order as soon as orders' read model has learnt of the product from catalog's events. */
function place(productId: string, quantity: number): Promise<string> {
  return eventually(async () => {
    const { placeOrder } = await customer.data(`mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`, {
      input: { shopId, items: [{ productId, quantity }], deliveryAddress: '7 Live Lane', cardToken: 'tok_visa' },
    });
    return placeOrder.id as string;
  });
}

const refusedWith = async (seen: Seen, code: string) => {
  await eventually(async () => expect(seen.errors).not.toEqual([]));
  expect(JSON.stringify(seen.errors)).toContain(code);
  expect(seen.payloads).toEqual([]);
};

describe("a shop's live streams over graphql-ws", () => {
  it("shows the owner each new order with fields from other subgraphs, and refuses another shop's owner", async () => {
    const productId = await newProduct('Live bagel', 50);
    const query = `subscription ($shopId: ID!) { orderPlaced(shopId: $shopId) { id shop { name } customer { name } items { quantity product { name } } } }`;

    await refusedWith(watch(rival, query, { shopId }), 'FORBIDDEN');
    const seen = watch(owner, query, { shopId });
    await listenedTo(`orderPlaced.shop.${shopId}`);

    const orderId = await place(productId, 2);
    await eventually(async () =>
      expect(seen.payloads).toEqual([
        { id: orderId, shop: { name: 'Live Corner' }, customer: { name: `CUSTOMER ${customer.email}` }, items: [{ quantity: 2, product: { name: 'Live bagel' } }] },
      ]),
    );
    expect(seen.errors).toEqual([]);
  });

  it('alerts the owner when an order takes a product to or under the shop’s threshold', async () => {
    const productId = await newProduct('Live flour', 5);
    const query = `subscription ($shopId: ID!) { lowStock(shopId: $shopId) { product { id name } stock threshold at } }`;

    await refusedWith(watch(rival, query, { shopId }), 'FORBIDDEN');
    const seen = watch(owner, query, { shopId });
    await listenedTo(`lowStock.shop.${shopId}`);

    await place(productId, 3);
    await eventually(async () =>
      expect(seen.payloads).toEqual([{ product: { id: productId, name: 'Live flour' }, stock: 2, threshold: 3, at: expect.any(String) }]),
    );
    expect(seen.errors).toEqual([]);
  });

  it('delivers every status of an order moved along quickly, in order, each with its history up to then', async () => {
    const lifecycle = ['PENDING', 'CONFIRMED', 'PREPARING', 'READY_FOR_PICKUP', 'OUT_FOR_DELIVERY', 'DELIVERED'];
    const orderId = await place(await newProduct('Live soup', 10), 1);
    await eventually(async () => expect((await customer.data(`query ($id: ID!) { order(id: $id) { status } }`, { id: orderId })).order.status).toBe('CONFIRMED'));
    const seen = watch(
      customer,
      `subscription ($id: ID!) { orderUpdated(orderId: $id) { status history { status } customer { name } payment { status } shipment { status } } }`,
      { id: orderId },
    );
    await eventually(async () => expect(seen.payloads).not.toEqual([]));

    // No change waits for the previous one to be heard: each status must survive the next.
    const move = (status: string) => owner.data(`mutation ($id: ID!, $s: OrderStatus!) { updateOrderStatus(id: $id, status: $s) { status } }`, { id: orderId, s: status });
    await move('PREPARING');
    await move('READY_FOR_PICKUP');
    const shipmentId = await eventually(async () => {
      const { order } = await customer.data(`query ($id: ID!) { order(id: $id) { shipment { id } } }`, { id: orderId });
      if (!order.shipment) throw new Error('no shipment yet');
      return order.shipment.id as string;
    });
    await courier.data(`mutation ($id: ID!) { acceptShipment(id: $id) { status } }`, { id: shipmentId });
    // Logistics' delivery heard before its pickup (as while the pickup event is being retried)
    // moves the order through OUT_FOR_DELIVERY to DELIVERED in one transaction: the closest two
    // changes can come.
    await stack.bus.publish(domainEvent('shipment.delivered', orderId, { orderId, shipmentId, courierId: courier.id }));

    // Changes from payments and logistics show the order as it is when resolved, which may run
    // ahead of a status change still on its way; every status must still come, in order.
    const fromSubscribing = lifecycle.slice(lifecycle.indexOf('CONFIRMED'));
    const updates = seen.payloads as { status: string; history: { status: string }[] }[];
    await eventually(async () => expect(inOrder(updates.map((update) => update.status), fromSubscribing)).toEqual(fromSubscribing));
    for (const payload of updates) {
      const history = payload.history.map((change) => change.status);
      expect(history).toEqual(lifecycle.slice(0, history.length));
      expect(history).toContain(payload.status);
    }
    expect(seen.errors).toEqual([]);
  });
});

/** The longest start of `expected` found in `seen` in that order (with anything else in between). */
function inOrder(seen: string[], expected: string[]): string[] {
  let next = 0;
  for (const status of seen) if (status === expected[next]) next++;
  return expected.slice(0, next);
}
