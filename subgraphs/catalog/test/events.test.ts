import type { EventBus, EventEnvelope } from '@commerce/events';
import { createProduct, createShop, eventually, shopOwner, startCatalog, type Catalog } from './harness';

/** A bus that keeps what was published, to see what the outbox relay sends. */
class RecordingBus implements EventBus {
  readonly published: EventEnvelope[] = [];
  /** Product ids whose row another connection could read when their event was published. */
  readonly committedAtPublish = new Set<string>();
  async publish(event: EventEnvelope): Promise<void> {
    if (event.type === 'catalog.product.changed') {
      const rows = await catalog.subgraph.dataSource.query(`SELECT 1 FROM catalog.products WHERE id = $1`, [event.aggregateId]);
      if (rows.length > 0) this.committedAtPublish.add(event.aggregateId);
    }
    this.published.push(event);
  }
  async subscribe(): Promise<void> {}
  async stopConsuming(): Promise<void> {}

  problem(): string | null {
    return null;
  }

  async close(): Promise<void> {}
}

let catalog: Catalog;
const bus = new RecordingBus();
const owner = shopOwner();

beforeAll(async () => {
  catalog = await startCatalog(bus);
});

afterAll(async () => {
  await catalog.stop();
});

const about = (id: string) => bus.published.filter((event) => event.aggregateId === id);

describe('catalog events', () => {
  it('publishes catalog.shop.changed once a shop is created', async () => {
    const shop = (await catalog.call(owner, createShop, { input: { name: 'Events shop' } })).data!.createShop;

    await eventually(() => about(shop.id).length > 0);
    expect(about(shop.id)).toEqual([
      expect.objectContaining({
        type: 'catalog.shop.changed',
        payload: { shopId: shop.id, ownerId: owner.userId, name: 'Events shop' },
      }),
    ]);
  });

  it('publishes exactly one catalog.product.changed and one inventory.changed (CREATED) for a created product, after it commits', async () => {
    const shop = await catalog.repositories.shops.create({ ownerId: owner.userId, name: 'Second', lowStockThreshold: 5 });
    const result = await catalog.call(owner, createProduct, { input: { shopId: shop.id, name: 'Kettle', priceCents: 2599, stock: 2 } });
    const product = result.data!.createProduct;

    await eventually(() => about(product.id).length >= 2);
    // Long enough for a relay that published twice to have done so.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(about(product.id)).toEqual([
      expect.objectContaining({
        type: 'catalog.product.changed',
        aggregateId: product.id,
        payload: { productId: product.id, shopId: shop.id, name: 'Kettle', priceCents: 2599 },
      }),
      expect.objectContaining({
        type: 'inventory.changed',
        aggregateId: product.id,
        payload: { productId: product.id, shopId: shop.id, previousStock: 0, stock: 2, reason: 'CREATED', orderId: null },
      }),
    ]);
    expect(bus.committedAtPublish.has(product.id)).toBe(true);
  });

  it('publishes nothing for a refused product, and one inventory.changed (RESTOCKED) for a restock', async () => {
    const shop = await catalog.repositories.shops.create({ ownerId: owner.userId, name: 'Third', lowStockThreshold: 5 });
    const product = await catalog.repositories.products.create({ shopId: shop.id, categoryId: null, name: 'Mug', description: null, priceCents: 800, stock: 1 });
    await eventually(() => about(product.id).length === 2);
    const published = bus.published.length;

    const refused = await catalog.call(owner, createProduct, { input: { shopId: shop.id, name: 'Free mug', priceCents: 0, stock: 1 } });
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const restocked = await catalog.call(owner, `mutation { restockProduct(productId: "${product.id}", quantity: 3) { stock } }`);
    expect(restocked.data?.restockProduct.stock).toBe(4);

    await eventually(() => bus.published.length > published);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bus.published.slice(published)).toEqual([
      expect.objectContaining({
        type: 'inventory.changed',
        aggregateId: product.id,
        payload: { productId: product.id, shopId: shop.id, previousStock: 1, stock: 4, reason: 'RESTOCKED', orderId: null },
      }),
    ]);
  });
});
