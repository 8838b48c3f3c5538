import { randomUUID } from 'node:crypto';
import { domainEvent, InMemoryEventBus } from '@commerce/events';
import { InMemoryLivePubSub } from '@commerce/pubsub';
import { eventually } from '@commerce/service-kit';
import { startIsolatedSubgraph, type IsolatedSubgraph } from '@commerce/service-kit/testing';
import { catalogSubgraph } from '../src/server';

let subgraph: IsolatedSubgraph;
const bus = new InMemoryEventBus();
const live = new InMemoryLivePubSub({ namespace: 'test' });

beforeAll(async () => {
  subgraph = await startIsolatedSubgraph(catalogSubgraph, bus, live);
});

afterAll(async () => {
  await subgraph.stop();
  await bus.close();
  await live.close();
});

it('announces a stock change on the product’s and on the shop’s live channels, with the change itself', async () => {
  const productId = randomUUID();
  const shopId = randomUUID();
  const byProduct: unknown[] = [];
  const byShop: unknown[] = [];
  await live.subscribe(`inventoryChanged.product.${productId}`, (message) => byProduct.push(message));
  await live.subscribe(`inventoryChanged.shop.${shopId}`, (message) => byShop.push(message));

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
  const alerts: unknown[] = [];
  const stockChanges: unknown[] = [];
  await live.subscribe(`lowStock.shop.${shopId}`, (message) => alerts.push(message));
  await live.subscribe(`inventoryChanged.shop.${shopId}`, (message) => stockChanges.push(message));

  const event = domainEvent('inventory.low_stock', productId, { productId, shopId, stock: 2, threshold: 5 });
  await subgraph.commit([event]);

  await eventually(async () => expect(alerts).toEqual([{ productId, shopId, stock: 2, threshold: 5, at: event.occurredAt }]), 2_000, 5);
  expect(stockChanges).toEqual([]);
});
