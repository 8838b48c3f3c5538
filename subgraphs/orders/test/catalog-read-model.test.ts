import { randomUUID } from 'node:crypto';
import { createEvent } from '@commerce/events';
import { person, startOrders, waitFor, type OrdersHarness } from './support';

let h: OrdersHarness;

beforeAll(async () => {
  h = await startOrders();
});

afterAll(() => h.stop());

const productRow = async (productId: string) =>
  ((await h.subgraph.dataSource.query('SELECT name, price_cents FROM orders.catalog_products WHERE product_id = $1', [productId])) as {
    name: string;
    price_cents: number;
  }[])[0];

const shopRow = async (shopId: string) =>
  ((await h.subgraph.dataSource.query('SELECT owner_id, name FROM orders.catalog_shops WHERE shop_id = $1', [shopId])) as {
    owner_id: string;
    name: string;
  }[])[0];

const productEvent = (productId: string, shopId: string, priceCents: number, occurredAt: string) => ({
  ...createEvent('catalog.product.changed', productId, { productId, shopId, name: `at ${priceCents}`, priceCents }),
  occurredAt,
});

describe('the catalog read model', () => {
  it("follows catalog's events from the bus", async () => {
    const shopId = randomUUID();
    const ownerId = person('SHOP_OWNER').userId;
    const productId = randomUUID();
    await h.bus.publish(createEvent('catalog.shop.changed', shopId, { shopId, ownerId, name: 'Corner shop' }));
    await h.bus.publish(createEvent('catalog.product.changed', productId, { productId, shopId, name: 'Milk', priceCents: 99 }));
    await waitFor(async () => (await productRow(productId)) !== undefined && (await shopRow(shopId)) !== undefined);
    expect(await shopRow(shopId)).toEqual({ owner_id: ownerId, name: 'Corner shop' });
    expect(await productRow(productId)).toEqual({ name: 'Milk', price_cents: 99 });
  });

  it('applies the same event delivered twice only once', async () => {
    const shopId = randomUUID();
    const productId = randomUUID();
    const event = productEvent(productId, shopId, 100, '2030-01-01T10:00:00.000Z');
    await h.applyCatalogEvent(event);
    const inboxAfterFirst = await h.count('inbox');
    await h.applyCatalogEvent(event);
    expect(await h.count('inbox')).toBe(inboxAfterFirst);
    expect(await productRow(productId)).toEqual({ name: 'at 100', price_cents: 100 });
  });

  it('ignores a product event older than the change it already reflects', async () => {
    const shopId = randomUUID();
    const productId = randomUUID();
    await h.applyCatalogEvent(productEvent(productId, shopId, 250, '2030-01-01T10:00:05.000Z'));
    await h.applyCatalogEvent(productEvent(productId, shopId, 200, '2030-01-01T10:00:01.000Z'));
    expect(await productRow(productId)).toEqual({ name: 'at 250', price_cents: 250 });
    await h.applyCatalogEvent(productEvent(productId, shopId, 300, '2030-01-01T10:00:09.000Z'));
    expect(await productRow(productId)).toEqual({ name: 'at 300', price_cents: 300 });
  });

  it('ignores a shop event older than the change it already reflects', async () => {
    const shopId = randomUUID();
    const newOwner = randomUUID();
    const shopEvent = (ownerId: string, name: string, occurredAt: string) => ({
      ...createEvent('catalog.shop.changed', shopId, { shopId, ownerId, name }),
      occurredAt,
    });
    await h.applyCatalogEvent(shopEvent(newOwner, 'New name', '2030-01-02T00:00:00.000Z'));
    await h.applyCatalogEvent(shopEvent(randomUUID(), 'Old name', '2030-01-01T00:00:00.000Z'));
    expect(await shopRow(shopId)).toEqual({ owner_id: newOwner, name: 'New name' });
  });

  it('refuses an event whose payload breaks the contract, leaving no trace', async () => {
    const productId = randomUUID();
    const bad = createEvent('catalog.product.changed', productId, { productId, shopId: randomUUID(), name: 'Free', priceCents: -5 });
    const inboxBefore = await h.count('inbox');
    await expect(h.applyCatalogEvent(bad)).rejects.toThrow();
    expect(await productRow(productId)).toBeUndefined();
    expect(await h.count('inbox')).toBe(inboxBefore);
  });
});
