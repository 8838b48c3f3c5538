import { Rounds } from '../src/rounds';

/** A round that stays open until released, counting how many were started. */
function gatedRounds(whileRunning: 'join' | 'follow') {
  let started = 0;
  const gates: (() => void)[] = [];
  const rounds = new Rounds<number>({
    round: () => {
      started += 1;
      const number = started;
      return new Promise<number>((resolve) => gates.push(() => resolve(number)));
    },
    idle: 0,
    firstAfterMs: 60_000,
    intervalMs: 60_000,
    whileRunning,
  });
  const releaseNext = async () => {
    while (gates.length === 0) await new Promise((resolve) => setImmediate(resolve));
    gates.shift()!();
  };
  return { rounds, started: () => started, releaseNext };
}

it('starts a requested round at once when none runs', () => {
  const { rounds, started } = gatedRounds('follow');
  void rounds.request();
  expect(started()).toBe(1);
});

it('joins the running round when asked to', async () => {
  const { rounds, started, releaseNext } = gatedRounds('join');
  const first = rounds.request();
  const second = rounds.request();
  await releaseNext();
  expect(await first).toBe(1);
  expect(await second).toBe(1);
  expect(started()).toBe(1);
});

it('follows the running round with one more, shared by every request until it starts', async () => {
  const { rounds, started, releaseNext } = gatedRounds('follow');
  const first = rounds.request();
  const second = rounds.request();
  const third = rounds.request();
  await releaseNext();
  await releaseNext();
  expect(await first).toBe(1);
  expect(await second).toBe(2);
  expect(await third).toBe(2);
  expect(started()).toBe(2);
});

it('never runs two rounds at once, even when asked just as one ends', async () => {
  let running = 0;
  let most = 0;
  const rounds = new Rounds<number>({
    round: async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setImmediate(resolve));
      running -= 1;
      return 0;
    },
    idle: 0,
    firstAfterMs: 60_000,
    intervalMs: 60_000,
    whileRunning: 'follow',
  });
  const first = rounds.request();
  const following = rounds.request();
  // Asked once the first has ended and before the one following it has started.
  const inBetween = first.then(() => rounds.request());
  await Promise.all([first, following, inBetween]);
  expect(most).toBe(1);
});

it('answers idle once stopped, and stop() waits for the rounds already requested', async () => {
  const { rounds, started, releaseNext } = gatedRounds('follow');
  const first = rounds.request();
  const followed = rounds.request();
  const stopping = rounds.stop();
  expect(await rounds.request()).toBe(0);
  await releaseNext();
  await releaseNext();
  await stopping;
  expect([await first, await followed]).toEqual([1, 2]);
  expect(started()).toBe(2);
});

it('runs on schedule: first after firstAfterMs, then intervalMs after each round ends', async () => {
  jest.useFakeTimers();
  try {
    let runs = 0;
    const rounds = new Rounds<number>({ round: async () => ++runs, idle: 0, firstAfterMs: 50, intervalMs: 200, whileRunning: 'join' }).start();
    await jest.advanceTimersByTimeAsync(49);
    expect(runs).toBe(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(runs).toBe(1);
    await jest.advanceTimersByTimeAsync(200);
    expect(runs).toBe(2);
    await rounds.stop();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(2);
  } finally {
    jest.useRealTimers();
  }
});
