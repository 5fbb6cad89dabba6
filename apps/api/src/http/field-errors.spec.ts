import { isDay, isInstant } from '../complaints/dto/fields';
import { closest } from './field-errors';

describe('suggesting the field that was meant', () => {
  const known = ['customerId', 'customerName', 'description', 'channel', 'cause'];

  it.each([
    ['customer_id', 'customerId'], ['CustomerID', 'customerId'], ['customer-name', 'customerName'], ['desciption', 'description'], ['chanel', 'channel'], ['casue', 'cause'],
  ])('suggests %s → %s', (unknown, meant) => {
    expect(closest(unknown, known)).toBe(meant);
  });

  it.each(['isAdmin', 'x', 'role', 'c'.repeat(300)])('suggests nothing for %s, which is close to no field', (unknown) => {
    expect(closest(unknown, known)).toBeUndefined();
  });
});

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
});
