import { randomBytes, randomUUID } from 'node:crypto';
import { AmqpEventBus, createEvent, listDeadLetters, replayDeadLetters } from '../src';
import { amqpUrl as url, deleteTopology } from './amqp-admin';
import { waitUntil } from './event-bus.contract';

const namespace = `test-${randomBytes(4).toString('hex')}`;
const queue = `letters.${randomBytes(4).toString('hex')}`;
const retries = { maxAttempts: 2, retryDelaysMs: [20] };
let bus: AmqpEventBus;

beforeEach(async () => {
  bus = await AmqpEventBus.connect({ url, namespace, ...retries });
});

afterEach(async () => {
  await bus.close();
  await deleteTopology(namespace, [queue], retries.retryDelaysMs);
});

afterAll(async () => {
  await deleteTopology(namespace, [], [], true);
});

describe('listDeadLetters and replayDeadLetters', () => {
  it('lists dead letters without consuming them, and replays only the one asked for', async () => {
    let failing = true;
    const handled: string[] = [];
    await bus.subscribe({
      queue,
      bindings: ['shop.#'],
      handle: async (event) => {
        if (failing) throw new Error('payments provider down');
        handled.push(event.id);
      },
    });
    const first = createEvent('shop.first', randomUUID(), {});
    const second = createEvent('shop.second', randomUUID(), {});
    await bus.publish(first);
    await bus.publish(second);
    const list = () => listDeadLetters({ url, namespace, queues: [queue, 'no.such.queue'] });
    await waitUntil(async () => (await list()).length === 2, 5_000, 20);

    const letters = await list();
    expect(letters.map((letter) => letter.eventId).sort()).toEqual([first.id, second.id].sort());
    expect(letters[0]).toMatchObject({ queue, attempts: 2, error: 'payments provider down' });
    expect(await list()).toEqual(letters);

    failing = false;
    const replayed = await replayDeadLetters({ url, namespace, queue, id: second.id });
    await waitUntil(() => handled.length === 1);

    expect(replayed.map((letter) => letter.eventId)).toEqual([second.id]);
    expect(handled).toEqual([second.id]);
    expect((await list()).map((letter) => letter.eventId)).toEqual([first.id]);

    expect((await replayDeadLetters({ url, namespace, queue })).map((letter) => letter.eventId)).toEqual([first.id]);
    await waitUntil(() => handled.length === 2);
    expect(await list()).toEqual([]);
  });

  it('refuses to replay into a queue that does not exist, where the broker would drop the messages', async () => {
    await expect(replayDeadLetters({ url, namespace, queue: 'no.such.queue' })).rejects.toThrow('does not exist');
  });
});
