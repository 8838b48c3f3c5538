import { entitiesQuery } from '@commerce/service-kit/testing';
import { shopOwner, startCatalog, unknownId, type Catalog } from './harness';

let catalog: Catalog;

beforeAll(async () => {
  catalog = await startCatalog();
});

afterAll(async () => {
  await catalog.stop();
});

describe('catalog entities', () => {
  it('resolves Shop entities in the order asked, with null for unknown and malformed ids', async () => {
    const owner = shopOwner();
    const bakery = await catalog.repositories.shops.create({ ownerId: owner.userId, name: 'Bakery', lowStockThreshold: 3 });
    const grocer = await catalog.repositories.shops.create({ ownerId: owner.userId, name: 'Grocer', lowStockThreshold: 5 });
    const representations = [grocer, { id: unknownId }, bakery, { id: 'not-a-uuid' }].map(({ id }) => ({ __typename: 'Shop', id }));

    const result = await catalog.call(null, entitiesQuery('Shop', 'id name lowStockThreshold owner { id }'), { representations });

    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([
      { id: grocer.id, name: 'Grocer', lowStockThreshold: 5, owner: { id: owner.userId } },
      null,
      { id: bakery.id, name: 'Bakery', lowStockThreshold: 3, owner: { id: owner.userId } },
      null,
    ]);
  });

  it('resolves Product entities in the order asked, with their shop and category', async () => {
    const { shops, products, categories } = catalog.repositories;
    const shop = await shops.create({ ownerId: shopOwner().userId, name: 'Corner shop', lowStockThreshold: 5 });
    const drinks = await categories.ensure('Drinks');
    const tea = await products.create({ shopId: shop.id, categoryId: drinks.id, name: 'Tea', description: 'Black', priceCents: 250, stock: 4 });
    const bread = await products.create({ shopId: shop.id, categoryId: null, name: 'Bread', description: null, priceCents: 300, stock: 0 });
    const representations = [bread, { id: unknownId }, tea].map(({ id }) => ({ __typename: 'Product', id }));

    const result = await catalog.call(null, entitiesQuery('Product', 'id name priceCents stock shop { name } category { name }'), { representations });

    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([
      { id: bread.id, name: 'Bread', priceCents: 300, stock: 0, shop: { name: 'Corner shop' }, category: null },
      null,
      { id: tea.id, name: 'Tea', priceCents: 250, stock: 4, shop: { name: 'Corner shop' }, category: { name: 'Drinks' } },
    ]);
  });

  it('lists shops with their products by name, and answers shop, product and categories by id', async () => {
    const { shops, products, categories } = catalog.repositories;
    const shop = await shops.create({ ownerId: shopOwner().userId, name: 'Aardvark Deli', lowStockThreshold: 5 });
    await products.create({ shopId: shop.id, categoryId: null, name: 'Zucchini', description: null, priceCents: 90, stock: 1 });
    const apple = await products.create({ shopId: shop.id, categoryId: null, name: 'Apple', description: null, priceCents: 50, stock: 1 });
    await categories.ensure('Bakery');

    const result = await catalog.call(
      null,
      `query ($shopId: ID!, $productId: ID!) {
        shops { name products { name } }
        shop(id: $shopId) { name }
        missing: shop(id: "${unknownId}") { name }
        product(id: $productId) { name shop { name } }
        categories { name }
      }`,
      { shopId: shop.id, productId: apple.id },
    );

    expect(result.errors).toBeUndefined();
    const names = result.data?.shops.map((s: { name: string }) => s.name);
    expect(names).toEqual([...names].sort());
    expect(result.data?.shops).toContainEqual({ name: 'Aardvark Deli', products: [{ name: 'Apple' }, { name: 'Zucchini' }] });
    expect(result.data?.shop).toEqual({ name: 'Aardvark Deli' });
    expect(result.data?.missing).toBeNull();
    expect(result.data?.product).toEqual({ name: 'Apple', shop: { name: 'Aardvark Deli' } });
    expect(result.data?.categories).toContainEqual({ name: 'Bakery' });
  });
});
