import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { ExecutionResult } from 'graphql';
import { createClient as createWsClient } from 'graphql-ws';
import pino from 'pino';
import WebSocket from 'ws';
import { liveChannels, RedisLivePubSub } from '@commerce/pubsub';
import { OwnRedisServer } from '@commerce/pubsub/testing';
import { eventually } from '@commerce/service-kit';
import { bearer, jwt } from './helpers';
import { createGateway, type RunningGateway } from '../src/server';
import { ClientPolicies } from '../src/operations/client-policies';
import { sha256 } from '../src/operations/manifest';
import { RedisPersistedQueryStore } from '../src/operations/persisted-query-store';
import { RedisRateLimiter } from '../src/limits/redis-rate-limiter';
import { orders } from './fixtures/orders';
import { startLiveFixtures, type LiveFixtures } from './fixtures/live-fixtures';

/**
 * One gateway whose every Redis use (live pub/sub, APQ, rate limits) is on a
 * redis-server of this file's own, which the tests kill -9 and start again on
 * the same port: what goes on while Redis is away, and what comes back after.
 */

const namespace = `away-${randomBytes(4).toString('hex')}`;
const ada = { userId: 'u1', role: 'CUSTOMER' as const };
const logLines: string[] = [];
const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _enc, done) => (logLines.push(String(chunk)), done()) }));
const logged = (message: string) => logLines.filter((line) => line.includes(message)).length;

let redis: OwnRedisServer;
let directory: string;
let policies: ClientPolicies;
let fixtures: LiveFixtures;
let live: RedisLivePubSub;
let store: RedisPersistedQueryStore;
let limiter: RedisRateLimiter;
let gateway: RunningGateway;

beforeAll(async () => {
  redis = await OwnRedisServer.start();
  directory = await mkdtemp(path.join(tmpdir(), 'redis-away-'));
  const config = { anonymous: { mode: 'ALLOW' }, clients: { capped: { mode: 'ALLOW', rateLimit: { perMinute: 2 } } } };
  await writeFile(path.join(directory, 'clients.json'), JSON.stringify(config));
  policies = await ClientPolicies.watch(path.join(directory, 'clients.json'), logger);
  fixtures = await startLiveFixtures();
  live = await RedisLivePubSub.connect({ url: redis.url, namespace });
  store = await RedisPersistedQueryStore.connect({ url: redis.url, namespace, ttlSeconds: 60 });
  limiter = await RedisRateLimiter.connect({ url: redis.url, namespace });
  gateway = await createGateway({ supergraphSdl: fixtures.supergraphSdl, jwt, live, logger, clients: policies.current, persistedQueries: store, rateLimiter: limiter });
});

afterAll(async () => {
  await gateway?.close();
  await live?.close();
  await store?.close().catch(() => undefined);
  await limiter?.close().catch(() => undefined);
  await fixtures?.close();
  policies?.stop();
  await redis?.kill();
  await rm(directory, { recursive: true, force: true });
});

interface Answer {
  status: number;
  code: string | undefined;
  data: Record<string, unknown> | null | undefined;
}

async function post(body: object, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const json = (await response.json()) as { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string } }[] };
  return { status: response.status, code: json.errors?.[0]?.extensions?.code, data: json.data };
}

const query = 'query Names { users { name } }';
const apq = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };
const capped = { 'apollographql-client-name': 'capped' };

describe('a live subscription across a Redis restart', () => {
  it('goes on on the same socket: the state changed meanwhile is resent, and later events arrive', async () => {
    orders.get('o1')!.status = 'PACKED';
    let connections = 0;
    const ws = createWsClient({
      url: gateway.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: bearer(ada).authorization },
      retryAttempts: 0,
      on: { connected: () => void connections++ },
    });
    const seen: ExecutionResult[] = [];
    const errors: unknown[] = [];
    const stop = ws.subscribe(
      { query: 'subscription Watch($id: ID!) { orderUpdated(orderId: $id) { id status } }', variables: { id: 'o1' } },
      { next: (result) => void seen.push(result as ExecutionResult), error: (error) => void errors.push(error), complete: () => undefined },
    );
    const statuses = () => seen.map((result) => (result.data?.orderUpdated as { status: string } | undefined)?.status ?? JSON.stringify(result.errors));
    try {
      await eventually(async () => expect(statuses()).toEqual(['PACKED']));

      await redis.kill();
      // Published while Redis is away, this change would be lost; the resync after the reconnection brings it.
      orders.get('o1')!.status = 'SHIPPED';
      await redis.restart();
      await eventually(async () => expect(statuses()).toEqual(['PACKED', 'SHIPPED']));

      // A subgraph's own connection, published through the restarted server.
      const publisher = await RedisLivePubSub.connect({ url: redis.url, namespace });
      orders.get('o1')!.status = 'DELIVERED';
      await publisher.publish(liveChannels.orderUpdated('o1'), { orderId: 'o1' });
      await publisher.close();
      await eventually(async () => expect(statuses()).toEqual(['PACKED', 'SHIPPED', 'DELIVERED']));
      expect([connections, errors]).toEqual([1, []]);
    } finally {
      stop();
      await ws.dispose();
    }
  });
});

describe('APQ and rate limits while Redis is away', () => {
  it('answers hashes with PERSISTED_QUERY_NOT_FOUND and runs full queries unregistered, then registers again once Redis is back', async () => {
    await eventually(async () => expect((await post({ query, extensions: apq })).data?.users).toHaveLength(2));
    expect((await post({ extensions: apq })).data?.users).toHaveLength(2);

    const outages = logged('APQ store unreachable');
    await redis.kill();
    expect(await post({ extensions: apq })).toEqual({ status: 200, code: 'PERSISTED_QUERY_NOT_FOUND', data: undefined });
    const full = await post({ query, extensions: apq });
    expect([full.status, full.code]).toEqual([200, undefined]);
    expect(full.data?.users).toHaveLength(2);
    expect(logged('APQ store unreachable')).toBe(outages + 1);

    await redis.restart();
    const recoveries = logged('APQ store reachable again');
    await eventually(async () => {
      await post({ extensions: apq });
      expect(logged('APQ store reachable again')).toBe(recoveries + 1);
    });
    // Nothing was queued for later: the registration made while Redis was away is not there.
    expect(await post({ extensions: apq })).toEqual({ status: 200, code: 'PERSISTED_QUERY_NOT_FOUND', data: undefined });
    expect((await post({ query, extensions: apq })).status).toBe(200);
    expect((await post({ extensions: apq })).data?.users).toHaveLength(2);
  });

  it('counts requests in the process instead, so budgets still hold, and in Redis again once it is back', async () => {
    const outages = logged('counting in this process');
    await redis.kill();

    expect((await post({ query }, capped)).status).toBe(200);
    expect((await post({ query }, capped)).status).toBe(200);
    expect(await post({ query }, capped)).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(logged('counting in this process')).toBe(outages + 1);

    await redis.restart();
    // Redis counts from zero: its window knows nothing of the requests counted in the process.
    const recoveries = logged('rate limits are counted in Redis again');
    await eventually(async () => {
      await post({ query });
      expect(logged('rate limits are counted in Redis again')).toBe(recoveries + 1);
    });
    expect((await post({ query }, capped)).status).toBe(200);
  });
});
