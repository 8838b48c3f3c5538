import { shopOwner, startCatalog, type Catalog } from './harness';

let catalog: Catalog;
let shopA: string;
let shopB: string;

const page = `query ($shopId: ID, $search: String, $first: Int, $after: String) {
  products(shopId: $shopId, search: $search, first: $first, after: $after) {
    totalCount
    edges { cursor node { id name } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface Page {
  totalCount: number;
  edges: { cursor: string; node: { id: string; name: string } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const fetchPage = async (variables: Record<string, unknown>): Promise<Page> => {
  const result = await catalog.call<{ products: Page }>(null, page, variables);
  expect(result.errors).toBeUndefined();
  return result.data!.products;
};

/** Every page of a query, following endCursor. */
const walk = async (variables: Record<string, unknown>): Promise<Page[]> => {
  const pages: Page[] = [];
  let after = (variables.after as string | undefined) ?? null;
  do {
    const next = await fetchPage({ ...variables, after });
    pages.push(next);
    after = next.pageInfo.hasNextPage ? next.pageInfo.endCursor : null;
  } while (after);
  return pages;
};

const newestFirst = async (shopId?: string): Promise<string[]> =>
  (
    (await catalog.subgraph.dataSource.query(
      `SELECT id FROM catalog.products ${shopId ? 'WHERE shop_id = $1' : ''} ORDER BY created_at DESC, id DESC`,
      shopId ? [shopId] : [],
    )) as { id: string }[]
  ).map((row) => row.id);

beforeAll(async () => {
  catalog = await startCatalog();
  const { shops, products } = catalog.repositories;
  const ownerId = shopOwner().userId;
  shopA = (await shops.create({ ownerId, name: 'A', lowStockThreshold: 5 })).id;
  shopB = (await shops.create({ ownerId, name: 'B', lowStockThreshold: 5 })).id;
  // Many land in the same millisecond, so the id tie-break is exercised too.
  const names = ['Dark Chocolate', 'Milk CHOCOLATE', '100% Juice', '1000 Juice', ...Array.from({ length: 21 }, (_, i) => `Item ${i}`)];
  for (const name of names) await products.create({ shopId: shopA, categoryId: null, name, description: null, priceCents: 100, stock: 1 });
  for (let i = 0; i < 5; i++) await products.create({ shopId: shopB, categoryId: null, name: `B item ${i}`, description: null, priceCents: 100, stock: 1 });
});

afterAll(async () => {
  await catalog.stop();
});

describe('products pagination', () => {
  it('walks every product newest first across pages, each exactly once, with the total on every page', async () => {
    const pages = await walk({ first: 7 });

    expect(pages.map((p) => p.edges.length)).toEqual([7, 7, 7, 7, 2]);
    expect(pages.every((p) => p.totalCount === 30)).toBe(true);
    expect(pages.flatMap((p) => p.edges.map((e) => e.node.id))).toEqual(await newestFirst());
    expect(pages.at(-1)!.pageInfo.hasNextPage).toBe(false);
    expect(pages[0]!.pageInfo.endCursor).toBe(pages[0]!.edges.at(-1)!.cursor);
  });

  it('stays stable when a product is added between pages', async () => {
    const before = await newestFirst();
    const first = await fetchPage({ first: 10 });
    await catalog.repositories.products.create({ shopId: shopB, categoryId: null, name: 'Late arrival', description: null, priceCents: 1, stock: 0 });
    const rest = await walk({ first: 10, after: first.pageInfo.endCursor });

    expect([...first.edges, ...rest.flatMap((p) => p.edges)].map((e) => e.node.id)).toEqual(before);
  });

  it('defaults to 20 products per page', async () => {
    const first = await fetchPage({});
    expect(first.edges).toHaveLength(20);
    expect(first.pageInfo.hasNextPage).toBe(true);
  });

  it('filters by shop', async () => {
    const pages = await walk({ shopId: shopB, first: 4 });
    expect(pages[0]!.totalCount).toBe(6);
    expect(pages.flatMap((p) => p.edges.map((e) => e.node.id))).toEqual(await newestFirst(shopB));
  });

  it('searches names case-insensitively, treating % and _ literally', async () => {
    const chocolate = await fetchPage({ search: '  chocolate ' });
    expect(chocolate.totalCount).toBe(2);
    expect(chocolate.edges.map((e) => e.node.name).sort()).toEqual(['Dark Chocolate', 'Milk CHOCOLATE']);

    const percent = await fetchPage({ search: '100%' });
    expect(percent.edges.map((e) => e.node.name)).toEqual(['100% Juice']);

    const inOtherShop = await fetchPage({ search: 'chocolate', shopId: shopB });
    expect(inOtherShop).toEqual({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it.each([
    ['first below 1', { first: 0 }],
    ['a negative first', { first: -5 }],
    ['first above 100', { first: 101 }],
    ['a cursor that is not base64 JSON', { after: 'not a cursor' }],
    ['a cursor of the wrong shape', { after: Buffer.from(JSON.stringify({ id: 1 })).toString('base64') }],
    ['a cursor with a bad timestamp', { after: Buffer.from(JSON.stringify(['yesterday', '00000000-0000-0000-0000-000000000000'])).toString('base64') }],
    ['a malformed shop id', { shopId: 'shop-1' }],
  ])('refuses %s with BAD_USER_INPUT', async (_case, variables) => {
    const result = await catalog.call(null, page, variables);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.data).toBeNull();
  });
});
