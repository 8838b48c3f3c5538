import type { FormattedExecutionResult } from 'graphql';
import { InMemoryLivePubSub } from '@commerce/pubsub';
import { eventually, createLogger } from '@commerce/service-kit';
import { SharedSubscription } from '../src/subscriptions/shared-subscription';
import { LiveStream } from '../src/subscriptions/stream';

/**
 * One shared subscription with more subscribers than it writes to in one
 * turn of the event loop: every subscriber still gets every result once and
 * in order, and other work runs while a result is being handed out.
 */
describe('fan-out of a shared subscription', () => {
  const subscribers = 1_200;
  let live: InMemoryLivePubSub;

  beforeEach(() => {
    live = new InMemoryLivePubSub();
  });
  afterEach(async () => {
    await live.close();
  });

  function open(resolve: (message: object) => Promise<FormattedExecutionResult>) {
    let resolutions = 0;
    const shared = new SharedSubscription(
      { channels: ['stock'], initialEvent: null, resolve: async (message: object) => ({ result: await resolve(message), final: false }) },
      live,
      createLogger('gateway', 'silent'),
      () => resolutions++,
      () => undefined,
    );
    const received = Array.from({ length: subscribers }, () => [] as string[]);
    const streams = received.map((into) => {
      const stream = new LiveStream();
      stream.writeTo((serialized) => into.push(serialized));
      shared.add(stream, null);
      return stream;
    });
    return { shared, received, streams, resolutions: () => resolutions };
  }

  it('hands every subscriber every result, in order, from one resolution per message', async () => {
    const { shared, received, resolutions } = open(async (message) => ({ data: { ...message } }));
    await shared.ready;
    for (let n = 1; n <= 3; n++) await live.publish('stock', { n });
    await eventually(async () => expect(received.every((r) => r.length === 3)).toBe(true), 5_000, 5);
    for (const r of received) expect(r).toEqual(['{"data":{"n":1}}', '{"data":{"n":2}}', '{"data":{"n":3}}']);
    expect(resolutions()).toBe(3);
    await shared.stop();
  });

  it('lets other work run before the last subscriber has a result', async () => {
    let resolved!: () => void;
    const resolving = new Promise<void>((done) => (resolved = done));
    const { shared, received } = open(async (message) => {
      resolved();
      return { data: { ...message } };
    });
    await shared.ready;
    await live.publish('stock', { n: 1 });
    await resolving;
    // Queued as the fan-out begins: it runs at the first slice's end, not after every socket.
    const lastHadItThen = await new Promise<number>((done) => setImmediate(() => done(received[subscribers - 1]!.length)));
    expect(lastHadItThen).toBe(0);
    await eventually(async () => expect(received[subscribers - 1]).toHaveLength(1), 5_000, 5);
    await shared.stop();
  });

  it('reaches none of the subscribers that leave in the middle of a fan-out', async () => {
    let resolved!: () => void;
    const resolving = new Promise<void>((done) => (resolved = done));
    const { shared, received, streams } = open(async (message) => {
      resolved();
      return { data: { ...message } };
    });
    await shared.ready;
    await live.publish('stock', { n: 1 });
    await resolving;
    // After the first slice has gone out, the second half of the subscribers leaves.
    await new Promise<void>((done) => setImmediate(() => void Promise.all(streams.slice(subscribers / 2).map((s) => s.return())).then(() => done())));
    await eventually(async () => expect(received[subscribers / 2 - 1]).toHaveLength(1), 5_000, 5);
    await new Promise((done) => setTimeout(done, 50));
    expect(received.slice(subscribers / 2).every((r) => r.length === 0)).toBe(true);
    await shared.stop();
  });
});
