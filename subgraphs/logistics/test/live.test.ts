import { randomUUID } from 'node:crypto';
import { domainEvent } from '@commerce/events';
import { eventually } from '@commerce/service-kit';
import { startLiveTestSubgraph, type LiveTestSubgraph } from '@commerce/service-kit/testing';
import { logisticsSubgraph } from '../src/server';

let subgraph: LiveTestSubgraph;

beforeAll(async () => {
  subgraph = await startLiveTestSubgraph(logisticsSubgraph);
});

afterAll(() => subgraph.stop());

it('announces a committed shipment update on its order’s live channel', async () => {
  const orderId = randomUUID();
  const shipmentId = randomUUID();
  const received = await subgraph.heard(`orderUpdated.${orderId}`);

  await subgraph.commit([domainEvent('shipment.updated', orderId, { orderId, shipmentId, status: 'ASSIGNED', courierId: randomUUID() })]);

  await eventually(async () => expect(received).toEqual([{ orderId }]), 2_000, 5);
});
