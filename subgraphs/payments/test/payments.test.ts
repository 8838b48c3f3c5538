import { randomUUID } from 'node:crypto';
import {
  entitiesQuery,
  postGraphQL,
  startIsolatedSubgraph,
  type IsolatedSubgraph,
} from '@commerce/service-kit/testing';
import { PaymentAlreadyRecordedError, paymentRepository, type PaymentRepository } from '../src/data/payment-repository';
import { paymentsSubgraph } from '../src/server';
import { recordQueries } from '@commerce/service-kit/testing';

let subgraph: IsolatedSubgraph;
let payments: PaymentRepository;
let url: string;

beforeAll(async () => {
  subgraph = await startIsolatedSubgraph(paymentsSubgraph);
  payments = paymentRepository(subgraph.dataSource);
  url = subgraph.server.url;
});

afterAll(async () => {
  await subgraph.stop();
});

const unknownId = '00000000-0000-0000-0000-000000000000';
const orderRefs = (ids: string[]) => ids.map((id) => ({ __typename: 'Order', id }));

describe('payments subgraph', () => {
  it('resolves Payment entities by id in the order asked, with null for unknown ids', async () => {
    const authorized = await payments.recordPayment({
      orderId: randomUUID(),
      amountCents: 1250,
      status: 'AUTHORIZED',
      providerReference: 'test_auth_1',
    });
    const declined = await payments.recordPayment({
      orderId: randomUUID(),
      amountCents: 990,
      status: 'DECLINED',
      declineReason: 'card_declined',
    });
    const representations = [declined, { id: unknownId }, authorized].map(({ id }) => ({ __typename: 'Payment', id }));

    const result = await postGraphQL(url, entitiesQuery('Payment', 'id status amountCents declineReason updatedAt'), {
      representations,
    });

    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([
      { id: declined.id, status: 'DECLINED', amountCents: 990, declineReason: 'card_declined', updatedAt: declined.updatedAt.toISOString() },
      null,
      { id: authorized.id, status: 'AUTHORIZED', amountCents: 1250, declineReason: null, updatedAt: authorized.updatedAt.toISOString() },
    ]);
  });

  it("resolves an Order's payment in the order asked, and null for an order without one", async () => {
    const paid = await payments.recordPayment({ orderId: randomUUID(), amountCents: 500, status: 'CAPTURED' });
    const unpaid = randomUUID();

    const result = await postGraphQL(url, entitiesQuery('Order', 'id payment { id status amountCents }'), {
      representations: orderRefs([unpaid, paid.orderId]),
    });

    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([
      { id: unpaid, payment: null },
      { id: paid.orderId, payment: { id: paid.id, status: 'CAPTURED', amountCents: 500 } },
    ]);
  });

  it('loads the payments of 20 orders with one SQL query', async () => {
    const orderIds = Array.from({ length: 20 }, () => randomUUID());
    for (const [i, orderId] of orderIds.entries()) {
      await payments.recordPayment({ orderId, amountCents: 100 + i, status: 'AUTHORIZED' });
    }

    const { result, queries } = await recordQueries(subgraph.dataSource, () =>
      postGraphQL(url, entitiesQuery('Order', 'id payment { amountCents }'), { representations: orderRefs(orderIds) }),
    );

    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual(orderIds.map((id, i) => ({ id, payment: { amountCents: 100 + i } })));
    expect(queries).toHaveLength(1);
  });

  it('records at most one payment per order', async () => {
    const orderId = randomUUID();
    await payments.recordPayment({ orderId, amountCents: 700, status: 'PENDING' });

    await expect(payments.recordPayment({ orderId, amountCents: 700, status: 'PENDING' })).rejects.toBeInstanceOf(
      PaymentAlreadyRecordedError,
    );
  });

  it.each([
    ['a zero amount', { amountCents: 0, status: 'PENDING' }],
    ['an unknown status', { amountCents: 100, status: 'LOST' }],
  ])('refuses to store a payment with %s', async (_case, fields) => {
    await expect(
      subgraph.dataSource.query(`INSERT INTO payments.payments (order_id, amount_cents, status) VALUES ($1, $2, $3)`, [
        randomUUID(),
        fields.amountCents,
        fields.status,
      ]),
    ).rejects.toThrow(/check constraint/);
  });
});
