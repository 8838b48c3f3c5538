import { randomUUID } from 'node:crypto';
import { domainEvent, InMemoryEventBus, type EventEnvelope } from '@commerce/events';
import type { Identity } from '@commerce/service-kit';
import { startIsolatedSubgraph, type IsolatedSubgraph } from '@commerce/service-kit/testing';
import { createLogger } from '@commerce/service-kit';
import { logisticsSubgraph } from '../src/server';
import { sagaHandler } from '../src/events/saga';

let subgraph: IsolatedSubgraph;
let bus: InMemoryEventBus;
const published: EventEnvelope[] = [];

beforeAll(async () => {
  bus = new InMemoryEventBus();
  subgraph = await startIsolatedSubgraph(logisticsSubgraph, bus);
  await bus.subscribe({
    queue: 'test.logistics-published',
    bindings: ['shipment.*'],
    handle: async (event) => {
      published.push(event);
    },
  });
});

afterAll(async () => {
  await subgraph.stop();
  await bus.close();
});

const courier = (): Identity => ({ userId: randomUUID(), role: 'COURIER' });
const call = (query: string, variables: Record<string, unknown>, as: Identity | null) =>
  subgraph.call(as, query, variables);

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const fields = 'id status deliveryAddress eta courier { id } order { id } position { lat lng }';
const accept = `mutation ($id: ID!) { acceptShipment(id: $id) { ${fields} } }`;
const pickUp = `mutation ($id: ID!) { pickUpShipment(id: $id) { ${fields} } }`;
const deliver = `mutation ($id: ID!) { deliverShipment(id: $id) { ${fields} } }`;
const report = `mutation ($id: ID!, $lat: Float!, $lng: Float!) { reportPosition(shipmentId: $id, lat: $lat, lng: $lng) { ${fields} } }`;

interface ShipmentState {
  id: string;
  status: string;
  courier_id: string | null;
  eta: Date | null;
  positions: number;
}

async function shipmentOf(orderId: string): Promise<ShipmentState | undefined> {
  const rows: ShipmentState[] = await subgraph.dataSource.query(
    `SELECT s.id, s.status, s.courier_id, s.eta,
            (SELECT count(*)::int FROM logistics.positions p WHERE p.shipment_id = s.id) AS positions
     FROM logistics.shipments s WHERE s.order_id = $1`,
    [orderId],
  );
  return rows[0];
}

const readyForPickup = (orderId: string) =>
  domainEvent('order.ready_for_pickup', orderId, {
    orderId,
    shopId: randomUUID(),
    customerId: randomUUID(),
    deliveryAddress: '1 Main St',
  });

/** An order made ready for pickup through the queue, and the shipment logistics opened for it. */
async function waitingShipment(): Promise<{ orderId: string; shipmentId: string }> {
  const orderId = randomUUID();
  await bus.publish(readyForPickup(orderId));
  await waitFor(async () => (await shipmentOf(orderId)) !== undefined);
  return { orderId, shipmentId: (await shipmentOf(orderId))!.id };
}

async function assignedTo(who: Identity): Promise<{ orderId: string; shipmentId: string }> {
  const shipment = await waitingShipment();
  const result = await call(accept, { id: shipment.shipmentId }, who);
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  await waitFor(() => eventsFor(shipment.orderId).length === 2);
  return shipment;
}

const eventsFor = (orderId: string) => published.filter((event) => event.aggregateId === orderId);

describe('logistics in the saga', () => {
  it('opens one shipment waiting for a courier per order, even when order.ready_for_pickup arrives twice', async () => {
    const orderId = randomUUID();
    const event = readyForPickup(orderId);
    await bus.publish(event);
    await bus.publish(event);
    await bus.publish(readyForPickup(orderId));
    await waitFor(() => eventsFor(orderId).length > 0);
    await new Promise((resolve) => setTimeout(resolve, 200));

    const rows = await subgraph.dataSource.query('SELECT status, delivery_address FROM logistics.shipments WHERE order_id = $1', [orderId]);
    expect(rows).toEqual([{ status: 'WAITING_FOR_COURIER', delivery_address: '1 Main St' }]);
    expect(eventsFor(orderId).map((e) => [e.type, (e.payload as { status: string }).status])).toEqual([
      ['shipment.updated', 'WAITING_FOR_COURIER'],
    ]);
  });

  it('lists waiting shipments to couriers and no one else', async () => {
    const { shipmentId } = await waitingShipment();
    const listed = await call('{ availableShipments { id status deliveryAddress } }', {}, courier());
    expect(listed.data?.availableShipments).toContainEqual({ id: shipmentId, status: 'WAITING_FOR_COURIER', deliveryAddress: '1 Main St' });
    const asCustomer = await call('{ availableShipments { id } }', {}, { userId: randomUUID(), role: 'CUSTOMER' });
    expect(asCustomer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('lets a courier accept, pick up, report positions and deliver, announcing every step', async () => {
    const me = courier();
    const { orderId, shipmentId } = await waitingShipment();

    const accepted = await call(accept, { id: shipmentId }, me);
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data?.acceptShipment).toMatchObject({ status: 'ASSIGNED', courier: { id: me.userId }, order: { id: orderId } });
    const eta = new Date(accepted.data!.acceptShipment.eta as string).getTime();
    expect(eta - Date.now()).toBeGreaterThan(29 * 60_000);
    expect(eta - Date.now()).toBeLessThanOrEqual(30 * 60_000);

    expect((await call(report, { id: shipmentId, lat: 52.52, lng: 13.4 }, me)).data?.reportPosition.position).toEqual({ lat: 52.52, lng: 13.4 });
    expect((await call(pickUp, { id: shipmentId }, me)).data?.pickUpShipment.status).toBe('PICKED_UP');
    expect((await call(report, { id: shipmentId, lat: 52.53, lng: 13.41 }, me)).data?.reportPosition.position).toEqual({ lat: 52.53, lng: 13.41 });
    const delivered = await call(deliver, { id: shipmentId }, me);
    expect(delivered.errors).toBeUndefined();
    expect(delivered.data?.deliverShipment.status).toBe('DELIVERED');

    await waitFor(() => eventsFor(orderId).some((e) => e.type === 'shipment.delivered'));
    const steps = eventsFor(orderId).map((e) =>
      e.type === 'shipment.updated' ? `updated ${(e.payload as { status: string }).status}` : e.type,
    );
    expect(steps).toEqual([
      'updated WAITING_FOR_COURIER',
      'updated ASSIGNED',
      'updated ASSIGNED',
      'shipment.picked_up',
      'updated PICKED_UP',
      'updated PICKED_UP',
      'shipment.delivered',
      'updated DELIVERED',
    ]);
    const expectedPayload = { orderId, shipmentId, courierId: me.userId };
    expect(eventsFor(orderId).find((e) => e.type === 'shipment.picked_up')?.payload).toEqual(expectedPayload);
    expect(eventsFor(orderId).find((e) => e.type === 'shipment.delivered')?.payload).toEqual(expectedPayload);
  });

  it('lets exactly one of two couriers accepting at once win', async () => {
    const { orderId, shipmentId } = await waitingShipment();
    const [first, second] = [courier(), courier()];
    const results = await Promise.all([call(accept, { id: shipmentId }, first), call(accept, { id: shipmentId }, second)]);

    const codes = results.map((r) => r.errors?.[0]?.extensions?.code ?? 'ok').sort();
    expect(codes).toEqual(['INVALID_STATUS_TRANSITION', 'ok']);
    const winner = results.findIndex((r) => !r.errors) === 0 ? first : second;
    expect((await shipmentOf(orderId))?.courier_id).toBe(winner.userId);
  });

  it.each([
    ['picking up', (id: string) => call(pickUp, { id }, intruder)],
    ['delivering', (id: string) => call(deliver, { id }, intruder)],
    ['reporting a position for', (id: string) => call(report, { id, lat: 1, lng: 1 }, intruder)],
  ])("refuses another courier %s someone else's shipment with FORBIDDEN, changing nothing", async (_what, attempt) => {
    const { orderId, shipmentId } = await assignedTo(courier());
    const before = { shipment: await shipmentOf(orderId), events: eventsFor(orderId).length };
    const result = await attempt(shipmentId);
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect({ shipment: await shipmentOf(orderId), events: eventsFor(orderId).length }).toEqual(before);
  });

  it('refuses a customer accepting a shipment with FORBIDDEN', async () => {
    const { orderId, shipmentId } = await waitingShipment();
    const result = await call(accept, { id: shipmentId }, { userId: randomUUID(), role: 'CUSTOMER' });
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await shipmentOf(orderId))?.status).toBe('WAITING_FOR_COURIER');
  });

  it.each([
    [{ lat: 91, lng: 0 }, 'lat'],
    [{ lat: -90.5, lng: 0 }, 'lat'],
    [{ lat: 0, lng: 180.1 }, 'lng'],
    [{ lat: 0, lng: -181 }, 'lng'],
  ])('refuses the position %p with BAD_USER_INPUT naming %s, recording nothing', async (point, field) => {
    const me = courier();
    const { orderId, shipmentId } = await assignedTo(me);
    const result = await call(report, { id: shipmentId, ...point }, me);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect((await shipmentOf(orderId))?.positions).toBe(0);
  });

  it('refuses to deliver a shipment not picked up yet with INVALID_STATUS_TRANSITION', async () => {
    const me = courier();
    const { shipmentId } = await assignedTo(me);
    const result = await call(deliver, { id: shipmentId }, me);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_STATUS_TRANSITION', from: 'ASSIGNED', to: 'DELIVERED' });
  });

  it('answers NOT_FOUND for an unknown shipment', async () => {
    expect((await call(accept, { id: randomUUID() }, courier())).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await call(pickUp, { id: 'nope' }, courier())).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('cancels a shipment on order.cancelled, after which it can no longer be accepted', async () => {
    const { orderId, shipmentId } = await waitingShipment();
    await bus.publish(domainEvent('order.cancelled', orderId, { orderId, previousStatus: 'READY_FOR_PICKUP', reason: 'Cancelled by the shop' }));
    await waitFor(async () => (await shipmentOf(orderId))?.status === 'CANCELLED');
    await waitFor(() => eventsFor(orderId).some((e) => (e.payload as { status?: string }).status === 'CANCELLED'));

    const result = await call(accept, { id: shipmentId }, courier());
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_STATUS_TRANSITION', from: 'CANCELLED', to: 'ASSIGNED' });
    expect((await shipmentOf(orderId))?.status).toBe('CANCELLED');
  });

  it('cancels an assigned shipment too', async () => {
    const { orderId } = await assignedTo(courier());
    await bus.publish(domainEvent('order.cancelled', orderId, { orderId, previousStatus: 'READY_FOR_PICKUP', reason: 'Cancelled by the shop' }));
    await waitFor(async () => (await shipmentOf(orderId))?.status === 'CANCELLED');
  });

  it('opens no shipment for an order whose cancellation overtook its order.ready_for_pickup', async () => {
    const orderId = randomUUID();
    await bus.publish(domainEvent('order.cancelled', orderId, { orderId, previousStatus: 'READY_FOR_PICKUP', reason: 'Cancelled by the shop' }));
    await waitFor(async () => (await shipmentOf(orderId)) !== undefined);
    await bus.publish(readyForPickup(orderId));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await shipmentOf(orderId))?.status).toBe('CANCELLED');
    const listed = await call('{ availableShipments { order { id } } }', {}, courier());
    expect(listed.data?.availableShipments).not.toContainEqual({ order: { id: orderId } });
  });

  it('cancels the shipment another consumer opens while the cancellation is being handled', async () => {
    // Two replicas: one is inside the transaction that opens the shipment
    // when the other takes the cancellation, which cannot see that row yet.
    const orderId = randomUUID();
    const opening = subgraph.dataSource.createQueryRunner();
    await opening.startTransaction();
    try {
      await opening.query(`INSERT INTO logistics.shipments (order_id, delivery_address, status) VALUES ($1, '1 Main St', 'WAITING_FOR_COURIER')`, [orderId]);
      const cancel = sagaHandler(subgraph.dataSource, createLogger('logistics-test', 'silent'))(
        domainEvent('order.cancelled', orderId, { orderId, previousStatus: 'READY_FOR_PICKUP', reason: 'Cancelled by the shop' }),
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      await opening.commitTransaction();
      await cancel;
    } finally {
      await opening.release();
    }
    expect((await shipmentOf(orderId))?.status).toBe('CANCELLED');
  });
});

const intruder = courier();
