import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisLivePubSub } from '../src';
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
