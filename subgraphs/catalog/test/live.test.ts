import { randomUUID } from 'node:crypto';
import { domainEvent } from '@commerce/events';
import { eventually } from '@commerce/service-kit';
import { startLiveTestSubgraph, type LiveTestSubgraph } from '@commerce/service-kit/testing';
import { catalogSubgraph } from '../src/server';

let subgraph: LiveTestSubgraph;

beforeAll(async () => {
  subgraph = await startLiveTestSubgraph(catalogSubgraph);
});

afterAll(() => subgraph.stop());

it('announces a committed stock change on the product’s and on the shop’s live channels, with the change itself', async () => {
  const productId = randomUUID();
  const shopId = randomUUID();
  const byProduct = await subgraph.heard(`inventoryChanged.product.${productId}`);
  const byShop = await subgraph.heard(`inventoryChanged.shop.${shopId}`);

  const event = domainEvent('inventory.changed', productId, {
    productId,
    shopId,
    previousStock: 5,
    stock: 3,
    reason: 'RESERVED',
    orderId: randomUUID(),
  });
  await subgraph.commit([event]);

  const expected = { productId, shopId, previousStock: 5, stock: 3, reason: 'RESERVED', at: event.occurredAt };
  await eventually(async () => {
    expect(byProduct).toEqual([expected]);
    expect(byShop).toEqual([expected]);
  }, 2_000, 5);
});

it('announces a low-stock alert on the shop’s lowStock channel only', async () => {
  const productId = randomUUID();
  const shopId = randomUUID();
  const alerts = await subgraph.heard(`lowStock.shop.${shopId}`);
  const stockChanges = await subgraph.heard(`inventoryChanged.shop.${shopId}`);

  const event = domainEvent('inventory.low_stock', productId, { productId, shopId, stock: 2, threshold: 5 });
  await subgraph.commit([event]);

  await eventually(async () => expect(alerts).toEqual([{ productId, shopId, stock: 2, threshold: 5, at: event.occurredAt }]), 2_000, 5);
  expect(stockChanges).toEqual([]);
});
