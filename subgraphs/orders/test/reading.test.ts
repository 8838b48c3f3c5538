import { randomUUID } from 'node:crypto';
import type { Identity } from '@commerce/service-kit';
import { entitiesQuery } from '@commerce/service-kit/testing';
import { person, placeOrderMutation, startOrders, type OrdersHarness } from './support';

let h: OrdersHarness;
const owner = person('SHOP_OWNER');
const otherOwner = person('SHOP_OWNER');
const alice = person('CUSTOMER');
const bob = person('CUSTOMER');
const admin = person('ADMIN');
let shopId: string;
let otherShopId: string;
let aliceFirst: string;
let aliceSecond: string;
let bobsOrder: string;

async function place(as: Identity, shop: string, productId: string): Promise<string> {
  const input = { shopId: shop, items: [{ productId, quantity: 1 }], deliveryAddress: '1 Main St', cardToken: 'tok_visa' };
  const result = await h.call(placeOrderMutation, { input }, as);
  if (!result.data) throw new Error(JSON.stringify(result.errors));
  return result.data.placeOrder.id as string;
}

beforeAll(async () => {
  h = await startOrders();
  shopId = await h.seedShop(owner.userId);
  otherShopId = await h.seedShop(otherOwner.userId);
  const tea = await h.seedProduct(shopId, 300);
  const cake = await h.seedProduct(otherShopId, 500);
  aliceFirst = await place(alice, shopId, tea);
  aliceSecond = await place(alice, otherShopId, cake);
  bobsOrder = await place(bob, shopId, tea);
});

afterAll(() => h.stop());

const orderQuery = `query ($id: ID!) { order(id: $id) { id customer { id } } }`;

describe('reading one order', () => {
  it.each([
    ['its customer', () => alice],
    ['the owner of its shop', () => owner],
    ['an admin', () => admin],
  ])('shows an order to %s', async (_who, caller) => {
    const result = await h.call(orderQuery, { id: aliceFirst }, caller());
    expect(result.errors).toBeUndefined();
    expect(result.data?.order).toEqual({ id: aliceFirst, customer: { id: alice.userId } });
  });

  it.each([
    ['another customer', () => bob],
    ['the owner of another shop', () => otherOwner],
    ['a courier who does not carry it', () => person('COURIER')],
  ])('refuses an order to %s with FORBIDDEN', async (_who, caller) => {
    const result = await h.call(orderQuery, { id: aliceFirst }, caller());
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(result.data?.order).toBeNull();
  });

  it('answers null for an unknown or malformed id, and UNAUTHENTICATED without a caller', async () => {
    expect((await h.call(orderQuery, { id: randomUUID() }, alice)).data?.order).toBeNull();
    expect((await h.call(orderQuery, { id: 'not-an-id' }, alice)).data?.order).toBeNull();
    expect((await h.call(orderQuery, { id: aliceFirst })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('lists of orders', () => {
  it("lists the caller's own orders, newest first", async () => {
    const result = await h.call(`{ myOrders { id } }`, {}, alice);
    expect(result.data?.myOrders).toEqual([{ id: aliceSecond }, { id: aliceFirst }]);
    expect((await h.call(`{ myOrders { id } }`, {}, person())).data?.myOrders).toEqual([]);
  });

  it("shows a shop's orders to its owner and admins only", async () => {
    const shopOrders = `query ($shopId: ID!) { shopOrders(shopId: $shopId) { id } }`;
    expect((await h.call(shopOrders, { shopId }, owner)).data?.shopOrders).toEqual([{ id: bobsOrder }, { id: aliceFirst }]);
    expect((await h.call(shopOrders, { shopId }, admin)).data?.shopOrders).toHaveLength(2);
    expect((await h.call(shopOrders, { shopId }, otherOwner)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await h.call(shopOrders, { shopId }, alice)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await h.call(shopOrders, { shopId: randomUUID() }, owner)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('entities', () => {
  const orderEntities = entitiesQuery('Order', 'id status');
  const refs = (...ids: string[]) => ({ representations: ids.map((id) => ({ __typename: 'Order', id })) });

  it('resolves Order references in key order, with null for unknown ones', async () => {
    const unknown = randomUUID();
    const result = await h.call(orderEntities, refs(bobsOrder, unknown, aliceSecond, aliceFirst), admin);
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([
      { id: bobsOrder, status: 'PENDING' },
      null,
      { id: aliceSecond, status: 'PENDING' },
      { id: aliceFirst, status: 'PENDING' },
    ]);
  });

  it('resolves only the Order references the caller may read, and none without a caller', async () => {
    const asOwner = await h.call(orderEntities, refs(aliceFirst, aliceSecond, bobsOrder), owner);
    expect(asOwner.data?._entities).toEqual([{ id: aliceFirst, status: 'PENDING' }, null, { id: bobsOrder, status: 'PENDING' }]);
    const asBob = await h.call(orderEntities, refs(aliceFirst, bobsOrder), bob);
    expect(asBob.data?._entities).toEqual([null, { id: bobsOrder, status: 'PENDING' }]);
    const anonymous = await h.call(orderEntities, refs(aliceFirst));
    expect(anonymous.data?._entities).toEqual([null]);
  });

  const userOrders = entitiesQuery('User', 'id orders { id }');
  const users = (...ids: string[]) => ({ representations: ids.map((id) => ({ __typename: 'User', id })) });

  it("answers User.orders in key order for an admin, with an empty list for a user without orders", async () => {
    const nobody = randomUUID();
    const result = await h.call(userOrders, users(bob.userId, nobody, alice.userId), admin);
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([
      { id: bob.userId, orders: [{ id: bobsOrder }] },
      { id: nobody, orders: [] },
      { id: alice.userId, orders: [{ id: aliceSecond }, { id: aliceFirst }] },
    ]);
  });

  it("keeps User.orders private: the user themself reads them, anyone else gets FORBIDDEN", async () => {
    const own = await h.call(userOrders, users(alice.userId), alice);
    expect(own.data?._entities).toEqual([{ id: alice.userId, orders: [{ id: aliceSecond }, { id: aliceFirst }] }]);
    const other = await h.call(userOrders, users(alice.userId), bob);
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(other.data?._entities).toEqual([null]);
  });
});
