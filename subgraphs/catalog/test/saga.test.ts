import { randomUUID } from 'node:crypto';
import { domainEvent, InMemoryEventBus, silentLogger, type EventEnvelope, type OrderPlaced } from '@commerce/events';
import { findReservation } from '../src/data/reservation-repository';
import type { ProductRow } from '../src/data/rows';
import { sagaHandler } from '../src/events/saga';
import { eventually, shopOwner, startCatalog, type Catalog } from './harness';

let catalog: Catalog;
const bus = new InMemoryEventBus();
const received: EventEnvelope[] = [];
let handle: (event: EventEnvelope) => Promise<void>;
let shopId: string;

beforeAll(async () => {
  // Bound before catalog starts, so the recorder sees everything the relay publishes.
  await bus.subscribe({ queue: 'test.recorder', bindings: ['inventory.*'], handle: async (event) => void received.push(event) });
  catalog = await startCatalog(bus);
  handle = sagaHandler(catalog.subgraph.dataSource, silentLogger);
  shopId = (await catalog.repositories.shops.create({ ownerId: shopOwner().userId, name: 'Saga shop', lowStockThreshold: 5 })).id;
});

afterAll(async () => {
  await catalog.stop();
  await bus.close();
});

const product = (stock: number, shop = shopId): Promise<ProductRow> =>
  catalog.repositories.products.create({ shopId: shop, categoryId: null, name: 'Thing', description: null, priceCents: 100, stock });

const placed = (lines: { productId: string; quantity: number }[], orderId: string = randomUUID()) =>
  domainEvent('order.placed', orderId, {
    orderId,
    customerId: randomUUID(),
    shopId,
    items: lines.map((line) => ({ ...line, unitPriceCents: 100 })),
    totalCents: 100 * lines.reduce((sum, line) => sum + line.quantity, 0),
    cardToken: 'tok_visa',
  } satisfies OrderPlaced);

const stockOf = async (id: string) => (await catalog.repositories.products.findById(id))!.stock;
const reservation = (orderId: string) => findReservation(catalog.subgraph.dataSource.manager, orderId);

/** What catalog recorded for publishing about these aggregates, in publishing order. */
async function outbox(...aggregateIds: string[]): Promise<EventEnvelope[]> {
  const rows: { envelope: EventEnvelope }[] = await catalog.subgraph.dataSource.query(
    `SELECT envelope FROM catalog.outbox WHERE aggregate_id = ANY($1) ORDER BY position`,
    [aggregateIds],
  );
  return rows.map((row) => row.envelope);
}
const ofType = (events: EventEnvelope[], type: string) => events.filter((event) => event.type === type);

describe('catalog in the order saga', () => {
  it('reserves stock for a placed order and publishes inventory.reserved and inventory.changed', async () => {
    const [a, b] = [await product(10), await product(3)];
    const order = placed([{ productId: a.id, quantity: 2 }, { productId: b.id, quantity: 3 }]);

    await bus.publish(order);

    await eventually(() => received.some((event) => event.type === 'inventory.reserved' && event.aggregateId === order.aggregateId));
    await eventually(() => received.filter((event) => event.payload && (event.payload as { orderId?: string }).orderId === order.aggregateId).length >= 3);
    expect(await stockOf(a.id)).toBe(8);
    expect(await stockOf(b.id)).toBe(0);
    expect((await reservation(order.aggregateId))?.status).toBe('RESERVED');
    const reserved = received.find((event) => event.type === 'inventory.reserved' && event.aggregateId === order.aggregateId)!;
    expect(reserved.payload).toEqual({ orderId: order.aggregateId, items: [{ productId: a.id, quantity: 2 }, { productId: b.id, quantity: 3 }] });
    const changed = received.filter((event) => event.type === 'inventory.changed' && (event.payload as { orderId: string }).orderId === order.aggregateId);
    expect(changed.map((event) => event.payload)).toEqual(
      expect.arrayContaining([
        { productId: a.id, shopId, previousStock: 10, stock: 8, reason: 'RESERVED', orderId: order.aggregateId },
        { productId: b.id, shopId, previousStock: 3, stock: 0, reason: 'RESERVED', orderId: order.aggregateId },
      ]),
    );
    expect(changed).toHaveLength(2);
  });

  it('rejects an order whose second item is short and changes the stock of no item', async () => {
    const [plenty, short] = [await product(10), await product(1)];
    const order = placed([{ productId: plenty.id, quantity: 1 }, { productId: short.id, quantity: 2 }]);

    await handle(order);

    expect(await stockOf(plenty.id)).toBe(10);
    expect(await stockOf(short.id)).toBe(1);
    expect((await reservation(order.aggregateId))?.status).toBe('REJECTED');
    const events = await outbox(order.aggregateId, plenty.id, short.id);
    expect(ofType(events, 'inventory.rejected').map((event) => event.payload)).toEqual([
      { orderId: order.aggregateId, reason: 'OUT_OF_STOCK', productIds: [short.id] },
    ]);
    expect(ofType(events, 'inventory.reserved')).toEqual([]);
    expect(ofType(events, 'inventory.changed').map((event) => (event.payload as { reason: string }).reason)).toEqual(['CREATED', 'CREATED']);
  });

  it('rejects unknown products and products of another shop', async () => {
    const otherShop = await catalog.repositories.shops.create({ ownerId: shopOwner().userId, name: 'Elsewhere', lowStockThreshold: 5 });
    const foreign = await product(5, otherShop.id);
    const unknown = randomUUID();
    const unknownOrder = placed([{ productId: unknown, quantity: 1 }]);
    const foreignOrder = placed([{ productId: foreign.id, quantity: 1 }]);

    await handle(unknownOrder);
    await handle(foreignOrder);

    expect(ofType(await outbox(unknownOrder.aggregateId), 'inventory.rejected')[0]?.payload).toEqual({
      orderId: unknownOrder.aggregateId,
      reason: 'UNKNOWN_PRODUCT',
      productIds: [unknown],
    });
    expect(ofType(await outbox(foreignOrder.aggregateId), 'inventory.rejected')[0]?.payload).toEqual({
      orderId: foreignOrder.aggregateId,
      reason: 'WRONG_SHOP',
      productIds: [foreign.id],
    });
    expect(await stockOf(foreign.id)).toBe(5);
  });

  it('releases the stock after payment.declined exactly once, even when the event is delivered twice', async () => {
    const item = await product(10);
    const order = placed([{ productId: item.id, quantity: 4 }]);
    await handle(order);
    expect(await stockOf(item.id)).toBe(6);
    const declined = domainEvent('payment.declined', order.aggregateId, { orderId: order.aggregateId, paymentId: randomUUID(), reason: 'card_declined' });

    await handle(declined);
    await handle(declined);
    // A second, distinct decline (another event id) must not release again either.
    await handle({ ...declined, id: randomUUID() });

    expect(await stockOf(item.id)).toBe(10);
    expect((await reservation(order.aggregateId))?.status).toBe('RELEASED');
    const released = ofType(await outbox(item.id), 'inventory.changed').filter((event) => (event.payload as { reason: string }).reason === 'RELEASED');
    expect(released.map((event) => event.payload)).toEqual([
      { productId: item.id, shopId, previousStock: 6, stock: 10, reason: 'RELEASED', orderId: order.aggregateId },
    ]);
  });

  it('handles a redelivered order.placed once', async () => {
    const item = await product(10);
    const order = placed([{ productId: item.id, quantity: 3 }]);

    await handle(order);
    await handle(order);

    expect(await stockOf(item.id)).toBe(7);
    expect(ofType(await outbox(order.aggregateId), 'inventory.reserved')).toHaveLength(1);
  });

  it('releases a reservation when the order is cancelled', async () => {
    const item = await product(10);
    const order = placed([{ productId: item.id, quantity: 3 }]);
    await handle(order);

    await handle(domainEvent('order.cancelled', order.aggregateId, { orderId: order.aggregateId, previousStatus: 'CONFIRMED', reason: 'changed my mind' }));

    expect(await stockOf(item.id)).toBe(10);
    expect((await reservation(order.aggregateId))?.status).toBe('RELEASED');
  });

  it('reserves nothing for an order whose cancellation arrived before it was placed', async () => {
    const item = await product(10);
    const order = placed([{ productId: item.id, quantity: 3 }]);

    await handle(domainEvent('order.cancelled', order.aggregateId, { orderId: order.aggregateId, previousStatus: 'PENDING', reason: 'too slow' }));
    await handle(order);

    expect(await stockOf(item.id)).toBe(10);
    expect((await reservation(order.aggregateId))?.status).toBe('CANCELLED');
    expect(await outbox(order.aggregateId)).toEqual([]);
  });

  it('publishes inventory.low_stock only when stock crosses the threshold downward', async () => {
    const item = await product(8);
    const take = (quantity: number) => handle(placed([{ productId: item.id, quantity }]));

    await take(2); // 8 → 6: above the threshold of 5
    await take(1); // 6 → 5: crosses
    await take(1); // 5 → 4: already under
    await catalog.repositories.products.restock(item.id, 6); // 4 → 10
    await take(5); // 10 → 5: crosses again

    const events = await outbox(item.id);
    expect(ofType(events, 'inventory.low_stock').map((event) => event.payload)).toEqual([
      { productId: item.id, shopId, stock: 5, threshold: 5 },
      { productId: item.id, shopId, stock: 5, threshold: 5 },
    ]);
    expect(ofType(events, 'inventory.changed').map((event) => (event.payload as { reason: string; stock: number })).map(({ reason, stock }) => `${reason} ${stock}`)).toEqual([
      'CREATED 8',
      'RESERVED 6',
      'RESERVED 5',
      'RESERVED 4',
      'RESTOCKED 10',
      'RESERVED 5',
    ]);
  });

  it('reserves exactly the stock there is when 100 orders race for 10 units', async () => {
    const item = await product(10);
    const orders = Array.from({ length: 100 }, () => placed([{ productId: item.id, quantity: 1 }]));

    // Each call runs its own transaction; a CHECK (stock >= 0) violation would reject one.
    const results = await Promise.allSettled(orders.map((order) => handle(order)));

    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    expect(await stockOf(item.id)).toBe(0);
    const statuses: { status: string; n: string }[] = await catalog.subgraph.dataSource.query(
      `SELECT status, count(*) AS n FROM catalog.reservations WHERE order_id = ANY($1) GROUP BY status ORDER BY status`,
      [orders.map((order) => order.aggregateId)],
    );
    expect(statuses).toEqual([
      { status: 'REJECTED', n: '90' },
      { status: 'RESERVED', n: '10' },
    ]);
    const events = await outbox(...orders.map((order) => order.aggregateId));
    expect(ofType(events, 'inventory.reserved')).toHaveLength(10);
    expect(ofType(events, 'inventory.rejected')).toHaveLength(90);
    const stockLevels = ofType(await outbox(item.id), 'inventory.changed').map((event) => (event.payload as { stock: number }).stock);
    expect(stockLevels).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
  });
});
