import { randomUUID } from 'node:crypto';
import { domainEvent, InMemoryEventBus } from '@commerce/events';
import { InMemoryLivePubSub } from '@commerce/pubsub';
import { eventually } from '@commerce/service-kit';
import { startIsolatedSubgraph, type IsolatedSubgraph } from '@commerce/service-kit/src/testing';
import { ordersSubgraph } from '../src/server';

let subgraph: IsolatedSubgraph;
const bus = new InMemoryEventBus();
const live = new InMemoryLivePubSub({ namespace: 'test' });

beforeAll(async () => {
  subgraph = await startIsolatedSubgraph(ordersSubgraph, bus, live);
});

afterAll(async () => {
  await subgraph.stop();
  await bus.close();
  await live.close();
});

/** Everything published on `channel` from now on. */
async function heard(channel: string): Promise<unknown[]> {
  const received: unknown[] = [];
  await live.subscribe(channel, (message) => received.push(message));
  return received;
}

it('announces each committed status change on the order’s live channel, naming the change', async () => {
  const orderId = randomUUID();
  const shopId = randomUUID();
  const onOrder = await heard(`orderUpdated.${orderId}`);
  const onShop = await heard(`orderPlaced.shop.${shopId}`);

  const change = { orderId, customerId: randomUUID(), shopId, reason: null };
  await bus.publish(domainEvent('order.status_changed', orderId, { ...change, from: 'PENDING', to: 'CONFIRMED', sequence: 2 }));
  await bus.publish(domainEvent('order.status_changed', orderId, { ...change, from: 'CONFIRMED', to: 'PREPARING', sequence: 3 }));

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
  const onShop = await heard(`orderPlaced.shop.${shopId}`);
  const onOrder = await heard(`orderUpdated.${orderId}`);

  await bus.publish(
    domainEvent('order.placed', orderId, {
      orderId,
      customerId: randomUUID(),
      shopId,
      items: [{ productId: randomUUID(), quantity: 1, unitPriceCents: 250 }],
      totalCents: 250,
      cardToken: 'tok_visa',
    }),
  );

  await eventually(async () => expect(onShop).toEqual([{ orderId, shopId }]), 2_000, 5);
  expect(onOrder).toEqual([]);
});
