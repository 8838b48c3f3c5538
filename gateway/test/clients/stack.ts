import { InMemoryLivePubSub, liveChannels } from '@commerce/pubsub';
import { createLogger } from '@commerce/service-kit';
import { createGateway, type RunningGateway } from '../../src/server';
import { accounts } from '../fixtures/accounts';
import { catalogWithReviews, products } from '../fixtures/catalog-with-reviews';
import { composeFixtures, startFixture, type RunningFixture } from '../fixtures/fixture';
import { orders, ordersSubgraph } from '../fixtures/orders';
import { bearer, jwt } from '../helpers';

/**
 * What each client of the compatibility suite talks to: our gateway over
 * fixture subgraphs on real ports (products, reviews and people for
 * queries, mutations and @defer across subgraphs; accounts and orders for
 * `orderUpdated`), subscriptions fed by an in-process pub/sub.
 */
export interface ClientStack {
  /** http://…/graphql */
  url: string;
  /** ws://…/graphql */
  wsUrl: string;
  /** Ada's Authorization header: orderUpdated(o1) is hers. */
  auth: Record<string, string>;
  /** Sets order o1's status and publishes that it changed, as the orders subgraph does. */
  publishStatus(status: string): Promise<void>;
  /** Subscribers on this gateway, to wait for a subscription to be open before publishing. */
  subscribers(): number;
}

export const ada = { userId: 'u1', role: 'CUSTOMER' as const };

/** The operations every client sends, and what each must answer. */
export const operations = {
  query: 'query Lamp { product(id: "p1") { id name } }',
  queryData: { product: { id: 'p1', name: 'Lamp' } },
  mutation: 'mutation Rename($name: String!) { renameProduct(id: "p2", name: $name) { id name } }',
  subscription: 'subscription Watch { orderUpdated(orderId: "o1") { id status customer { name } } }',
  deferred: 'query Reviews { products { id name ... @defer(label: "reviews") { reviews { body author { name } } } } }',
  deferredPrimary: { products: [{ id: 'p1', name: 'Lamp' }, { id: 'p2', name: 'Desk' }] },
  deferredWhole: {
    products: [
      { id: 'p1', name: 'Lamp', reviews: [{ body: 'Bright', author: { name: 'Ada' } }] },
      { id: 'p2', name: 'Desk', reviews: [] },
    ],
  },
};

/** Starts the stack for the enclosing test file; `stack()` returns it once started. */
export function useClientStack(): () => ClientStack {
  let fixtures: RunningFixture[] = [];
  let gateway: RunningGateway | undefined;
  const live = new InMemoryLivePubSub();
  const subgraphs = [accounts, ordersSubgraph, ...catalogWithReviews];

  beforeAll(async () => {
    fixtures = await Promise.all(subgraphs.map((s) => startFixture(s)));
    const supergraphSdl = composeFixtures(subgraphs, Object.fromEntries(fixtures.map((f) => [f.name, f.url])));
    gateway = await createGateway({ supergraphSdl, jwt, live, logger: createLogger('gateway', 'silent') });
  });

  beforeEach(() => {
    orders.get('o1')!.status = 'PACKED';
    products[1]!.name = 'Desk';
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all(fixtures.map((f) => f.server.close()));
    await live.close();
  });

  return () => ({
    url: gateway!.url,
    wsUrl: gateway!.url.replace(/^http/, 'ws'),
    auth: bearer(ada),
    async publishStatus(status) {
      orders.get('o1')!.status = status;
      await live.publish(liveChannels.orderUpdated('o1'), { orderId: 'o1' });
    },
    subscribers: () => gateway!.subscriptionStats().subscribers,
  });
}

/** Polls until `condition` holds (five seconds at most). */
export async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 5_000) throw new Error('Timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
