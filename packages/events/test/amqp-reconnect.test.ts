import { randomBytes, randomUUID } from 'node:crypto';
import { AmqpEventBus, BrokerUnavailableError, createEvent, queueTopology, type EventEnvelope } from '../src';
import { amqpUrl as url, closeConnections, deleteTopology, queueTypes, rabbitmqctl } from './amqp-admin';
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

  it('re-declares its whole topology, as quorum queues, on a broker that lost it while it was away', async () => {
    // A vhost of its own, whose permissions hold the bus off until its queues are gone.
    const vhost = `${namespace}-lost`;
    await rabbitmqctl('add_vhost', vhost);
    try {
      await rabbitmqctl('set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*');
      bus = await AmqpEventBus.connect({ url: `${url}/${vhost}`, namespace, ...contractRetries, reconnect: { initialDelayMs: 50, maxDelayMs: 200 } });
      const handled: string[] = [];
      await bus.subscribe({ queue, bindings: ['shop.#'], handle: async (event) => void handled.push(event.type) });
      const topology = queueTopology(namespace, queue, contractRetries.retryDelaysMs);
      const names = [topology.main, topology.dead, ...topology.retries.map((retry) => retry.name)];

      await rabbitmqctl('clear_permissions', '-p', vhost, 'guest');
      await closeConnections(namespace);
      await waitUntil(() => !bus!.connected, 5_000);
      for (const name of names) await rabbitmqctl('delete_queue', '-p', vhost, name);
      expect(await queueTypes(namespace, vhost)).toEqual({});
      await rabbitmqctl('set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*');

      await publishWhenBack(bus, createEvent('shop.after', randomUUID(), {}));
      await waitUntil(() => handled.includes('shop.after'), 5_000);
      expect(await queueTypes(namespace, vhost)).toEqual(Object.fromEntries(names.map((name) => [name, 'quorum'])));
    } finally {
      await bus?.close();
      bus = null;
      await rabbitmqctl('delete_vhost', vhost);
    }
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
