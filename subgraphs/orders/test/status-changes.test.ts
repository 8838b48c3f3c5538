import { randomUUID } from 'node:crypto';
import type { Identity } from '@commerce/service-kit';
import type { OrderStatus } from '../src/domain/order-lifecycle';
import { person, placeOrderMutation, startOrders, type OrdersHarness } from './support';

let h: OrdersHarness;
const owner = person('SHOP_OWNER');
const customer = person('CUSTOMER');
const admin = person('ADMIN');
let shopId: string;
let productId: string;

beforeAll(async () => {
  h = await startOrders();
  shopId = await h.seedShop(owner.userId);
  productId = await h.seedProduct(shopId, 700);
});

afterAll(() => h.stop());

const update = `mutation ($id: ID!, $status: OrderStatus!) { updateOrderStatus(id: $id, status: $status) { status history { status reason } } }`;
const cancel = `mutation ($id: ID!) { cancelOrder(id: $id) { status history { status reason at } } }`;

const move = (id: string, status: OrderStatus, as: Identity | null) => h.call(update, { id, status }, as);

/** A fresh order of `customer`, walked by an admin to `status` along the lifecycle. */
async function orderIn(status: OrderStatus): Promise<string> {
  const input = { shopId, items: [{ productId, quantity: 1 }], deliveryAddress: '1 Main St', cardToken: 'tok_visa' };
  const placed = await h.call(placeOrderMutation, { input }, customer);
  const id = placed.data!.placeOrder.id as string;
  const path: OrderStatus[] = ['CONFIRMED', 'PREPARING', 'READY_FOR_PICKUP', 'OUT_FOR_DELIVERY', 'DELIVERED'];
  const steps = status === 'CANCELLED' || status === 'REJECTED' ? [status] : path.slice(0, path.indexOf(status) + 1);
  for (const step of steps) {
    const moved = await move(id, step, admin);
    if (moved.errors) throw new Error(JSON.stringify(moved.errors));
  }
  return id;
}

const statusOf = async (id: string): Promise<string> =>
  ((await h.subgraph.dataSource.query('SELECT status FROM orders.orders WHERE id = $1', [id])) as { status: string }[])[0]!.status;

describe('status changes', () => {
  it("lets the shop owner prepare a confirmed order and get it ready, recording every change", async () => {
    const id = await orderIn('CONFIRMED');
    expect((await move(id, 'PREPARING', owner)).data?.updateOrderStatus.status).toBe('PREPARING');
    const ready = await move(id, 'READY_FOR_PICKUP', owner);
    expect(ready.errors).toBeUndefined();
    expect(ready.data?.updateOrderStatus.history.map((c: { status: string }) => c.status)).toEqual([
      'PENDING',
      'CONFIRMED',
      'PREPARING',
      'READY_FOR_PICKUP',
    ]);
  });

  it('lets the customer cancel while the order is being prepared, and says who cancelled', async () => {
    const id = await orderIn('PREPARING');
    const result = await h.call(cancel, { id }, customer);
    expect(result.errors).toBeUndefined();
    expect(result.data?.cancelOrder.status).toBe('CANCELLED');
    expect(result.data?.cancelOrder.history.at(-1)).toMatchObject({ status: 'CANCELLED', reason: 'Cancelled by the customer' });
  });

  it('lets the shop cancel an order waiting for pickup', async () => {
    const id = await orderIn('READY_FOR_PICKUP');
    const result = await h.call(cancel, { id }, owner);
    expect(result.data?.cancelOrder.history.at(-1)).toMatchObject({ status: 'CANCELLED', reason: 'Cancelled by the shop' });
  });

  type Attempt = () => Promise<{ id: string; run: (id: string) => ReturnType<OrdersHarness['call']> }>;
  const moving = (from: OrderStatus, to: OrderStatus, as: () => Identity | null): Attempt => async () => ({
    id: await orderIn(from),
    run: (id) => move(id, to, as()),
  });
  const cancelling = (from: OrderStatus, as: () => Identity | null): Attempt => async () => ({
    id: await orderIn(from),
    run: (id) => h.call(cancel, { id }, as()),
  });

  it.each<[string, Attempt, string, Record<string, unknown>?]>([
    ['the customer preparing their own order', moving('CONFIRMED', 'PREPARING', () => customer), 'FORBIDDEN'],
    ['the shop confirming, which is the saga’s move', moving('PENDING', 'CONFIRMED', () => owner), 'FORBIDDEN'],
    ['the shop skipping from PENDING to DELIVERED', moving('PENDING', 'DELIVERED', () => owner), 'INVALID_STATUS_TRANSITION', { from: 'PENDING', to: 'DELIVERED' }],
    ['an admin moving back from PREPARING to CONFIRMED', moving('PREPARING', 'CONFIRMED', () => admin), 'INVALID_STATUS_TRANSITION', { from: 'PREPARING', to: 'CONFIRMED' }],
    ['an admin "moving" to the status it already has', moving('CONFIRMED', 'CONFIRMED', () => admin), 'INVALID_STATUS_TRANSITION'],
    ['a courier taking an order out for delivery, which only logistics’ pickup event does', moving('READY_FOR_PICKUP', 'OUT_FOR_DELIVERY', () => person('COURIER')), 'FORBIDDEN'],
    ['the shop taking an order out for delivery', moving('READY_FOR_PICKUP', 'OUT_FOR_DELIVERY', () => owner), 'FORBIDDEN'],
    ['the customer cancelling an order ready for pickup', cancelling('READY_FOR_PICKUP', () => customer), 'FORBIDDEN'],
    ['the shop cancelling an order out for delivery', cancelling('OUT_FOR_DELIVERY', () => owner), 'INVALID_STATUS_TRANSITION', { from: 'OUT_FOR_DELIVERY', to: 'CANCELLED' }],
    ['anyone cancelling a delivered order', cancelling('DELIVERED', () => admin), 'INVALID_STATUS_TRANSITION'],
    ['cancelling twice', cancelling('CANCELLED', () => customer), 'INVALID_STATUS_TRANSITION', { from: 'CANCELLED', to: 'CANCELLED' }],
    ['another customer cancelling', cancelling('PENDING', () => person('CUSTOMER')), 'FORBIDDEN'],
    ['another shop owner cancelling', cancelling('PENDING', () => person('SHOP_OWNER')), 'FORBIDDEN'],
    ['an anonymous caller cancelling', cancelling('PENDING', () => null), 'UNAUTHENTICATED'],
  ])('refuses %s with a typed error and changes nothing', async (_case, attempt, code, extensions = {}) => {
    const { id, run } = await attempt();
    const before = { counts: await h.counts(), status: await statusOf(id) };
    const result = await run(id);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code, ...extensions });
    expect({ counts: await h.counts(), status: await statusOf(id) }).toEqual(before);
  });

  it('answers NOT_FOUND for an unknown order and writes nothing', async () => {
    const before = await h.counts();
    expect((await h.call(cancel, { id: randomUUID() }, customer)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await move('nope', 'CANCELLED', admin)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await h.counts()).toEqual(before);
  });

  it('lets exactly one of two simultaneous cancellations win', async () => {
    const id = await orderIn('PENDING');
    const historyBefore = await h.count('order_status_changes');
    const results = await Promise.all([h.call(cancel, { id }, customer), h.call(cancel, { id }, owner)]);
    const codes = results.map((r) => r.errors?.[0]?.extensions?.code ?? 'ok').sort();
    expect(codes).toEqual(['INVALID_STATUS_TRANSITION', 'ok']);
    expect(await h.count('order_status_changes')).toBe(historyBefore + 1);
  });
});
