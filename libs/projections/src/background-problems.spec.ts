import { SqliteReadStore } from '@app/read-store';
import { recordBackgroundProblems, recordedBackgroundProblems } from './background-problems';

const at = new Date('2026-03-01T09:30:00.000Z');
const failing = 'SLA monitor fails (2 times in a row since 2026-03-01T09:29:59.000Z; next try at 2026-03-01T09:30:00.200Z): database or disk is full';

describe('what fails beside the projections, recorded in the read store', () => {
  let store: SqliteReadStore;
  beforeEach(() => {
    store = new SqliteReadStore({ filename: ':memory:' });
  });
  afterEach(() => store.close());

  it('says nothing before anything was recorded', async () => {
    expect(await recordedBackgroundProblems(store, 'projector')).toEqual([]);
  });

  it('gives the list of the lease\'s holder, and nothing once it recorded an empty one', async () => {
    expect(await store.acquireLease('projector', 'desk-1', 10_000)).toBe(true);
    await recordBackgroundProblems(store, 'desk-1', [failing], at);
    expect(await recordedBackgroundProblems(store, 'projector')).toEqual([failing]);
    await recordBackgroundProblems(store, 'desk-1', [], at);
    expect(await recordedBackgroundProblems(store, 'projector')).toEqual([]);
  });

  it('ignores the list of a process that no longer holds the lease (it stopped or died: its work does not run)', async () => {
    expect(await store.acquireLease('projector', 'desk-1', 10_000)).toBe(true);
    await recordBackgroundProblems(store, 'desk-1', [failing], at);
    await store.releaseLease('projector', 'desk-1');
    expect(await recordedBackgroundProblems(store, 'projector')).toEqual([]);
    expect(await store.acquireLease('projector', 'desk-2', 10_000)).toBe(true);
    expect(await recordedBackgroundProblems(store, 'projector')).toEqual([]);
  });
});
