import jsonwebtoken from 'jsonwebtoken';
import { bearer, jwt, postGraphQL } from './helpers';
import { createGateway, type RunningGateway } from '../src/server';
import { accounts } from './fixtures/accounts';
import { reviewsSubgraph } from './fixtures/reviews';
import { composeFixtures, startFixture, type RunningFixture } from './fixtures/fixture';

const ada = { userId: 'u1', role: 'CUSTOMER' as const };
const grace = { userId: 'u2', role: 'SHOP_OWNER' as const };

let accountsServer: RunningFixture;
let reviewsServer: RunningFixture;
let gateway: RunningGateway;

beforeAll(async () => {
  accountsServer = await startFixture(accounts);
  reviewsServer = await startFixture(reviewsSubgraph);
  const supergraphSdl = composeFixtures([accounts, reviewsSubgraph], { accounts: accountsServer.url, reviews: reviewsServer.url });
  gateway = await createGateway({ supergraphSdl, jwt });
});

afterAll(async () => {
  await gateway?.close();
  await accountsServer?.server.close();
  await reviewsServer?.server.close();
});

beforeEach(() => {
  accountsServer.received.length = 0;
  reviewsServer.received.length = 0;
});

describe('gateway', () => {
  it('answers a query whose fields come from two subgraphs', async () => {
    const result = await postGraphQL(gateway.url, `{ topReviews { body author { name reviews { id } } } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data?.topReviews).toEqual([
      { body: 'Crusty and warm', author: { name: 'Ada', reviews: [{ id: 'r1' }, { id: 'r3' }] } },
      { body: 'Too salty', author: { name: 'Grace', reviews: [{ id: 'r2' }] } },
      { body: 'Perfect croissant', author: { name: 'Ada', reviews: [{ id: 'r1' }, { id: 'r3' }] } },
    ]);
  });

  it('forwards the verified caller to every subgraph it calls', async () => {
    const result = await postGraphQL(gateway.url, `{ me { name reviews { body } } whoami { userId role } }`, bearer(ada));
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      me: { name: 'Ada', reviews: [{ body: 'Crusty and warm' }, { body: 'Perfect croissant' }] },
      whoami: { userId: 'u1', role: 'CUSTOMER' },
    });
    expect(accountsServer.received.map((r) => r.identity)).toEqual([ada]);
    expect(reviewsServer.received.map((r) => r.identity)).toEqual([ada]);
  });

  it('sends no identity for a caller without a token', async () => {
    const result = await postGraphQL(gateway.url, `{ me { name } whoami { userId } }`);
    expect(result).toEqual({ data: { me: null, whoami: null } });
    expect(accountsServer.received.map((r) => r.identity)).toEqual([null]);
  });

  it('never passes on identity headers a client sent itself', async () => {
    const forged = { 'x-user-id': 'u2', 'x-user-role': 'ADMIN' };
    const anonymous = await postGraphQL(gateway.url, `{ whoami { userId role } }`, forged);
    expect(anonymous.data?.whoami).toBeNull();
    const signedIn = await postGraphQL(gateway.url, `{ whoami { userId role } }`, { ...forged, ...bearer(ada) });
    expect(signedIn.data?.whoami).toEqual({ userId: 'u1', role: 'CUSTOMER' });
    expect(accountsServer.received.map((r) => r.identity)).toEqual([null, ada]);
  });

  const claims = { subject: 'u1', issuer: jwt.issuer, audience: jwt.audience };
  it.each([
    ['a token signed with another secret', `Bearer ${jsonwebtoken.sign({ role: 'ADMIN' }, 'another-secret-of-enough-length', claims)}`],
    ['an expired token', `Bearer ${jsonwebtoken.sign({ role: 'CUSTOMER', exp: Math.floor(Date.now() / 1000) - 60 }, jwt.secret, claims)}`],
    ['a malformed token', 'Bearer not.a.jwt'],
    ['another scheme', 'Basic dTE6cGFzc3dvcmQ='],
  ])('refuses %s with UNAUTHENTICATED and a 401, calling no subgraph', async (_case, authorization) => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ query: '{ whoami { userId } }' }),
    });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect(accountsServer.received).toHaveLength(0);
  });

  it('sends two identical concurrent queries to each subgraph once', async () => {
    const query = `{ topReviews { body author { name } } }`;
    const [first, second] = await Promise.all([postGraphQL(gateway.url, query), postGraphQL(gateway.url, query)]);
    expect(first).toEqual(second);
    expect(first.errors).toBeUndefined();
    expect(reviewsServer.received).toHaveLength(1);
    expect(accountsServer.received).toHaveLength(1);
  });

  it('keeps concurrent identical queries of different callers apart', async () => {
    const query = `{ topReviews { id } }`;
    await Promise.all([postGraphQL(gateway.url, query, bearer(ada)), postGraphQL(gateway.url, query, bearer(grace))]);
    expect(reviewsServer.received.map((r) => r.identity?.userId).sort()).toEqual(['u1', 'u2']);
  });

  it('sends every mutation, however identical and concurrent', async () => {
    const mutation = `mutation { flagReview(id: "r2") { id } }`;
    const results = await Promise.all([postGraphQL(gateway.url, mutation), postGraphQL(gateway.url, mutation)]);
    expect(results.map((r) => r.data?.flagReview)).toEqual([{ id: 'r2' }, { id: 'r2' }]);
    expect(reviewsServer.received).toHaveLength(2);
  });

  it('answers /health/live always and /health/ready 503 once no subgraph answers, 200 again when one does', async () => {
    const lonely = await startFixture(accounts);
    const other = await startFixture(reviewsSubgraph);
    const probed = await createGateway({
      supergraphSdl: composeFixtures([accounts, reviewsSubgraph], { accounts: lonely.url, reviews: other.url }),
      jwt,
    });
    const statusOf = async (path: string) => (await fetch(new URL(path, probed.url))).status;
    try {
      expect(await statusOf('/health/ready')).toBe(200);
      expect(await statusOf('/health/live')).toBe(200);
      await lonely.server.close();
      await other.server.close();
      expect(await statusOf('/health/ready')).toBe(503);
      expect(await statusOf('/health/live')).toBe(200);
      const back = await startFixture(accounts, lonely.server.port);
      try {
        expect(await statusOf('/health/ready')).toBe(200);
      } finally {
        await back.server.close();
      }
    } finally {
      await probed.close();
    }
  });

  it('reports every subgraph on GET /health, and a down one without failing itself', async () => {
    const healthUrl = new URL('/health', gateway.url).toString();
    const ok = await fetch(healthUrl);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({
      status: 'ok',
      subgraphs: {
        accounts: { url: accountsServer.url, status: 'ok' },
        reviews: { url: reviewsServer.url, status: 'ok' },
      },
      // Queries are served without Redis; the missing live pub/sub is reported, not a 503.
      degraded: { redis: 'not configured: subscriptions are refused' },
    });

    const lonely = await startFixture(accounts);
    const down = await startFixture(reviewsSubgraph);
    const degraded = await createGateway({
      supergraphSdl: composeFixtures([accounts, reviewsSubgraph], { accounts: lonely.url, reviews: down.url }),
      jwt,
    });
    try {
      await down.server.close();
      const response = await fetch(new URL('/health', degraded.url));
      expect(response.status).toBe(200);
      const body = (await response.json()) as { subgraphs: Record<string, { status: string; reason?: unknown }> };
      expect(body.subgraphs.accounts?.status).toBe('ok');
      expect(body.subgraphs.reviews?.status).toBe('unavailable');
      expect(body.subgraphs.reviews?.reason).toBeTruthy();
      const partial = await postGraphQL(degraded.url, `{ users { name } }`);
      expect(partial.data?.users).toHaveLength(2);
    } finally {
      await degraded.close();
      await lonely.server.close();
    }
  });
});
