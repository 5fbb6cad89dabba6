import { ALWAYS_ON_CALENDAR, SHANGHAI_OFFICE_CALENDAR, addBusinessTime, validateCalendar, type BusinessCalendar } from './business-calendar';
import { DEFAULT_SLA_POLICY, slaTermsAt, validateSlaPolicy } from './sla-policy';

const HOUR = 3_600_000;

describe('business calendar', () => {
  it('adds plain time on the always-on calendar', () => {
    expect(addBusinessTime('2026-03-06T20:00:00.000Z', 2 * HOUR, ALWAYS_ON_CALENDAR)).toBe('2026-03-06T22:00:00.000Z');
  });

  it('starts the clock at opening time for a complaint received at night (Shanghai, UTC+8)', () => {
    // 2026-03-03 23:00 local (a Tuesday) → opens Wednesday 09:00 local = 01:00Z; +2h → 03:00Z.
    expect(addBusinessTime('2026-03-03T15:00:00.000Z', 2 * HOUR, SHANGHAI_OFFICE_CALENDAR)).toBe('2026-03-04T03:00:00.000Z');
  });

  it('pauses over a weekend', () => {
    // Friday 2026-03-06 17:30 local = 09:30Z: 1h left that day, 1h on Monday 09:00–10:00 local (02:00Z).
    expect(addBusinessTime('2026-03-06T09:30:00.000Z', 2 * HOUR, SHANGHAI_OFFICE_CALENDAR)).toBe('2026-03-09T02:00:00.000Z');
  });

  it('pauses over a weekend followed by a holiday', () => {
    // Friday 2026-05-01 is a holiday, then the weekend, and Monday 05-04, Tuesday 05-05 too: Thursday 04-30 18:00 local → 0.5h, then Wednesday 05-06.
    expect(addBusinessTime('2026-04-30T10:00:00.000Z', 2 * HOUR, SHANGHAI_OFFICE_CALENDAR)).toBe('2026-05-06T02:30:00.000Z');
  });

  it('keeps a deadline that falls exactly at closing time on that day', () => {
    // Monday 2026-03-09 16:30 local (08:30Z) + 2h = 18:30 local exactly (10:30Z).
    expect(addBusinessTime('2026-03-09T08:30:00.000Z', 2 * HOUR, SHANGHAI_OFFICE_CALENDAR)).toBe('2026-03-09T10:30:00.000Z');
  });

  it('follows daylight saving time in zones that have it', () => {
    const newYork: BusinessCalendar = { id: 'ny', version: '1', timeZone: 'America/New_York', hours: { sun: [['09:00', '17:00']] } };
    // 2026-03-08 is the DST switch day; 09:00 EDT = 13:00Z.
    expect(addBusinessTime('2026-03-08T00:00:00.000Z', HOUR, newYork)).toBe('2026-03-08T14:00:00.000Z');
  });

  it('validates a configured calendar', () => {
    expect(validateCalendar(SHANGHAI_OFFICE_CALENDAR)).toEqual([]);
    expect(validateCalendar({ id: 'x', version: '1', timeZone: 'Mars/Olympus', hours: { funday: [] } })).toEqual(expect.arrayContaining([
      expect.stringContaining('timeZone'), expect.stringContaining('funday'),
    ]));
    expect(validateCalendar({ id: 'x', version: '1', timeZone: 'UTC', hours: { mon: [['18:00', '09:00']] } })).toEqual(expect.arrayContaining([expect.stringContaining('hours.mon')]));
  });
});

describe('SLA terms with a calendar', () => {
  it('computes deadlines in working time and records the calendar with them', () => {
    const policy = { ...DEFAULT_SLA_POLICY, calendar: SHANGHAI_OFFICE_CALENDAR };
    const terms = slaTermsAt(policy, 'medium', '2026-03-06T09:30:00.000Z', false);
    expect(terms.firstReplyDue).toBe('2026-03-09T02:00:00.000Z');
    expect(terms.calendar).toEqual(SHANGHAI_OFFICE_CALENDAR);
  });

  it('accepts a built-in calendar by id in a policy file', () => {
    expect(validateSlaPolicy({ ...DEFAULT_SLA_POLICY, calendar: 'cn-office-hours' })).toEqual([]);
    expect(validateSlaPolicy({ ...DEFAULT_SLA_POLICY, calendar: 'lunar' })).not.toEqual([]);
  });
});
