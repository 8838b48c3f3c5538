import { randomUUID } from 'node:crypto';
import { domainEvent, type EventEnvelope } from '@commerce/events';
import { createLogger, type Identity } from '@commerce/service-kit';
import { sagaHandler } from '../src/events/saga';
import type { OrderStatus } from '../src/domain/order-lifecycle';
import { person, placeOrderMutation, startOrders, waitFor, type OrdersHarness } from './support';

let h: OrdersHarness;
let handle: (event: EventEnvelope) => Promise<void>;
const owner = person('SHOP_OWNER');
const customer = person('CUSTOMER');
const courier = person('COURIER');
let shopId: string;
let productId: string;

beforeAll(async () => {
  h = await startOrders();
  handle = sagaHandler(h.subgraph.dataSource, createLogger('orders', 'silent'));
  shopId = await h.seedShop(owner.userId);
  productId = await h.seedProduct(shopId, 700);
});

afterAll(() => h.stop());

const orderQuery = `query ($id: ID!) { order(id: $id) { id status history { status reason } } }`;
const update = `mutation ($id: ID!, $status: OrderStatus!) { updateOrderStatus(id: $id, status: $status) { status } }`;

async function placed(): Promise<string> {
  const input = { shopId, items: [{ productId, quantity: 1 }], deliveryAddress: '1 Main St', cardToken: 'tok_visa' };
  const result = await h.call(placeOrderMutation, { input }, customer);
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data!.placeOrder.id as string;
}

const authorized = (orderId: string) =>
  domainEvent('payment.authorized', orderId, { orderId, paymentId: randomUUID(), amountCents: 700 });
const pickedUp = (orderId: string, courierId = courier.userId) =>
  domainEvent('shipment.picked_up', orderId, { orderId, shipmentId: randomUUID(), courierId });
const delivered = (orderId: string, courierId = courier.userId) =>
  domainEvent('shipment.delivered', orderId, { orderId, shipmentId: randomUUID(), courierId });

async function historyOf(orderId: string): Promise<{ status: OrderStatus; reason: string | null }[]> {
  return h.subgraph.dataSource.query(
    'SELECT status, reason FROM orders.order_status_changes WHERE order_id = $1 ORDER BY at, id',
    [orderId],
  );
}

const statusesOf = async (orderId: string) => (await historyOf(orderId)).map((change) => change.status);

/** A confirmed order the shop moved on to READY_FOR_PICKUP. */
async function readyForPickup(): Promise<string> {
  const id = await placed();
  await handle(authorized(id));
  for (const status of ['PREPARING', 'READY_FOR_PICKUP']) {
    const moved = await h.call(update, { id, status }, owner);
    if (moved.errors) throw new Error(JSON.stringify(moved.errors));
  }
  return id;
}

const eventsFor = (orderId: string) => h.published.filter((event) => event.aggregateId === orderId);

describe('orders in the saga', () => {
  it('confirms an order on payment.authorized arriving through its queue, recording the change', async () => {
    const id = await placed();
    await h.bus.publish(authorized(id));
    await waitFor(async () => (await statusesOf(id)).includes('CONFIRMED'));
    expect(await historyOf(id)).toEqual([
      { status: 'PENDING', reason: null },
      { status: 'CONFIRMED', reason: null },
    ]);
  });

  it('rejects an order on inventory.rejected, with the reason in the history', async () => {
    const id = await placed();
    await handle(domainEvent('inventory.rejected', id, { orderId: id, reason: 'OUT_OF_STOCK', productIds: [productId] }));
    expect((await historyOf(id)).at(-1)).toEqual({ status: 'REJECTED', reason: 'Not enough stock (OUT_OF_STOCK)' });
  });

  it('rejects an order on payment.declined, with the reason in the history', async () => {
    const id = await placed();
    await handle(domainEvent('payment.declined', id, { orderId: id, paymentId: randomUUID(), reason: 'card declined' }));
    expect((await historyOf(id)).at(-1)).toEqual({ status: 'REJECTED', reason: 'Payment declined (card declined)' });
  });

  it('ignores saga events about an order already cancelled', async () => {
    const id = await placed();
    expect((await h.call(`mutation ($id: ID!) { cancelOrder(id: $id) { status } }`, { id }, customer)).errors).toBeUndefined();
    await handle(authorized(id));
    await handle(domainEvent('payment.declined', id, { orderId: id, paymentId: randomUUID(), reason: 'late' }));
    expect(await statusesOf(id)).toEqual(['PENDING', 'CANCELLED']);
  });

  it('changes nothing the second time the same event arrives', async () => {
    const id = await placed();
    const event = authorized(id);
    await handle(event);
    await handle(event);
    await Promise.all([handle(event), handle(event)]);
    expect(await statusesOf(id)).toEqual(['PENDING', 'CONFIRMED']);
  });

  it('takes the order out for delivery on shipment.picked_up, and lets that courier read it but no other', async () => {
    const id = await readyForPickup();
    await handle(pickedUp(id));
    expect(await statusesOf(id)).toEqual(['PENDING', 'CONFIRMED', 'PREPARING', 'READY_FOR_PICKUP', 'OUT_FOR_DELIVERY']);

    const asCourier = await h.call(orderQuery, { id }, courier);
    expect(asCourier.errors).toBeUndefined();
    expect(asCourier.data?.order).toMatchObject({ id, status: 'OUT_FOR_DELIVERY' });
    const asOther = await h.call(orderQuery, { id }, person('COURIER'));
    expect(asOther.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('delivers the order on shipment.delivered and publishes order.delivered', async () => {
    const id = await readyForPickup();
    await handle(pickedUp(id));
    await handle(delivered(id));
    expect((await statusesOf(id)).slice(-2)).toEqual(['OUT_FOR_DELIVERY', 'DELIVERED']);
    await waitFor(() => eventsFor(id).some((event) => event.type === 'order.delivered'));
    expect(eventsFor(id).find((event) => event.type === 'order.delivered')?.payload).toEqual({ orderId: id });
  });

  it('passes through OUT_FOR_DELIVERY when the delivery is heard of before the pickup, and then ignores the pickup', async () => {
    const id = await readyForPickup();
    await handle(delivered(id));
    await handle(pickedUp(id));
    expect((await statusesOf(id)).slice(-3)).toEqual(['READY_FOR_PICKUP', 'OUT_FOR_DELIVERY', 'DELIVERED']);
    expect((await h.call(orderQuery, { id }, courier)).data?.order).toMatchObject({ status: 'DELIVERED' });
  });

  it('publishes order.status_changed for every change, and the events other subgraphs act on', async () => {
    const id = await readyForPickup();
    await handle(pickedUp(id));
    await handle(delivered(id));
    await waitFor(() => eventsFor(id).some((event) => event.type === 'order.delivered'));

    const changes = eventsFor(id)
      .filter((event) => event.type === 'order.status_changed')
      .map((event) => event.payload as { from: string | null; to: string; customerId: string; shopId: string });
    expect(changes.map(({ from, to }) => [from, to])).toEqual([
      [null, 'PENDING'],
      ['PENDING', 'CONFIRMED'],
      ['CONFIRMED', 'PREPARING'],
      ['PREPARING', 'READY_FOR_PICKUP'],
      ['READY_FOR_PICKUP', 'OUT_FOR_DELIVERY'],
      ['OUT_FOR_DELIVERY', 'DELIVERED'],
    ]);
    expect(changes.every((change) => change.customerId === customer.userId && change.shopId === shopId)).toBe(true);
    expect(eventsFor(id).find((event) => event.type === 'order.ready_for_pickup')?.payload).toEqual({
      orderId: id,
      shopId,
      customerId: customer.userId,
      deliveryAddress: '1 Main St',
    });
  });

  it('publishes order.cancelled with the status it had and the reason', async () => {
    const id = await readyForPickup();
    expect((await h.call(`mutation ($id: ID!) { cancelOrder(id: $id) { status } }`, { id }, owner)).errors).toBeUndefined();
    await waitFor(() => eventsFor(id).some((event) => event.type === 'order.cancelled'));
    expect(eventsFor(id).find((event) => event.type === 'order.cancelled')?.payload).toEqual({
      orderId: id,
      previousStatus: 'READY_FOR_PICKUP',
      reason: 'Cancelled by the shop',
    });
  });

  it.each<[string, () => Identity, OrderStatus, string]>([
    ['a customer marking their order out for delivery as DELIVERED', () => customer, 'OUT_FOR_DELIVERY', 'FORBIDDEN'],
    ['the courier carrying it marking it DELIVERED behind logistics’ back', () => courier, 'OUT_FOR_DELIVERY', 'FORBIDDEN'],
    ['a customer marking a ready order DELIVERED', () => customer, 'READY_FOR_PICKUP', 'INVALID_STATUS_TRANSITION'],
  ])('refuses %s with a typed error and changes nothing', async (_case, caller, from, code) => {
    const id = await readyForPickup();
    if (from === 'OUT_FOR_DELIVERY') await handle(pickedUp(id));
    const before = { history: await historyOf(id), counts: await h.counts() };
    const result = await h.call(update, { id, status: 'DELIVERED' }, caller());
    expect(result.errors?.[0]?.extensions?.code).toBe(code);
    expect({ history: await historyOf(id), counts: await h.counts() }).toEqual(before);
  });
});
