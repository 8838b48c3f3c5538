import type { EventEnvelope } from '@commerce/events';
import { eventually } from '@commerce/service-kit';
import { signUp, type Actor } from './support/graph';
import { startTestStack, type TestStack } from './support/stack';

let stack: TestStack;
let owner: Actor;
let customer: Actor;
let courier: Actor;
let shopId: string;
const inventoryChanges: { stock: number }[] = [];

beforeAll(async () => {
  stack = await startTestStack();
  await stack.bus.subscribe({
    queue: 'test.inventory-watch',
    bindings: ['inventory.changed'],
    handle: async (event: EventEnvelope) => void inventoryChanges.push(event.payload as { stock: number }),
  });
  [owner, customer, courier] = await Promise.all([
    signUp(stack.gatewayUrl, 'SHOP_OWNER'),
    signUp(stack.gatewayUrl, 'CUSTOMER'),
    signUp(stack.gatewayUrl, 'COURIER'),
  ]);
  shopId = (await owner.data(`mutation { createShop(input: { name: "Saga Shop" }) { id } }`)).createShop.id;
});

afterAll(() => stack?.stop());

async function newProduct(stock: number, priceCents = 500): Promise<string> {
  const { createProduct } = await owner.data(
    `mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }`,
    { input: { shopId, name: `Product ${Math.random()}`, priceCents, stock } },
  );
  return createProduct.id;
}

/** Places an order as soon as orders' read model has learnt of the product from catalog's events. */
async function place(productId: string, quantity: number, cardToken = 'tok_visa', who: Actor = customer): Promise<string> {
  return eventually(async () => {
    const result = await who.call(`mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }`, {
      input: { shopId, items: [{ productId, quantity }], deliveryAddress: '5 Saga Street', cardToken },
    });
    if (!result.data) throw new Error(JSON.stringify(result.errors));
    return result.data.placeOrder.id as string;
  });
}

const orderView = `query ($id: ID!) { order(id: $id) { status history { status reason } payment { status } shipment { id status courier { id } } } }`;

async function order(id: string, as: Actor = customer) {
  return (await as.data(orderView, { id })).order;
}

async function untilStatus(id: string, status: string, as: Actor = customer) {
  return eventually(async () => {
    const current = await order(id, as);
    if (current.status !== status) throw new Error(`order ${id} is ${current.status}, expected ${status}`);
    return current;
  });
}

async function stockOf(productId: string): Promise<number> {
  return (await owner.data(`query ($id: ID!) { product(id: $id) { stock } }`, { id: productId })).product.stock;
}

async function untilPayment(id: string, status: string) {
  return eventually(async () => {
    const current = await order(id);
    if (current.payment?.status !== status) throw new Error(`payment is ${current.payment?.status}, expected ${status}`);
  });
}

const move = (as: Actor, id: string, status: string) =>
  as.call(`mutation ($id: ID!, $s: OrderStatus!) { updateOrderStatus(id: $id, status: $s) { status } }`, { id, s: status });
const courierDoes = (as: Actor, mutation: string, id: string) => as.call(`mutation ($id: ID!) { ${mutation}(id: $id) { status } }`, { id });

describe('the order saga over RabbitMQ', () => {
  it('takes an order from placement to DELIVERED, capturing the payment', async () => {
    const productId = await newProduct(20);
    const id = await place(productId, 3);
    await untilStatus(id, 'CONFIRMED');
    expect(await stockOf(productId)).toBe(17);

    expect((await move(owner, id, 'PREPARING')).errors).toBeUndefined();
    expect((await move(owner, id, 'READY_FOR_PICKUP')).errors).toBeUndefined();
    const shipmentId = await eventually(async () => {
      const { shipment } = await order(id);
      if (!shipment) throw new Error('no shipment yet');
      return shipment.id as string;
    });
    for (const step of ['acceptShipment', 'pickUpShipment']) expect((await courierDoes(courier, step, shipmentId)).errors).toBeUndefined();
    const reported = await courier.call(`mutation ($id: ID!) { reportPosition(shipmentId: $id, lat: 52.5, lng: 13.4) { status } }`, { id: shipmentId });
    expect(reported.errors).toBeUndefined();
    await untilStatus(id, 'OUT_FOR_DELIVERY');
    expect((await courierDoes(courier, 'deliverShipment', shipmentId)).errors).toBeUndefined();

    const delivered = await untilStatus(id, 'DELIVERED');
    expect(delivered.history.map((h: { status: string }) => h.status)).toEqual([
      'PENDING',
      'CONFIRMED',
      'PREPARING',
      'READY_FOR_PICKUP',
      'OUT_FOR_DELIVERY',
      'DELIVERED',
    ]);
    expect(delivered.shipment).toMatchObject({ status: 'DELIVERED', courier: { id: courier.id } });
    await untilPayment(id, 'CAPTURED');
  });

  it('rejects an order whose card is declined and puts the stock back', async () => {
    const productId = await newProduct(5);
    const id = await place(productId, 2, 'tok_decline_insufficient_funds');
    const rejected = await untilStatus(id, 'REJECTED');
    expect(rejected.history.at(-1).reason).toBeTruthy();
    expect(rejected.payment.status).toBe('DECLINED');
    await eventually(async () => expect(await stockOf(productId)).toBe(5));
  });

  it('rejects an order for more than the stock without charging anything', async () => {
    const productId = await newProduct(2);
    const id = await place(productId, 3);
    await untilStatus(id, 'REJECTED');
    await untilPayment(id, 'VOIDED');
    expect(await stockOf(productId)).toBe(2);
  });

  it('cancels a confirmed order, releasing the stock and voiding the payment', async () => {
    const productId = await newProduct(4);
    const id = await place(productId, 4);
    await untilStatus(id, 'CONFIRMED');
    expect(await stockOf(productId)).toBe(0);
    const cancelled = await customer.call(`mutation ($id: ID!) { cancelOrder(id: $id) { status } }`, { id });
    expect(cancelled.data?.cancelOrder.status).toBe('CANCELLED');
    await eventually(async () => expect(await stockOf(productId)).toBe(4));
    await untilPayment(id, 'VOIDED');
  });

  it('sells exactly the stock when 100 orders race for 10 units', async () => {
    const productId = await newProduct(10);
    const first = await place(productId, 1); // returns once orders' read model knows the product
    const ids = [first, ...(await Promise.all(Array.from({ length: 99 }, () => place(productId, 1))))];
    const statuses = await eventually(async () => {
      const seen = await Promise.all(ids.map(async (id) => (await order(id)).status as string));
      if (seen.includes('PENDING')) throw new Error(`${seen.filter((s) => s === 'PENDING').length} orders still pending`);
      return seen;
    }, 150_000);
    expect(statuses.filter((s) => s === 'CONFIRMED')).toHaveLength(10);
    expect(statuses.filter((s) => s === 'REJECTED')).toHaveLength(90);
    expect(await stockOf(productId)).toBe(0);
    expect(inventoryChanges.length).toBeGreaterThan(0);
    expect(inventoryChanges.every((change) => change.stock >= 0)).toBe(true);
    // 100 orders through three services' saga steps: seconds on a quiet machine, more on a loaded two-core one.
  }, 180_000);

  it('refuses forbidden transitions with a typed error and changes nothing', async () => {
    const productId = await newProduct(3);
    const id = await place(productId, 1);
    await untilStatus(id, 'CONFIRMED');
    const byCustomer = await move(customer, id, 'DELIVERED');
    expect(['FORBIDDEN', 'INVALID_STATUS_TRANSITION']).toContain(byCustomer.errors?.[0]?.extensions?.code);

    await move(owner, id, 'PREPARING');
    await move(owner, id, 'READY_FOR_PICKUP');
    const shipmentId = await eventually(async () => {
      const { shipment } = await order(id);
      if (!shipment) throw new Error('no shipment yet');
      return shipment.id as string;
    });
    await courierDoes(courier, 'acceptShipment', shipmentId);
    const other = await signUp(stack.gatewayUrl, 'COURIER');
    for (const step of ['pickUpShipment', 'deliverShipment']) {
      expect((await courierDoes(other, step, shipmentId)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const after = await order(id);
    expect(after.status).toBe('READY_FOR_PICKUP');
    expect(after.shipment.status).toBe('ASSIGNED');
  });

  it('applies a redelivered event once', async () => {
    const productId = await newProduct(3);
    const id = await place(productId, 1);
    await untilStatus(id, 'CONFIRMED');
    const replayed: EventEnvelope[] = [];
    // Republish the very event that confirmed the order, as a broker redelivery would.
    const history = await order(id);
    const rows: { envelope: EventEnvelope }[] = await stack.services.payments!.database.dataSource.query(
      `SELECT envelope FROM payments.outbox WHERE type = 'payment.authorized' AND aggregate_id = $1`,
      [id],
    );
    for (const row of rows) {
      replayed.push(row.envelope);
      await stack.bus.publish(row.envelope);
    }
    expect(replayed).toHaveLength(1);
    // Nothing observable marks a duplicate as handled, so give the consumer a moment to (wrongly) act.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await order(id)).history).toEqual(history.history);
  });
});

