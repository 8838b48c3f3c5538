import { randomBytes } from 'node:crypto';
import { closeRedis, openRedis, RedisLivePubSub } from '../src';
import { describeLivePubSubContract, inbox, waitUntil } from './live-pubsub.contract';
import { startCluster, startSentinel, type RedisTopology } from './redis-topologies';

/**
 * REDIS_URL's Sentinel and Cluster forms against real ones, started here on
 * spare ports: the live pub/sub contract holds through both, and plain
 * commands (what APQ, rate limits and revoked sessions use) reach the data.
 */
describe.each([
  ['a Sentinel-watched master', startSentinel],
  ['a three-node Redis Cluster', startCluster],
])('Redis through %s', (_name, start) => {
  let topology: RedisTopology;

  beforeAll(async () => {
    topology = await start();
  }, 60_000);

  afterAll(async () => {
    await topology?.stop();
  });

  describeLivePubSubContract('RedisLivePubSub', { create: (namespace) => RedisLivePubSub.connect({ url: topology.url, namespace }) });

  it('sets and reads keys spread over the servers', async () => {
    const namespace = `topology-${randomBytes(4).toString('hex')}`;
    const redis = await openRedis({ url: topology.url, namespace, role: 'test', failFast: true });
    try {
      const keys = Array.from({ length: 20 }, (_, n) => `${namespace}:key:${n}`);
      for (const key of keys) await redis.set(key, key, 'EX', 60);
      expect(await Promise.all(keys.map((key) => redis.get(key)))).toEqual(keys);
    } finally {
      await closeRedis(redis);
    }
  });

  it('delivers between two pub/subs on different connections', async () => {
    const namespace = `topology-${randomBytes(4).toString('hex')}`;
    const [publisher, subscriber] = [await RedisLivePubSub.connect({ url: topology.url, namespace }), await RedisLivePubSub.connect({ url: topology.url, namespace })];
    try {
      const received = inbox();
      await subscriber.subscribe('orderUpdated.7', received.onMessage);
      await publisher.publish('orderUpdated.7', { orderId: '7' });
      await waitUntil(() => received.messages.length === 1, 5_000);
      expect(received.messages).toEqual([{ orderId: '7' }]);
    } finally {
      await publisher.close();
      await subscriber.close();
    }
  });

  it('keeps a long run of one channel in publish order between two pub/subs (a Cluster node picked per PUBLISH would not)', async () => {
    const namespace = `topology-${randomBytes(4).toString('hex')}`;
    const [publisher, subscriber] = [await RedisLivePubSub.connect({ url: topology.url, namespace }), await RedisLivePubSub.connect({ url: topology.url, namespace })];
    try {
      const received = inbox();
      await subscriber.subscribe('inventoryChanged.shop.9', received.onMessage);
      const sent = Array.from({ length: 200 }, (_, stock) => ({ stock }));
      for (const message of sent) await publisher.publish('inventoryChanged.shop.9', message);
      await waitUntil(() => received.messages.length === sent.length, 10_000);
      expect(received.messages).toEqual(sent);
    } finally {
      await publisher.close();
      await subscriber.close();
    }
  });
});
