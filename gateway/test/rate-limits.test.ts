import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { ExecutionResult } from 'graphql';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import Redis from 'ioredis';
import pino from 'pino';
import WebSocket from 'ws';
import { InMemoryLivePubSub, liveChannels } from '@commerce/pubsub';
import { eventually } from '@commerce/service-kit';
import { bearer, jwt } from './helpers';
import { createGateway, type RunningGateway } from '../src/server';
import { InMemoryRateLimiter, type RateLimiter } from '../src/limits/rate-limiter';
import { RedisRateLimiter } from '../src/limits/redis-rate-limiter';
import { ClientPolicies } from '../src/operations/client-policies';
import { accounts } from './fixtures/accounts';
import { composeFixtures, startFixture, type RunningFixture } from './fixtures/fixture';
import { orders, ordersSubgraph } from './fixtures/orders';

/**
 * Rate limits: the limiter contract (in process and in Redis), then the
 * gateway's budgets per client and per user, counted in real Redis and
 * shared by every instance.
 */

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const namespace = `rate-test-${randomBytes(4).toString('hex')}`;
const ada = { userId: 'u1', role: 'CUSTOMER' as const };
const grace = { userId: 'u2', role: 'CUSTOMER' as const };
const logger = pino({ level: 'warn' }, new Writable({ write: (_chunk, _enc, done) => done() }));
const limiters: RateLimiter[] = [];

afterAll(async () => {
  for (const limiter of limiters) await limiter.close();
  const redis = new Redis(redisUrl);
  const keys = await redis.keys(`${namespace}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

async function redisLimiter(windowMs?: number, suffix = ''): Promise<RateLimiter> {
  const limiter = await RedisRateLimiter.connect({ url: redisUrl, namespace: namespace + suffix, windowMs });
  limiters.push(limiter);
  return limiter;
}

describe.each([
  ['in process', async (windowMs?: number) => new InMemoryRateLimiter(windowMs)],
  ['in Redis', async (windowMs?: number) => redisLimiter(windowMs, `:contract-${randomBytes(2).toString('hex')}`)],
])('the rate limiter contract (%s)', (_name, create) => {
  it('admits up to the limit in a window, then refuses with the time the window has left', async () => {
    const limiter = await create(60_000);
    const budget = { key: 'client:a', limit: 2 };
    expect(await limiter.take([budget])).toEqual({ allowed: true });
    expect(await limiter.take([budget])).toEqual({ allowed: true });
    const refused = await limiter.take([budget]);
    expect(refused).toEqual({ allowed: false, budget, retryAfterMs: expect.any(Number) });
    expect(refused.allowed === false && refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.allowed === false && refused.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('keeps a count per key', async () => {
    const limiter = await create();
    expect(await limiter.take([{ key: 'client:b', limit: 1 }])).toEqual({ allowed: true });
    expect((await limiter.take([{ key: 'client:b', limit: 1 }])).allowed).toBe(false);
    expect(await limiter.take([{ key: 'client:c', limit: 1 }])).toEqual({ allowed: true });
  });

  it('stops at the first spent budget, charging none after it', async () => {
    const limiter = await create();
    const user = { key: 'user:d:u1', limit: 1 };
    const client = { key: 'client:d', limit: 2 };
    expect(await limiter.take([user, client])).toEqual({ allowed: true });
    expect(await limiter.take([user, client])).toEqual({ allowed: false, budget: user, retryAfterMs: expect.any(Number) });
    expect(await limiter.take([user, client])).toEqual({ allowed: false, budget: user, retryAfterMs: expect.any(Number) });
    // The client was charged once, for the one admitted request.
    expect(await limiter.take([client])).toEqual({ allowed: true });
    expect((await limiter.take([client])).allowed).toBe(false);
  });

  it('admits again once the window has ended', async () => {
    const limiter = await create(300);
    const budget = { key: 'client:e', limit: 1 };
    expect(await limiter.take([budget])).toEqual({ allowed: true });
    expect((await limiter.take([budget])).allowed).toBe(false);
    await eventually(async () => expect(await limiter.take([budget])).toEqual({ allowed: true }));
  });
});

describe('the gateway', () => {
  let directory: string;
  let policies: ClientPolicies;
  let fixtures: RunningFixture[];
  let supergraphSdl: string;
  const live = new InMemoryLivePubSub({ namespace });
  const gateways: RunningGateway[] = [];
  const wsClients: WsClient[] = [];

  async function startInstance(windowMs?: number): Promise<RunningGateway> {
    const gateway = await createGateway({ supergraphSdl, jwt, live, logger, clients: policies.current, rateLimiter: await redisLimiter(windowMs) });
    gateways.push(gateway);
    return gateway;
  }

  let first: RunningGateway;
  let second: RunningGateway;

  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'rate-limits-'));
    // One client per test, so each starts with a fresh budget in this minute's window.
    const config = {
      anonymous: { mode: 'ALLOW', rateLimit: { perMinute: 2 } },
      clients: {
        shared: { mode: 'ALLOW', rateLimit: { perMinute: 3 } },
        users: { mode: 'ALLOW', rateLimit: { perMinute: 100, perUserPerMinute: 2 } },
        live: { mode: 'ALLOW', rateLimit: { perMinute: 3 } },
        brief: { mode: 'ALLOW', rateLimit: { perMinute: 1 } },
      },
    };
    await writeFile(path.join(directory, 'clients.json'), JSON.stringify(config));
    policies = await ClientPolicies.watch(path.join(directory, 'clients.json'), logger);
    fixtures = [await startFixture(accounts), await startFixture(ordersSubgraph)];
    supergraphSdl = composeFixtures([accounts, ordersSubgraph], Object.fromEntries(fixtures.map((f) => [f.name, f.url])));
    first = await startInstance();
    second = await startInstance();
  });

  afterAll(async () => {
    for (const ws of wsClients) await ws.dispose();
    for (const gateway of gateways) await gateway.close();
    for (const fixture of fixtures ?? []) await fixture.server.close();
    policies?.stop();
    await live.close();
    await rm(directory, { recursive: true, force: true });
  });

  interface Answer {
    status: number;
    retryAfter: string | null;
    body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string; retryAfter?: number } }[] };
  }

  const reached = () => fixtures.reduce((sum, fixture) => sum + fixture.received.length, 0);

  async function post(gateway: RunningGateway, headers: Record<string, string>, query = '{ users { id } }'): Promise<Answer> {
    const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Answer['body'] };
  }

  function expectLimited(answer: Answer): void {
    expect([answer.status, answer.body.errors?.[0]?.extensions?.code]).toEqual([429, 'RATE_LIMITED']);
    const seconds = Number(answer.retryAfter);
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(60);
    expect(answer.body.errors?.[0]?.extensions?.retryAfter).toBe(seconds);
  }

  it("shares a client's budget between two instances on one Redis, answering 429 with Retry-After", async () => {
    const shared = { 'apollographql-client-name': 'shared' };
    for (const gateway of [first, second, first]) expect((await post(gateway, shared)).status).toBe(200);
    const before = reached();
    expectLimited(await post(second, shared));
    expectLimited(await post(first, shared));
    expect(reached()).toBe(before);
  });

  it("keeps each user's budget apart from another user's", async () => {
    const users = (identity: typeof ada) => ({ 'apollographql-client-name': 'users', ...bearer(identity) });
    expect((await post(first, users(ada))).status).toBe(200);
    expect((await post(second, users(ada))).status).toBe(200);
    const limited = await post(first, users(ada));
    expectLimited(limited);
    expect(limited.body.errors?.[0]?.message).toContain('this user of client users');
    expect((await post(first, users(grace))).status).toBe(200);
    expect((await post(second, users(grace))).status).toBe(200);
  });

  it('counts unknown app names against the anonymous budget', async () => {
    expect((await post(first, { 'apollographql-client-name': 'made-up-1' })).status).toBe(200);
    expect((await post(second, {})).status).toBe(200);
    expectLimited(await post(first, { 'apollographql-client-name': 'made-up-2' }));
  });

  it('counts a subscription once when it subscribes, not per event, and refuses one over the budget', async () => {
    const subscribe = () => {
      const ws = createWsClient({ url: first.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { clientName: 'live', ...bearer(ada) }, retryAttempts: 0 });
      wsClients.push(ws);
      const results: ExecutionResult[] = [];
      const ended = new Promise<unknown>((resolve) =>
        ws.subscribe({ query: 'subscription { orderUpdated(orderId: "o1") { status } }' }, { next: (r) => void results.push(r as ExecutionResult), error: resolve, complete: () => resolve(null) }),
      );
      return { results, ended };
    };
    orders.get('o1')!.status = 'PACKED';
    const watching = subscribe();
    await eventually(async () => expect(watching.results).toHaveLength(1));
    // One at a time: each event reads the order as it is when resolved.
    for (const [index, status] of ['SHIPPED', 'OUT_FOR_DELIVERY', 'RETURNED'].entries()) {
      orders.get('o1')!.status = status;
      await live.publish(liveChannels.orderUpdated('o1'), { orderId: 'o1' });
      await eventually(async () => expect(watching.results).toHaveLength(index + 2));
    }
    // One subscribe counted of three: two queries still fit, the next subscribe does not.
    const liveApp = { 'apollographql-client-name': 'live' };
    expect((await post(second, liveApp)).status).toBe(200);
    expect((await post(first, liveApp)).status).toBe(200);
    const refused = (await subscribe().ended) as { extensions?: { code?: string; retryAfter?: number } }[];
    expect(refused[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(refused[0]?.extensions?.retryAfter).toBeGreaterThanOrEqual(1);
  });

  it('admits again when the window ends', async () => {
    const brief = await startInstance(500);
    const headers = { 'apollographql-client-name': 'brief' };
    expect((await post(brief, headers)).status).toBe(200);
    expectLimited(await post(brief, headers));
    await eventually(async () => expect((await post(brief, headers)).status).toBe(200));
  });
});
