import { randomUUID } from 'node:crypto';
import type { EventEnvelope, OrderStatusChanged } from '@commerce/events';
import type { Identity } from '@commerce/service-kit';
import type { OrderStatus } from '../src/domain/order-lifecycle';
import { askAsGateway } from '@commerce/service-kit/testing';
import { person, placeOrderMutation, startOrders, waitFor, type OrdersHarness } from './support';

let h: OrdersHarness;
const owner = person('SHOP_OWNER');
const customer = person('CUSTOMER');
const admin = person('ADMIN');
let shopId: string;
let productId: string;

beforeAll(async () => {
  h = await startOrders();
  shopId = await h.seedShop(owner.userId);
  productId = await h.seedProduct(shopId, 400);
});

afterAll(() => h.stop());

const orderPlaced = `subscription ($shopId: ID!) { orderPlaced(shopId: $shopId) { id status customer { id } shop { id } items { product { id } quantity } } }`;
const orderUpdated = `subscription ($orderId: ID!) { orderUpdated(orderId: $orderId) { id status history { status } } }`;

async function placeOrder(): Promise<string> {
  const input = { shopId, items: [{ productId, quantity: 2 }], deliveryAddress: '9 Live St', cardToken: 'tok_visa' };
  const placed = await h.call(placeOrderMutation, { input }, customer);
  if (placed.errors) throw new Error(JSON.stringify(placed.errors));
  return placed.data!.placeOrder.id as string;
}

async function moveAsAdmin(id: string, statuses: OrderStatus[]): Promise<void> {
  for (const status of statuses) {
    const moved = await h.call(`mutation ($id: ID!, $s: OrderStatus!) { updateOrderStatus(id: $id, status: $s) { status } }`, { id, s: status }, admin);
    if (moved.errors) throw new Error(JSON.stringify(moved.errors));
  }
}

const codeOf = (response: { errors?: { extensions?: { code?: string } }[] }) => response.errors?.[0]?.extensions?.code;

describe('orderPlaced', () => {
  const authorize = (caller: Identity | null, shop = shopId) => askAsGateway(h.url, caller, orderPlaced, { shopId: shop }, { authorize: true });

  it.each<[string, () => Identity]>([
    ["the shop's owner", () => owner],
    ['an admin', () => admin],
  ])('lets %s subscribe', async (_who, caller) => {
    expect(await authorize(caller())).toEqual({ data: null });
  });

  it.each<[string, () => Identity | null, string]>([
    ["another shop's owner", () => person('SHOP_OWNER'), 'FORBIDDEN'],
    ['a customer', () => customer, 'FORBIDDEN'],
    ['an anonymous caller', () => null, 'UNAUTHENTICATED'],
  ])('refuses %s with %s', async (_who, caller, code) => {
    expect(codeOf(await authorize(caller()))).toBe(code);
  });

  it('answers NOT_FOUND for a shop orders has not heard of, even to an admin', async () => {
    expect(codeOf(await authorize(admin, randomUUID()))).toBe('NOT_FOUND');
  });

  it('resolves a published message to the new order, for the owner only', async () => {
    const orderId = await placeOrder();
    const event = { orderId, shopId };
    const resolved = await askAsGateway(h.url, owner, orderPlaced, { shopId }, { event });
    expect(resolved).toEqual({
      data: {
        orderPlaced: {
          id: orderId,
          status: 'PENDING',
          customer: { id: customer.userId },
          shop: { id: shopId },
          items: [{ product: { id: productId }, quantity: 2 }],
        },
      },
    });
    expect(codeOf(await askAsGateway(h.url, person('SHOP_OWNER'), orderPlaced, { shopId }, { event }))).toBe('FORBIDDEN');
  });

  it("never shows an order through another shop's stream", async () => {
    const rival = person('SHOP_OWNER');
    const rivalShop = await h.seedShop(rival.userId);
    const orderId = await placeOrder();
    const resolved = await askAsGateway(h.url, rival, orderPlaced, { shopId: rivalShop }, { event: { orderId, shopId: rivalShop } });
    expect(resolved.data).toBeNull();
    expect(codeOf(resolved)).toBe('NOT_FOUND');
  });
});

describe('orderUpdated', () => {
  const resolve = (orderId: string, event: object, caller: Identity = customer) => askAsGateway(h.url, caller, orderUpdated, { orderId }, { event });

  it('shows the order as of the change a message names, and the order now for a message without one', async () => {
    const orderId = await placeOrder();
    await moveAsAdmin(orderId, ['CONFIRMED', 'PREPARING']);

    expect((await resolve(orderId, { orderId, status: 'CONFIRMED', sequence: 2 })).data?.orderUpdated).toEqual({
      id: orderId,
      status: 'CONFIRMED',
      history: [{ status: 'PENDING' }, { status: 'CONFIRMED' }],
    });
    expect((await resolve(orderId, { orderId, status: 'PENDING', sequence: 1 })).data?.orderUpdated).toEqual({
      id: orderId,
      status: 'PENDING',
      history: [{ status: 'PENDING' }],
    });
    expect((await resolve(orderId, { orderId })).data?.orderUpdated).toEqual({
      id: orderId,
      status: 'PREPARING',
      history: [{ status: 'PENDING' }, { status: 'CONFIRMED' }, { status: 'PREPARING' }],
    });
  });

  it('numbers every status change it announces, so each resolves to the status it announced', async () => {
    const orderId = await placeOrder();
    await moveAsAdmin(orderId, ['CONFIRMED', 'PREPARING', 'READY_FOR_PICKUP', 'CANCELLED']);
    const changesOf = () =>
      h.published
        .filter((event): event is EventEnvelope<'order.status_changed', OrderStatusChanged> => event.type === 'order.status_changed' && event.aggregateId === orderId)
        .map((event) => event.payload);
    await waitFor(() => changesOf().length === 5);

    const changes = changesOf();
    expect(changes.map(({ to, sequence }) => [to, sequence])).toEqual([
      ['PENDING', 1],
      ['CONFIRMED', 2],
      ['PREPARING', 3],
      ['READY_FOR_PICKUP', 4],
      ['CANCELLED', 5],
    ]);
    for (const change of changes) {
      const { data } = await resolve(orderId, { orderId, status: change.to, sequence: change.sequence });
      expect(data?.orderUpdated.status).toBe(change.to);
      expect(data?.orderUpdated.history).toHaveLength(change.sequence!);
    }
  });

  it('checks the subscriber on every message, as-of or not', async () => {
    const orderId = await placeOrder();
    const stranger = person('CUSTOMER');
    expect(codeOf(await resolve(orderId, { orderId, status: 'PENDING', sequence: 1 }, stranger))).toBe('FORBIDDEN');
    expect(codeOf(await askAsGateway(h.url, stranger, orderUpdated, { orderId }, { authorize: true }))).toBe('FORBIDDEN');
    expect(await askAsGateway(h.url, owner, orderUpdated, { orderId }, { authorize: true })).toEqual({ data: null });
  });
});
