import { randomBytes } from 'node:crypto';
import type { LivePubSub } from '../src';

/** What the contract needs from an adapter's test file. */
export interface LivePubSubHarness {
  /** A new pub/sub in `namespace` on the shared transport (one Redis, one broker); the suite closes it. */
  create(namespace: string): Promise<LivePubSub>;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Long enough for a message that was going to arrive to have arrived. */
export const quietPeriodMs = 50;

export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('Timed out waiting for the condition');
    await sleep(5);
  }
}

export function inbox() {
  const messages: unknown[] = [];
  return { messages, onMessage: (message: unknown) => void messages.push(message) };
}

/**
 * The behaviour every LivePubSub adapter promises, run by each adapter's test
 * file so the quickstart's in-process pub/sub cannot drift from Redis's.
 */
export function describeLivePubSubContract(adapter: string, harness: LivePubSubHarness): void {
  describe(`${adapter}: the LivePubSub contract`, () => {
    const namespace = `contract-${randomBytes(4).toString('hex')}`;
    let opened: LivePubSub[] = [];
    const create = async (ns = namespace) => {
      const pubsub = await harness.create(ns);
      opened.push(pubsub);
      return pubsub;
    };

    afterEach(async () => {
      await Promise.all(opened.map((pubsub) => pubsub.close()));
      opened = [];
    });

    it('delivers a published message to a subscriber of its channel as a copy of the JSON', async () => {
      const pubsub = await create();
      const received = inbox();
      await pubsub.subscribe('orderUpdated.1', received.onMessage);

      const message = { orderId: '1', nested: { at: '2024-01-01T00:00:00.000Z' } };
      await pubsub.publish('orderUpdated.1', message);

      await waitUntil(() => received.messages.length === 1);
      expect(received.messages[0]).toEqual(message);
      expect(received.messages[0]).not.toBe(message);
    });

    it('delivers to every subscriber of a channel and to none of another channel', async () => {
      const publisher = await create();
      const listener = await create();
      const first = inbox();
      const second = inbox();
      const elsewhere = inbox();
      await publisher.subscribe('orderUpdated.1', first.onMessage);
      await listener.subscribe('orderUpdated.1', second.onMessage);
      await listener.subscribe('orderUpdated.2', elsewhere.onMessage);

      await publisher.publish('orderUpdated.1', { orderId: '1' });

      await waitUntil(() => first.messages.length === 1 && second.messages.length === 1);
      await sleep(quietPeriodMs);
      expect(elsewhere.messages).toEqual([]);
    });

    it('keeps the messages of one channel in publish order', async () => {
      const pubsub = await create();
      const received = inbox();
      await pubsub.subscribe('inventoryChanged.shop.1', received.onMessage);

      for (let stock = 0; stock < 5; stock += 1) await pubsub.publish('inventoryChanged.shop.1', { stock });

      await waitUntil(() => received.messages.length === 5);
      expect(received.messages).toEqual([0, 1, 2, 3, 4].map((stock) => ({ stock })));
    });

    it('stops delivering to a subscriber once it unsubscribes, and goes on delivering to the others', async () => {
      const pubsub = await create();
      const leaving = inbox();
      const staying = inbox();
      const unsubscribe = await pubsub.subscribe('orderUpdated.1', leaving.onMessage);
      await pubsub.subscribe('orderUpdated.1', staying.onMessage);

      await unsubscribe();
      await unsubscribe();
      await pubsub.publish('orderUpdated.1', { orderId: '1' });

      await waitUntil(() => staying.messages.length === 1);
      await sleep(quietPeriodMs);
      expect(leaving.messages).toEqual([]);
    });

    it('keeps delivering to the other subscribers when one of them throws', async () => {
      const pubsub = await create();
      const received = inbox();
      await pubsub.subscribe('orderUpdated.1', () => {
        throw new Error('subscriber bug');
      });
      await pubsub.subscribe('orderUpdated.1', received.onMessage);

      await pubsub.publish('orderUpdated.1', { orderId: '1' });
      await pubsub.publish('orderUpdated.1', { orderId: '1' });

      await waitUntil(() => received.messages.length === 2);
    });

    it('never carries a message across namespaces', async () => {
      const ours = await create();
      const alsoOurs = await create();
      const theirs = await create(`${namespace}-other`);
      const ourInbox = inbox();
      const theirInbox = inbox();
      await alsoOurs.subscribe('orderUpdated.1', ourInbox.onMessage);
      await theirs.subscribe('orderUpdated.1', theirInbox.onMessage);

      await ours.publish('orderUpdated.1', { orderId: '1' });

      await waitUntil(() => ourInbox.messages.length === 1);
      await sleep(quietPeriodMs);
      expect(theirInbox.messages).toEqual([]);
    });

    it('after close() delivers nothing more, refuses to publish, and lets late unsubscribes pass', async () => {
      const closing = await create();
      const publisher = await create();
      const received = inbox();
      const unsubscribe = await closing.subscribe('orderUpdated.1', received.onMessage);

      await closing.close();
      await closing.close();
      await publisher.publish('orderUpdated.1', { orderId: '1' });

      await sleep(quietPeriodMs);
      expect(received.messages).toEqual([]);
      await expect(closing.publish('orderUpdated.1', { orderId: '1' })).rejects.toThrow();
      await expect(unsubscribe()).resolves.toBeUndefined();
    });
  });
}
