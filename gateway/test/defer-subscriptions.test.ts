import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { InMemoryLivePubSub } from '@commerce/pubsub';
import { createLogger } from '@commerce/service-kit';
import { createGateway, type RunningGateway } from '../src/server';
import { startLiveFixtures, type LiveFixtures } from './fixtures/live-fixtures';
import { bearer, jwt } from './helpers';

const ada = { userId: 'u1', role: 'CUSTOMER' as const };
const deferring = 'subscription { orderUpdated(orderId: "o1") { id ... @defer { status } } }';

let fixtures: LiveFixtures;
let gateway: RunningGateway;
const live = new InMemoryLivePubSub();

beforeAll(async () => {
  fixtures = await startLiveFixtures();
  gateway = await createGateway({ supergraphSdl: fixtures.supergraphSdl, jwt, live, logger: createLogger('gateway', 'silent') });
});

afterAll(async () => {
  await gateway?.close();
  await fixtures?.close();
  await live.close();
});

describe('@defer in a subscription', () => {
  it('is refused over graphql-ws with DEFER_IN_SUBSCRIPTION, saying what to change', async () => {
    const client = createClient({ url: gateway.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: bearer(ada), retryAttempts: 0 });
    try {
      const errors = await new Promise<unknown>((resolve, reject) => {
        client.subscribe({ query: deferring }, { next: () => reject(new Error('a result came')), error: resolve, complete: () => reject(new Error('completed')) });
      });
      expect(errors).toEqual([
        expect.objectContaining({
          message: '@defer is not supported in subscriptions: each event is sent whole; remove the directive',
          extensions: { code: 'DEFER_IN_SUBSCRIPTION' },
        }),
      ]);
    } finally {
      await client.dispose();
    }
  });

  it('is refused over multipart HTTP with the same code', async () => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'multipart/mixed;boundary="graphql";subscriptionSpec=1.0,application/json', ...bearer(ada) },
      body: JSON.stringify({ query: deferring }),
    });
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors.map((e) => e.extensions.code)).toEqual(['DEFER_IN_SUBSCRIPTION']);
  });
});
