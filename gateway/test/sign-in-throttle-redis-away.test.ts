import { GraphQLError } from 'graphql';
import { createLogger } from '@commerce/service-kit';
import { OwnRedisServer } from '@commerce/pubsub/testing';
import { RedisSignInAttempts } from '../src/limits/redis-sign-in-attempts';
import { InMemorySignInAttempts } from '../src/limits/sign-in-attempts';
import { SignInThrottle } from '../src/limits/sign-in-throttle';

/**
 * While Redis is away the throttle counts in its own process, so an outage
 * never buys unlimited guesses; once Redis is back it counts there again.
 */

let redis: OwnRedisServer;
let attempts: RedisSignInAttempts;
const windowMs = 60_000;
const limits = { perAccount: 2, perAddress: 100 };

beforeAll(async () => {
  redis = await OwnRedisServer.start();
  attempts = await RedisSignInAttempts.connect({ url: redis.url, namespace: 'throttle-away', windowMs });
});

afterAll(async () => {
  await attempts.close();
  await redis.kill();
});

const throttle = () => new SignInThrottle(attempts, limits, createLogger('gateway', 'silent'), new InMemorySignInAttempts(windowMs));

async function failedAttempt(subject: SignInThrottle, email: string): Promise<GraphQLError | null> {
  const attempt = await subject.begin(email, '203.0.113.7');
  if (attempt instanceof GraphQLError) return attempt;
  await attempt.settle('wrong credentials');
  return null;
}

it('counts wrong passwords in this process while Redis is away, and in Redis once it is back', async () => {
  const subject = throttle();
  await redis.kill();

  expect(await failedAttempt(subject, 'away@example.com')).toBeNull();
  expect(await failedAttempt(subject, 'away@example.com')).toBeNull();
  const refused = await failedAttempt(subject, 'away@example.com');
  expect(refused?.extensions).toMatchObject({ code: 'TOO_MANY_SIGN_IN_ATTEMPTS', retryAfter: expect.any(Number) });

  await redis.restart();
  // The fail-fast connection comes back by itself.
  for (let tries = 0; tries < 100 && (await attempts.take([{ key: 'probe', limit: 1000 }]).catch(() => null)) === null; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  // In Redis: a second instance sharing it sees the same account's count.
  const other = throttle();
  expect(await failedAttempt(other, 'shared@example.com')).toBeNull();
  expect(await failedAttempt(subject, 'shared@example.com')).toBeNull();
  expect((await failedAttempt(other, 'shared@example.com'))?.extensions).toMatchObject({ code: 'TOO_MANY_SIGN_IN_ATTEMPTS' });
});
