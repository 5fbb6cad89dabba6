import { hours, percent } from './figures';

describe('figures shown to people', () => {
  it('gives hours with one decimal, rounded half away from zero on both sides of a deadline', () => {
    // Given durations of 0.15 h and 0.25 h, before and after a deadline
    const ms = (h: number) => h * 3_600_000;
    // When shown as hours / Then the halves round away from zero alike (Math.round alone gave -0.1 for -0.15 h)
    expect([hours(ms(0.15)), hours(ms(-0.15)), hours(ms(0.25)), hours(ms(-0.25))]).toEqual([0.2, -0.2, 0.3, -0.3]);
    expect([hours(ms(-24)), hours(ms(432)), hours(null)]).toEqual([-24, 432, null]);
    expect(Object.is(hours(ms(-0.01)), 0)).toBe(true);
  });

  it('gives a percent with one decimal, null for no whole', () => {
    expect([percent(9, 12), percent(1, 3), percent(0, 0)]).toEqual([75, 33.3, null]);
  });
});
