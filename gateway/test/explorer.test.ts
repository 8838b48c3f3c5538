import path from 'node:path';
import type { Fetcher } from '@graphiql/toolkit';
import { parse } from 'graphql';
import WebSocket from 'ws';
import { InMemoryLivePubSub } from '@commerce/pubsub';
import { createGateway, type RunningGateway } from '../src/server';
import { orders } from './fixtures/orders';
import { startLiveFixtures, type LiveFixtures } from './fixtures/live-fixtures';
import { accounts } from './fixtures/accounts';
import { composeFixtures, startFixture, type RunningFixture } from './fixtures/fixture';
import { bearer, jwt, postGraphQL } from './helpers';

/** The headers tab as a developer fills it in, `Authorization` capitalised. */
const bearerHeaders = (identity: Parameters<typeof bearer>[0]) => ({ Authorization: bearer(identity).authorization });

let subgraph: RunningFixture;
let development: RunningGateway;
let production: RunningGateway;

beforeAll(async () => {
  subgraph = await startFixture(accounts);
  const supergraphSdl = composeFixtures([accounts], { accounts: subgraph.url });
  development = await createGateway({ supergraphSdl, jwt });
  production = await createGateway({ supergraphSdl, jwt, production: true });
});

afterAll(async () => {
  await development?.close();
  await production?.close();
  await subgraph?.server.close();
});

const browserGet = (url: string) => fetch(url, { headers: { accept: 'text/html,application/xhtml+xml' } });

function assetUrls(html: string, base: string): string[] {
  const references = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
  return references.map((ref) => new URL(ref, base).toString());
}

describe('explorer', () => {
  it('serves GraphiQL to a browser outside production, with every asset from the gateway itself', async () => {
    const response = await browserGet(development.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('graphiql');

    const external = [...html.matchAll(/https?:\/\/[^\s"'<>)]+/g)].map((m) => m[0]).filter((u) => !/^https?:\/\/(localhost|127\.0\.0\.1)[:/]/.test(u));
    expect(external).toEqual([]);

    const assets = assetUrls(html, development.url);
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of assets) {
      expect(new URL(asset).origin).toBe(new URL(development.url).origin);
      const loaded = await fetch(asset);
      expect(`${asset} ${loaded.status}`).toBe(`${asset} 200`);
      const body = await loaded.text();
      expect(body.length).toBeGreaterThan(0);
      expect(loaded.headers.get('content-type')).toMatch(asset.endsWith('.css') ? /^text\/css/ : /^application\/javascript/);
      // The page's own start-up script must at least be valid JavaScript.
      if (asset.endsWith('/boot.js')) expect(() => new Function(body)).not.toThrow();
    }
  });

  it('answers an unknown explorer asset with 404', async () => {
    expect((await fetch(new URL('/graphiql/../../package.json', development.url))).status).toBe(404);
    expect((await fetch(new URL('/graphiql/secrets.js', development.url))).status).toBe(404);
  });

  it('allows introspection outside production', async () => {
    const result = await postGraphQL(development.url, '{ __schema { queryType { name } } }');
    expect(result.data?.__schema.queryType.name).toBe('Query');
  });

  it('serves no explorer and refuses introspection in production', async () => {
    const page = await browserGet(production.url);
    expect(page.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
    expect((await fetch(new URL('/graphiql/graphiql.min.js', production.url))).status).toBe(404);
    const result = await postGraphQL(production.url, '{ __schema { queryType { name } } }');
    expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const query = await postGraphQL(production.url, '{ users { name } }');
    expect(query.data?.users).toEqual([{ name: 'Ada' }, { name: 'Grace' }]);
  });
});

describe("the explorer's subscriptions", () => {
  let fixtures: LiveFixtures;
  let gateway: RunningGateway;
  const live = new InMemoryLivePubSub({ namespace: 'explorer' });

  beforeAll(async () => {
    fixtures = await startLiveFixtures();
    gateway = await createGateway({ supergraphSdl: fixtures.supergraphSdl, jwt, live });
    // What GraphiQL's fetcher takes from the browser: its fetch and its WebSocket.
    Object.assign(globalThis, { WebSocket, window: { fetch, location: { origin: new URL(gateway.url).origin } } });
  });

  afterAll(async () => {
    Reflect.deleteProperty(globalThis, 'WebSocket');
    Reflect.deleteProperty(globalThis, 'window');
    await gateway?.close();
    await fixtures?.close();
    await live.close();
  });

  /** The fetcher the page's own boot script builds, with the createFetcher of the toolkit GraphiQL bundles, as the browser runs it. */
  async function pageFetcher(): Promise<Fetcher> {
    const boot = await (await fetch(new URL('/graphiql/boot.js', gateway.url))).text();
    const graphiqlDir = path.dirname(require.resolve('graphiql/package.json'));
    const { createGraphiQLFetcher } = (await import(require.resolve('@graphiql/toolkit', { paths: [graphiqlDir] }))) as typeof import('@graphiql/toolkit');
    let fetcher: Fetcher | undefined;
    const GraphiQL = Object.assign(() => null, { createFetcher: createGraphiQLFetcher });
    const React = { createElement: (_component: unknown, props: { fetcher: Fetcher }) => (fetcher = props.fetcher) };
    const ReactDOM = { createRoot: () => ({ render: () => undefined }) };
    const document = { getElementById: () => ({}) };
    new Function('GraphiQL', 'React', 'ReactDOM', 'document', boot)(GraphiQL, React, ReactDOM, document);
    if (!fetcher) throw new Error('The boot script rendered no GraphiQL');
    return fetcher;
  }

  it('runs a subscription from the page over graphql-ws, authorized by the headers tab', async () => {
    orders.get('o1')!.status = 'PACKED';
    const fetcher = await pageFetcher();
    const query = 'subscription Watch($id: ID!) { orderUpdated(orderId: $id) { id status } }';
    const results = (await fetcher(
      { query, variables: { id: 'o1' }, operationName: 'Watch' },
      { documentAST: parse(query), headers: bearerHeaders({ userId: 'u1', role: 'CUSTOMER' }) },
    )) as AsyncIterableIterator<unknown>;
    try {
      expect((await results.next()).value).toEqual({ data: { orderUpdated: { id: 'o1', status: 'PACKED' } } });
    } finally {
      await results.return?.();
    }
  });

  it('runs queries from the page over HTTP as before', async () => {
    const fetcher = await pageFetcher();
    const query = '{ order(id: "o1") { id } }';
    // GraphiQL's HTTP fetcher reads incremental delivery too, so it answers an iterator of results.
    const results = (await fetcher(
      { query, operationName: null },
      { documentAST: parse(query), headers: bearerHeaders({ userId: 'u1', role: 'CUSTOMER' }) },
    )) as AsyncIterableIterator<unknown>;
    expect((await results.next()).value).toEqual({ data: { order: { id: 'o1' } } });
  });
});
