import { randomBytes, randomUUID } from 'node:crypto';
import { AmqpEventBus, BrokerUnavailableError, createEvent, type EventEnvelope } from '../src';
import { amqpUrl as url, closeConnections, deleteTopology } from './amqp-admin';
import { contractRetries, waitUntil } from './event-bus.contract';

const namespace = `test-${randomBytes(4).toString('hex')}`;
const queue = `reconnect.${randomBytes(4).toString('hex')}`;
let bus: AmqpEventBus | null = null;

afterEach(async () => {
  await bus?.close();
  bus = null;
  await deleteTopology(namespace, [queue], contractRetries.retryDelaysMs);
});

afterAll(async () => {
  await deleteTopology(namespace, [], [], true);
});

/** Publishes until the bus is back and the broker confirms, as the outbox relay does on its polls. */
async function publishWhenBack(target: AmqpEventBus, event: EventEnvelope): Promise<void> {
  await waitUntil(() => target.connected, 10_000, 20);
  await target.publish(event);
}

describe('AmqpEventBus after the broker closes its connection', () => {
  it('rejects publishes at once while disconnected, then reconnects, re-subscribes and delivers again', async () => {
    bus = await AmqpEventBus.connect({ url, namespace, ...contractRetries, reconnect: { initialDelayMs: 600, maxDelayMs: 600 } });
    const handled: string[] = [];
    await bus.subscribe({ queue, bindings: ['shop.#'], handle: async (event) => void handled.push(event.type) });
    await bus.publish(createEvent('shop.before', randomUUID(), {}));
    await waitUntil(() => handled.length === 1);

    await closeConnections(namespace);
    await waitUntil(() => !bus!.connected, 5_000);
    const started = Date.now();
    await expect(bus.publish(createEvent('shop.lost', randomUUID(), {}))).rejects.toBeInstanceOf(BrokerUnavailableError);
    expect(Date.now() - started).toBeLessThan(100);

    await publishWhenBack(bus, createEvent('shop.after', randomUUID(), {}));
    await waitUntil(() => handled.includes('shop.after'), 5_000);

    expect(handled).toEqual(['shop.before', 'shop.after']);
  });

  it('never acknowledges on the new connection a delivery whose channel died: the broker redelivers it', async () => {
    bus = await AmqpEventBus.connect({ url, namespace, ...contractRetries, reconnect: { initialDelayMs: 50, maxDelayMs: 200 } });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const deliveries: string[] = [];
    await bus.subscribe({
      queue,
      bindings: ['shop.#'],
      handle: async (event) => {
        deliveries.push(event.id);
        if (deliveries.length === 1) await gate;
      },
    });
    const event = createEvent('shop.stuck', randomUUID(), {});
    await bus.publish(event);
    await waitUntil(() => deliveries.length === 1);

    await closeConnections(namespace);
    await waitUntil(() => bus!.connected === false, 5_000);
    await waitUntil(() => bus!.connected, 10_000, 20);
    // The first handler finishes only now, its channel gone; the redelivery waits for it (same aggregate).
    release();
    await waitUntil(() => deliveries.length === 2, 5_000);

    expect(deliveries).toEqual([event.id, event.id]);
    const next = createEvent('shop.next', randomUUID(), {});
    await bus.publish(next);
    await waitUntil(() => deliveries.includes(next.id));
  });

  it('stops reconnecting once closed', async () => {
    bus = await AmqpEventBus.connect({ url, namespace, ...contractRetries, reconnect: { initialDelayMs: 300, maxDelayMs: 300 } });
    await bus.subscribe({ queue, bindings: ['shop.#'], handle: async () => undefined });

    await closeConnections(namespace);
    await waitUntil(() => !bus!.connected, 5_000);
    await bus.close();

    expect(bus.connected).toBe(false);
    await expect(bus.publish(createEvent('shop.closed', randomUUID(), {}))).rejects.toThrow('closed');
  });
});
