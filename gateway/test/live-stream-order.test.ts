import type { FormattedExecutionResult } from 'graphql';
import { InMemoryLivePubSub } from '@commerce/pubsub';
import { createLogger, eventually } from '@commerce/service-kit';
import { SharedSubscription } from '../src/subscriptions/shared-subscription';
import { LiveStream, type Delivery } from '../src/subscriptions/stream';

/** One subscriber's stream, written to a list as the WebSocket transport writes it to its socket. */
function streamWithInitial(sequence: number | undefined, startedAfter: number) {
  const sent: string[] = [];
  const stream = new LiveStream();
  stream.setInitial(shows(sequence), startedAfter, false, sequence);
  stream.writeTo((serialized) => sent.push(serialized));
  void stream.next();
  return { stream, sent: () => sent.map((text) => (JSON.parse(text) as { data: { sequence: number | null } }).data.sequence) };
}

const shows = (sequence: number | undefined): FormattedExecutionResult => ({ data: { sequence: sequence ?? null } });
const delivery = (sequence: number | undefined, resolution: number): Delivery => {
  const result = shows(sequence);
  return { result, serialized: JSON.stringify(result), resolution, sequence };
};

describe("a subscriber's stream after its current state", () => {
  it('sends a change that a resolution started earlier read after the current state was read', async () => {
    const { stream, sent } = streamWithInitial(4, 10);
    stream.deliver(delivery(5, 9));
    stream.deliver(delivery(6, 11));
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent()).toEqual([4, 5, 6]);
    await stream.return();
  });

  it('skips a change older than the current state, however late it was resolved', async () => {
    const { stream, sent } = streamWithInitial(4, 10);
    stream.deliver(delivery(3, 11));
    stream.deliver(delivery(5, 12));
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent()).toEqual([4, 5]);
    await stream.return();
  });

  it('goes by the order resolutions started when the subgraph reports no changes', async () => {
    const { stream, sent } = streamWithInitial(undefined, 10);
    stream.deliver({ ...delivery(undefined, 9), serialized: '{"data":{"sequence":-1}}', result: { data: { sequence: -1 } } });
    stream.deliver({ ...delivery(undefined, 11), serialized: '{"data":{"sequence":1}}', result: { data: { sequence: 1 } } });
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent()).toEqual([null, 1]);
    await stream.return();
  });
});

describe('a shared subscription whose subscribers read their current states at different changes', () => {
  it('still sends the next change to the one whose current state was read earlier, when the later read finished first', async () => {
    const live = new InMemoryLivePubSub({ namespace: 'stream-order' });
    let current = 2;
    const resolve = async (message: object) => {
      const named = (message as { sequence?: number }).sequence;
      const sequence = named ?? current;
      return { result: shows(sequence), final: false, sequence };
    };
    const shared = new SharedSubscription({ channels: ['orderUpdated.o9'], initialEvent: { orderId: 'o9' }, resolve }, live, createLogger('test', 'silent'), () => undefined, () => undefined);
    await shared.ready;
    const early = new LiveStream();
    const late = new LiveStream();
    const sent = new Map<LiveStream, number[]>();
    for (const stream of [early, late]) {
      shared.add(stream, null);
      sent.set(stream, []);
    }
    // The later read (the order at its 2nd change) finishes first; the earlier one saw the 1st.
    shared.startsAt(2);
    late.setInitial(shows(2), 0, false, 2);
    shared.startsAt(1);
    early.setInitial(shows(1), 0, false, 1);
    for (const stream of [early, late]) {
      stream.writeTo((text) => sent.get(stream)!.push((JSON.parse(text) as { data: { sequence: number } }).data.sequence));
      void stream.next();
    }
    current = 3;
    await live.publish('orderUpdated.o9', { orderId: 'o9', sequence: 2 });
    await live.publish('orderUpdated.o9', { orderId: 'o9', sequence: 3 });
    await eventually(async () => expect(sent.get(early)).toEqual([1, 2, 3]), 5_000);
    expect(sent.get(late)).toEqual([2, 3]);
    await shared.stop();
    await live.close();
  });
});
