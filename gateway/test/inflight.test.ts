import { InflightDeduplicator } from '../src/upstream/inflight';
import { cloneJson } from '../src/upstream/json-clone';

const deferred = <T>() => {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

describe('in-flight deduplication', () => {
  it('runs identical concurrent work once and gives every caller an object of its own', async () => {
    const dedup = new InflightDeduplicator<{ data: { n: number[] } }>(cloneJson);
    const gate = deferred<{ data: { n: number[] } }>();
    let runs = 0;
    const work = () => {
      runs += 1;
      return gate.promise;
    };
    const callers = [dedup.run('k', work), dedup.run('k', work), dedup.run('k', work)];
    gate.resolve({ data: { n: [1, 2] } });
    const results = await Promise.all(callers);
    expect(runs).toBe(1);
    expect(dedup.stats).toEqual({ started: 1, joined: 2 });
    expect(results.every((r) => r.data.n.length === 2)).toBe(true);
    results[0]!.data.n.push(3);
    expect(results[1]!.data.n).toEqual([1, 2]);
    expect(new Set(results).size).toBe(3);
    expect(new Set(results.map((r) => r.data.n)).size).toBe(3);
  });

  it('starts afresh once the work has settled, so it never serves an old answer', async () => {
    const dedup = new InflightDeduplicator<number>((n) => n);
    let runs = 0;
    await dedup.run('k', async () => ++runs);
    expect(await dedup.run('k', async () => ++runs)).toBe(2);
    expect(dedup.inflight).toBe(0);
  });

  it('keeps different keys apart and hands a failure to every caller that waited for it', async () => {
    const dedup = new InflightDeduplicator<number>((n) => n);
    const gate = deferred<number>();
    const a = dedup.run('a', () => gate.promise);
    const a2 = dedup.run('a', () => Promise.resolve(0));
    const b = dedup.run('b', async () => 7);
    gate.reject(new Error('subgraph down'));
    await expect(a).rejects.toThrow('subgraph down');
    await expect(a2).rejects.toThrow('subgraph down');
    expect(await b).toBe(7);
    expect(dedup.inflight).toBe(0);
  });
});
