import { ALL_PROJECTIONS, REPLAY_COST, projectionGroups } from './all-projections';

describe('projectionGroups: the projections split over threads', () => {
  const names = ALL_PROJECTIONS.map((projection) => projection.name);
  const costOf = (group: readonly string[]) => group.reduce((sum, name) => sum + (REPLAY_COST[name] ?? 1), 0);

  it('given one thread, puts every projection in it, in their order', () => {
    expect(projectionGroups(1)).toEqual([names]);
  });

  it('given two threads, gives each projection to exactly one of them, with costs within the costliest projection of each other', () => {
    const groups = projectionGroups(2);
    expect(groups).toHaveLength(2);
    expect([...groups[0]!, ...groups[1]!].sort()).toEqual([...names].sort());
    const heaviest = Math.max(...Object.values(REPLAY_COST));
    expect(Math.abs(costOf(groups[0]!) - costOf(groups[1]!))).toBeLessThanOrEqual(heaviest);
    // The two costliest never share a thread.
    expect(groups.some((group) => group.includes('complaint-stats') && group.includes('sla'))).toBe(false);
    for (const group of groups) expect(group).toEqual(names.filter((name) => group.includes(name)));
  });

  it('gives the same groups every time, and never an empty one when there are more threads than projections', () => {
    expect(projectionGroups(3)).toEqual(projectionGroups(3));
    const many = projectionGroups(50, [{ name: 'a' }, { name: 'b' }]);
    expect(many).toEqual([['a'], ['b']]);
  });

  it('refuses a thread count that is not a whole number of at least one', () => {
    expect(() => projectionGroups(0)).toThrow(RangeError);
    expect(() => projectionGroups(1.5)).toThrow(RangeError);
  });

  it('knows the cost of every projection the product runs', () => {
    for (const name of names) expect(REPLAY_COST[name]).toBeGreaterThan(0);
  });
});
