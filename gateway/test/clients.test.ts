import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GraphQLError } from 'graphql';
import { ClientRegistry } from '../src/operations/clients';
import { Manifest, sha256 } from '../src/operations/manifest';

let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'clients-config-'));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function load(config: unknown, manifests: Record<string, unknown> = {}): Promise<ClientRegistry> {
  for (const [name, content] of Object.entries(manifests)) await writeFile(path.join(directory, name), JSON.stringify(content));
  const file = path.join(directory, 'clients.json');
  await writeFile(file, JSON.stringify(config));
  return ClientRegistry.load(file);
}

describe('client configuration', () => {
  it('names every problem of a bad file at once', async () => {
    const loading = load({ clients: { Web: { mode: 'OPEN' }, acme: { partner: true, mode: 'ALLOW', apiKeys: [{ id: 'k', sha256: 'short' }] } } });
    await expect(loading).rejects.toThrow(/clients\.Web: client names are lower-case.*clients\.Web\.mode.*clients\.acme\.apiKeys\.0\.sha256/);
  });

  it('refuses one API key shared by two clients', async () => {
    const key = { id: 'k', sha256: sha256('ck_same') };
    await expect(load({ clients: { a: { partner: true, mode: 'ALLOW', apiKeys: [key] }, b: { partner: true, mode: 'ALLOW', apiKeys: [key] } } })).rejects.toThrow(/also another client's/);
  });

  it('identifies partners by key only, apps by name, and gives an unknown app the anonymous policy', async () => {
    const registry = await load(
      { anonymous: { mode: 'SAFELIST' }, clients: { web: { mode: 'ALLOW' }, acme: { partner: true, mode: 'REQUIRE_ID', apiKeys: [{ id: 'k1', sha256: sha256('ck_acme') }] } } },
    );
    expect(registry.identify({ apiKey: 'ck_acme' })).toMatchObject({ name: 'acme', mode: 'REQUIRE_ID' });
    expect(registry.identify({ clientName: 'web' })).toMatchObject({ name: 'web', mode: 'ALLOW' });
    expect(registry.identify({ clientName: 'made-up' })).toMatchObject({ name: 'made-up', mode: 'SAFELIST' });
    expect(registry.identify({})).toMatchObject({ name: 'anonymous', mode: 'SAFELIST' });
    for (const refused of [registry.identify({ clientName: 'acme' }), registry.identify({ apiKey: 'ck_wrong' })]) {
      expect(refused).toBeInstanceOf(GraphQLError);
      expect((refused as GraphQLError).extensions.code).toBe('INVALID_API_KEY');
    }
  });
});

describe('manifests', () => {
  const document = 'query Shops { shops { id name } }';

  it('lists a document by id and by content, however it is spaced', () => {
    const manifest = new Manifest({ [sha256(document)]: document });
    expect(manifest.document(sha256(document))).toBe(document);
    expect(manifest.lists('query Shops {\n  shops {\n    id\n    name\n  }\n}')).toBe(true);
    expect(manifest.lists('query Shops { shops { id } }')).toBe(false);
    expect(manifest.lists('not graphql')).toBe(false);
  });

  it("reads Apollo's persisted query manifest format too", () => {
    const manifest = new Manifest({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: 'shops-v1', body: document }] });
    expect(manifest.document('shops-v1')).toBe(document);
  });

  it('refuses an entry that does not parse', () => {
    expect(() => new Manifest({ broken: 'query {' })).toThrow(/broken does not parse/);
  });
});
