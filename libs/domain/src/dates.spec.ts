import { isDay, isInstant, isMonth, utcInstantOf } from './dates';

describe('days and instants that exist', () => {
  it.each(['2026-01-31', '2028-02-29', '2000-02-29', '0001-01-01', '9999-12-31'])('accepts the day %s', (day) => {
    expect(isDay(day)).toBe(true);
  });

  it.each(['2026-02-29', '1900-02-29', '2026-02-30', '2026-04-31', '2026-13-45', '9999-99-99', '2026-00-10', '2026-01-00', '2026-1-1', '20260101', ' 2026-01-01'])('refuses the day %p', (day) => {
    expect(isDay(day)).toBe(false);
  });

  it.each(['2026-03-01', '2026-03-01T08:00Z', '2026-03-01T08:00:00Z', '2026-03-01T08:00:00.123Z', '2026-03-01T16:00:00+08:00', '2026-03-01T00:00:00-05:30'])('accepts the instant %s', (instant) => {
    expect(isInstant(instant)).toBe(true);
  });

  it.each(['2026-02-30T08:00:00Z', '2026-03-01T24:00:00Z', '2026-03-01T08:60:00Z', '2026-03-01T08:00:00', '2026-03-01 08:00:00Z', '2026-03-01T08:00:00+24:00', 'yesterday', '2026', '2026-W09'])('refuses the instant %p', (instant) => {
    expect(isInstant(instant)).toBe(false);
  });

  // Milliseconds at most, as the log and the read models keep them: a seventh digit was cut without a word.
  it.each(['2026-03-01T08:00:00.1234Z', '2026-03-01T08:00:00.1234567+08:00', '2026-03-01T08:00:00.123456789Z'])('refuses the instant %p, more than three digits after the seconds', (instant) => {
    expect(isInstant(instant)).toBe(false);
  });

  it.each(['2026-03-01T08:00:00+14:00', '2026-03-01T08:00:00-12:00', '2026-03-01T08:00:00-00:00', '2026-03-01T08:00:00+05:45'])('accepts the instant %s, its offset in the range -12:00 to +14:00', (instant) => {
    expect(isInstant(instant)).toBe(true);
  });

  // Date.parse takes any ±hh:mm up to 23:59: a typo moved the moment by up to a day.
  it.each(['2026-03-01T08:00:00+14:01', '2026-03-01T08:00:00+15:00', '2026-03-01T08:00:00+23:59', '2026-03-01T08:00:00-12:01', '2026-03-01T08:00:00-13:00', '2026-03-01T08:00:00+08:60'])('refuses the instant %p, its offset outside -12:00 to +14:00', (instant) => {
    expect(isInstant(instant)).toBe(false);
  });

  // Its UTC instant outside the years 0000-9999: toISOString writes it with a six-digit signed year (-000001-12-31T23:00:00.000Z),
  // which the Instant fields then refused as not being a date-time with its offset, the very thing that was sent.
  it.each(['0000-01-01T00:00:00+01:00', '0000-01-01T00:59:59.999+01:00', '9999-12-31T23:00:00-02:00', '9999-12-31T23:59:59.999-00:01'])('refuses the instant %p, outside the years 0000-9999 in UTC', (instant) => {
    expect(isInstant(instant)).toBe(false);
  });

  it.each([['0000-01-01T01:00:00+01:00', '0000-01-01T00:00:00.000Z'], ['9999-12-31T21:59:59.999-02:00', '9999-12-31T23:59:59.999Z'], ['0000-01-01', '0000-01-01T00:00:00.000Z']])('accepts %p, %p in UTC', (instant, utc) => {
    expect(isInstant(instant)).toBe(true);
    expect(utcInstantOf(instant)).toBe(utc);
  });

  it('names the UTC instant of a day or a date-time with its offset', () => {
    expect(utcInstantOf('2026-03-01')).toBe('2026-03-01T00:00:00.000Z');
    expect(utcInstantOf('2026-03-01T16:00:00+08:00')).toBe('2026-03-01T08:00:00.000Z');
  });

  it.each(['2026-01', '2026-12', '1900-02'])('accepts the month %s', (month) => expect(isMonth(month)).toBe(true));

  it.each(['2026-13', '2026-00', '2026-1', '2026-03-01', '202603', '', null])('refuses the month %p', (month) => expect(isMonth(month)).toBe(false));
});
