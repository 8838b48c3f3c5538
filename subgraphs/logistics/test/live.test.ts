import { randomUUID } from 'node:crypto';
import { domainEvent, InMemoryEventBus } from '@commerce/events';
import { InMemoryLivePubSub } from '@commerce/pubsub';
import { eventually } from '@commerce/service-kit';
import { startIsolatedSubgraph, type IsolatedSubgraph } from '@commerce/service-kit/testing';
import { logisticsSubgraph } from '../src/server';

let subgraph: IsolatedSubgraph;
const bus = new InMemoryEventBus();
const live = new InMemoryLivePubSub({ namespace: 'test' });

beforeAll(async () => {
  subgraph = await startIsolatedSubgraph(logisticsSubgraph, bus, live);
});

afterAll(async () => {
  await subgraph.stop();
  await bus.close();
  await live.close();
});

it('announces a shipment update on its order’s live channel', async () => {
  const orderId = randomUUID();
  const shipmentId = randomUUID();
  const received: unknown[] = [];
  await live.subscribe(`orderUpdated.${orderId}`, (message) => received.push(message));

  await subgraph.commit([domainEvent('shipment.updated', shipmentId, { orderId, shipmentId, status: 'ASSIGNED', courierId: randomUUID() })]);

  await eventually(async () => expect(received).toEqual([{ orderId }]), 2_000, 5);
});
