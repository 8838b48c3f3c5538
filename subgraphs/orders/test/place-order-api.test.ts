import { randomUUID } from 'node:crypto';
import { orderPlaced } from '@commerce/events';
import { person, placeOrderMutation, startOrders, waitFor, type OrdersHarness } from './support';

let h: OrdersHarness;
const owner = person('SHOP_OWNER');
const customer = person('CUSTOMER');
let shopId: string;
let otherShopId: string;
let soup: string;
let bread: string;
let foreign: string;

beforeAll(async () => {
  h = await startOrders();
  shopId = await h.seedShop(owner.userId);
  otherShopId = await h.seedShop(person('SHOP_OWNER').userId);
  soup = await h.seedProduct(shopId, 450);
  bread = await h.seedProduct(shopId, 120);
  foreign = await h.seedProduct(otherShopId, 999);
});

afterAll(() => h.stop());

const validInput = () => ({
  shopId,
  items: [
    { productId: soup, quantity: 2 },
    { productId: bread, quantity: 3 },
  ],
  deliveryAddress: ' 1 Main St ',
  cardToken: 'tok_visa',
});

describe('placeOrder', () => {
  it('prices items from the read model, starts the history at PENDING and publishes one order.placed and one order.status_changed after commit', async () => {
    const before = h.published.length;
    const result = await h.call(placeOrderMutation, { input: validInput() }, customer);
    expect(result.errors).toBeUndefined();
    const order = result.data!.placeOrder;
    expect(order).toMatchObject({
      status: 'PENDING',
      totalCents: 2 * 450 + 3 * 120,
      deliveryAddress: '1 Main St',
      customer: { id: customer.userId },
      shop: { id: shopId },
      items: [
        { product: { id: soup }, quantity: 2, unitPriceCents: 450 },
        { product: { id: bread }, quantity: 3, unitPriceCents: 120 },
      ],
      history: [{ status: 'PENDING', reason: null }],
    });
    expect(new Date(order.createdAt).toISOString()).toBe(order.createdAt);

    await waitFor(() => h.published.length >= before + 2);
    // Give a third publication the chance to show up before asserting there is none.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const events = h.published.slice(before);
    expect(events.map((event) => event.type)).toEqual(['order.placed', 'order.status_changed']);
    expect(events[0]).toMatchObject({ type: 'order.placed', aggregateId: order.id });
    expect(events[1]).toMatchObject({
      aggregateId: order.id,
      payload: { orderId: order.id, customerId: customer.userId, shopId, from: null, to: 'PENDING', reason: null },
    });
    expect(orderPlaced.parse(events[0]!.payload)).toEqual({
      orderId: order.id,
      customerId: customer.userId,
      shopId,
      items: [
        { productId: soup, quantity: 2, unitPriceCents: 450 },
        { productId: bread, quantity: 3, unitPriceCents: 120 },
      ],
      totalCents: 1260,
      cardToken: 'tok_visa',
    });
  });

  it('keeps the price an order was placed at when the catalog price changes later', async () => {
    const placed = await h.call(placeOrderMutation, { input: { ...validInput(), items: [{ productId: soup, quantity: 1 }] } }, customer);
    await h.seedProduct(shopId, 500, soup);
    const again = await h.call(`query ($id: ID!) { order(id: $id) { totalCents items { unitPriceCents } } }`, { id: placed.data!.placeOrder.id }, customer);
    expect(again.data?.order).toEqual({ totalCents: 450, items: [{ unitPriceCents: 450 }] });
    const next = await h.call(placeOrderMutation, { input: { ...validInput(), items: [{ productId: soup, quantity: 1 }] } }, customer);
    expect(next.data?.placeOrder.totalCents).toBe(500);
  });

  const many = (n: number) => Array.from({ length: n }, () => ({ productId: randomUUID(), quantity: 1 }));

  it.each<[string, () => Record<string, unknown>, string, Record<string, unknown>?]>([
    ['no items', () => ({ ...validInput(), items: [] }), 'BAD_USER_INPUT', { field: 'input.items' }],
    ['51 items', () => ({ ...validInput(), items: many(51) }), 'BAD_USER_INPUT', { field: 'input.items' }],
    ['a zero quantity', () => ({ ...validInput(), items: [{ productId: soup, quantity: 0 }] }), 'BAD_USER_INPUT', { field: 'input.items.0.quantity' }],
    ['a quantity over 1000', () => ({ ...validInput(), items: [{ productId: soup, quantity: 1001 }] }), 'BAD_USER_INPUT'],
    ['the same product twice', () => ({ ...validInput(), items: [{ productId: soup, quantity: 1 }, { productId: soup, quantity: 2 }] }), 'BAD_USER_INPUT', { field: 'input.items.1.productId' }],
    ['a blank delivery address', () => ({ ...validInput(), deliveryAddress: '   ' }), 'BAD_USER_INPUT', { field: 'input.deliveryAddress' }],
    ['a 501-character delivery address', () => ({ ...validInput(), deliveryAddress: 'x'.repeat(501) }), 'BAD_USER_INPUT'],
    ['an empty card token', () => ({ ...validInput(), cardToken: '' }), 'BAD_USER_INPUT', { field: 'input.cardToken' }],
    ['a 201-character card token', () => ({ ...validInput(), cardToken: 't'.repeat(201) }), 'BAD_USER_INPUT'],
    ['a shop orders has never heard of', () => ({ ...validInput(), shopId: randomUUID() }), 'NOT_FOUND'],
    ['a shop id that is not an id', () => ({ ...validInput(), shopId: 'shop-1' }), 'NOT_FOUND'],
    ['an unknown product', () => ({ ...validInput(), items: [{ productId: soup, quantity: 1 }, { productId: 'unknown', quantity: 1 }] }), 'PRODUCT_UNAVAILABLE', { productId: 'unknown' }],
    ['a product of another shop', () => ({ ...validInput(), items: [{ productId: foreign, quantity: 1 }] }), 'PRODUCT_UNAVAILABLE'],
  ])('refuses %s with a typed error and writes nothing', async (_case, input, code, extensions = {}) => {
    const before = await h.counts();
    const result = await h.call(placeOrderMutation, { input: input() }, customer);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code, ...extensions });
    expect(result.data).toBeNull();
    expect(await h.counts()).toEqual(before);
  });

  it('names the unavailable product of another shop', async () => {
    const result = await h.call(placeOrderMutation, { input: { ...validInput(), items: [{ productId: foreign, quantity: 1 }] } }, customer);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'PRODUCT_UNAVAILABLE', productId: foreign });
  });

  it.each([
    ['an anonymous caller', null, 'UNAUTHENTICATED'],
    ['a shop owner', person('SHOP_OWNER'), 'FORBIDDEN'],
    ['a courier', person('COURIER'), 'FORBIDDEN'],
  ] as const)('refuses an order from %s and writes nothing', async (_case, caller, code) => {
    const before = await h.counts();
    const result = await h.call(placeOrderMutation, { input: validInput() }, caller);
    expect(result.errors?.[0]?.extensions?.code).toBe(code);
    expect(await h.counts()).toEqual(before);
  });

  it('lets an admin place an order for themself', async () => {
    const admin = person('ADMIN');
    const result = await h.call(placeOrderMutation, { input: validInput() }, admin);
    expect(result.data?.placeOrder.customer).toEqual({ id: admin.userId });
  });
});
