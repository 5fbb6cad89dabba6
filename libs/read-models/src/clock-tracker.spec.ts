import fc from 'fast-check';
import { isoOf, isoOrNull } from './clock-tracker';

describe('isoOf', () => {
  it('writes every whole millisecond from 1970 to the year 9999 as toISOString does', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 253_402_300_799_999 }), (epochMs) => isoOf(epochMs) === new Date(epochMs).toISOString()), { numRuns: 20_000 });
  });

  it('writes the edges of a day, a leap day and the last representable four-digit year as toISOString does', () => {
    const instants = [0, -0, 1, 999, 1000, 86_399_999, 86_400_000, Date.parse('2024-02-29T23:59:59.999Z'), Date.parse('2024-03-01T00:00:00.000Z'), 253_402_300_799_999];
    for (const epochMs of instants) expect(isoOf(epochMs)).toBe(new Date(epochMs).toISOString());
  });

  it('leaves instants before 1970, after 9999 and between milliseconds to toISOString', () => {
    for (const epochMs of [-1, -86_400_001, 253_402_300_800_000, 8.64e15, 1.5, 1_700_000_000_000.25]) expect(isoOf(epochMs)).toBe(new Date(epochMs).toISOString());
    expect(() => isoOf(Number.NaN)).toThrow(RangeError);
  });

  it('writes the same text for an instant met again after many days were formatted', () => {
    const first = isoOf(1_735_689_600_123);
    for (let day = 0; day < 25_000; day += 1) isoOf(day * 86_400_000);
    expect(isoOf(1_735_689_600_123)).toBe(first);
    expect(isoOrNull(null)).toBeNull();
  });
});
