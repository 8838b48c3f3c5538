import { randomUUID } from 'node:crypto';
import { createEvent, InMemoryEventBus } from '../src';
import { describeEventBusContract, sleep } from './event-bus.contract';

describeEventBusContract('InMemoryEventBus', {
  createBus: async () => new InMemoryEventBus(),
  cleanup: async () => undefined,
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

  it('refuses to publish or subscribe once closed', async () => {
    const bus = new InMemoryEventBus();
    await bus.close();

    await expect(bus.publish(createEvent('shop.opened', randomUUID(), {}))).rejects.toThrow('closed');
    await expect(bus.subscribe({ queue: 'q', bindings: ['#'], handle: async () => undefined })).rejects.toThrow('closed');
  });
});
