import { entitiesQuery, recordQueries } from '@commerce/service-kit/testing';
import { shopOwner, startCatalog, type Catalog } from './harness';

let catalog: Catalog;

beforeAll(async () => {
  catalog = await startCatalog();
  const { shops, products } = catalog.repositories;
  const ownerId = shopOwner().userId;
  for (let s = 0; s < 3; s++) {
    const shop = await shops.create({ ownerId, name: `Shop ${s}`, lowStockThreshold: 5 });
    for (let p = 0; p < 10; p++) {
      await products.create({ shopId: shop.id, categoryId: null, name: `Product ${s}.${p}`, description: null, priceCents: 100, stock: 1 });
    }
  }
});

afterAll(async () => {
  await catalog.stop();
});

const readsOf = (table: string, queries: string[]) => queries.filter((q) => new RegExp(`FROM "?catalog"?\\."?${table}\\b`).test(q));

describe('batching', () => {
  it('resolves the shop of 30 listed products with one query for shops', async () => {
    const { result, queries } = await recordQueries(catalog.subgraph.dataSource, () =>
      catalog.call(null, `{ products(first: 30) { edges { node { name shop { name } } } } }`),
    );

    expect(result.errors).toBeUndefined();
    expect(result.data?.products.edges).toHaveLength(30);
    expect(readsOf('shops', queries)).toHaveLength(1);
  });

  it('resolves 30 Product entities and their shops and categories with one query each', async () => {
    const ids = ((await catalog.subgraph.dataSource.query(`SELECT id FROM catalog.products`)) as { id: string }[]).map((r) => r.id);
    const { result, queries } = await recordQueries(catalog.subgraph.dataSource, () =>
      catalog.call(null, entitiesQuery('Product', 'id shop { name products { id } } category { name }'), {
        representations: ids.map((id) => ({ __typename: 'Product', id })),
      }),
    );

    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toHaveLength(30);
    expect(readsOf('shops', queries)).toHaveLength(1);
    // One for the 30 entities, one for the products of their 3 shops.
    expect(readsOf('products', queries)).toHaveLength(2);
  });
});
