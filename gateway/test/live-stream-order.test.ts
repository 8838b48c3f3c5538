import type { FormattedExecutionResult } from 'graphql';
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
