import { createGateway, type RunningGateway } from '../src/server';
import { accounts } from './fixtures/accounts';
import { composeFixtures, startFixture, type RunningFixture } from './fixtures/fixture';
import { jwt, postGraphQL } from './helpers';

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
