import { SetupSlots } from '../src/subscriptions/setup-slots';

const deferred = () => {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

/** Lets every settled promise's continuations run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('set-up slots', () => {
  it('runs at most the limit at once per key, the others in the order they came', async () => {
    const slots = new SetupSlots(2);
    const gates = Array.from({ length: 5 }, deferred);
    const started: number[] = [];
    const runs = gates.map((gate, n) =>
      slots.run('catalog', async () => {
        started.push(n);
        await gate.promise;
        return n;
      }),
    );
    await settle();
    expect(started).toEqual([0, 1]);
    gates[1]!.resolve();
    await settle();
    expect(started).toEqual([0, 1, 2]);
    gates[0]!.reject(new Error('subgraph down'));
    await expect(runs[0]).rejects.toThrow('subgraph down');
    await settle();
    expect(started).toEqual([0, 1, 2, 3]);
    for (const gate of gates) gate.resolve();
    expect(await Promise.all(runs.slice(1))).toEqual([1, 2, 3, 4]);
  });

  it('keeps keys apart: work for one subgraph never waits for another', async () => {
    const slots = new SetupSlots(1);
    const hung = deferred();
    void slots.run('catalog', () => hung.promise);
    const queued = jest.fn();
    void slots.run('catalog', async () => queued());
    expect(await slots.run('orders', async () => 'served')).toBe('served');
    expect(queued).not.toHaveBeenCalled();
    hung.resolve();
    await settle();
    expect(queued).toHaveBeenCalledTimes(1);
  });
});
