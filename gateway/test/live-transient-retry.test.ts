import net from 'node:net';
import type { FormattedExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { InMemoryLivePubSub } from '@commerce/pubsub';
import { bearer, jwt } from './helpers';
import { createGateway, type RunningGateway } from '../src/server';
import { accounts } from './fixtures/accounts';
import { composeFixtures, startFixture, type RunningFixture } from './fixtures/fixture';
import { orders, ordersSubgraph } from './fixtures/orders';

/**
 * Stands between the gateway and the orders fixture like a replica about to
 * be killed: while `down`, every connection is reset as soon as it opens, and
 * taking it down resets the open ones too.
 */
class SwitchableProxy {
  down = false;
  private readonly open = new Set<net.Socket>();
  private readonly server: net.Server;

  constructor(private readonly target: URL) {
    this.server = net.createServer((client) => {
      if (this.down) return void client.resetAndDestroy();
      const upstream = net.connect(Number(target.port), target.hostname);
      for (const socket of [client, upstream]) {
        this.open.add(socket);
        socket.on('close', () => this.open.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}/graphql`;
  }

  takeDown(): void {
    this.down = true;
    for (const socket of this.open) socket.resetAndDestroy();
  }

  async close(): Promise<void> {
    this.takeDown();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const ada = { userId: 'u1', role: 'CUSTOMER' as const };
const query = `subscription Watch($id: ID!) { orderUpdated(orderId: $id) { id status } }`;

let accountsServer: RunningFixture;
let ordersServer: RunningFixture;
let proxy: SwitchableProxy;
let gateway: RunningGateway;
const live = new InMemoryLivePubSub();
const clients: Client[] = [];

beforeAll(async () => {
  accountsServer = await startFixture(accounts);
  ordersServer = await startFixture(ordersSubgraph);
  proxy = new SwitchableProxy(new URL(ordersServer.url));
  const supergraphSdl = composeFixtures([accounts, ordersSubgraph], { accounts: accountsServer.url, orders: await proxy.listen() });
  gateway = await createGateway({ supergraphSdl, jwt, live });
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  await gateway?.close();
  await proxy?.close();
  await accountsServer?.server.close();
  await ordersServer?.server.close();
});

beforeEach(() => {
  proxy.down = false;
  orders.get('o1')!.status = 'PACKED';
});

function watch(variables: Record<string, unknown>) {
  const client = createClient({ url: gateway.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: bearer(ada), retryAttempts: 0 });
  clients.push(client);
  const payloads: FormattedExecutionResult<Record<string, unknown>, unknown>[] = [];
  const unsubscribe = client.subscribe({ query, variables }, { next: (p) => void payloads.push(p), error: () => undefined, complete: () => undefined });
  return { payloads, unsubscribe };
}

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const bringBackAfter = (ms: number) => setTimeout(() => (proxy.down = false), ms);

describe('a live subscription while its owning subgraph is briefly out of reach', () => {
  it('still delivers the change it was resolving, rather than an error in its place', async () => {
    const { payloads, unsubscribe } = watch({ id: 'o1' });
    await until(() => payloads.length === 1);
    orders.get('o1')!.status = 'SHIPPED';
    proxy.takeDown();
    bringBackAfter(250);
    await live.publish('orderUpdated.o1', { orderId: 'o1' });
    await until(() => payloads.length === 2);
    expect(payloads[1]).toEqual({ data: { orderUpdated: { id: 'o1', status: 'SHIPPED' } } });
    unsubscribe();
  });

  it('still starts with the current state when the subgraph is away as the client subscribes', async () => {
    proxy.takeDown();
    bringBackAfter(250);
    const { payloads, unsubscribe } = watch({ id: 'o1' });
    await until(() => payloads.length === 1);
    expect(payloads[0]).toEqual({ data: { orderUpdated: { id: 'o1', status: 'PACKED' } } });
    unsubscribe();
  });

  it('sends the error once the subgraph stays away past the retries', async () => {
    const { payloads, unsubscribe } = watch({ id: 'o1' });
    await until(() => payloads.length === 1);
    proxy.takeDown();
    await live.publish('orderUpdated.o1', { orderId: 'o1' });
    await until(() => payloads.length === 2, 10_000);
    expect(payloads[1]?.errors?.map((error) => error.extensions?.code)).toEqual(['SUBGRAPH_UNAVAILABLE']);
    unsubscribe();
  });
});
