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

it('announces a committed status change on the order’s live channel, naming only the order', async () => {
  const orderId = randomUUID();
  const received: unknown[] = [];
  await live.subscribe(`orderUpdated.${orderId}`, (message) => received.push(message));

  await bus.publish(
    domainEvent('order.status_changed', orderId, {
      orderId,
      customerId: randomUUID(),
      shopId: randomUUID(),
      from: 'PENDING',
      to: 'CONFIRMED',
      reason: null,
    }),
  );

  await eventually(async () => expect(received).toEqual([{ orderId }]), 2_000, 5);
});
