import { compareAsOfNames } from '../read-model-reader';

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
