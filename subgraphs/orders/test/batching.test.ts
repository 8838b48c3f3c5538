import type { Identity } from '@commerce/service-kit';
import { entitiesQuery, recordQueries } from '@commerce/service-kit/testing';
import { catalogReadModelRepository } from '../src/data/catalog-read-model-repository';
import { orderRepository } from '../src/data/order-repository';
import { orderService } from '../src/domain/order-service';
import { person, startOrders, type OrdersHarness } from './support';

let h: OrdersHarness;
const owner = person('SHOP_OWNER');
const admin = person('ADMIN');
const regular = person('CUSTOMER');
const customers = Array.from({ length: 50 }, () => person('CUSTOMER'));

beforeAll(async () => {
  h = await startOrders();
  const shopId = await h.seedShop(owner.userId);
  const products = [await h.seedProduct(shopId, 100), await h.seedProduct(shopId, 250)];
  const ds = h.subgraph.dataSource;
  const service = orderService(ds, orderRepository(ds), catalogReadModelRepository(ds));
  const place = (as: Identity) =>
    service.placeOrder(as, {
      shopId,
      items: products.map((productId, i) => ({ productId, quantity: i + 1 })),
      deliveryAddress: '1 Main St',
      cardToken: 'tok_visa',
    });
  for (let i = 0; i < 50; i += 1) await place(regular);
  await Promise.all(customers.map(place));
});

afterAll(() => h.stop());

const orderSelection = 'id totalCents items { product { id } quantity unitPriceCents } history { status at }';

describe('batching', () => {
  it('answers myOrders with 50 orders, their items and histories in three SQL statements', async () => {
    const { queries } = await recordQueries(h.subgraph.dataSource, async () => {
      const result = await h.call(`{ myOrders { ${orderSelection} } }`, {}, regular);
      expect(result.errors).toBeUndefined();
      expect(result.data?.myOrders).toHaveLength(50);
      expect(result.data?.myOrders[0].items).toHaveLength(2);
    });
    expect(queries).toHaveLength(3);
  });

  it("answers 50 users' orders through _entities in three SQL statements", async () => {
    const { queries } = await recordQueries(h.subgraph.dataSource, async () => {
      const representations = customers.map(({ userId }) => ({ __typename: 'User', id: userId }));
      const result = await h.call(entitiesQuery('User', `id orders { ${orderSelection} }`), { representations }, admin);
      expect(result.errors).toBeUndefined();
      expect(result.data?._entities.map((u: { id: string }) => u.id)).toEqual(customers.map((c) => c.userId));
      expect(result.data?._entities.every((u: { orders: unknown[] }) => u.orders.length === 1)).toBe(true);
    });
    expect(queries).toHaveLength(3);
  });

  it("resolves 50 Order references for the shop's owner in a fixed number of SQL statements", async () => {
    const ids = ((await h.subgraph.dataSource.query('SELECT id FROM orders.orders LIMIT 50')) as { id: string }[]).map((r) => r.id);
    const { queries } = await recordQueries(h.subgraph.dataSource, async () => {
      const representations = ids.map((id) => ({ __typename: 'Order', id }));
      const result = await h.call(entitiesQuery('Order', 'id items { quantity }'), { representations }, owner);
      expect(result.errors).toBeUndefined();
      expect(result.data?._entities.map((o: { id: string }) => o.id)).toEqual(ids);
      // orders by id, the shops' owners, the items
    });
    expect(queries).toHaveLength(3);
  });
});
