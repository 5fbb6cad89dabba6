import { KeyedTurns } from './keyed-turns';

describe('KeyedTurns', () => {
  const later = () => new Promise<void>((resolve) => setTimeout(resolve, 5));

  it('runs the work of one key one after another, whatever the one before ended with, and other keys alongside', async () => {
    const turns = new KeyedTurns();
    const log: string[] = [];
    const step = (name: string, fail = false) => async () => {
      log.push(`${name} start`);
      await later();
      log.push(`${name} end`);
      if (fail) throw new Error(name);
      return name;
    };
    const results = await Promise.allSettled([
      turns.inTurn('a', step('a1', true)), turns.inTurn('a', step('a2')), turns.inTurn('b', step('b1')),
    ]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(log.indexOf('a2 start')).toBeGreaterThan(log.indexOf('a1 end'));
    expect(log.indexOf('b1 start')).toBeLessThan(log.indexOf('a1 end'));
  });
});
