import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { domainEvent, type EventEnvelope } from '@commerce/events';
import { InMemoryLivePubSub, liveChannels, type LivePubSub } from '@commerce/pubsub';
import { createLogger, eventually, liveEvents, orderUpdates } from '../src';

/** A logger whose JSON lines are kept, to see what was reported. */
function recordingLogger() {
  const lines: { msg: string }[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: createLogger('test', 'error', destination), lines };
}

const settled = (orderId: string) => domainEvent('payment.settled', orderId, { orderId, paymentId: randomUUID(), status: 'CAPTURED' });

it('publishes each announced event’s messages, in the order the events were announced', async () => {
  const live = new InMemoryLivePubSub({ namespace: 'test' });
  const events = liveEvents({ service: 'payments', live, announcer: orderUpdates(['payment.settled']), logger: recordingLogger().logger });
  const [first, second] = [randomUUID(), randomUUID()];
  const heard: unknown[] = [];
  for (const orderId of [first, second]) await live.subscribe(liveChannels.orderUpdated(orderId), (message) => heard.push(message));

  events.announce([settled(first)]);
  events.announce([settled(second), domainEvent('payment.declined', first, { orderId: first, paymentId: randomUUID(), reason: 'no' }), settled(first)]);
  await events.settled();

  // The declined payment is not among the announcer's types: nothing is published for it.
  await eventually(async () => expect(heard).toEqual([{ orderId: first }, { orderId: second }, { orderId: first }]), 2_000, 5);
  await live.close();
});

it('logs a failed publish and goes on with the next event', async () => {
  const inner = new InMemoryLivePubSub({ namespace: 'test' });
  let failNext = true;
  const flaky: LivePubSub = {
    publish: (channel, message) => {
      if (!failNext) return inner.publish(channel, message);
      failNext = false;
      return Promise.reject(new Error('Redis is away'));
    },
    subscribe: (channel, onMessage) => inner.subscribe(channel, onMessage),
    onResubscribed: inner.onResubscribed.bind(inner),
    problem: () => inner.problem(),
    close: () => inner.close(),
  };
  const { logger, lines } = recordingLogger();
  const events = liveEvents({ service: 'payments', live: flaky, announcer: orderUpdates(['payment.settled']), logger });
  const [lost, kept] = [randomUUID(), randomUUID()];
  const heard: unknown[] = [];
  await inner.subscribe(liveChannels.orderUpdated(kept), (message) => heard.push(message));

  events.announce([settled(lost), settled(kept)]);
  await events.settled();

  await eventually(async () => expect(heard).toEqual([{ orderId: kept }]), 2_000, 5);
  expect(lines.map((line) => line.msg)).toEqual(['Could not publish a live update']);
  await flaky.close();
});

it('announces nothing for an event whose payload breaks its contract, and says so', async () => {
  const live = new InMemoryLivePubSub({ namespace: 'test' });
  const { logger, lines } = recordingLogger();
  const events = liveEvents({ service: 'payments', live, announcer: orderUpdates(['payment.settled']), logger });
  const orderId = randomUUID();
  const heard: unknown[] = [];
  await live.subscribe(liveChannels.orderUpdated(orderId), (message) => heard.push(message));
  const broken = { ...settled(orderId), payload: { orderId } } as EventEnvelope;

  events.announce([broken, settled(orderId)]);
  await events.settled();

  await eventually(async () => expect(heard).toEqual([{ orderId }]), 2_000, 5);
  expect(lines.map((line) => line.msg)).toEqual(['A committed event has no valid live message; nothing announced']);
  await live.close();
});
