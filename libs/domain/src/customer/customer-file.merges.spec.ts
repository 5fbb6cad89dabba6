import { followSurvivors, lastSurvivorOf } from './customer-file.merges';
import type { CustomerFileState } from './customer-file.state';

const merged = (id: string, survivorId: string): CustomerFileState => ({ status: 'merged', id, survivorId, mergedAt: '2026-12-01T08:00:00.000Z', absorbed: [] });
const erased = (id: string): CustomerFileState => ({ status: 'erased', id, category: 'floating', erasedAt: '2026-12-01T08:00:00.000Z', ground: 'consent-withdrawn', coveredFileIds: [], notificationOptOut: ['sms'] });

/** Files as their streams would fold them; a file not named has none. */
const files = (states: Record<string, CustomerFileState>) => {
  const read: string[] = [];
  const stateOf = async (id: string): Promise<CustomerFileState> => {
    read.push(id);
    return states[id] ?? { status: 'none' };
  };
  return { read, stateOf };
};

describe('followSurvivors: the file a merged file\'s records go to now', () => {
  it('given a file that was not merged, answers the file itself', async () => {
    const { read, stateOf } = files({ a: erased('a') });
    await expect(followSurvivors('a', stateOf)).resolves.toEqual({ customerId: 'a', state: erased('a') });
    expect(read).toEqual(['a']);
  });

  it('given A merged into B and B into C, answers C, the end of the chain', async () => {
    const { read, stateOf } = files({ a: merged('a', 'b'), b: merged('b', 'c'), c: erased('c') });
    await expect(followSurvivors('a', stateOf)).resolves.toEqual({ customerId: 'c', state: erased('c') });
    expect(read).toEqual(['a', 'b', 'c']);
  });

  it('given a damaged log whose chain comes back on itself, stops at the file before the repeat instead of looping', async () => {
    const { read, stateOf } = files({ a: merged('a', 'b'), b: merged('b', 'a') });
    await expect(followSurvivors('a', stateOf)).resolves.toEqual({ customerId: 'b', state: merged('b', 'a') });
    expect(read).toEqual(['a', 'b']);
  });
});

describe('lastSurvivorOf: followSurvivors for a reader with the survivors at hand (a projection)', () => {
  it.each([
    ['a file that was not merged', {}, 'a'],
    ['A merged into B and B into C', { a: 'b', b: 'c' }, 'c'],
    ['a damaged log whose chain comes back on itself', { a: 'b', b: 'a' }, 'b'],
  ])('given %s, answers what followSurvivors answers', async (_case, survivors: Record<string, string>, expected) => {
    const states = Object.fromEntries(Object.entries(survivors).map(([id, survivorId]) => [id, merged(id, survivorId)]));
    expect(lastSurvivorOf('a', (id) => survivors[id] ?? null)).toBe(expected);
    expect((await followSurvivors('a', files(states).stateOf)).customerId).toBe(expected);
  });
});
