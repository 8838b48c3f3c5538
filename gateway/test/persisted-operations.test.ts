import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { ExecutionResult } from 'graphql';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import Redis from 'ioredis';
import pino from 'pino';
import WebSocket from 'ws';
import { InMemoryLivePubSub, liveChannels } from '@commerce/pubsub';
import { eventually } from '@commerce/service-kit';
import { bearer, jwt } from './helpers';
import { createGateway, type RunningGateway } from '../src/server';
import { ClientPolicies } from '../src/operations/client-policies';
import { sha256 } from '../src/operations/manifest';
import { RedisPersistedQueryStore } from '../src/operations/persisted-query-store';
import { orders } from './fixtures/orders';
import { startLiveFixtures, type LiveFixtures } from './fixtures/live-fixtures';

/**
 * Persisted operations against real Redis: APQ shared by gateway instances
 * and kept across restarts, and each client mode with its refusals, over
 * HTTP and the subscription transports.
 */

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const namespace = `apq-test-${randomBytes(4).toString('hex')}`;
const ada = { userId: 'u1', role: 'CUSTOMER' as const };

const usersQuery = 'query Users { users { id name } }';
const whoamiQuery = 'query WhoAmI { whoami { role } }';
const watchOrder = 'subscription Watch($id: ID!) { orderUpdated(orderId: $id) { id status } }';
const id = (document: string) => sha256(document);

const acmeKey = 'ck_acme_first';
const acmeNextKey = 'ck_acme_second';
const globexKey = 'ck_globex';

let directory: string;
let configFile: string;
let fixtures: LiveFixtures;
let supergraphSdl: string;
let policies: ClientPolicies;
const live = new InMemoryLivePubSub({ namespace });
const logLines: string[] = [];
const logger = pino({ level: 'warn' }, new Writable({ write: (chunk, _enc, done) => (logLines.push(String(chunk)), done()) }));
const running: { gateway: RunningGateway; store: RedisPersistedQueryStore }[] = [];

async function writeConfig(acmeKeys: string[]): Promise<void> {
  const apiKeys = acmeKeys.map((key, index) => ({ id: `acme-${index}`, sha256: sha256(key) }));
  const config = {
    anonymous: { mode: 'ALLOW' },
    clients: {
      web: { mode: 'LOG', manifest: 'web.json' },
      mobile: { mode: 'SAFELIST', manifest: 'mobile.json' },
      acme: { partner: true, mode: 'REQUIRE_ID', manifest: 'acme.json', apiKeys },
      globex: { partner: true, mode: 'REQUIRE_ID', manifest: 'globex.json', apiKeys: [{ id: 'globex-0', sha256: sha256(globexKey) }] },
    },
  };
  await writeFile(configFile, `${JSON.stringify(config, null, 2)}\n`);
}

/** client-preset's format for some clients, Apollo's manifest for another: the gateway reads both. */
async function writeManifests(): Promise<void> {
  const presetFormat = (documents: string[]) => JSON.stringify(Object.fromEntries(documents.map((d) => [`sha256:${id(d)}`, d])));
  await writeFile(path.join(directory, 'web.json'), presetFormat([usersQuery]));
  await writeFile(path.join(directory, 'mobile.json'), presetFormat([usersQuery, watchOrder]));
  await writeFile(path.join(directory, 'acme.json'), presetFormat([usersQuery, watchOrder]));
  const apolloFormat = { format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: id(whoamiQuery), name: 'WhoAmI', type: 'query', body: whoamiQuery }] };
  await writeFile(path.join(directory, 'globex.json'), JSON.stringify(apolloFormat));
}

async function startInstance(): Promise<RunningGateway> {
  const store = await RedisPersistedQueryStore.connect({ url: redisUrl, namespace, ttlSeconds: 60 });
  const gateway = await createGateway({ supergraphSdl, jwt, live, logger, clients: policies.current, persistedQueries: store });
  running.push({ gateway, store });
  return gateway;
}

async function stopInstance(gateway: RunningGateway): Promise<void> {
  const index = running.findIndex((r) => r.gateway === gateway);
  const { store } = running.splice(index, 1)[0]!;
  await gateway.close();
  await store.close();
}

let first: RunningGateway;
let second: RunningGateway;

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'clients-'));
  await mkdir(directory, { recursive: true });
  configFile = path.join(directory, 'clients.json');
  await writeManifests();
  await writeConfig([acmeKey]);
  policies = await ClientPolicies.watch(configFile, logger);
  fixtures = await startLiveFixtures();
  supergraphSdl = fixtures.supergraphSdl;
  first = await startInstance();
  second = await startInstance();
});

afterAll(async () => {
  for (const { gateway } of [...running]) await stopInstance(gateway);
  policies?.stop();
  await fixtures?.close();
  const redis = new Redis(redisUrl);
  const keys = await redis.keys(`${namespace}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
  await rm(directory, { recursive: true, force: true });
});

interface Answer {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };
}

const codeOf = (answer: Answer) => answer.body.errors?.[0]?.extensions?.code;

async function post(gateway: RunningGateway, body: object, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

async function get(gateway: RunningGateway, params: Record<string, string>, headers: Record<string, string> = {}): Promise<Answer> {
  // A non-simple header, so Apollo's CSRF prevention lets the GET through.
  const response = await fetch(`${gateway.url}?${new URLSearchParams(params)}`, { headers: { 'apollo-require-preflight': 'true', ...headers } });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

const apq = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

describe('automatic persisted queries in Redis', () => {
  const query = `query Names { users { name } }`;

  it('misses, registers on retry, then hits on another instance, over POST and GET', async () => {
    const miss = await post(first, { extensions: apq(id(query)) });
    expect([miss.status, codeOf(miss)]).toEqual([200, 'PERSISTED_QUERY_NOT_FOUND']);
    const registered = await post(first, { query, extensions: apq(id(query)) });
    expect(registered.body.data?.users).toHaveLength(2);
    const hit = await post(second, { extensions: apq(id(query)) });
    expect(hit.body).toEqual(registered.body);
    const viaGet = await get(second, { extensions: JSON.stringify(apq(id(query))) });
    expect(viaGet.body).toEqual(registered.body);
  });

  it('refuses a document that does not match its hash, registering nothing', async () => {
    const wrong = id('query Other { users { id } }');
    const mismatch = await post(first, { query, extensions: apq(wrong) });
    expect([mismatch.status, codeOf(mismatch)]).toEqual([400, 'PERSISTED_QUERY_HASH_MISMATCH']);
    expect(codeOf(await post(first, { extensions: apq(wrong) }))).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('keeps registrations across a gateway restart', async () => {
    const kept = 'query Kept { users { id } }';
    await post(first, { query: kept, extensions: apq(id(kept)) });
    await stopInstance(first);
    first = await startInstance();
    expect((await post(first, { extensions: apq(id(kept)) })).body.data?.users).toHaveLength(2);
  });
});

describe('client modes', () => {
  const web = { 'apollographql-client-name': 'web', 'apollographql-client-version': '1.4.0' };
  const mobile = { 'apollographql-client-name': 'mobile' };
  const adHoc = 'query AdHoc { users { name } }';

  it('ALLOW (anonymous) and LOG (web) run anything; LOG names the unlisted operation, its client and hash', async () => {
    expect((await post(first, { query: adHoc })).body.data?.users).toHaveLength(2);
    logLines.length = 0;
    expect((await post(first, { query: adHoc }, web)).body.data?.users).toHaveLength(2);
    expect((await post(first, { query: usersQuery }, web)).body.data?.users).toHaveLength(2);
    const logged = logLines.map((line) => JSON.parse(line) as { client?: string; hash?: string; operationName?: string });
    expect(logged.filter((line) => line.client)).toEqual([expect.objectContaining({ client: 'web', hash: id(adHoc) })]);
  });

  it('SAFELIST (mobile) runs listed documents whole or by id, and refuses anything else', async () => {
    expect((await post(first, { query: usersQuery.replace(/ /g, '  ') }, mobile)).body.data?.users).toHaveLength(2);
    expect((await post(first, { documentId: `sha256:${id(usersQuery)}` }, mobile)).body.data?.users).toHaveLength(2);
    expect((await get(first, { documentId: id(usersQuery) }, mobile)).body.data?.users).toHaveLength(2);
    const unlisted = await post(first, { query: adHoc }, mobile);
    expect([unlisted.status, codeOf(unlisted)]).toEqual([403, 'OPERATION_NOT_IN_SAFELIST']);
    const registration = await post(first, { query: adHoc, extensions: apq(id(adHoc)) }, mobile);
    expect(codeOf(registration)).toBe('OPERATION_NOT_IN_SAFELIST');
  });

  it('REQUIRE_ID (partner) runs only its own ids, with its key', async () => {
    const acme = { 'x-api-key': acmeKey };
    expect((await post(first, { documentId: id(usersQuery) }, acme)).body.data?.users).toHaveLength(2);
    expect((await post(first, { extensions: apq(id(usersQuery)) }, acme)).body.data?.users).toHaveLength(2);
    const whole = await post(first, { query: usersQuery }, acme);
    expect([whole.status, codeOf(whole)]).toEqual([400, 'PERSISTED_DOCUMENT_REQUIRED']);
    const foreign = await post(first, { documentId: id(whoamiQuery) }, acme);
    expect([foreign.status, codeOf(foreign)]).toEqual([400, 'PERSISTED_DOCUMENT_NOT_FOUND']);
    // An APQ registration made by an ALLOWed caller is still not the partner's to run.
    await post(first, { query: adHoc, extensions: apq(id(adHoc)) });
    expect(codeOf(await post(first, { extensions: apq(id(adHoc)) }, acme))).toBe('PERSISTED_DOCUMENT_NOT_FOUND');
    const tampered = await post(first, { documentId: id(usersQuery).replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) }, acme);
    expect(codeOf(tampered)).toBe('PERSISTED_DOCUMENT_NOT_FOUND');
    // The other partner's list, in Apollo's manifest format.
    expect((await post(first, { documentId: id(whoamiQuery) }, { 'x-api-key': globexKey })).body.data).toEqual({ whoami: null });
  });

  it('refuses unknown keys and a partner named without its key', async () => {
    const unknown = await post(first, { documentId: id(usersQuery) }, { 'x-api-key': 'ck_made_up' });
    expect([unknown.status, codeOf(unknown)]).toEqual([401, 'INVALID_API_KEY']);
    const named = await post(first, { documentId: id(usersQuery) }, { 'apollographql-client-name': 'acme' });
    expect([named.status, codeOf(named)]).toEqual([401, 'INVALID_API_KEY']);
  });
});

describe('persisted subscriptions and reloads', () => {
  const mobileHeaders = { 'apollographql-client-name': 'mobile', ...bearer(ada) };

  it('starts a subscription by id over WebSocket and SSE; a key rotation and a new manifest apply without a restart while it stays live', async () => {
    orders.get('o1')!.status = 'PACKED';
    const ws = createWsClient({
      url: first.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { clientName: 'mobile', authorization: bearer(ada).authorization },
      retryAttempts: 0,
    });
    const sse = createSseClient({ url: second.url, headers: mobileHeaders, retryAttempts: 0 });
    const seen: { ws: ExecutionResult[]; sse: ExecutionResult[] } = { ws: [], sse: [] };
    // graphql-ws requires a `query` string in every subscribe message, so an id travels with an empty one.
    const stopWs = ws.subscribe({ query: '', variables: { id: 'o1' }, extensions: apq(id(watchOrder)) }, { next: (r) => void seen.ws.push(r as ExecutionResult), error: () => undefined, complete: () => undefined });
    const stopSse = sse.subscribe({ query: '', variables: { id: 'o1' }, extensions: apq(id(watchOrder)) }, { next: (r) => void seen.sse.push(r as ExecutionResult), error: () => undefined, complete: () => undefined });
    const statuses = (results: ExecutionResult[]) => results.map((r) => (r.data?.orderUpdated as { status: string } | undefined)?.status ?? r.errors?.[0]?.message);
    await eventually(async () => expect([statuses(seen.ws), statuses(seen.sse)]).toEqual([['PACKED'], ['PACKED']]));

    await writeConfig([acmeNextKey]);
    await eventually(async () => expect(codeOf(await post(first, { documentId: id(usersQuery) }, { 'x-api-key': acmeKey }))).toBe('INVALID_API_KEY'));
    expect((await post(first, { documentId: id(usersQuery) }, { 'x-api-key': acmeNextKey })).body.data?.users).toHaveLength(2);
    // A new manifest for the partner, also while the subscriptions stay live.
    expect(codeOf(await post(first, { documentId: id(whoamiQuery) }, { 'x-api-key': acmeNextKey }))).toBe('PERSISTED_DOCUMENT_NOT_FOUND');
    await writeFile(path.join(directory, 'acme.json'), JSON.stringify({ [`sha256:${id(usersQuery)}`]: usersQuery, [`sha256:${id(whoamiQuery)}`]: whoamiQuery }));
    await eventually(async () => expect((await post(first, { documentId: id(whoamiQuery) }, { 'x-api-key': acmeNextKey })).body.data).toEqual({ whoami: null }));

    orders.get('o1')!.status = 'SHIPPED';
    await live.publish(liveChannels.orderUpdated('o1'), { orderId: 'o1' });
    await eventually(async () => expect([statuses(seen.ws), statuses(seen.sse)]).toEqual([['PACKED', 'SHIPPED'], ['PACKED', 'SHIPPED']]));
    stopWs();
    stopSse();
    await ws.dispose();
    sse.dispose();
  });

  it('refuses an unlisted subscription for a SAFELIST client over WebSocket', async () => {
    const ws = createWsClient({ url: first.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { clientName: 'mobile', ...bearer(ada) }, retryAttempts: 0 });
    const errors = await new Promise<unknown>((resolve) =>
      ws.subscribe({ query: 'subscription { orderUpdated(orderId: "o1") { status } }' }, { next: () => undefined, error: resolve, complete: () => resolve(null) }),
    );
    expect((errors as { extensions?: { code?: string } }[])[0]?.extensions?.code).toBe('OPERATION_NOT_IN_SAFELIST');
    await ws.dispose();
  });
});
