import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { eventually } from '../src/eventually';
import { InMemoryRevokedSessions, RedisRevokedSessions, type RevokedSessions } from '../src/revoked-sessions';

/**
 * One contract for both stores of revoked sessions: the quickstart's memory
 * and the Redis every gateway instance asks.
 */

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const namespace = `revoked-test-${randomBytes(4).toString('hex')}`;
const stores: RevokedSessions[] = [];
let admin: Redis;

beforeAll(() => {
  admin = new Redis(redisUrl);
});

afterAll(async () => {
  for (const store of stores) await store.close();
  const keys = await admin.keys(`${namespace}:*`);
  if (keys.length > 0) await admin.del(...keys);
  await admin.quit();
});

function opened<T extends RevokedSessions>(store: T): T {
  stores.push(store);
  return store;
}

const inProcess = new InMemoryRevokedSessions();

describe.each([
  // The quickstart's processes share one list; every Redis-backed one shares what Redis holds.
  ['in process', () => opened(new InMemoryRevokedSessions()), () => inProcess],
  ['in Redis', () => opened(RedisRevokedSessions.open({ url: redisUrl, namespace })), () => opened(RedisRevokedSessions.open({ url: redisUrl, namespace }))],
])('the revoked sessions contract (%s)', (_name, create, shared) => {
  it('knows a session once it is added', async () => {
    const store = create();
    const sessionId = randomUUID();
    await store.add(sessionId, 60);
    expect(await store.has(sessionId)).toBe(true);
  });

  it('does not know a session that was never added', async () => {
    const store = create();
    await store.add(randomUUID(), 60);
    expect(await store.has(randomUUID())).toBe(false);
  });

  it('forgets a session once its time is up', async () => {
    const store = create();
    const sessionId = randomUUID();
    const other = randomUUID();
    await store.add(sessionId, 1);
    await store.add(other, 60);
    await sleep(1_200);
    expect(await store.has(sessionId)).toBe(false);
    expect(await store.has(other)).toBe(true);
  });

  it('picks the revoked ones out of many sessions', async () => {
    const store = create();
    const revoked = [randomUUID(), randomUUID()];
    for (const sessionId of revoked) await store.add(sessionId, 60);
    expect(await store.revokedAmong([randomUUID(), revoked[1]!, randomUUID(), revoked[0]!])).toEqual([revoked[1], revoked[0]]);
    expect(await store.revokedAmong([])).toEqual([]);
  });

  it('announces each addition to the watchers of the list, wherever it was added, until they stop watching', async () => {
    const [writer, reader] = [shared(), shared()];
    const heard: string[] = [];
    const unwatch = reader.watch({ revoked: (sessionId) => heard.push(sessionId), missed: () => undefined });
    const sessionId = randomUUID();
    // Added until heard: a Redis watcher hears only what is published once its subscription is in place.
    await eventually(async () => {
      await writer.add(sessionId, 60);
      expect(heard).toContain(sessionId);
    });
    unwatch();
    const later = randomUUID();
    await writer.add(later, 60);
    // The same list read back proves the addition went through; the stopped watcher was not told.
    expect(await reader.has(later)).toBe(true);
    expect(heard).not.toContain(later);
  });
});

describe('RedisRevokedSessions', () => {
  it('stores each session under the namespace with a time to live, so Redis forgets it by itself', async () => {
    const store = opened(RedisRevokedSessions.open({ url: redisUrl, namespace }));
    const sessionId = randomUUID();
    await store.add(sessionId, 60);
    const ttl = await admin.pttl(`${namespace}:revoked-session:${sessionId}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('rejects at once instead of waiting while Redis cannot be reached', async () => {
    const store = opened(RedisRevokedSessions.open({ url: 'redis://127.0.0.1:1', namespace }));
    await expect(store.has(randomUUID())).rejects.toThrow();
    // A second attempt tries again rather than hanging on the first one's failure.
    await expect(store.has(randomUUID())).rejects.toThrow();
  }, 5_000);
});
