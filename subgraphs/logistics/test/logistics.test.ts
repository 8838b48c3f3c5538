import { randomUUID } from 'node:crypto';
import {
  entitiesQuery,
  headersFor,
  postGraphQL,
  startIsolatedSubgraph,
  type IsolatedSubgraph,
} from '@commerce/service-kit/testing';
import { ShipmentExistsError, shipmentRepository, type ShipmentRepository } from '../src/data/shipment-repository';
import { logisticsSubgraph } from '../src/server';
import { recordQueries } from '@commerce/service-kit/testing';

let subgraph: IsolatedSubgraph;
let shipments: ShipmentRepository;
let url: string;

beforeAll(async () => {
  subgraph = await startIsolatedSubgraph(logisticsSubgraph);
  shipments = shipmentRepository(subgraph.dataSource);
  url = subgraph.server.url;
});

afterAll(async () => {
  await subgraph.stop();
});

const unknownId = '00000000-0000-0000-0000-000000000000';
const orderRefs = (ids: string[]) => ids.map((id) => ({ __typename: 'Order', id }));
const shipmentFields = 'id status courier { id } eta position { lat lng at }';

describe('logistics subgraph', () => {
  it('resolves Shipment entities by id in the order asked, with null for unknown ids', async () => {
    const waiting = await shipments.createShipment(randomUUID(), '1 Main St');
    const created = await shipments.createShipment(randomUUID(), '1 Main St');
    const courierId = randomUUID();
    const eta = new Date('2030-01-01T12:30:00.000Z');
    await shipments.assignCourier(created.id, courierId, eta);
    await shipments.recordPosition(created.id, { lat: 52.52, lng: 13.405, at: new Date('2030-01-01T12:00:00.000Z') });
    await shipments.recordPosition(created.id, { lat: 52.53, lng: 13.41, at: new Date('2030-01-01T12:05:00.000Z') });
    await shipments.recordPosition(created.id, { lat: 52.5, lng: 13.3, at: new Date('2030-01-01T11:55:00.000Z') });
    const representations = [created, { id: unknownId }, waiting].map(({ id }) => ({ __typename: 'Shipment', id }));

    const result = await postGraphQL(url, entitiesQuery('Shipment', shipmentFields), { representations });

    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([
      {
        id: created.id,
        status: 'ASSIGNED',
        courier: { id: courierId },
        eta: eta.toISOString(),
        position: { lat: 52.53, lng: 13.41, at: '2030-01-01T12:05:00.000Z' },
      },
      null,
      { id: waiting.id, status: 'WAITING_FOR_COURIER', courier: null, eta: null, position: null },
    ]);
  });

  it("resolves an Order's shipment in the order asked, and null for an order without one", async () => {
    const shipped = await shipments.createShipment(randomUUID(), '1 Main St');
    const unshipped = randomUUID();

    const result = await postGraphQL(url, entitiesQuery('Order', 'id shipment { id status }'), {
      representations: orderRefs([shipped.orderId, unshipped]),
    });

    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([
      { id: shipped.orderId, shipment: { id: shipped.id, status: 'WAITING_FOR_COURIER' } },
      { id: unshipped, shipment: null },
    ]);
  });

  it('loads the shipments of 20 orders with one query, and their latest positions with one more', async () => {
    const orderIds = Array.from({ length: 20 }, () => randomUUID());
    for (const [i, orderId] of orderIds.entries()) {
      const shipment = await shipments.createShipment(orderId, '1 Main St');
      await shipments.recordPosition(shipment.id, { lat: i, lng: 0, at: new Date('2030-01-01T10:00:00.000Z') });
      await shipments.recordPosition(shipment.id, { lat: i, lng: 1, at: new Date('2030-01-01T10:01:00.000Z') });
    }

    const { result, queries } = await recordQueries(subgraph.dataSource, () =>
      postGraphQL(url, entitiesQuery('Order', 'id shipment { position { lat lng } }'), { representations: orderRefs(orderIds) }),
    );

    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual(orderIds.map((id, i) => ({ id, shipment: { position: { lat: i, lng: 1 } } })));
    expect(queries).toHaveLength(2);
  });

  it('creates at most one shipment per order', async () => {
    const orderId = randomUUID();
    await shipments.createShipment(orderId, '1 Main St');

    await expect(shipments.createShipment(orderId, '1 Main St')).rejects.toBeInstanceOf(ShipmentExistsError);
  });

  describe('myShipments', () => {
    const query = '{ myShipments { id courier { id } } }';

    it("lists the calling courier's shipments, newest first, and no one else's", async () => {
      const courier = { userId: randomUUID(), role: 'COURIER' as const };
      const first = await shipments.createShipment(randomUUID(), '1 Main St');
      const second = await shipments.createShipment(randomUUID(), '1 Main St');
      const someoneElses = await shipments.createShipment(randomUUID(), '1 Main St');
      await shipments.assignCourier(first.id, courier.userId);
      await shipments.assignCourier(second.id, courier.userId);
      await shipments.assignCourier(someoneElses.id, randomUUID());

      const result = await postGraphQL(url, query, {}, headersFor(courier));

      expect(result.errors).toBeUndefined();
      expect(result.data?.myShipments).toEqual([
        { id: second.id, courier: { id: courier.userId } },
        { id: first.id, courier: { id: courier.userId } },
      ]);
    });

    it('refuses a customer with FORBIDDEN', async () => {
      const result = await postGraphQL(url, query, {}, headersFor({ userId: randomUUID(), role: 'CUSTOMER' }));
      expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });

    it('refuses an anonymous caller with UNAUTHENTICATED', async () => {
      const result = await postGraphQL(url, query);
      expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });
  });
});
