import { compareAsOfNames, samePositionCut } from '../read-model-reader';

describe('as-of names in order (GET /analytics/as-of, `replay --list`, the names an unknown asOf lists)', () => {
  it('puts position names in the order of their positions, an old zero-padded name (position-0012) beside its position', () => {
    const names = ['position-100', 'position-12', 'end-of-june', 'position-0012', 'position-9', '2026-06-30', '2026-06-09'];
    expect([...names].sort(compareAsOfNames)).toEqual(['2026-06-09', '2026-06-30', 'end-of-june', 'position-9', 'position-0012', 'position-12', 'position-100']);
  });

  it('gives one order whatever order the names come in (two spellings of one number are told apart)', () => {
    expect(['position-12', 'position-0012'].sort(compareAsOfNames)).toEqual(['position-0012', 'position-12']);
    expect(['position-0012', 'position-12'].sort(compareAsOfNames)).toEqual(['position-0012', 'position-12']);
  });
});

describe('two default names of one log position (samePositionCut)', () => {
  it.each([['position-12', 'position-0012'], ['position-0012', 'position-12'], ['position-0', 'position-000']])('%s and %s are one cut', (a, b) => {
    expect(samePositionCut(a, b)).toBe(true);
  });

  it.each([['position-12', 'position-12'], ['position-12', 'position-120'], ['position-12', 'june'], ['position-', 'position-0'], ['Position-12', 'position-12'], ['position-1a', 'position-1a']])(
    '%s and %s are not two names of one cut', (a, b) => {
      expect(samePositionCut(a, b)).toBe(false);
    },
  );
});
