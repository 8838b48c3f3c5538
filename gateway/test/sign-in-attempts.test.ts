import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { RedisSignInAttempts } from '../src/limits/redis-sign-in-attempts';
import { InMemorySignInAttempts, type SignInAttempts } from '../src/limits/sign-in-attempts';

/** One contract for the counters of failed sign-ins: in process (the quickstart) and in Redis (shared by every instance). */

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const namespace = `sign-in-test-${randomBytes(4).toString('hex')}`;
const opened: SignInAttempts[] = [];

afterAll(async () => {
  for (const attempts of opened) await attempts.close();
  const redis = new Redis(redisUrl);
  const keys = await redis.keys(`${namespace}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

async function inRedis(windowMs: number): Promise<SignInAttempts> {
  const attempts = await RedisSignInAttempts.connect({ url: redisUrl, namespace: `${namespace}-${randomBytes(2).toString('hex')}`, windowMs });
  opened.push(attempts);
  return attempts;
}

const account = { key: 'account:a', limit: 2 };
const address = { key: 'address:1', limit: 3 };

describe.each([
  ['in process', async (windowMs: number) => new InMemorySignInAttempts(windowMs)],
  ['in Redis', inRedis],
])('the sign-in attempts contract (%s)', (_name, create) => {
  it('lets attempts through up to each limit, then refuses without counting, with the time the window has left', async () => {
    const attempts = await create(60_000);
    expect(await attempts.take([account, address])).toEqual({ allowed: true });
    expect(await attempts.take([account, address])).toEqual({ allowed: true });
    const refused = await attempts.take([account, address]);
    expect(refused).toEqual({ allowed: false, budget: account, retryAfterMs: expect.any(Number) });
    expect(refused.allowed === false && refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.allowed === false && refused.retryAfterMs).toBeLessThanOrEqual(60_000);
    // The refused attempt did not count against the address: it has one left for another account.
    expect(await attempts.take([{ key: 'account:b', limit: 2 }, address])).toEqual({ allowed: true });
    expect(await attempts.take([{ key: 'account:c', limit: 2 }, address])).toEqual({ allowed: false, budget: address, retryAfterMs: expect.any(Number) });
  });

  it('gives attempts back, never below none', async () => {
    const attempts = await create(60_000);
    await attempts.refund([account.key]);
    await attempts.take([account]);
    await attempts.take([account]);
    await attempts.refund([account.key]);
    expect(await attempts.take([account])).toEqual({ allowed: true });
    expect((await attempts.take([account])).allowed).toBe(false);
  });

  it("forgets an account's attempts once cleared", async () => {
    const attempts = await create(60_000);
    await attempts.take([account]);
    await attempts.take([account]);
    await attempts.clear(account.key);
    expect(await attempts.take([account])).toEqual({ allowed: true });
  });

  it('opens a new window once the last has ended', async () => {
    const attempts = await create(200);
    await attempts.take([account]);
    await attempts.take([account]);
    const refused = await attempts.take([account]);
    expect(refused.allowed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, (refused.allowed === false ? refused.retryAfterMs : 0) + 50));
    expect(await attempts.take([account])).toEqual({ allowed: true });
  });
});
