import { randomUUID } from 'node:crypto';
import { createEvent, InMemoryEventBus } from '../src';
import { describeEventBusContract, sleep, waitUntil } from './event-bus.contract';

const contractBuses: InMemoryEventBus[] = [];

describeEventBusContract('InMemoryEventBus', {
  createBus: async (retries) => {
    const bus = new InMemoryEventBus(retries);
    contractBuses.push(bus);
    return bus;
  },
  deadLetters: async (queue) => contractBuses.flatMap((bus) => bus.deadLetters(queue)),
  cleanup: async () => void contractBuses.splice(0),
});

describe('InMemoryEventBus', () => {
  it('never runs a handler inside publish(), even once its promise has settled', async () => {
    const bus = new InMemoryEventBus();
    let handled = false;
    await bus.subscribe({ queue: 'async', bindings: ['#'], handle: async () => void (handled = true) });

    const publishing = bus.publish(createEvent('shop.opened', randomUUID(), {}));
    expect(handled).toBe(false);
    await publishing;
    expect(handled).toBe(false);
    await sleep(5);
    expect(handled).toBe(true);
    await bus.close();
  });

  it('binds a queue to the bindings of every subscription that names it', async () => {
    const bus = new InMemoryEventBus();
    const seen: string[] = [];
    await bus.subscribe({ queue: 'late', bindings: ['shop.*'], handle: async (event) => void seen.push(event.type) });
    await bus.subscribe({ queue: 'late', bindings: ['audit.*'], handle: async (event) => void seen.push(event.type) });

    await bus.publish(createEvent('audit.logged', randomUUID(), {}));
    await sleep(5);

    expect(seen).toEqual(['audit.logged']);
    await bus.close();
  });

  it('replays dead letters into their queue with a fresh set of attempts', async () => {
    const bus = new InMemoryEventBus({ maxAttempts: 2, retryDelaysMs: [5] });
    let failing = true;
    let calls = 0;
    await bus.subscribe({
      queue: 'replayed',
      bindings: ['shop.#'],
      handle: async () => {
        calls++;
        if (failing) throw new Error('not yet');
      },
    });
    const kept = createEvent('shop.kept', randomUUID(), {});
    const replayed = createEvent('shop.replayed', randomUUID(), {});
    await bus.publish(kept);
    await bus.publish(replayed);
    await waitUntil(() => bus.deadLetters('replayed').length === 2);

    failing = false;
    expect(bus.replayDeadLetters('replayed', { id: replayed.id })).toBe(1);
    await waitUntil(() => calls === 5);

    expect(bus.deadLetters('replayed').map((letter) => letter.eventId)).toEqual([kept.id]);
    await bus.close();
  });

  it('refuses to publish or subscribe once closed', async () => {
    const bus = new InMemoryEventBus();
    await bus.close();

    await expect(bus.publish(createEvent('shop.opened', randomUUID(), {}))).rejects.toThrow('closed');
    await expect(bus.subscribe({ queue: 'q', bindings: ['#'], handle: async () => undefined })).rejects.toThrow('closed');
  });
});
