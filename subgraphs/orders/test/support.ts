import { randomUUID } from 'node:crypto';
import { createEvent, InMemoryEventBus, type EventEnvelope } from '@commerce/events';
import type { Identity, Role } from '@commerce/service-kit';
import { startIsolatedSubgraph } from '@commerce/service-kit/testing';
import { catalogReadModelHandler } from '../src/events/catalog-read-model';
import { ordersSubgraph } from '../src/server';

export const person = (role: Role = 'CUSTOMER'): Identity => ({ userId: randomUUID(), role });

export const orderFields = `id status totalCents deliveryAddress createdAt customer { id } shop { id }
  items { product { id } quantity unitPriceCents } history { status at reason }`;

export const placeOrderMutation = `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { ${orderFields} } }`;

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The orders subgraph on its own database and in-process bus, with what it
 * publishes collected, and helpers that feed its catalog read model the way
 * catalog's events would.
 */
export async function startOrders() {
  const bus = new InMemoryEventBus();
  const subgraph = await startIsolatedSubgraph(ordersSubgraph, bus);
  /** Every `order.*` event orders published, in order. */
  const published: EventEnvelope[] = [];
  await bus.subscribe({
    queue: 'test.orders-published',
    bindings: ['order.*'],
    handle: async (event) => {
      published.push(event);
    },
  });
  const applyCatalogEvent = catalogReadModelHandler(subgraph.dataSource);

  const count = async (table: string): Promise<number> =>
    Number(((await subgraph.dataSource.query(`SELECT count(*) AS n FROM orders.${table}`)) as { n: string }[])[0]!.n);

  return {
    bus,
    subgraph,
    url: subgraph.url,
    published,
    applyCatalogEvent,
    count,
    /** Rows in every table a write touches, to prove a refused request wrote nothing. */
    counts: async () => ({
      orders: await count('orders'),
      items: await count('order_items'),
      history: await count('order_status_changes'),
      outbox: await count('outbox'),
    }),
    async seedShop(ownerId: string, shopId: string = randomUUID()): Promise<string> {
      await applyCatalogEvent(createEvent('catalog.shop.changed', shopId, { shopId, ownerId, name: `Shop ${shopId.slice(0, 4)}` }));
      return shopId;
    },
    async seedProduct(shopId: string, priceCents: number, productId: string = randomUUID()): Promise<string> {
      await applyCatalogEvent(
        createEvent('catalog.product.changed', productId, { productId, shopId, name: `Product ${productId.slice(0, 4)}`, priceCents }),
      );
      return productId;
    },
    call: (query: string, variables: Record<string, unknown> = {}, as: Identity | null = null) => subgraph.call(as, query, variables),
    async stop() {
      await subgraph.stop();
      await bus.close();
    },
  };
}

export type OrdersHarness = Awaited<ReturnType<typeof startOrders>>;
