import { localDateOf } from './business-calendar';
import { addDaysToDate, addMonthsToDate, isLocalDate } from './local-date';

describe('local dates', () => {
  it.each(['2026-03-02', '2024-02-29', '1900-01-01'])('accepts the real date %s', (date) => expect(isLocalDate(date)).toBe(true));

  it.each(['2026-02-29', '2026-13-01', '2026-3-2', '2026-03-02T00:00:00Z', '0001-01-01', '', 20260302, null])('refuses %p', (value) => expect(isLocalDate(value)).toBe(false));

  it.each([
    ['2026-03-02', 12, '2027-03-02'],
    ['2026-01-31', 1, '2026-02-28'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2026-11-15', 3, '2027-02-15'],
    ['2026-03-02', 0, '2026-03-02'],
  ])('%s plus %i months is %s', (date, months, expected) => expect(addMonthsToDate(date, months)).toBe(expected));

  it('adds and subtracts days across a month and a year', () => {
    expect(addDaysToDate('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDaysToDate('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('refuses to compute on a text that is not a date', () => {
    expect(() => addMonthsToDate('2026-02-30', 1)).toThrow(RangeError);
  });

  it('gives the local date of an instant in the business time zone', () => {
    // 2026-03-01 20:30 UTC is already 2 March in Shanghai (UTC+8).
    expect(localDateOf('2026-03-01T20:30:00.000Z', 'Asia/Shanghai')).toBe('2026-03-02');
    expect(localDateOf('2026-03-01T20:30:00.000Z', 'UTC')).toBe('2026-03-01');
  });
});
