import { randomUUID } from 'node:crypto';
import { domainEvent } from '@commerce/events';
import { eventually } from '@commerce/service-kit';
import { startLiveTestSubgraph, type LiveTestSubgraph } from '@commerce/service-kit/testing';
import { paymentsSubgraph } from '../src/server';

let subgraph: LiveTestSubgraph;

beforeAll(async () => {
  subgraph = await startLiveTestSubgraph(paymentsSubgraph);
});

afterAll(() => subgraph.stop());

it('announces committed authorizations, declines and settlements on the order’s live channel', async () => {
  const orderId = randomUUID();
  const paymentId = randomUUID();
  const received = await subgraph.heard(`orderUpdated.${orderId}`);

  await subgraph.commit([
    domainEvent('payment.authorized', orderId, { orderId, paymentId, amountCents: 1_200 }),
    domainEvent('payment.declined', orderId, { orderId, paymentId, reason: 'card declined' }),
    domainEvent('payment.settled', orderId, { orderId, paymentId, status: 'CAPTURED' }),
  ]);

  await eventually(async () => expect(received).toEqual([{ orderId }, { orderId }, { orderId }]), 2_000, 5);
});
