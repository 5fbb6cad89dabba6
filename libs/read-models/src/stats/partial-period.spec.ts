import { isPartialPeriod, partialPeriodsClock, periodEnd } from './partial-period';
import type { StatsInterval } from './complaint-stats.query';

/** A moment long after every period below has ended: only from and to can cut them short. */
const later = new Date('2030-01-01T00:00:00.000Z');

describe('a period cut short by from, to or now (partial)', () => {
  it.each<[StatsInterval, string, string]>([
    ['day', '2026-02-28', '2026-03-01'],
    ['day', '2028-02-28', '2028-02-29'],
    ['week', '2026-03-30', '2026-04-06'],
    ['week', '2026-12-28', '2027-01-04'],
    ['month', '2026-01-01', '2026-02-01'],
    ['month', '2026-12-01', '2027-01-01'],
    ['quarter', '2026-10-01', '2027-01-01'],
    ['quarter', '2026-04-01', '2026-07-01'],
    ['year', '2026-01-01', '2027-01-01'],
  ])('a %s starting %s ends before %s', (interval, period, end) => {
    expect(periodEnd(period, interval)).toBe(end);
  });

  it.each<[StatsInterval, string, string, string]>([
    // [interval, the period's first day, a from exactly on it, a day inside it]
    ['day', '2026-01-15', '2026-01-15', '2026-01-15'],
    ['week', '2026-01-12', '2026-01-12', '2026-01-14'],
    ['month', '2026-01-01', '2026-01-01', '2026-01-15'],
    ['quarter', '2026-04-01', '2026-04-01', '2026-04-02'],
    ['year', '2026-01-01', '2026-01-01', '2026-07-01'],
  ])('a %s: whole from its first day (%s), partial from a day inside it', (interval, period, onStart, inside) => {
    // Given a range from the period's first day / When marked / Then whole
    expect(isPartialPeriod(period, interval, { from: onStart, now: later })).toBe(false);
    // Given a range from a day inside it / Then partial (a day has no day inside it but itself: never cut by from)
    expect(isPartialPeriod(period, interval, { from: inside, now: later })).toBe(interval !== 'day');
  });

  it.each<[StatsInterval, string, string, string]>([
    // [interval, a period, `to` on the next period's first day, a `to` one day inside the period]
    ['day', '2026-01-15', '2026-01-16', '2026-01-16'], // a day's only `to` that counts it is the next day's first
    ['week', '2026-01-12', '2026-01-19', '2026-01-13'],
    ['month', '2026-01-01', '2026-02-01', '2026-01-02'],
    ['quarter', '2026-01-01', '2026-04-01', '2026-03-31'],
    ['year', '2026-01-01', '2027-01-01', '2026-12-31'],
  ])('a %s: whole when to is the next period\'s first day, partial when to falls inside it', (interval, period, toOnNext, toInside) => {
    expect(isPartialPeriod(period, interval, { to: toOnNext, now: later })).toBe(false);
    expect(isPartialPeriod(period, interval, { to: toInside, now: later })).toBe(interval !== 'day');
  });

  it('a week from a Wednesday: the ISO week (Monday to Sunday) it falls in is partial, the next one whole', () => {
    // 2026-01-14 is a Wednesday; its ISO week starts on Monday 2026-01-12
    expect(isPartialPeriod('2026-01-12', 'week', { from: '2026-01-14', now: later })).toBe(true);
    expect(isPartialPeriod('2026-01-19', 'week', { from: '2026-01-14', now: later })).toBe(false);
  });

  it('the period that has not ended by now is partial, without a to and with one after it; it is whole from the moment it ends', () => {
    const now = new Date('2026-03-18T10:30:00.000Z');
    expect(isPartialPeriod('2026-03-01', 'month', { now })).toBe(true);
    expect(isPartialPeriod('2026-03-01', 'month', { to: '2026-06-01', now })).toBe(true);
    expect(isPartialPeriod('2026-03-18', 'day', { now })).toBe(true);
    expect(isPartialPeriod('2026-03-16', 'week', { now })).toBe(true);
    expect(isPartialPeriod('2026-01-01', 'quarter', { now })).toBe(true);
    expect(isPartialPeriod('2026-02-01', 'month', { now })).toBe(false);
    expect(isPartialPeriod('2026-03-17', 'day', { now })).toBe(false);
    expect(isPartialPeriod('2026-03-09', 'week', { now })).toBe(false);
    // The first moment of the next day: the day before has ended
    expect(isPartialPeriod('2026-03-17', 'day', { now: new Date('2026-03-18T00:00:00.000Z') })).toBe(false);
    expect(isPartialPeriod('2026-03-17', 'day', { now: new Date('2026-03-17T23:59:59.999Z') })).toBe(true);
  });

  it('both ends at once: a period starting before from and ending after to is partial; one inside both is whole', () => {
    expect(isPartialPeriod('2026-01-01', 'year', { from: '2026-03-01', to: '2026-04-01', now: later })).toBe(true);
    expect(isPartialPeriod('2026-03-01', 'month', { from: '2026-03-01', to: '2026-04-01', now: later })).toBe(false);
  });
});

describe('the moment the partial mark compares with under asOf (partialPeriodsClock)', () => {
  const clock = new Date('2026-05-20T09:00:00.000Z');

  it('without asOf (no catalogue entry), the clock', () => {
    expect(partialPeriodsClock(clock, undefined)).toEqual(clock);
  });

  it('a generation cut at a date-time: the moment after it (it holds everything up to it, inclusive), so the month the cut fell inside is partial', () => {
    // Given a generation as of 15 March, read in May / When its March is marked / Then partial, February whole
    const now = partialPeriodsClock(clock, { until: '2026-03-15T12:00:00Z', builtAt: '2026-05-01T00:00:00.000Z' });
    expect(now).toEqual(new Date('2026-03-15T12:00:00.001Z'));
    expect(isPartialPeriod('2026-03-01', 'month', { now })).toBe(true);
    expect(isPartialPeriod('2026-02-01', 'month', { now })).toBe(false);
    // An offset is the instant it names
    expect(partialPeriodsClock(clock, { until: '2026-03-15T20:00:00+08:00' })).toEqual(new Date('2026-03-15T12:00:00.001Z'));
  });

  it('a generation cut at a date: the end of that day (parseAsOfUntil), so as of the last day of a month that month is whole', () => {
    expect(partialPeriodsClock(clock, { until: '2026-03-15' })).toEqual(new Date('2026-03-16T00:00:00.000Z'));
    const endOfMarch = partialPeriodsClock(clock, { until: '2026-03-31' });
    expect(isPartialPeriod('2026-03-01', 'month', { now: endOfMarch })).toBe(false);
    expect(isPartialPeriod('2026-01-01', 'quarter', { now: endOfMarch })).toBe(false);
    expect(isPartialPeriod('2026-04-01', 'month', { now: endOfMarch })).toBe(true);
    expect(isPartialPeriod('2026-03-31', 'day', { now: endOfMarch })).toBe(false);
    expect(isPartialPeriod('2026-03-30', 'week', { now: endOfMarch })).toBe(true);
  });

  it('a generation cut at a position: when the last event it holds was recorded; an entry that does not say (built by an earlier version), when it was built', () => {
    expect(partialPeriodsClock(clock, { until: '1200', lastOccurredAt: '2026-03-15T08:30:00.000Z', builtAt: '2026-05-01T00:00:00.000Z' })).toEqual(new Date('2026-03-15T08:30:00.000Z'));
    expect(partialPeriodsClock(clock, { until: '1200', builtAt: '2026-05-01T00:00:00.000Z' })).toEqual(new Date('2026-05-01T00:00:00.000Z'));
  });

  it('never later than the clock; an entry that names no moment it can read (edited by hand, or built before the catalogue) leaves the clock', () => {
    const earlier = new Date('2026-03-10T00:00:00.000Z');
    expect(partialPeriodsClock(earlier, { until: '2026-03-15' })).toEqual(earlier);
    expect(partialPeriodsClock(earlier, { until: '1200', lastOccurredAt: '2026-03-15T08:30:00.000Z' })).toEqual(earlier);
    expect(partialPeriodsClock(clock, { until: 'next week' })).toEqual(clock);
    expect(partialPeriodsClock(clock, { until: 42 })).toEqual(clock);
    expect(partialPeriodsClock(clock, { until: '1200', lastOccurredAt: 'yesterday', builtAt: null })).toEqual(clock);
    expect(partialPeriodsClock(clock, {})).toEqual(clock);
  });
});
