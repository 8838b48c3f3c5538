import { randomUUID } from 'node:crypto';
import { domainEvent, InMemoryEventBus } from '@commerce/events';
import { InMemoryLivePubSub } from '@commerce/pubsub';
import { eventually } from '@commerce/service-kit';
import { startIsolatedSubgraph, type IsolatedSubgraph } from '@commerce/service-kit/testing';
import { paymentsSubgraph } from '../src/server';

let subgraph: IsolatedSubgraph;
const bus = new InMemoryEventBus();
const live = new InMemoryLivePubSub({ namespace: 'test' });

beforeAll(async () => {
  subgraph = await startIsolatedSubgraph(paymentsSubgraph, bus, live);
});

afterAll(async () => {
  await subgraph.stop();
  await bus.close();
  await live.close();
});

it('announces authorizations, declines and settlements on the order’s live channel', async () => {
  const orderId = randomUUID();
  const paymentId = randomUUID();
  const received: unknown[] = [];
  await live.subscribe(`orderUpdated.${orderId}`, (message) => received.push(message));

  await subgraph.commit([domainEvent('payment.authorized', paymentId, { orderId, paymentId, amountCents: 1_200 })]);
  await subgraph.commit([domainEvent('payment.declined', paymentId, { orderId, paymentId, reason: 'card declined' })]);
  await subgraph.commit([domainEvent('payment.settled', paymentId, { orderId, paymentId, status: 'CAPTURED' })]);

  await eventually(async () => expect(received).toEqual([{ orderId }, { orderId }, { orderId }]), 2_000, 5);
});
