import { ConcurrencyLimiter, FairTurns, TooManyInFlightError } from './heavy-reads';

const settle = <T>(promise: Promise<T>) => promise.then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }));
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('ConcurrencyLimiter', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate'] }));
  afterEach(() => jest.useRealTimers());

  it('lets N holders per key in at once and refuses the next when nobody may wait', async () => {
    const limiter = new ConcurrencyLimiter({ perPrincipal: 2, queue: 0, waitMs: 1000 });
    await limiter.acquire('li');
    await limiter.acquire('li');
    await expect(limiter.acquire('li')).rejects.toBeInstanceOf(TooManyInFlightError);
    await expect(limiter.acquire('wang')).resolves.toEqual(expect.any(Function));
  });

  it('hands a released place to the first waiter, in arrival order', async () => {
    const limiter = new ConcurrencyLimiter({ perPrincipal: 1, queue: 2, waitMs: 1000 });
    const release = await limiter.acquire('li');
    const order: string[] = [];
    const first = limiter.acquire('li').then((next) => {
      order.push('first');
      return next;
    });
    const second = limiter.acquire('li').then((next) => {
      order.push('second');
      return next;
    });
    await tick();
    expect(order).toEqual([]);
    release();
    (await first)();
    (await second)();
    expect(order).toEqual(['first', 'second']);
    expect(limiter.size).toBe(0);
  });

  it('refuses a waiter after waitMs, and one past the queue at once', async () => {
    const limiter = new ConcurrencyLimiter({ perPrincipal: 1, queue: 1, waitMs: 500 });
    await limiter.acquire('li');
    const waiting = settle(limiter.acquire('li'));
    await expect(limiter.acquire('li')).rejects.toBeInstanceOf(TooManyInFlightError);
    jest.advanceTimersByTime(499);
    await tick();
    jest.advanceTimersByTime(1);
    const outcome = await waiting;
    expect(outcome.ok).toBe(false);
    expect(outcome.ok ? undefined : outcome.error).toBeInstanceOf(TooManyInFlightError);
  });

  it('gives the turn up when the waiter\'s caller goes away, and the place goes to the next', async () => {
    const limiter = new ConcurrencyLimiter({ perPrincipal: 1, queue: 2, waitMs: 10_000 });
    const release = await limiter.acquire('li');
    const gone = new AbortController();
    const abandoned = settle(limiter.acquire('li', gone.signal));
    const next = limiter.acquire('li');
    gone.abort();
    expect((await abandoned).ok).toBe(false);
    release();
    (await next)();
    expect(limiter.size).toBe(0);
  });

  it('counts a release only once, and forgets keys nobody holds', async () => {
    const limiter = new ConcurrencyLimiter({ perPrincipal: 1, queue: 0, waitMs: 0 });
    const release = await limiter.acquire('li');
    release();
    release();
    expect(limiter.size).toBe(0);
    const again = await limiter.acquire('li');
    await expect(limiter.acquire('li')).rejects.toBeInstanceOf(TooManyInFlightError);
    again();
  });

  it('does nothing when the limit is off', async () => {
    const limiter = new ConcurrencyLimiter({ perPrincipal: 0, queue: 0, waitMs: 0 });
    await Promise.all(Array.from({ length: 100 }, () => limiter.acquire('li')));
    expect(limiter.size).toBe(0);
  });
});

describe('FairTurns', () => {
  it('starts one read per turn of the event loop, principals in rotation', async () => {
    const turns = new FairTurns();
    const started: string[] = [];
    const all = ['a1', 'a2', 'a3', 'b1'].map((name) => turns.turn(name[0]!).then(() => started.push(name)));
    expect(turns.waiting).toBe(4);
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(['a1']);
    await Promise.all(all);
    expect(started).toEqual(['a1', 'b1', 'a2', 'a3']);
    expect(turns.waiting).toBe(0);
  });
});
