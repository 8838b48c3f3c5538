import { Deadlines } from '../src/subscriptions/deadlines';

/** Token expiries as JWTs carry them: whole seconds. */
const start = Date.UTC(2030, 0, 1, 12, 0, 0);
const seconds = (n: number) => start + n * 1000;

beforeEach(() => {
  jest.useFakeTimers({ now: start });
});
afterEach(() => {
  jest.useRealTimers();
});

describe('deadlines on one timer', () => {
  it('runs each callback at its time, never before, in whatever order they were added', () => {
    const deadlines = new Deadlines();
    const ran: string[] = [];
    deadlines.add(seconds(10), () => ran.push('ten'));
    deadlines.add(seconds(2), () => ran.push('two'));
    deadlines.add(seconds(2), () => ran.push('two again'));
    jest.advanceTimersByTime(1_999);
    expect(ran).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(ran).toEqual(['two', 'two again']);
    jest.advanceTimersByTime(7_999);
    expect(ran).toEqual(['two', 'two again']);
    jest.advanceTimersByTime(1);
    expect(ran).toEqual(['two', 'two again', 'ten']);
  });

  it('keeps a time between two seconds until the next whole second, not earlier', () => {
    const deadlines = new Deadlines();
    const ran = jest.fn();
    deadlines.add(seconds(3) + 400, ran);
    jest.advanceTimersByTime(3_400);
    expect(ran).not.toHaveBeenCalled();
    jest.advanceTimersByTime(600);
    expect(ran).toHaveBeenCalledTimes(1);
  });

  it('runs nothing cancelled, and still runs what shares its second', () => {
    const deadlines = new Deadlines();
    const kept = jest.fn();
    const cancelled = jest.fn();
    const alone = jest.fn();
    deadlines.add(seconds(5), kept);
    deadlines.add(seconds(5), cancelled);
    deadlines.add(seconds(1), alone);
    deadlines.cancel(seconds(5), cancelled);
    deadlines.cancel(seconds(1), alone);
    jest.advanceTimersByTime(60_000);
    expect(kept).toHaveBeenCalledTimes(1);
    expect(cancelled).not.toHaveBeenCalled();
    expect(alone).not.toHaveBeenCalled();
  });

  it('runs a time already past on the next turn of the timers', () => {
    const deadlines = new Deadlines();
    const ran = jest.fn();
    deadlines.add(seconds(-60), ran);
    expect(ran).not.toHaveBeenCalled();
    jest.advanceTimersByTime(0);
    expect(ran).toHaveBeenCalledTimes(1);
  });

  it('waits for a time beyond what one setTimeout can wait (about 24.8 days)', () => {
    const deadlines = new Deadlines();
    const ran = jest.fn();
    const thirtyDays = 30 * 24 * 3600;
    deadlines.add(seconds(thirtyDays), ran);
    jest.advanceTimersByTime((thirtyDays - 1) * 1000);
    expect(ran).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1_000);
    expect(ran).toHaveBeenCalledTimes(1);
  });
});
