import { Progress } from './progress';

const output = (isTTY: boolean) => {
  const lines: string[] = [];
  return { lines, out: { isTTY, write: (text: string) => lines.push(text) } as unknown as NodeJS.WriteStream };
};

describe('Progress through the event log', () => {
  it('counts events and measures how far by position, never showing the head position as a count of events', () => {
    // KurrentDB: two events, at byte offsets 250 and 500 of a log whose head is at 1,000.
    const { lines, out } = output(true);
    const progress = Progress.throughLog('verify', 1000, out);
    progress.passed(250);
    progress.passed(500);
    progress.finish();
    const last = lines[lines.length - 1]!;
    expect(last).toMatch(/\] 50% verify: 2 events, /);
    expect(last).not.toMatch(/1,000/);
  });

  it('says how many events were written beside those scanned, for an export with a filter', () => {
    const { lines, out } = output(false);
    const progress = Progress.throughLog('export', 1000, out).countingWritten();
    progress.passed(250);
    progress.wrote();
    progress.passed(500);
    progress.passed(750);
    progress.wrote();
    progress.finish();
    expect(lines[lines.length - 1]).toMatch(/^export: 2 events written, 3 scanned, [\d,]+ events scanned\/s in /);
    const none = output(false);
    const nothing = Progress.throughLog('export', 1000, none.out).countingWritten();
    nothing.passed(500);
    nothing.finish();
    expect(none.lines[0]).toMatch(/^export: 0 events written, 1 scanned, /);
  });

  it('takes a batch of events at once (a projection commit)', () => {
    const { lines, out } = output(false);
    const progress = Progress.throughLog('replay', 10_000, out);
    progress.passed(10_000, 7);
    progress.finish();
    expect(lines[lines.length - 1]).toMatch(/^replay: 7 events, /);
  });
});

describe('Progress before there is something to measure', () => {
  afterEach(() => jest.useRealTimers());

  it('prints no line for the first event, only the last line with the log\'s count, "1 event" in the singular (a tiny store)', () => {
    jest.useFakeTimers({ now: new Date('2026-03-01T09:30:00.000Z') });
    const { lines, out } = output(false);
    const progress = Progress.throughLog('verify', 3000, out);
    jest.advanceTimersByTime(47);
    progress.passed(1000);
    expect(lines).toEqual([]);
    progress.finish();
    expect(lines).toEqual(['verify: 1 event, 21 events/s in 0.0s\n']);
  });

  it('prints no rate and no ETA on a first line within the first second (a terminal draws every 100 ms)', () => {
    jest.useFakeTimers({ now: new Date('2026-03-01T09:30:00.000Z') });
    const { lines, out } = output(true);
    const progress = Progress.throughLog('verify', 3000, out);
    progress.passed(1000);
    expect(lines).toEqual([]);
    jest.advanceTimersByTime(150);
    progress.passed(2000, 4);
    expect(lines).toEqual(['\r[================        ] 67% verify: 5 events']);
  });

  it('shows the rate and the ETA once a second has passed, and the whole run\'s rate at the end', () => {
    jest.useFakeTimers({ now: new Date('2026-03-01T09:30:00.000Z') });
    const { lines, out } = output(false);
    const progress = new Progress('import', 300, out);
    progress.advance(1);
    jest.advanceTimersByTime(5_000);
    progress.advance(99);
    expect(lines).toEqual(['import: 100/300 events, 20 events/s ETA 10s\n']);
    progress.advance(200);
    jest.advanceTimersByTime(1_000);
    progress.finish();
    expect(lines[lines.length - 1]).toBe('import: 300/300 events, 50 events/s in 6.0s\n');
  });
});
