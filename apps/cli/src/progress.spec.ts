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

  it('takes a batch of events at once (a projection commit)', () => {
    const { lines, out } = output(false);
    const progress = Progress.throughLog('replay', 10_000, out);
    progress.passed(10_000, 7);
    progress.finish();
    expect(lines[lines.length - 1]).toMatch(/^replay: 7 events, /);
  });
});
