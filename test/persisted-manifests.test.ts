import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { Manifest } from '@commerce/gateway';

interface ClientEntry {
  partner?: boolean;
  manifest?: string;
}

interface ApolloManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: { id: string; name: string; type: string; body: string }[];
}

const clientsDir = path.resolve(__dirname, '../gateway/clients');
const config = JSON.parse(readFileSync(path.join(clientsDir, 'clients.json'), 'utf8')) as { clients: Record<string, ClientEntry> };
const apps = readdirSync(clientsDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const readJson = (app: string, file: string) => JSON.parse(readFileSync(path.join(clientsDir, app, '__generated__', file), 'utf8'));
const presetDocuments = (app: string): Record<string, string> => readJson(app, 'persisted-documents.json');
const apolloManifest = (app: string): ApolloManifest => readJson(app, 'persisted-query-manifest.json');

const operationsIn = (document: string) =>
  parse(document).definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);

describe('client applications', () => {
  it('has an operations folder for each client clients.json names, and no other', () => {
    expect([...apps].sort()).toEqual(Object.keys(config.clients).sort());
  });

  it('names manifests that exist', () => {
    for (const [name, client] of Object.entries(config.clients)) {
      expect(client.manifest).toBeDefined();
      expect({ name, exists: existsSync(path.resolve(clientsDir, client.manifest!)) }).toEqual({ name, exists: true });
    }
  });

  it('gives the partners no operation in common, so neither can run the other by id', () => {
    const partners = Object.keys(config.clients).filter((name) => config.clients[name]!.partner);
    expect(partners.length).toBeGreaterThanOrEqual(2);
    const owners = new Map<string, string[]>();
    for (const partner of partners) {
      for (const operation of apolloManifest(partner).operations) owners.set(operation.id, [...(owners.get(operation.id) ?? []), partner]);
    }
    expect([...owners.values()].filter((holders) => holders.length > 1)).toEqual([]);
  });
});

describe.each(apps)('the manifests of %s', (app) => {
  it('list each document under the SHA-256 of its text', () => {
    const documents = Object.entries(presetDocuments(app));
    expect(documents.length).toBeGreaterThan(0);
    for (const [key, body] of documents) expect(key).toBe(`sha256:${sha256(body)}`);
    for (const { id, body } of apolloManifest(app).operations) expect(id).toBe(sha256(body));
  });

  it('list the same documents in both formats', () => {
    const manifest = apolloManifest(app);
    expect(manifest).toMatchObject({ format: 'apollo-persisted-query-manifest', version: 1 });
    const preset = Object.entries(presetDocuments(app)).map(([key, body]) => [key.replace(/^sha256:/, ''), body]);
    expect(Object.fromEntries(manifest.operations.map(({ id, body }) => [id, body]))).toEqual(Object.fromEntries(preset));
  });

  it('name and type each operation as its document does', () => {
    for (const { name, type, body } of apolloManifest(app).operations) {
      const operations = operationsIn(body);
      expect(operations).toHaveLength(1);
      expect({ name: operations[0]!.name?.value, type: operations[0]!.operation }).toEqual({ name, type });
    }
  });

  it('list every operation of the app, and only those (else `npm run codegen` is due)', () => {
    const folder = path.join(clientsDir, app, 'operations');
    const sources = readdirSync(folder).filter((file) => file.endsWith('.graphql'));
    const written = sources.flatMap((file) => operationsIn(readFileSync(path.join(folder, file), 'utf8')).map((operation) => operation.name?.value));
    expect(apolloManifest(app).operations.map((operation) => operation.name)).toEqual([...written].sort());
  });

  it('are read by the gateway, which finds each document by the id a client sends', () => {
    const bodies = apolloManifest(app).operations.map((operation) => operation.body);
    for (const manifest of [new Manifest(presetDocuments(app)), new Manifest(apolloManifest(app))]) {
      expect(manifest.size).toBe(bodies.length);
      // The gateway looks ids up without the `sha256:` a client-preset client puts before them.
      for (const body of bodies) expect(manifest.document(sha256(body))).toBe(body);
    }
  });
});
