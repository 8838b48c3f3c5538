import { randomBytes, randomUUID } from 'node:crypto';
import { createEvent, InvalidEventError, type DeadLetter, type EventBus, type EventEnvelope } from '../src';

/** Retry settings the suite runs with: short, so exhausting them takes a fraction of a second. */
export const contractRetries = { maxAttempts: 3, retryDelaysMs: [50, 100, 200] };

/** What the contract needs from an adapter's test file. */
export interface EventBusHarness {
  /** A new bus on the shared infrastructure, with these retry settings; the suite closes it. */
  createBus(retries: typeof contractRetries): Promise<EventBus>;
  /** The dead letters of a queue (unqualified name), left in place. */
  deadLetters(queue: string): Promise<DeadLetter[]>;
  /** Called after each test, once its buses are closed, with the queues it used. */
  cleanup(queues: string[]): Promise<void>;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs = 5_000, pollMs = 5): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('Timed out waiting for the condition');
    await sleep(pollMs);
  }
}

function recorder(delayMs = 0) {
  const events: EventEnvelope[] = [];
  return {
    events,
    types: () => events.map((event) => event.type),
    handle: async (event: EventEnvelope) => {
      if (delayMs > 0) await sleep(delayMs);
      events.push(event);
    },
  };
}

/**
 * The behaviour every EventBus adapter promises, run against each adapter by
 * its own test file so the in-process bus cannot drift from RabbitMQ's.
 */
export function describeEventBusContract(adapter: string, harness: EventBusHarness): void {
  describe(`${adapter}: the EventBus contract`, () => {
    const run = randomBytes(4).toString('hex');
    let buses: EventBus[] = [];
    let queues: string[] = [];

    const newBus = async () => {
      const bus = await harness.createBus(contractRetries);
      buses.push(bus);
      return bus;
    };
    const queueName = (name: string) => {
      const queue = `contract.${run}.${name}.${queues.length}`;
      queues.push(queue);
      return queue;
    };
    /** Events of one aggregate, so the per-aggregate order guarantee applies. */
    const aggregate = () => {
      const id = randomUUID();
      return (type: string, payload: unknown = {}) => createEvent(type, id, payload);
    };

    afterEach(async () => {
      await Promise.all(buses.map((bus) => bus.close()));
      await harness.cleanup(queues);
      buses = [];
      queues = [];
    });

    it('delivers an event, unchanged, to a queue bound to its exact type and not to queues bound to other types', async () => {
      const bus = await newBus();
      const placed = recorder();
      await bus.subscribe({ queue: queueName('placed'), bindings: ['shop.order.placed'], handle: placed.handle });
      const event = aggregate();
      const cancelled = event('shop.order.cancelled');
      const placedEvent = event('shop.order.placed', { orderId: 'o-1', lines: [{ quantity: 2 }] });

      await bus.publish(cancelled);
      await bus.publish(placedEvent);
      await waitUntil(() => placed.events.length === 1);

      // Order within a queue is kept, so had the first event been routed here it would have come first.
      expect(placed.events).toEqual([placedEvent]);
    });

    it('matches `*` to exactly one word and `#` to zero or more words, delivering once per queue', async () => {
      const bus = await newBus();
      const done = 'sentinel.done';
      const star = recorder();
      const hash = recorder();
      const suffix = recorder();
      const overlapping = recorder();
      await bus.subscribe({ queue: queueName('star'), bindings: ['shop.*', done], handle: star.handle });
      await bus.subscribe({ queue: queueName('hash'), bindings: ['shop.#', done], handle: hash.handle });
      await bus.subscribe({ queue: queueName('suffix'), bindings: ['#.placed', done], handle: suffix.handle });
      await bus.subscribe({ queue: queueName('overlap'), bindings: ['shop.#', '#.placed', done], handle: overlapping.handle });
      const event = aggregate();

      for (const type of ['shop', 'shop.order', 'shop.order.placed', 'other.placed', done]) await bus.publish(event(type));
      await waitUntil(() => [star, hash, suffix, overlapping].every((queue) => queue.types().includes(done)));

      expect(star.types()).toEqual(['shop.order', done]);
      expect(hash.types()).toEqual(['shop', 'shop.order', 'shop.order.placed', done]);
      expect(suffix.types()).toEqual(['shop.order.placed', 'other.placed', done]);
      expect(overlapping.types()).toEqual(['shop', 'shop.order', 'shop.order.placed', 'other.placed', done]);
    });

    it('gives every queue bound to a type its own copy of each event', async () => {
      const bus = await newBus();
      const first = recorder();
      const second = recorder();
      await bus.subscribe({ queue: queueName('first'), bindings: ['shop.order.placed'], handle: first.handle });
      await bus.subscribe({ queue: queueName('second'), bindings: ['shop.order.*'], handle: second.handle });

      const event = aggregate()('shop.order.placed');
      await bus.publish(event);
      await waitUntil(() => first.events.length === 1 && second.events.length === 1);

      expect(first.events).toEqual([event]);
      expect(second.events).toEqual([event]);
    });

    it('shares one queue between competing consumers, each event handled by exactly one of them', async () => {
      const bus = await newBus();
      const queue = queueName('shared');
      const a = recorder(3);
      const b = recorder(3);
      await bus.subscribe({ queue, bindings: ['shop.job'], handle: a.handle });
      await bus.subscribe({ queue, bindings: ['shop.job'], handle: b.handle });

      const published = Array.from({ length: 20 }, () => createEvent('shop.job', randomUUID(), {}));
      for (const event of published) await bus.publish(event);
      await waitUntil(() => a.events.length + b.events.length === published.length);
      await sleep(30);

      expect(a.events.length).toBeGreaterThan(0);
      expect(b.events.length).toBeGreaterThan(0);
      const handled = [...a.events, ...b.events].map((event) => event.id).sort();
      expect(handled).toEqual(published.map((event) => event.id).sort());
    });

    it("handles one aggregate's events on a queue one at a time, in publish order", async () => {
      const bus = await newBus();
      const handled: number[] = [];
      let running = 0;
      let overlapped = false;
      await bus.subscribe({
        queue: queueName('ordered'),
        bindings: ['shop.step'],
        handle: async (event) => {
          const { n } = event.payload as { n: number };
          overlapped ||= running > 0;
          running++;
          // Uneven handling times: a concurrent consumer would finish out of order.
          await sleep(n % 3 === 0 ? 4 : 0);
          handled.push(n);
          running--;
        },
      });
      const event = aggregate();

      for (let n = 0; n < 25; n++) await bus.publish(event('shop.step', { n }));
      await waitUntil(() => handled.length === 25);

      expect(handled).toEqual(Array.from({ length: 25 }, (_, n) => n));
      expect(overlapped).toBe(false);
    });

    it('retries a failing event after growing delays until a later attempt succeeds', async () => {
      const bus = await newBus();
      const attemptTimes: number[] = [];
      const event = createEvent('shop.flaky', randomUUID(), {});
      await bus.subscribe({
        queue: queueName('flaky'),
        bindings: ['shop.flaky'],
        handle: async () => {
          attemptTimes.push(Date.now());
          if (attemptTimes.length < 3) throw new Error(`fails on attempt ${attemptTimes.length}`);
        },
      });

      await bus.publish(event);
      await waitUntil(() => attemptTimes.length === 3);

      const [first, second, third] = attemptTimes as [number, number, number];
      // Lower bounds only: a loaded machine may be late, never early.
      expect(second - first).toBeGreaterThanOrEqual(contractRetries.retryDelaysMs[0]! - 5);
      expect(third - second).toBeGreaterThanOrEqual(contractRetries.retryDelaysMs[1]! - 5);
    });

    it('dead-letters an event that still fails after the last attempt, with the error, and keeps delivering the rest', async () => {
      const bus = await newBus();
      const queue = queueName('failing');
      const attempts = new Map<string, number>();
      const succeeded: string[] = [];
      await bus.subscribe({
        queue,
        bindings: ['shop.#'],
        handle: async (event) => {
          const attempt = (attempts.get(event.type) ?? 0) + 1;
          attempts.set(event.type, attempt);
          if (event.type === 'shop.poison') throw new Error(`always fails (attempt ${attempt})`);
          succeeded.push(event.type);
        },
      });
      const poison = createEvent('shop.poison', randomUUID(), {});

      await bus.publish(poison);
      await bus.publish(createEvent('shop.after', randomUUID(), {}));
      await waitUntil(async () => (await harness.deadLetters(queue)).length === 1, 5_000, 20);

      expect(succeeded).toEqual(['shop.after']);
      expect(attempts.get('shop.poison')).toBe(contractRetries.maxAttempts);
      const [letter] = await harness.deadLetters(queue);
      expect(letter).toMatchObject({
        queue,
        eventId: poison.id,
        type: 'shop.poison',
        attempts: contractRetries.maxAttempts,
        error: `always fails (attempt ${contractRetries.maxAttempts})`,
        routingKey: 'shop.poison',
      });
      expect(Date.parse(letter!.deadLetteredAt)).toBeGreaterThan(Date.now() - 10_000);
      expect(JSON.parse(letter!.body)).toEqual(poison);

      await bus.publish(createEvent('shop.later', randomUUID(), {}));
      await waitUntil(() => succeeded.includes('shop.later'));
    });

    it('dead-letters an event whose handler reports it invalid without retrying it', async () => {
      const bus = await newBus();
      const queue = queueName('invalid');
      let calls = 0;
      const after = recorder();
      await bus.subscribe({
        queue,
        bindings: ['shop.#'],
        handle: async (event) => {
          if (event.type !== 'shop.bad') return after.handle(event);
          calls++;
          throw new InvalidEventError('breaks its contract');
        },
      });
      const bad = createEvent('shop.bad', randomUUID(), {});

      await bus.publish(bad);
      await bus.publish(createEvent('shop.good', randomUUID(), {}));
      await waitUntil(async () => after.events.length === 1 && (await harness.deadLetters(queue)).length === 1, 5_000, 20);

      expect(calls).toBe(1);
      expect(await harness.deadLetters(queue)).toMatchObject([{ eventId: bad.id, attempts: 1, error: 'breaks its contract' }]);
    });

    it('refuses to publish something that is not a valid envelope', async () => {
      const bus = await newBus();
      const event = createEvent('shop.order.placed', randomUUID(), {});

      await expect(bus.publish({ ...event, id: 'not-a-uuid' })).rejects.toBeInstanceOf(InvalidEventError);
    });

    it('waits in close() for the handlers already running, and starts none after it', async () => {
      const bus = await newBus();
      let started = 0;
      let finished = 0;
      await bus.subscribe({
        queue: queueName('draining'),
        bindings: ['shop.slow'],
        handle: async () => {
          started++;
          await sleep(60);
          finished++;
        },
      });
      for (let n = 0; n < 5; n++) await bus.publish(createEvent('shop.slow', randomUUID(), {}));
      await waitUntil(() => started > 0);

      await bus.close();
      expect(finished).toBe(started);
      const startedAtClose = started;
      await sleep(30);
      expect(started).toBe(startedAtClose);
    });
  });
}
