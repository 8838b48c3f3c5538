import { randomBytes, randomUUID } from 'node:crypto';
import { connect, type ChannelModel } from 'amqplib';
import { AmqpEventBus, createEvent, type EventEnvelope } from '../src';
import { describeEventBusContract, waitUntil } from './event-bus.contract';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
// Each run gets its own namespace (exchange and queues), so runs never see each other's events.
const namespace = `test-${randomBytes(4).toString('hex')}`;
const exchange = `${namespace}.events`;
const qualified = (queue: string) => `${namespace}.${queue}`;

let admin: ChannelModel;

beforeAll(async () => {
  admin = await connect(url);
});

afterAll(async () => {
  const channel = await admin.createChannel();
  await channel.deleteExchange(exchange);
  await admin.close();
});

async function deleteQueues(queues: string[]): Promise<void> {
  const channel = await admin.createChannel();
  for (const queue of queues) await channel.deleteQueue(qualified(queue));
  await channel.close();
}

describeEventBusContract('AmqpEventBus', {
  createBus: () => AmqpEventBus.connect({ url, namespace }),
  cleanup: deleteQueues,
});

describe('AmqpEventBus', () => {
  const queue = `amqp.${randomBytes(4).toString('hex')}`;
  let bus: AmqpEventBus;

  beforeEach(async () => {
    bus = await AmqpEventBus.connect({ url, namespace });
  });

  afterEach(async () => {
    await bus.close();
    await deleteQueues([queue]);
  });

  it('publishes persistent JSON messages carrying the event id and type', async () => {
    const channel = await admin.createChannel();
    await channel.assertQueue(qualified(queue), { durable: true });
    await channel.bindQueue(qualified(queue), exchange, 'shop.opened');
    const event = createEvent('shop.opened', randomUUID(), { name: 'Corner shop' });

    await bus.publish(event);
    const message = await channel.get(qualified(queue), { noAck: true });
    await channel.close();

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

  it('acknowledges and drops messages that are not JSON envelopes instead of redelivering them', async () => {
    const handled: EventEnvelope[] = [];
    await bus.subscribe({ queue, bindings: ['shop.#'], handle: async (event) => void handled.push(event) });
    const channel = await admin.createConfirmChannel();
    channel.publish(exchange, 'shop.garbage', Buffer.from('{not json'));
    channel.publish(exchange, 'shop.garbage', Buffer.from(JSON.stringify({ id: 'x', type: 'shop.garbage' })));
    await channel.waitForConfirms();
    const valid = createEvent('shop.opened', randomUUID(), {});

    await bus.publish(valid);
    await waitUntil(() => handled.length === 1);
    await bus.close();
    const { messageCount } = await channel.checkQueue(qualified(queue));
    await channel.close();

    expect(handled).toEqual([valid]);
    expect(messageCount).toBe(0);
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
    const channel = await admin.createChannel();
    const { messageCount } = await channel.checkQueue(qualified(queue));
    await channel.close();

    expect(messageCount).toBe(5 - started);
  });
});
