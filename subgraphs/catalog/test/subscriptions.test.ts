import { randomUUID } from 'node:crypto';
import type { Identity } from '@commerce/service-kit';
import { askAsGateway } from '@commerce/service-kit/testing';
import { admin, createProduct, createShop, customer, shopOwner, startCatalog, type Catalog } from './harness';

let catalog: Catalog;
const owner = shopOwner();
let shopId: string;
let productId: string;

beforeAll(async () => {
  catalog = await startCatalog();
  shopId = (await catalog.call(owner, createShop, { input: { name: 'Watched', lowStockThreshold: 3 } })).data!.createShop.id;
  productId = (await catalog.call(owner, createProduct, { input: { shopId, name: 'Flour', priceCents: 250, stock: 8 } })).data!.createProduct.id;
});

afterAll(() => catalog.stop());

const lowStock = `subscription ($shopId: ID!) { lowStock(shopId: $shopId) { product { id name stock } stock threshold at } }`;
const authorize = (caller: Identity | null, shop = shopId) => askAsGateway(catalog.url, caller, lowStock, { shopId: shop }, { authorize: true });
const codeOf = (response: { errors?: { extensions?: { code?: string } }[] }) => response.errors?.[0]?.extensions?.code;

describe('lowStock', () => {
  it.each<[string, () => Identity]>([
    ["the shop's owner", () => owner],
    ['an admin', admin],
  ])('lets %s subscribe', async (_who, caller) => {
    expect(await authorize(caller())).toEqual({ data: null });
  });

  it.each<[string, () => Identity | null, string]>([
    ["another shop's owner", shopOwner, 'FORBIDDEN'],
    ['a customer', customer, 'FORBIDDEN'],
    ['an anonymous caller', () => null, 'UNAUTHENTICATED'],
  ])('refuses %s with %s', async (_who, caller, code) => {
    expect(codeOf(await authorize(caller()))).toBe(code);
  });

  it('answers NOT_FOUND for an unknown shop', async () => {
    expect(codeOf(await authorize(admin(), randomUUID()))).toBe('NOT_FOUND');
  });

  it('resolves a published alert with the product as it is now, for the owner only', async () => {
    const event = { productId, shopId, stock: 2, threshold: 3, at: '2026-01-02T03:04:05.000Z' };
    expect(await askAsGateway(catalog.url, owner, lowStock, { shopId }, { event })).toEqual({
      data: { lowStock: { product: { id: productId, name: 'Flour', stock: 8 }, stock: 2, threshold: 3, at: '2026-01-02T03:04:05.000Z' } },
    });
    expect(codeOf(await askAsGateway(catalog.url, shopOwner(), lowStock, { shopId }, { event }))).toBe('FORBIDDEN');
  });

  it("never shows one shop's product through another shop's stream", async () => {
    const rival = shopOwner();
    const rivalShop = (await catalog.call(rival, createShop, { input: { name: 'Rival' } })).data!.createShop.id;
    const event = { productId, shopId: rivalShop, stock: 1, threshold: 5, at: new Date().toISOString() };
    const resolved = await askAsGateway(catalog.url, rival, lowStock, { shopId: rivalShop }, { event });
    expect(resolved.data).toBeNull();
    expect(codeOf(resolved)).toBe('NOT_FOUND');
  });

  it('refuses a message that is not an alert rather than inventing one', async () => {
    const resolved = await askAsGateway(catalog.url, owner, lowStock, { shopId }, { event: { productId, shopId } });
    expect(resolved.data).toBeNull();
    expect(resolved.errors).toHaveLength(1);
  });
});
