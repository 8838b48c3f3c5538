import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisLivePubSub } from '../src';
import { OwnRedisServer } from '../src/testing';
import { describeLivePubSubContract, inbox, waitUntil } from './live-pubsub.contract';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describeLivePubSubContract('RedisLivePubSub', {
  create: (namespace) => RedisLivePubSub.connect({ url: redisUrl, namespace }),
});

describe('RedisLivePubSub', () => {
  const namespace = `redis-${randomBytes(4).toString('hex')}`;
  let admin: Redis;
  let pubsub: RedisLivePubSub;

  beforeAll(async () => {
    admin = new Redis(redisUrl);
    pubsub = await RedisLivePubSub.connect({ url: redisUrl, namespace });
  });
  afterAll(async () => {
    await pubsub.close();
    await admin.quit();
  });

  const subscribers = async (channel: string) => {
    const reply = (await admin.call('PUBSUB', 'NUMSUB', channel)) as [string, number];
    return Number(reply[1]);
  };

  it('prefixes channels with the namespace and holds one Redis subscription per channel, dropped with its last subscriber', async () => {
    const channel = `${namespace}.orderUpdated.42`;
    const first = await pubsub.subscribe('orderUpdated.42', inbox().onMessage);
    const second = await pubsub.subscribe('orderUpdated.42', inbox().onMessage);
    expect(await subscribers(channel)).toBe(1);

    await first();
    expect(await subscribers(channel)).toBe(1);
    await second();
    expect(await subscribers(channel)).toBe(0);
  });

  it('publishes and subscribes on two separate connections', async () => {
    const clients = ((await admin.call('CLIENT', 'LIST')) as string).split('\n');
    const named = (role: string) => clients.filter((line) => line.includes(` name=${namespace}:live:${role} `));
    expect(named('publisher')).toHaveLength(1);
    expect(named('subscriber')).toHaveLength(1);
  });

  it('carries the message as JSON that any Redis client can read', async () => {
    const listener = admin.duplicate();
    const raw: string[] = [];
    listener.on('message', (_channel: string, message: string) => raw.push(message));
    await listener.subscribe(`${namespace}.inventoryChanged.shop.7`);

    await pubsub.publish('inventoryChanged.shop.7', { productId: 'p', stock: 3 });

    await waitUntil(() => raw.length === 1);
    expect(JSON.parse(raw[0]!)).toEqual({ productId: 'p', stock: 3 });
    await listener.quit();
  });

  it.each(['redis://127.0.0.1:1', 'redis-sentinel://127.0.0.1:1/commerce', 'redis-cluster://127.0.0.1:1'])(
    'fails to connect, leaving no connection behind, when Redis is unreachable (%s)',
    async (url) => {
      await expect(RedisLivePubSub.connect({ url, namespace })).rejects.toThrow();
    },
  );
});

describe('RedisLivePubSub while Redis is away', () => {
  let redis: OwnRedisServer;
  const unhandled: unknown[] = [];
  const record = (reason: unknown) => void unhandled.push(reason);

  beforeAll(async () => {
    redis = await OwnRedisServer.start();
    process.on('unhandledRejection', record);
  });
  afterAll(async () => {
    process.off('unhandledRejection', record);
    await redis.kill();
  });

  it('lets the last subscriber of a channel leave without a failure escaping as an unhandled rejection, which would end the process', async () => {
    const pubsub = await RedisLivePubSub.connect({ url: redis.url, namespace: `away-${randomBytes(4).toString('hex')}` });
    const unsubscribe = await pubsub.subscribe('orderUpdated.1', inbox().onMessage);
    await redis.kill();
    // The UNSUBSCRIBE waits for Redis until the connection gives up on it, after its 20 retries (about 21 s).
    await unsubscribe();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(unhandled).toEqual([]);
    await pubsub.close();
  }, 60_000);
});
