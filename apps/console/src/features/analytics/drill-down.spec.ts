import { describe, expect, it } from '@jest/globals';
import { cellFilter, noneOf } from './drill-down';

describe('what a number of the statistics opens in the queue', () => {
  it('opens the complaints with no department yet from the unassigned row, as GET /complaints?department=unassigned lists them', () => {
    expect(cellFilter('department', 'unassigned', '2026-03-01', 'month')).toEqual({ department: 'unassigned', from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' });
    expect(cellFilter('cause', 'price', '2026-03-01', 'month')).toEqual({ cause: 'price', from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' });
  });

  it('opens nothing for a behaviour, purpose or segment not given: no list filter selects them (the API refuses the word as a code)', () => {
    for (const dimension of ['behaviour', 'purpose', 'segment'] as const) expect(cellFilter(dimension, 'unspecified', '2026-03-01', 'month')).toBeNull();
  });

  it('reads `unspecified` as a code where it is no word of the statistics: a department of that code opens its complaints', () => {
    expect(cellFilter('department', 'unspecified', '2026-03-01', 'day')).toEqual({ department: 'unspecified', from: '2026-03-01T00:00:00.000Z', to: '2026-03-02T00:00:00.000Z' });
  });

  it('names the statistics\' words for "none" by dimension: unassigned for a department, unspecified for what may go untold', () => {
    expect(noneOf('department', 'unassigned')).toBe('unassigned');
    expect(noneOf('department', 'unspecified')).toBeUndefined();
    expect(noneOf('behaviour', 'unspecified')).toBe('unspecified');
    expect(noneOf('segment', 'unspecified')).toBe('unspecified');
    expect(noneOf('cause', 'price')).toBeUndefined();
  });
});
