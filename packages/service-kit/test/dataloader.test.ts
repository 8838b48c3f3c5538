import { loaderByKey, loaderOfLists } from '../src/dataloader';

describe('per-request loaders', () => {
  it('load a batch in one call and answer in key order, with null for missing keys', async () => {
    const calls: (readonly string[])[] = [];
    const loader = loaderByKey(
      async (keys: readonly string[]) => {
        calls.push(keys);
        return keys.filter((k) => k !== 'missing').map((k) => ({ id: k })).reverse();
      },
      (row) => row.id,
    );
    const results = await Promise.all(['a', 'missing', 'b'].map((k) => loader.load(k)));
    expect(results).toEqual([{ id: 'a' }, null, { id: 'b' }]);
    expect(calls).toEqual([['a', 'missing', 'b']]);
  });

  it('group rows by foreign key, giving an empty list to keys without rows', async () => {
    const loader = loaderOfLists(
      async () => [
        { orderId: 'o1', n: 1 },
        { orderId: 'o2', n: 2 },
        { orderId: 'o1', n: 3 },
      ],
      (row) => row.orderId,
    );
    expect(await loader.loadMany(['o1', 'o2', 'o3'])).toEqual([
      [
        { orderId: 'o1', n: 1 },
        { orderId: 'o1', n: 3 },
      ],
      [{ orderId: 'o2', n: 2 }],
      [],
    ]);
  });
});
