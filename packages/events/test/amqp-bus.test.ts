import { randomBytes, randomUUID } from 'node:crypto';
import { AmqpEventBus, createEvent, listDeadLetters, queueTopology, type EventEnvelope } from '../src';
import { amqpUrl as url, deleteTopology, publishRaw, withChannel } from './amqp-admin';
import { contractRetries, describeEventBusContract, waitUntil } from './event-bus.contract';

// Each run gets its own namespace (exchange and queues), so runs never see each other's events.
const namespace = `test-${randomBytes(4).toString('hex')}`;
const exchange = `${namespace}.events`;
const qualified = (queue: string) => `${namespace}.${queue}`;

afterAll(async () => {
  await deleteTopology(namespace, [], [], true);
});

describeEventBusContract('AmqpEventBus', {
  createBus: (retries) => AmqpEventBus.connect({ url, namespace, ...retries }),
  deadLetters: (queue) => listDeadLetters({ url, namespace, queues: [queue] }),
  cleanup: (queues) => deleteTopology(namespace, queues, contractRetries.retryDelaysMs),
});

describe('AmqpEventBus', () => {
  const queue = `amqp.${randomBytes(4).toString('hex')}`;
  let bus: AmqpEventBus;

  beforeEach(async () => {
    bus = await AmqpEventBus.connect({ url, namespace, ...contractRetries });
  });

  afterEach(async () => {
    await bus.close();
    await deleteTopology(namespace, [queue], contractRetries.retryDelaysMs);
  });

  it('publishes persistent JSON messages carrying the event id and type', async () => {
    const event = createEvent('shop.opened', randomUUID(), { name: 'Corner shop' });

    const message = await withChannel(async (channel) => {
      await channel.assertQueue(qualified(queue), { durable: true });
      await channel.bindQueue(qualified(queue), exchange, 'shop.opened');
      await bus.publish(event);
      return channel.get(qualified(queue), { noAck: true });
    });

    expect(message).not.toBe(false);
    if (message === false) return;
    expect(message.fields.routingKey).toBe('shop.opened');
    expect(message.properties).toMatchObject({
      deliveryMode: 2,
      messageId: event.id,
      type: 'shop.opened',
      contentType: 'application/json',
      correlationId: event.correlationId,
    });
    expect(JSON.parse(message.content.toString())).toEqual(event);
  });

  it("sends the event's W3C trace context as message headers too, for consumers that read only headers", async () => {
    const traceparent = `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
    const event = createEvent('shop.opened', randomUUID(), {}, { traceparent });

    const message = await withChannel(async (channel) => {
      await channel.assertQueue(qualified(queue), { durable: true });
      await channel.bindQueue(qualified(queue), exchange, 'shop.opened');
      await bus.publish({ ...event, tracestate: 'vendor=1' });
      return channel.get(qualified(queue), { noAck: true });
    });

    expect(message && message.properties.headers).toEqual({ traceparent, tracestate: 'vendor=1' });
  });

  it('dead-letters messages that are not JSON envelopes at once, and still handles the next good message', async () => {
    const handled: EventEnvelope[] = [];
    await bus.subscribe({ queue, bindings: ['shop.#'], handle: async (event) => void handled.push(event) });
    await publishRaw(exchange, 'shop.garbage', [{ body: '{not json', messageId: 'm-1' }, { body: JSON.stringify({ id: 'x', type: 'shop.garbage' }) }]);
    const valid = createEvent('shop.opened', randomUUID(), {});

    await bus.publish(valid);
    await waitUntil(async () => handled.length === 1 && (await listDeadLetters({ url, namespace, queues: [queue] })).length === 2, 5_000, 20);

    expect(handled).toEqual([valid]);
    const letters = await listDeadLetters({ url, namespace, queues: [queue] });
    expect(letters).toMatchObject([
      { queue, eventId: 'm-1', attempts: 1, routingKey: 'shop.garbage', body: '{not json' },
      { queue, eventId: 'x', type: 'shop.garbage', attempts: 1, routingKey: 'shop.garbage' },
    ]);
    expect(letters[0]!.error).toMatch(/JSON/);
    expect(letters[1]!.error).toMatch(/^Invalid event envelope/);
    const mainQueue = await withChannel((channel) => channel.checkQueue(qualified(queue)));
    expect(mainQueue.messageCount).toBe(0);
  });

  it('as classic queues, subscribes to a main queue declared earlier without arguments, and puts arguments only on retry queues', async () => {
    await bus.close();
    bus = await AmqpEventBus.connect({ url, namespace, ...contractRetries, queueType: 'classic' });
    await withChannel((channel) => channel.assertQueue(qualified(queue), { durable: true }));

    await bus.subscribe({ queue, bindings: ['shop.opened'], handle: async () => undefined });

    const topology = queueTopology(namespace, queue, contractRetries.retryDelaysMs);
    expect(topology.retries.map((retry) => retry.name)).toEqual([50, 100, 200].map((ms) => `${qualified(queue)}.retry.${ms}ms`));
    // Re-declaring with the arguments the bus used succeeds only if they match.
    await withChannel(async (channel) => {
      for (const retry of topology.retries) {
        await channel.assertQueue(retry.name, { durable: true, messageTtl: retry.delayMs, deadLetterExchange: '', deadLetterRoutingKey: topology.main });
      }
    });
  });

  it('hands deliveries that had not started back to the queue on close()', async () => {
    let started = 0;
    await bus.subscribe({
      queue,
      bindings: ['shop.slow'],
      handle: async () => {
        started++;
        await new Promise((resolve) => setTimeout(resolve, 50));
      },
    });
    // One aggregate, so its events run one at a time and most are still waiting when close() starts.
    const aggregateId = randomUUID();
    for (let n = 0; n < 5; n++) await bus.publish(createEvent('shop.slow', aggregateId, { n }));
    await waitUntil(() => started > 0);

    await bus.close();
    const { messageCount } = await withChannel((channel) => channel.checkQueue(qualified(queue)));

    expect(messageCount).toBe(5 - started);
  });
});
