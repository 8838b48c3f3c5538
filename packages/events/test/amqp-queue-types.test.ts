import { randomBytes, randomUUID } from 'node:crypto';
import { AmqpEventBus, createEvent, listDeadLetters, queueTopology, type EventLogger } from '../src';
import { amqpUrl as url, deleteTopology, publishRaw, queueTypes, withChannel } from './amqp-admin';
import { contractRetries, waitUntil } from './event-bus.contract';

const namespace = `test-${randomBytes(4).toString('hex')}`;
const queue = `types.${randomBytes(4).toString('hex')}`;
const topology = queueTopology(namespace, queue, contractRetries.retryDelaysMs);
const allQueues = [topology.main, topology.dead, ...topology.retries.map((retry) => retry.name)];
let bus: AmqpEventBus | null = null;

afterEach(async () => {
  await bus?.close();
  bus = null;
  await deleteTopology(namespace, [queue], contractRetries.retryDelaysMs);
});

afterAll(async () => {
  await deleteTopology(namespace, [], [], true);
});

/** Records warnings, for the one a mismatched queue must produce. */
function recordingLogger(): EventLogger & { warnings: string[] } {
  const warnings: string[] = [];
  const ignore = () => undefined;
  return { warnings, debug: ignore, info: ignore, error: ignore, warn: (_fields, message) => void warnings.push(message ?? '') };
}

/** Subscribes, publishes one event and waits for it, so the topology is declared and works end to end. */
async function subscribeAndDeliver(target: AmqpEventBus): Promise<void> {
  const handled: string[] = [];
  await target.subscribe({ queue, bindings: ['shop.#'], handle: async (event) => void handled.push(event.id) });
  const event = createEvent('shop.opened', randomUUID(), {});
  await target.publish(event);
  await waitUntil(() => handled.includes(event.id), 5_000);
}

describe('AmqpEventBus queue types', () => {
  it('declares every queue of a subscription (main, dead letters, retries) as a quorum queue by default', async () => {
    bus = await AmqpEventBus.connect({ url, namespace, ...contractRetries });
    await subscribeAndDeliver(bus);

    const types = await queueTypes(namespace);
    expect(Object.fromEntries(allQueues.map((name) => [name, types[name]]))).toEqual(Object.fromEntries(allQueues.map((name) => [name, 'quorum'])));
  });

  it('retries through quorum retry queues (message TTL, then back to the main queue) until the handler succeeds', async () => {
    bus = await AmqpEventBus.connect({ url, namespace, ...contractRetries });
    let calls = 0;
    await bus.subscribe({
      queue,
      bindings: ['shop.#'],
      handle: async () => {
        if (++calls < 3) throw new Error('not yet');
      },
    });
    await bus.publish(createEvent('shop.flaky', randomUUID(), {}));

    await waitUntil(() => calls === 3, 10_000);
    expect(await listDeadLetters({ url, namespace, queues: [queue] })).toEqual([]);
  });

  it('dead-letters a message whose deliveries never get settled once the delivery limit is reached', async () => {
    bus = await AmqpEventBus.connect({ url, namespace, ...contractRetries, deliveryLimit: 1 });
    await bus.subscribe({ queue, bindings: ['shop.#'], handle: async () => undefined });
    await bus.close();
    bus = null;
    const event = createEvent('shop.crashing', randomUUID(), {});
    // A consumer that takes the message and dies without settling it, twice: the broker's own count is all that sees it.
    await publishRaw(`${namespace}.events`, event.type, [{ body: JSON.stringify(event), messageId: event.id }]);
    for (let delivery = 0; delivery < 2; delivery++) {
      await withChannel(async (channel) => {
        await waitUntil(async () => (await channel.checkQueue(topology.main)).messageCount === 1, 5_000, 20);
        expect(await channel.get(topology.main, { noAck: false })).not.toBe(false);
      });
    }

    await waitUntil(async () => (await listDeadLetters({ url, namespace, queues: [queue] })).length === 1, 5_000, 20);
    expect(await listDeadLetters({ url, namespace, queues: [queue] })).toMatchObject([
      { queue, eventId: event.id, type: 'shop.crashing', error: 'dead-lettered by RabbitMQ: delivery_limit', routingKey: 'shop.crashing', deadLetteredAt: expect.stringMatching(/^20\d\d-/) },
    ]);
  });

  it('declares classic queues when configured to', async () => {
    bus = await AmqpEventBus.connect({ url, namespace, ...contractRetries, queueType: 'classic' });
    await subscribeAndDeliver(bus);

    const types = await queueTypes(namespace);
    expect(allQueues.map((name) => types[name])).toEqual(allQueues.map(() => 'classic'));
  });

  it('keeps consuming a classic queue an earlier version declared, with a warning saying how to convert it', async () => {
    await withChannel((channel) => channel.assertQueue(topology.main, { durable: true }));
    const logger = recordingLogger();
    bus = await AmqpEventBus.connect({ url, namespace, ...contractRetries, logger });

    await subscribeAndDeliver(bus);

    const types = await queueTypes(namespace);
    expect(types[topology.main]).toBe('classic');
    expect(types[topology.dead]).toBe('quorum');
    expect(logger.warnings).toEqual([expect.stringContaining(`RabbitMQ queue ${topology.main} exists with other arguments than a quorum queue`)]);
    expect(bus.problem()).toBeNull();
  });
});
