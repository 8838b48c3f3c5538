import { randomUUID } from 'node:crypto';
import { appendEvents, domainEvent } from '@commerce/events';
import { eventually } from '@commerce/service-kit';
import { startLiveTestSubgraph, type LiveTestSubgraph } from '@commerce/service-kit/testing';
import { ordersSubgraph } from '../src/server';

let subgraph: LiveTestSubgraph;

beforeAll(async () => {
  subgraph = await startLiveTestSubgraph(ordersSubgraph);
});

afterAll(() => subgraph.stop());

it('announces each committed status change on the order’s live channel, naming the change', async () => {
  const orderId = randomUUID();
  const shopId = randomUUID();
  const onOrder = await subgraph.heard(`orderUpdated.${orderId}`);
  const onShop = await subgraph.heard(`orderPlaced.shop.${shopId}`);

  const change = { orderId, customerId: randomUUID(), shopId, reason: null };
  await subgraph.commit([domainEvent('order.status_changed', orderId, { ...change, from: 'PENDING', to: 'CONFIRMED', sequence: 2 })]);
  await subgraph.commit([domainEvent('order.status_changed', orderId, { ...change, from: 'CONFIRMED', to: 'PREPARING', sequence: 3 })]);

  await eventually(async () =>
    expect(onOrder).toEqual([
      { orderId, status: 'CONFIRMED', sequence: 2 },
      { orderId, status: 'PREPARING', sequence: 3 },
    ]),
  2_000, 5);
  expect(onShop).toEqual([]);
});

it('announces a placed order on its shop’s live channel with its ids only', async () => {
  const orderId = randomUUID();
  const shopId = randomUUID();
  const onShop = await subgraph.heard(`orderPlaced.shop.${shopId}`);
  const onOrder = await subgraph.heard(`orderUpdated.${orderId}`);

  await subgraph.commit([
    domainEvent('order.placed', orderId, {
      orderId,
      customerId: randomUUID(),
      shopId,
      items: [{ productId: randomUUID(), quantity: 1, unitPriceCents: 250 }],
      totalCents: 250,
      cardToken: 'tok_visa',
    }),
  ]);

  await eventually(async () => expect(onShop).toEqual([{ orderId, shopId }]), 2_000, 5);
  expect(onOrder).toEqual([]);
});

it('announces only what it committed itself: its own event type heard on the bus is not announced', async () => {
  const orderId = randomUUID();
  const onOrder = await subgraph.heard(`orderUpdated.${orderId}`);
  const change = { orderId, customerId: randomUUID(), shopId: randomUUID(), reason: null };

  await subgraph.bus.publish(domainEvent('order.status_changed', orderId, { ...change, from: 'PENDING', to: 'CONFIRMED', sequence: 2 }));
  await subgraph.commit([domainEvent('order.status_changed', orderId, { ...change, from: 'CONFIRMED', to: 'PREPARING', sequence: 3 })]);

  await eventually(async () => expect(onOrder).toEqual([{ orderId, status: 'PREPARING', sequence: 3 }]), 2_000, 5);
});

it('announces nothing of a write that rolled back', async () => {
  const orderId = randomUUID();
  const onOrder = await subgraph.heard(`orderUpdated.${orderId}`);
  const change = { orderId, customerId: randomUUID(), shopId: randomUUID(), reason: null };
  const rolledBack = domainEvent('order.status_changed', orderId, { ...change, from: 'PENDING', to: 'CONFIRMED', sequence: 2 });

  await expect(
    subgraph.dataSource.transaction(async (manager) => {
      await appendEvents(manager, 'orders', [rolledBack]);
      throw new Error('the change failed after its event was appended');
    }),
  ).rejects.toThrow('the change failed');
  // A later committed change of the same order is heard, and is the only thing heard.
  await subgraph.commit([domainEvent('order.status_changed', orderId, { ...change, from: 'PENDING', to: 'CANCELLED', sequence: 2 })]);

  await eventually(async () => expect(onOrder).toEqual([{ orderId, status: 'CANCELLED', sequence: 2 }]), 2_000, 5);
});
