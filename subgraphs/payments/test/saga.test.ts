import { randomUUID } from 'node:crypto';
import { domainEvent, InMemoryEventBus, silentLogger, type EventEnvelope } from '@commerce/events';
import { startIsolatedSubgraph, type IsolatedSubgraph } from '@commerce/service-kit/testing';
import type { PaymentProvider } from '../src/provider/payment-provider';
import { testPaymentProvider } from '../src/provider/test-provider';
import { createPaymentsSubgraph, PaymentNotOpenedError } from '../src/server';
import { sagaHandler } from '../src/events/saga';

/** The test provider, counting calls per method, and failing every call while `down` is set. */
class RecordingProvider implements PaymentProvider {
  readonly calls: string[] = [];
  down = false;
  private readonly inner = testPaymentProvider();
  private call<T>(name: string, run: () => Promise<T>): Promise<T> {
    this.calls.push(name);
    return this.down ? Promise.reject(new Error('provider unreachable')) : run();
  }
  authorize(amountCents: number, cardToken: string, idempotencyKey: string) {
    return this.call('authorize', () => this.inner.authorize(amountCents, cardToken, idempotencyKey));
  }
  capture(reference: string) {
    return this.call('capture', () => this.inner.capture(reference));
  }
  void(reference: string) {
    return this.call('void', () => this.inner.void(reference));
  }
  refund(reference: string) {
    return this.call('refund', () => this.inner.refund(reference));
  }
}

let subgraph: IsolatedSubgraph;
const bus = new InMemoryEventBus();
const provider = new RecordingProvider();
const received: EventEnvelope[] = [];
let handle: (event: EventEnvelope) => Promise<void>;

beforeAll(async () => {
  await bus.subscribe({ queue: 'test.recorder', bindings: ['payment.*'], handle: async (event) => void received.push(event) });
  subgraph = await startIsolatedSubgraph(createPaymentsSubgraph(provider), bus);
  handle = sagaHandler(subgraph.dataSource, provider, silentLogger);
});

afterAll(async () => {
  await subgraph.stop();
  await bus.close();
});

beforeEach(() => {
  provider.calls.length = 0;
  provider.down = false;
});

const placed = (orderId: string, cardToken = 'tok_visa') =>
  domainEvent('order.placed', orderId, {
    orderId,
    customerId: randomUUID(),
    shopId: randomUUID(),
    items: [{ productId: randomUUID(), quantity: 2, unitPriceCents: 750 }],
    totalCents: 1500,
    cardToken,
  });
const reserved = (orderId: string) => domainEvent('inventory.reserved', orderId, { orderId, items: [{ productId: randomUUID(), quantity: 2 }] });
const rejected = (orderId: string) => domainEvent('inventory.rejected', orderId, { orderId, reason: 'OUT_OF_STOCK', productIds: [randomUUID()] });
const cancelled = (orderId: string) => domainEvent('order.cancelled', orderId, { orderId, previousStatus: 'CONFIRMED', reason: 'changed my mind' });
const delivered = (orderId: string) => domainEvent('order.delivered', orderId, { orderId });

interface StoredPayment {
  status: string;
  amountCents: number;
  declineReason: string | null;
  providerReference: string | null;
  cardToken: string | null;
}

async function paymentOf(orderId: string): Promise<StoredPayment | undefined> {
  const rows: StoredPayment[] = await subgraph.dataSource.query(
    `SELECT status, amount_cents AS "amountCents", decline_reason AS "declineReason", provider_reference AS "providerReference", card_token AS "cardToken"
     FROM payments.payments WHERE order_id = $1`,
    [orderId],
  );
  return rows[0];
}

/** The events payments recorded for publishing about the order, in order. */
async function outbox(orderId: string): Promise<{ type: string; payload: unknown }[]> {
  const rows: { envelope: EventEnvelope }[] = await subgraph.dataSource.query(
    `SELECT envelope FROM payments.outbox WHERE aggregate_id = $1 ORDER BY position`,
    [orderId],
  );
  return rows.map(({ envelope }) => ({ type: envelope.type, payload: envelope.payload }));
}

/** An order whose payment went through order.placed and inventory.reserved. */
async function authorizedOrder(): Promise<string> {
  const orderId = randomUUID();
  await handle(placed(orderId));
  await handle(reserved(orderId));
  provider.calls.length = 0;
  return orderId;
}

async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('payments in the order saga', () => {
  it('opens a PENDING payment for the order total when an order is placed, keeping the card token', async () => {
    const orderId = randomUUID();

    await handle(placed(orderId));

    expect(await paymentOf(orderId)).toEqual({ status: 'PENDING', amountCents: 1500, declineReason: null, providerReference: null, cardToken: 'tok_visa' });
    expect(provider.calls).toEqual([]);
    expect(await outbox(orderId)).toEqual([]);
  });

  it('authorizes once stock is reserved and publishes payment.authorized over the bus', async () => {
    const orderId = randomUUID();

    await bus.publish(placed(orderId));
    await eventually(async () => (await paymentOf(orderId)) !== undefined);
    await bus.publish(reserved(orderId));

    await eventually(() => received.some((event) => event.aggregateId === orderId));
    const payment = await paymentOf(orderId);
    expect(payment).toMatchObject({ status: 'AUTHORIZED', providerReference: expect.stringMatching(/^test_auth_/), cardToken: null });
    expect(received.filter((event) => event.aggregateId === orderId)).toEqual([
      expect.objectContaining({ type: 'payment.authorized', payload: { orderId, paymentId: expect.any(String), amountCents: 1500 } }),
    ]);
    expect(provider.calls).toEqual(['authorize']);
  });

  it('records a declined card as DECLINED with the reason and publishes payment.declined', async () => {
    const orderId = randomUUID();
    await handle(placed(orderId, 'tok_decline_insufficient_funds'));

    await handle(reserved(orderId));

    expect(await paymentOf(orderId)).toMatchObject({ status: 'DECLINED', declineReason: 'card_declined', providerReference: null, cardToken: null });
    expect(await outbox(orderId)).toEqual([
      { type: 'payment.declined', payload: { orderId, paymentId: expect.any(String), reason: 'card_declined' } },
    ]);
  });

  it('voids the payment without calling the provider when stock was rejected', async () => {
    const orderId = randomUUID();
    await handle(placed(orderId));

    await handle(rejected(orderId));

    expect(await paymentOf(orderId)).toMatchObject({ status: 'VOIDED', cardToken: null });
    expect(provider.calls).toEqual([]);
    expect(await outbox(orderId)).toEqual([{ type: 'payment.settled', payload: { orderId, paymentId: expect.any(String), status: 'VOIDED' } }]);
    // Stock reserved later can no longer lead to a charge.
    await handle(reserved(orderId));
    expect((await paymentOf(orderId))?.status).toBe('VOIDED');
    expect(provider.calls).toEqual([]);
  });

  it('voids the authorization with the provider when the order is cancelled', async () => {
    const orderId = await authorizedOrder();

    await handle(cancelled(orderId));

    expect((await paymentOf(orderId))?.status).toBe('VOIDED');
    expect(provider.calls).toEqual(['void']);
    expect((await outbox(orderId)).at(-1)).toEqual({ type: 'payment.settled', payload: { orderId, paymentId: expect.any(String), status: 'VOIDED' } });
  });

  it('voids a payment still PENDING when the order is cancelled, without calling the provider', async () => {
    const orderId = randomUUID();
    await handle(placed(orderId));

    await handle(cancelled(orderId));
    await handle(reserved(orderId));

    expect((await paymentOf(orderId))?.status).toBe('VOIDED');
    expect(provider.calls).toEqual([]);
  });

  it('captures the payment when the order is delivered, and refunds it when cancelled after that', async () => {
    const orderId = await authorizedOrder();

    await handle(delivered(orderId));
    expect((await paymentOf(orderId))?.status).toBe('CAPTURED');

    await handle(cancelled(orderId));
    expect((await paymentOf(orderId))?.status).toBe('REFUNDED');

    expect(provider.calls).toEqual(['capture', 'refund']);
    expect((await outbox(orderId)).map((event) => event.payload)).toEqual([
      expect.objectContaining({ amountCents: 1500 }),
      expect.objectContaining({ status: 'CAPTURED' }),
      expect.objectContaining({ status: 'REFUNDED' }),
    ]);
  });

  it('has one effect for each event however often it is delivered', async () => {
    const orderId = randomUUID();
    const events = [placed(orderId), reserved(orderId), delivered(orderId)];

    for (const event of events) {
      await handle(event);
      await handle(event);
    }
    // The same facts again under new event ids (a producer that published twice) change nothing either.
    for (const event of events) await handle({ ...event, id: randomUUID() });

    expect((await paymentOf(orderId))?.status).toBe('CAPTURED');
    expect(provider.calls).toEqual(['authorize', 'capture']);
    expect((await outbox(orderId)).map((event) => event.type)).toEqual(['payment.authorized', 'payment.settled']);
  });

  it('throws for inventory.reserved that arrives before order.placed, so the bus retries it', async () => {
    const orderId = randomUUID();
    const early = reserved(orderId);

    await expect(handle(early)).rejects.toBeInstanceOf(PaymentNotOpenedError);

    await handle(placed(orderId));
    await handle(early);
    expect((await paymentOf(orderId))?.status).toBe('AUTHORIZED');
  });

  it('throws when the provider fails, changing nothing, and authorizes on the retry', async () => {
    const orderId = randomUUID();
    await handle(placed(orderId));
    const event = reserved(orderId);
    provider.down = true;

    await expect(handle(event)).rejects.toThrow('provider unreachable');
    expect((await paymentOf(orderId))?.status).toBe('PENDING');
    expect(await outbox(orderId)).toEqual([]);

    provider.down = false;
    await handle(event);
    expect((await paymentOf(orderId))?.status).toBe('AUTHORIZED');
    expect(provider.calls).toEqual(['authorize', 'authorize']);
  });
});
