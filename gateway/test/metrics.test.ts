import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient as createSseClient, type Client as SseClient } from 'graphql-sse';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { InMemoryLivePubSub, liveChannels } from '@commerce/pubsub';
import { eventually, createLogger, scrapeMetrics, type MetricsScrape } from '@commerce/service-kit';
import { bearer, jwt } from './helpers';
import { createGateway, type RunningGateway } from '../src/server';
import { ClientRegistry } from '../src/operations/clients';
import { sha256 } from '../src/operations/manifest';
import { orders } from './fixtures/orders';
import { startLiveFixtures, type LiveFixtures } from './fixtures/live-fixtures';

/** The gateway's GET /metrics: read before and after some traffic, and compared. */

const ada = { userId: 'u1', role: 'CUSTOMER' as const };
const acmeKey = 'ck_metrics_acme';
const users = 'query Users { users { id name } }';
const watchOrder = 'subscription Watch($id: ID!) { orderUpdated(orderId: $id) { id status } }';

let directory: string;
let fixtures: LiveFixtures;
let gateway: RunningGateway;
const live = new InMemoryLivePubSub({ namespace: 'metrics-test' });
const wsClients: WsClient[] = [];
const sseClients: SseClient[] = [];

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'metrics-clients-'));
  const file = path.join(directory, 'clients.json');
  const config = {
    anonymous: { mode: 'ALLOW' },
    clients: {
      web: { mode: 'ALLOW' },
      // No manifest: every document it sends is refused.
      mobile: { mode: 'SAFELIST' },
      acme: { partner: true, mode: 'ALLOW', apiKeys: [{ id: 'k1', sha256: sha256(acmeKey) }] },
    },
  };
  await writeFile(file, JSON.stringify(config));
  const registry = await ClientRegistry.load(file);
  fixtures = await startLiveFixtures();
  gateway = await createGateway({ supergraphSdl: fixtures.supergraphSdl, jwt, live, clients: () => registry });
});

afterAll(async () => {
  await Promise.all(wsClients.map((client) => client.dispose()));
  for (const client of sseClients) client.dispose();
  await gateway?.close();
  await fixtures?.close();
  await live.close();
  await rm(directory, { recursive: true, force: true });
});

function post(url: string, query: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
}

/** How much each figure moved between two scrapes. */
const delta = (before: MetricsScrape, after: MetricsScrape) => (name: string, labels: Record<string, string> = {}) =>
  after.value(name, labels) - before.value(name, labels);

describe('GET /metrics on the gateway', () => {
  it("serves Prometheus's text format, every name prefixed, with the process's own metrics", async () => {
    const response = await fetch(gateway.url.replace(/\/graphql$/, '/metrics'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const scrape = await scrapeMetrics(gateway.url);
    expect(scrape.value('commerce_process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(scrape.samples.filter((sample) => !sample.name.startsWith('commerce_'))).toEqual([]);
  });

  it('counts requests, latency and errors per operation and client, naming only configured clients', async () => {
    const before = await scrapeMetrics(gateway.url);
    const callers: Record<string, string>[] = [
      { 'apollographql-client-name': 'web' },
      { 'apollographql-client-name': 'web' },
      { 'apollographql-client-name': 'made-up-app' },
      { 'x-api-key': acmeKey },
    ];
    for (const headers of callers) {
      expect(((await (await post(gateway.url, users, headers)).json()) as { data: unknown }).data).toEqual({ users: [expect.anything(), expect.anything()] });
    }
    await post(gateway.url, '{ users { id } }');
    await post(gateway.url, 'query Broken { nothingHere }', { 'apollographql-client-name': 'web' });
    const after = await scrapeMetrics(gateway.url);
    const moved = delta(before, after);

    expect(moved('commerce_gateway_requests_total', { operation: 'Users', client: 'web' })).toBe(2);
    expect(moved('commerce_gateway_request_duration_seconds_count', { operation: 'Users', client: 'web' })).toBe(2);
    expect(moved('commerce_gateway_request_duration_seconds_sum', { operation: 'Users', client: 'web' })).toBeGreaterThan(0);
    expect(moved('commerce_gateway_requests_total', { operation: 'Users', client: 'unknown' })).toBe(1);
    expect(moved('commerce_gateway_requests_total', { operation: 'Users', client: 'acme' })).toBe(1);
    expect(moved('commerce_gateway_requests_total', { operation: 'anonymous', client: 'anonymous' })).toBe(1);
    // A document that fails validation never resolves to an operation.
    expect(moved('commerce_gateway_errors_total', { operation: 'anonymous', client: 'web', code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(moved('commerce_gateway_errors_total', { operation: 'Users' })).toBe(0);
    expect(after.samples.filter((sample) => sample.labels.client === 'made-up-app')).toEqual([]);
    expect(moved('commerce_gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'accounts' })).toBe(5);
    expect(moved('commerce_gateway_subgraph_fetch_errors_total')).toBe(0);
  });

  it('counts failed subgraph fetches by reason, and the errors they cause', async () => {
    const down = await closedPort();
    const failing = await answering500();
    const broken = await createGateway({
      supergraphSdl: fixtures.supergraphSdl,
      jwt,
      // The failures are the point here, not worth an error line each.
      logger: createLogger('gateway', 'silent'),
      subgraphUrls: { accounts: `http://127.0.0.1:${down}/graphql`, orders: `http://127.0.0.1:${(failing.address() as AddressInfo).port}/graphql` },
    });
    try {
      const before = await scrapeMetrics(broken.url);
      await post(broken.url, users);
      await post(broken.url, 'query Order { order(id: "o1") { status } }');
      const moved = delta(before, await scrapeMetrics(broken.url));
      expect(moved('commerce_gateway_subgraph_fetch_errors_total', { subgraph: 'accounts', reason: 'unavailable' })).toBe(1);
      expect(moved('commerce_gateway_subgraph_fetch_errors_total', { subgraph: 'orders', reason: 'http_5xx' })).toBe(1);
      expect(moved('commerce_gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'orders' })).toBe(1);
      expect(moved('commerce_gateway_errors_total', { operation: 'Users', client: 'anonymous', code: 'SUBGRAPH_UNAVAILABLE' })).toBe(1);
    } finally {
      await broken.close();
      await new Promise((resolve) => failing.close(resolve));
    }
  });

  it('counts refusals by code over every transport, and refused requests nowhere else', async () => {
    const before = await scrapeMetrics(gateway.url);
    expect((await post(gateway.url, users, { 'x-api-key': 'ck_wrong' })).status).toBe(401);
    expect((await post(gateway.url, users, { 'apollographql-client-name': 'mobile' })).status).toBe(403);
    const client = connectWs({ ...bearer(ada), clientName: 'mobile' });
    const refused = await new Promise<unknown>((resolve) => {
      client.subscribe({ query: watchOrder, variables: { id: 'o1' } }, { next: () => undefined, error: resolve, complete: () => resolve(null) });
    });
    expect((refused as { extensions?: { code?: string } }[])[0]?.extensions?.code).toBe('OPERATION_NOT_IN_SAFELIST');
    const moved = delta(before, await scrapeMetrics(gateway.url));
    expect(moved('commerce_gateway_refusals_total', { code: 'INVALID_API_KEY' })).toBe(1);
    expect(moved('commerce_gateway_refusals_total', { code: 'OPERATION_NOT_IN_SAFELIST' })).toBe(2);
    expect(moved('commerce_gateway_requests_total')).toBe(0);

    await wsClients.splice(wsClients.indexOf(client), 1)[0]!.dispose();
    await eventually(async () => expect(delta(before, await scrapeMetrics(gateway.url))('commerce_gateway_connections', { transport: 'websocket' })).toBe(0));
  });

  it('reports connections by transport, subscribers, shared subscriptions and resolutions', async () => {
    orders.get('o1')!.status = 'PACKED';
    const before = await scrapeMetrics(gateway.url);
    const ws = [watchWs(connectWs(bearer(ada))), watchWs(connectWs(bearer(ada)))];
    const sse = createSseClient({ url: gateway.url, headers: bearer(ada), retryAttempts: 0 });
    sseClients.push(sse);
    const sseResults: unknown[] = [];
    sse.subscribe({ query: watchOrder, variables: { id: 'o1' } }, { next: (result) => void sseResults.push(result), error: () => undefined, complete: () => undefined });
    const abort = new AbortController();
    const multipart = await fetch(gateway.url, {
      method: 'POST',
      headers: { accept: 'multipart/mixed;boundary="graphql";subscriptionSpec=1.0,application/json', 'content-type': 'application/json', ...bearer(ada) },
      body: JSON.stringify({ query: watchOrder, variables: { id: 'o1' } }),
      signal: abort.signal,
    });
    expect(multipart.status).toBe(200);

    const opened = await eventually(async () => {
      const scrape = await scrapeMetrics(gateway.url);
      const moved = delta(before, scrape);
      expect(moved('commerce_gateway_subscribers')).toBe(4);
      expect(ws.every((watch) => watch.payloads.length === 1) && sseResults.length === 1).toBe(true);
      return moved;
    });
    expect(opened('commerce_gateway_connections', { transport: 'websocket' })).toBe(2);
    expect(opened('commerce_gateway_connections', { transport: 'sse' })).toBe(1);
    expect(opened('commerce_gateway_connections', { transport: 'multipart' })).toBe(1);
    expect(opened('commerce_gateway_shared_subscriptions')).toBe(1);
    expect(opened('commerce_gateway_subscription_resolutions_total')).toBe(0);

    orders.get('o1')!.status = 'SHIPPED';
    await live.publish(liveChannels.orderUpdated('o1'), { orderId: 'o1' });
    await eventually(async () => expect(ws.every((watch) => watch.payloads.length === 2) && sseResults.length === 2).toBe(true));
    // Four subscribers, one resolution.
    expect(delta(before, await scrapeMetrics(gateway.url))('commerce_gateway_subscription_resolutions_total')).toBe(1);

    for (const watch of ws) watch.unsubscribe();
    await Promise.all(wsClients.splice(0).map((client) => client.dispose()));
    sse.dispose();
    abort.abort();
    await eventually(async () => {
      const moved = delta(before, await scrapeMetrics(gateway.url));
      for (const transport of ['websocket', 'sse', 'multipart']) expect(moved('commerce_gateway_connections', { transport })).toBe(0);
      expect(moved('commerce_gateway_subscribers')).toBe(0);
      expect(moved('commerce_gateway_shared_subscriptions')).toBe(0);
    });
  });
});

function connectWs(connectionParams: Record<string, string>): WsClient {
  const client = createWsClient({ url: gateway.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, lazy: false, onNonLazyError: () => undefined });
  wsClients.push(client);
  return client;
}

function watchWs(client: WsClient) {
  const payloads: unknown[] = [];
  const unsubscribe = client.subscribe({ query: watchOrder, variables: { id: 'o1' } }, { next: (payload) => void payloads.push(payload), error: () => undefined, complete: () => undefined });
  return { payloads, unsubscribe };
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A subgraph stand-in that fails every request with a 500. */
async function answering500(): Promise<Server> {
  const server = createServer((_req, res) => {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('broken');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
