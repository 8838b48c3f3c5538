import type { Identity } from '@commerce/service-kit';
import {
  admin,
  createProduct,
  createShop,
  customer,
  restockProduct,
  shopOwner,
  startCatalog,
  unknownId,
  updateProduct,
  type Catalog,
} from './harness';

let catalog: Catalog;
const owner = shopOwner();
const rival = shopOwner();
let shopId: string;
let categoryId: string;
let productId: string;

const counts = async () => ({
  shops: await catalog.count('shops'),
  products: await catalog.count('products'),
  stock: Number((await catalog.subgraph.dataSource.query(`SELECT coalesce(sum(stock), 0) AS n FROM catalog.products`))[0].n),
});

/** Runs `attempt` and checks it failed with `code` and wrote nothing. */
const expectRefused = async (code: string, attempt: () => Promise<{ errors?: { extensions?: { code?: string } }[] }>) => {
  const before = await counts();
  const result = await attempt();
  expect(result.errors?.[0]?.extensions?.code).toBe(code);
  expect(await counts()).toEqual(before);
};

beforeAll(async () => {
  catalog = await startCatalog();
  shopId = (await catalog.call(owner, createShop, { input: { name: 'Owned' } })).data!.createShop.id;
  categoryId = (await catalog.repositories.categories.ensure('Pantry')).id;
  productId = (await catalog.call(owner, createProduct, { input: { shopId, name: 'Rice', priceCents: 199, stock: 3 } })).data!.createProduct.id;
});

afterAll(async () => {
  await catalog.stop();
});

const productInput = (overrides: Record<string, unknown> = {}) => ({ shopId, name: 'Beans', priceCents: 120, stock: 10, ...overrides });

describe('createShop', () => {
  it('opens a shop owned by the calling shop owner, with a trimmed name and the default threshold', async () => {
    const result = await catalog.call(owner, createShop, { input: { name: '  Corner  ' } });
    expect(result.errors).toBeUndefined();
    expect(result.data?.createShop).toMatchObject({ name: 'Corner', lowStockThreshold: 5, owner: { id: owner.userId } });
  });

  it('lets an admin open a shop', async () => {
    const result = await catalog.call(admin(), createShop, { input: { name: 'Admin shop', lowStockThreshold: 0 } });
    expect(result.data?.createShop).toMatchObject({ lowStockThreshold: 0 });
  });

  it.each<[string, Identity | null, Record<string, unknown>, string]>([
    ['an anonymous caller', null, { name: 'Shop' }, 'UNAUTHENTICATED'],
    ['a customer', customer(), { name: 'Shop' }, 'FORBIDDEN'],
    ['a blank name', owner, { name: '   ' }, 'BAD_USER_INPUT'],
    ['a name over 100 characters', owner, { name: 'x'.repeat(101) }, 'BAD_USER_INPUT'],
    ['a negative low-stock threshold', owner, { name: 'Shop', lowStockThreshold: -1 }, 'BAD_USER_INPUT'],
  ])('refuses %s and writes nothing', async (_case, caller, input, code) => {
    await expectRefused(code, () => catalog.call(caller, createShop, { input }));
  });
});

describe('createProduct', () => {
  it('adds a product to the caller\'s shop in a category', async () => {
    const result = await catalog.call(owner, createProduct, {
      input: productInput({ name: ' Lentils ', description: '  ', categoryId }),
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?.createProduct).toMatchObject({
      name: 'Lentils',
      description: null,
      priceCents: 120,
      stock: 10,
      shop: { id: shopId },
      category: { id: categoryId, name: 'Pantry' },
    });
  });

  it('lets an admin add a product to any shop', async () => {
    const result = await catalog.call(admin(), createProduct, { input: productInput() });
    expect(result.data?.createProduct.shop).toEqual({ id: shopId });
  });

  it.each<[string, () => Identity | null, Record<string, unknown>, string]>([
    ['an anonymous caller', () => null, {}, 'UNAUTHENTICATED'],
    ['another shop owner', () => rival, {}, 'FORBIDDEN'],
    ['a customer', () => customer(), {}, 'FORBIDDEN'],
    ['an unknown shop', () => owner, { shopId: unknownId }, 'NOT_FOUND'],
    ['a malformed shop id', () => owner, { shopId: 'nope' }, 'NOT_FOUND'],
    ['a blank name', () => owner, { name: ' ' }, 'BAD_USER_INPUT'],
    ['a name over 200 characters', () => owner, { name: 'x'.repeat(201) }, 'BAD_USER_INPUT'],
    ['a zero price', () => owner, { priceCents: 0 }, 'BAD_USER_INPUT'],
    ['a price over 10,000,000 cents', () => owner, { priceCents: 10_000_001 }, 'BAD_USER_INPUT'],
    ['negative stock', () => owner, { stock: -1 }, 'BAD_USER_INPUT'],
    ['stock over 1,000,000', () => owner, { stock: 1_000_001 }, 'BAD_USER_INPUT'],
    ['an unknown category', () => owner, { categoryId: unknownId }, 'BAD_USER_INPUT'],
    ['a malformed category id', () => owner, { categoryId: 'pantry' }, 'BAD_USER_INPUT'],
  ])('refuses %s and writes nothing', async (_case, caller, overrides, code) => {
    await expectRefused(code, () => catalog.call(caller(), createProduct, { input: productInput(overrides) }));
  });
});

describe('restockProduct', () => {
  it('adds the quantity to the stock for the shop owner', async () => {
    const before = (await catalog.repositories.products.findById(productId))!.stock;
    const result = await catalog.call(owner, restockProduct, { productId, quantity: 7 });
    expect(result.errors).toBeUndefined();
    expect(result.data?.restockProduct).toEqual({ id: productId, stock: before + 7 });
  });

  it('loses no units when restocks run concurrently', async () => {
    const before = (await catalog.repositories.products.findById(productId))!.stock;
    await Promise.all(Array.from({ length: 10 }, () => catalog.call(owner, restockProduct, { productId, quantity: 2 })));
    expect((await catalog.repositories.products.findById(productId))!.stock).toBe(before + 20);
  });

  it.each<[string, () => Identity | null, Record<string, unknown>, string]>([
    ['an anonymous caller', () => null, {}, 'UNAUTHENTICATED'],
    ['another shop owner', () => rival, {}, 'FORBIDDEN'],
    ['an unknown product', () => owner, { productId: unknownId }, 'NOT_FOUND'],
    ['a malformed product id', () => owner, { productId: 'rice' }, 'NOT_FOUND'],
    ['a zero quantity', () => owner, { quantity: 0 }, 'BAD_USER_INPUT'],
    ['a negative quantity', () => owner, { quantity: -3 }, 'BAD_USER_INPUT'],
    ['a quantity over 1,000,000', () => owner, { quantity: 1_000_001 }, 'BAD_USER_INPUT'],
  ])('refuses %s and changes no stock', async (_case, caller, overrides, code) => {
    await expectRefused(code, () => catalog.call(caller(), restockProduct, { productId, quantity: 5, ...overrides }));
  });

  it('refuses a restock that would overflow the stock column', async () => {
    await catalog.subgraph.dataSource.query(`UPDATE catalog.products SET stock = 2147483000 WHERE id = $1`, [productId]);
    await expectRefused('BAD_USER_INPUT', () => catalog.call(owner, restockProduct, { productId, quantity: 1_000 }));
  });
});

describe('updateProduct', () => {
  let editedId: string;
  const changedEvents = async (id: string): Promise<{ name: string; priceCents: number }[]> =>
    (
      await catalog.subgraph.dataSource.query(
        `SELECT envelope FROM catalog.outbox WHERE aggregate_id = $1 AND envelope->>'type' = 'catalog.product.changed' ORDER BY position`,
        [id],
      )
    ).map((row: { envelope: { payload: { name: string; priceCents: number } } }) => row.envelope.payload);
  /** The product row and every outbox row: a refusal must change neither. */
  const snapshot = async () => ({ product: await catalog.repositories.products.findById(editedId), outbox: await catalog.count('outbox') });

  beforeAll(async () => {
    const created = await catalog.call(owner, createProduct, { input: productInput({ name: 'Oats', description: 'Rolled', priceCents: 250 }) });
    editedId = created.data!.createProduct.id;
  });

  it('changes only the given fields for the shop owner and announces the new name and price to orders', async () => {
    const result = await catalog.call(owner, updateProduct, { input: { productId: editedId, name: ' Jumbo oats ', priceCents: 275 } });
    expect(result.errors).toBeUndefined();
    expect(result.data?.updateProduct).toEqual({ id: editedId, name: 'Jumbo oats', description: 'Rolled', priceCents: 275, stock: 10 });
    expect((await changedEvents(editedId)).at(-1)).toEqual({ productId: editedId, shopId, name: 'Jumbo oats', priceCents: 275 });
  });

  it('removes the description when given blank, keeping name and price', async () => {
    const result = await catalog.call(owner, updateProduct, { input: { productId: editedId, description: '  ' } });
    expect(result.data?.updateProduct).toMatchObject({ name: 'Jumbo oats', description: null, priceCents: 275 });
  });

  it('lets an admin edit any shop\'s product', async () => {
    const result = await catalog.call(admin(), updateProduct, { input: { productId: editedId, priceCents: 300 } });
    expect(result.data?.updateProduct.priceCents).toBe(300);
  });

  it.each<[string, () => Identity | null, Record<string, unknown>, string]>([
    ['an anonymous caller', () => null, { name: 'X' }, 'UNAUTHENTICATED'],
    ['another shop owner', () => rival, { name: 'Stolen' }, 'FORBIDDEN'],
    ['a customer', () => customer(), { priceCents: 1 }, 'FORBIDDEN'],
    ['an unknown product', () => owner, { productId: unknownId, name: 'X' }, 'NOT_FOUND'],
    ['a malformed product id', () => owner, { productId: 'oats', name: 'X' }, 'NOT_FOUND'],
    ['no field to change', () => owner, {}, 'BAD_USER_INPUT'],
    ['a blank name', () => owner, { name: '  ' }, 'BAD_USER_INPUT'],
    ['a null name', () => owner, { name: null }, 'BAD_USER_INPUT'],
    ['a name over 200 characters', () => owner, { name: 'x'.repeat(201) }, 'BAD_USER_INPUT'],
    ['a zero price', () => owner, { priceCents: 0 }, 'BAD_USER_INPUT'],
    ['a negative price', () => owner, { priceCents: -5 }, 'BAD_USER_INPUT'],
    ['a null price', () => owner, { priceCents: null }, 'BAD_USER_INPUT'],
    ['a price over 10,000,000 cents', () => owner, { priceCents: 10_000_001 }, 'BAD_USER_INPUT'],
    ['a description over 2000 characters', () => owner, { description: 'x'.repeat(2001) }, 'BAD_USER_INPUT'],
  ])('refuses %s and writes nothing, not even an event', async (_case, caller, overrides, code) => {
    const before = await snapshot();
    const result = await catalog.call(caller(), updateProduct, { input: { productId: editedId, ...overrides } });
    expect(result.errors?.[0]?.extensions?.code).toBe(code);
    expect(await snapshot()).toEqual(before);
  });
});

describe('the database', () => {
  it('refuses negative stock even from code that skips validation', async () => {
    await expect(
      catalog.subgraph.dataSource.query(`UPDATE catalog.products SET stock = -1 WHERE id = $1`, [productId]),
    ).rejects.toMatchObject({ code: '23514' });
  });
});
