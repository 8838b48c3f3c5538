import { request as httpRequest } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { buildSchema, parse } from 'graphql';
import { createClient as createWsClient } from 'graphql-ws';
import pino from 'pino';
import WebSocket from 'ws';
import { InMemoryLivePubSub } from '@commerce/pubsub';
import { bearer, jwt } from './helpers';
import { createGateway, type RunningGateway } from '../src/server';
import { estimateCost } from '../src/limits/cost';
import { defaultOperationLimits } from '../src/limits/settings';
import { ClientPolicies } from '../src/operations/client-policies';
import { ClientRegistry } from '../src/operations/clients';
import { sha256 } from '../src/operations/manifest';
import { accounts } from './fixtures/accounts';
import { composeFixtures, startFixture, type RunningFixture } from './fixtures/fixture';
import { ordersSubgraph } from './fixtures/orders';

/**
 * Operation limits at the gateway: each refused with its own code before
 * anything reaches a subgraph, over HTTP and the subscription transports,
 * with per-client overrides from clients.json.
 */

const ada = { userId: 'u1', role: 'CUSTOMER' as const };
const deepOrder = 'query DeepOrder { order(id: "o1") { customer { name } } }';
const limits = defaultOperationLimits;

let directory: string;
let policies: ClientPolicies;
let fixtures: RunningFixture[];
let gateway: RunningGateway;
const live = new InMemoryLivePubSub({ namespace: 'limits-test' });
const logger = pino({ level: 'warn' }, new Writable({ write: (_chunk, _enc, done) => done() }));

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'limits-'));
  await writeFile(path.join(directory, 'listed.json'), JSON.stringify({ [sha256(deepOrder)]: deepOrder }));
  const config = {
    anonymous: { mode: 'ALLOW' },
    clients: {
      tight: { mode: 'ALLOW', limits: { depth: 2, aliases: 1, rootFields: 1, tokens: 40, directives: 1, cost: 15, bodyBytes: 400 } },
      roomy: { mode: 'ALLOW', limits: { depth: 50 } },
      listed: { mode: 'REQUIRE_ID', manifest: 'listed.json', limits: { depth: 2 } },
    },
  };
  await writeFile(path.join(directory, 'clients.json'), JSON.stringify(config));
  policies = await ClientPolicies.watch(path.join(directory, 'clients.json'), logger);
  fixtures = [await startFixture(accounts), await startFixture(ordersSubgraph)];
  const supergraphSdl = composeFixtures([accounts, ordersSubgraph], Object.fromEntries(fixtures.map((f) => [f.name, f.url])));
  gateway = await createGateway({ supergraphSdl, jwt, live, logger, clients: policies.current });
});

afterAll(async () => {
  await gateway?.close();
  for (const fixture of fixtures ?? []) await fixture.server.close();
  policies?.stop();
  await live.close();
  await rm(directory, { recursive: true, force: true });
});

interface Answer {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string; limit?: number } }[] };
}

const codeOf = (answer: Answer) => answer.body.errors?.[0]?.extensions?.code;
const reached = () => fixtures.reduce((sum, fixture) => sum + fixture.received.length, 0);

async function post(body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

/** Asserts the refusal and that no subgraph heard of the operation. */
async function expectRefused(send: () => Promise<Answer>, status: number, code: string): Promise<Answer> {
  const before = reached();
  const answer = await send();
  expect([answer.status, codeOf(answer)]).toEqual([status, code]);
  expect(reached()).toBe(before);
  return answer;
}

/** A document exactly `depth` fields deep (made-up fields below `me`: the depth check comes before validation). */
const nested = (depth: number) => `{ me { ${'a { '.repeat(depth - 2)}b${' }'.repeat(depth - 2)} } }`;
const repeated = (text: string, times: number) => Array.from({ length: times }, (_, i) => text.replace('#', String(i))).join(' ');

describe('default limits', () => {
  it('runs an ordinary operation, which reaches the subgraphs', async () => {
    const before = reached();
    const answer = await post({ query: '{ users { id name } order(id: "o1") { customer { name } } }' });
    expect(answer.body.errors).toBeUndefined();
    expect(reached()).toBeGreaterThan(before);
  });

  it.each([
    ['depth', nested(limits.depth + 1), 'MAX_DEPTH_EXCEEDED'],
    ['aliases', `{ users { ${repeated('a#: id', limits.aliases + 1)} } }`, 'MAX_ALIASES_EXCEEDED'],
    ['root fields', `{ ${repeated('whoami { role }', limits.rootFields + 1)} }`, 'MAX_ROOT_FIELDS_EXCEEDED'],
    ['tokens', `{ users { ${repeated('id', limits.tokens)} } }`, 'MAX_TOKENS_EXCEEDED'],
    ['directives', `{ users { ${repeated('id @include(if: true)', limits.directives + 1)} } }`, 'MAX_DIRECTIVES_EXCEEDED'],
    // A list of users is taken to hold 10: each selected field costs 10.
    ['cost', `{ users { ${repeated('id', Math.ceil(limits.cost / 10) + 1)} } }`, 'COST_LIMIT_EXCEEDED'],
  ])('refuses a document over the %s limit with its own code', async (_limit, query, code) => {
    const answer = await expectRefused(() => post({ query }), 400, code);
    expect(answer.body.errors?.[0]?.extensions).toEqual({ code, limit: expect.any(Number) });
  });

  it('applies them to GET requests too', async () => {
    await expectRefused(async () => {
      const response = await fetch(`${gateway.url}?${new URLSearchParams({ query: nested(limits.depth + 1) })}`, { headers: { 'apollo-require-preflight': 'true' } });
      return { status: response.status, body: (await response.json()) as Answer['body'] };
    }, 400, 'MAX_DEPTH_EXCEEDED');
  });

  it('refuses a body over its limit with 413 before reading it', async () => {
    await expectRefused(() => post({ query: '{ me { id } }', variables: { pad: 'x'.repeat(limits.bodyBytes) } }), 413, 'BODY_TOO_LARGE');
  });

  it('refuses a body streamed without a Content-Length with 411', async () => {
    const before = reached();
    const answer = await new Promise<Answer>((resolve, reject) => {
      const req = httpRequest(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Answer['body'] }));
      });
      req.on('error', reject);
      req.write('{"query":');
      req.end('"{ me { id } }"}');
    });
    expect([answer.status, codeOf(answer)]).toEqual([411, 'LENGTH_REQUIRED']);
    expect(reached()).toBe(before);
  });

  it('refuses a batch with a typed error', async () => {
    await expectRefused(() => post([{ query: '{ me { id } }' }, { query: '{ users { id } }' }]), 400, 'BATCH_NOT_SUPPORTED');
  });

  it('gives an unknown app name the anonymous limits', async () => {
    await expectRefused(() => post({ query: nested(limits.depth + 1) }, { 'apollographql-client-name': 'made-up' }), 400, 'MAX_DEPTH_EXCEEDED');
  });
});

describe('limits per client (clients.json)', () => {
  const tight = { 'apollographql-client-name': 'tight' };

  it.each([
    ['depth', deepOrder, 'MAX_DEPTH_EXCEEDED'],
    ['aliases', '{ whoami { a: role b: role } }', 'MAX_ALIASES_EXCEEDED'],
    ['root fields', '{ me { id } whoami { role } }', 'MAX_ROOT_FIELDS_EXCEEDED'],
    ['tokens', `{ users { ${repeated('id', 40)} } }`, 'MAX_TOKENS_EXCEEDED'],
    ['directives', '{ me @include(if: true) { id @skip(if: false) } }', 'MAX_DIRECTIVES_EXCEEDED'],
    ['cost', '{ users { id name } }', 'COST_LIMIT_EXCEEDED'],
  ])('lowers the %s limit for one client, and only for it', async (_limit, query, code) => {
    await expectRefused(() => post({ query }, tight), 400, code);
    expect((await post({ query })).body.errors).toBeUndefined();
  });

  it('lowers the body limit for one client', async () => {
    const body = { query: '{ me { id } }', variables: { pad: 'x'.repeat(400) } };
    await expectRefused(() => post(body, tight), 413, 'BODY_TOO_LARGE');
    expect((await post(body)).body.errors).toBeUndefined();
  });

  it('raises a limit for one client', async () => {
    // Past the default depth, so only the raised limit lets it on to validation (which refuses the made-up fields:
    // a request error, 400 under GraphQL over HTTP's own media type).
    const deep = await post({ query: nested(limits.depth + 5) }, { 'apollographql-client-name': 'roomy', accept: 'application/graphql-response+json' });
    expect([deep.status, codeOf(deep)]).toEqual([400, 'GRAPHQL_VALIDATION_FAILED']);
  });

  it('refuses a configuration with a bad limit, naming it', async () => {
    const file = path.join(directory, 'bad.json');
    await writeFile(file, JSON.stringify({ anonymous: { mode: 'ALLOW', limits: { depht: 3 } }, clients: { web: { mode: 'LOG', limits: { depth: 0, bodyBytes: 2_000_000 }, rateLimit: { perMinute: -1 } } } }));
    const loading = ClientRegistry.load(file);
    await expect(loading).rejects.toThrow(/anonymous\.limits: Unrecognized key.*depht/);
    await expect(loading).rejects.toThrow(/clients\.web\.limits\.depth: /);
    await expect(loading).rejects.toThrow(/clients\.web\.limits\.bodyBytes: /);
    await expect(loading).rejects.toThrow(/clients\.web\.rateLimit\.perMinute: /);
  });

  it('measures the document a persisted id names', async () => {
    await expectRefused(() => post({ documentId: sha256(deepOrder) }, { 'apollographql-client-name': 'listed' }), 400, 'MAX_DEPTH_EXCEEDED');
  });
});

describe('subscriptions', () => {
  const deepWatch = 'subscription { orderUpdated(orderId: "o1") { customer { name } } }';

  it('refuses a subscription over the client limit on WebSocket', async () => {
    const before = reached();
    const ws = createWsClient({ url: gateway.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { clientName: 'tight', ...bearer(ada) }, retryAttempts: 0 });
    const errors = await new Promise<unknown>((resolve) => ws.subscribe({ query: deepWatch }, { next: () => undefined, error: resolve, complete: () => resolve(null) }));
    expect((errors as { extensions?: { code?: string } }[])[0]?.extensions?.code).toBe('MAX_DEPTH_EXCEEDED');
    expect(reached()).toBe(before);
    await ws.dispose();
  });

  it('refuses it over SSE and multipart too', async () => {
    const before = reached();
    // Each answers a refusal as a JSON response (graphql-sse's client hides its body, so the requests are made by hand).
    for (const accept of ['text/event-stream', 'multipart/mixed;boundary="graphql";subscriptionSpec=1.0,application/json']) {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept, 'apollographql-client-name': 'tight', ...bearer(ada) },
        body: JSON.stringify({ query: deepWatch }),
      });
      expect([accept, response.status, ((await response.json()) as Answer['body']).errors?.[0]?.extensions?.code]).toEqual([accept, 400, 'MAX_DEPTH_EXCEEDED']);
    }
    expect(reached()).toBe(before);
  });
});

describe('the cost estimate', () => {
  const schema = buildSchema(`
    type Query { shops: [Shop!]! shop: Shop products(first: Int = 5): ProductConnection! }
    type Shop { name: String! products(first: Int): [Product!]! tags: [String!]! }
    type Product { name: String! reviews: [Review!]! }
    type Review { stars: Int! }
    type ProductConnection { edges: [ProductEdge!]! totalCount: Int! }
    type ProductEdge { node: Product! }
  `);
  const cost = (query: string, variables: unknown = {}) => estimateCost(parse(query), schema, variables);

  it('counts each field once per time it may be resolved, lists at 10 unless `first` says', () => {
    expect(cost('{ shop { name tags } }')).toBe(3);
    expect(cost('{ shops { name } }')).toBe(1 + 10 * 1);
    expect(cost('{ shops { products { reviews { stars } } } }')).toBe(1 + 10 * (1 + 10 * (1 + 10 * 1)));
    expect(cost('{ shops { products(first: 2) { name } } }')).toBe(1 + 10 * (1 + 2 * 1));
    expect(cost('query ($n: Int) { shops { products(first: $n) { name } } }', { n: 3 })).toBe(1 + 10 * (1 + 3));
    expect(cost('query ($n: Int = 4) { shops { products(first: $n) { name } } }')).toBe(1 + 10 * (1 + 4));
  });

  it("takes a connection's `first` (or its default) as the size of its edges", () => {
    expect(cost('{ products(first: 20) { totalCount edges { node { name } } } }')).toBe(1 + 1 + 1 + 20 * (1 + 1));
    expect(cost('{ products { edges { node { name } } } }')).toBe(1 + 1 + 5 * (1 + 1));
  });

  it('counts fragments where they are spread, and a negative `first` as nothing', () => {
    expect(cost('{ shops { ...S } } fragment S on Shop { name ... on Shop { tags } }')).toBe(1 + 10 * 2);
    expect(cost('{ shops { products(first: -100) { name } } }')).toBe(1 + 10 * 1);
  });

  it('ends on a fragment cycle (validation refuses it later) and leaves introspection free', () => {
    expect(cost('{ shop { ...A } } fragment A on Shop { name ...B } fragment B on Shop { ...A }')).toBe(2);
    expect(cost('{ __schema { types { name fields { name } } } }')).toBe(0);
  });
});
