/**
 * Business calendars: SLA clocks may run only in working hours. A calendar is captured whole in
 * ComplaintReceived, so deadlines can be recomputed from the event alone, whatever the
 * configuration says later.
 */
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export interface BusinessCalendar {
  readonly id: string;
  readonly version: string;
  /** IANA time zone of the hours and holidays. */
  readonly timeZone: string;
  /** Working intervals per weekday, "HH:MM" to "HH:MM" (24:00 allowed as an end); a missing day is closed. */
  readonly hours: Readonly<Partial<Record<Weekday, ReadonlyArray<readonly [string, string]>>>>;
  /** Local dates (YYYY-MM-DD) on which no clock runs. */
  readonly holidays?: readonly string[];
}

const ALL_DAY: ReadonlyArray<readonly [string, string]> = [['00:00', '24:00']];

export const ALWAYS_ON_CALENDAR: BusinessCalendar = {
  id: '24x7', version: '1', timeZone: 'UTC',
  hours: { mon: ALL_DAY, tue: ALL_DAY, wed: ALL_DAY, thu: ALL_DAY, fri: ALL_DAY, sat: ALL_DAY, sun: ALL_DAY },
};

/** The seeds' office hours (人工客服工作时间 9:00–18:30), Monday to Friday, with the 2026 national holidays as an example. */
export const SHANGHAI_OFFICE_CALENDAR: BusinessCalendar = {
  id: 'cn-office-hours', version: '2026.1', timeZone: 'Asia/Shanghai',
  hours: { mon: [['09:00', '18:30']], tue: [['09:00', '18:30']], wed: [['09:00', '18:30']], thu: [['09:00', '18:30']], fri: [['09:00', '18:30']] },
  holidays: [
    '2026-01-01', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-04-06', '2026-05-01', '2026-05-04', '2026-05-05',
    '2026-06-19', '2026-09-25', '2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07',
  ],
};

export const BUILT_IN_CALENDARS: Readonly<Record<string, BusinessCalendar>> = {
  [ALWAYS_ON_CALENDAR.id]: ALWAYS_ON_CALENDAR,
  [SHANGHAI_OFFICE_CALENDAR.id]: SHANGHAI_OFFICE_CALENDAR,
};

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', weekday: 'short' });
    formatters.set(timeZone, format);
  }
  return format;
}

interface LocalTime { year: number; month: number; day: number; hour: number; minute: number; second: number; weekday: Weekday }

function localTime(instant: number, timeZone: string): LocalTime {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
  return {
    year: Number(parts['year']), month: Number(parts['month']), day: Number(parts['day']),
    hour: Number(parts['hour']), minute: Number(parts['minute']), second: Number(parts['second']),
    weekday: String(parts['weekday']).slice(0, 3).toLowerCase() as Weekday,
  };
}

/** The local date (YYYY-MM-DD) of an instant in a time zone: the day a customer and the business call it. */
export function localDateOf(instant: string, timeZone: string): string {
  const local = localTime(Date.parse(instant), timeZone);
  return `${String(local.year).padStart(4, '0')}-${String(local.month).padStart(2, '0')}-${String(local.day).padStart(2, '0')}`;
}

/** Offset of the zone at an instant, in ms (local wall time minus UTC). */
function offsetAt(instant: number, timeZone: string): number {
  const local = localTime(instant, timeZone);
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second) - Math.floor(instant / 1000) * 1000;
}

/** The instant at which the wall clock of the zone shows this local date and time. */
function instantOf(year: number, month: number, day: number, minutes: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day, 0, minutes);
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  return second;
}

const minutesOf = (time: string): number => {
  const [hours, minutes] = time.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
};

export function isAlwaysOn(calendar: BusinessCalendar): boolean {
  return (calendar.holidays ?? []).length === 0 && WEEKDAYS.every((day) => {
    const intervals = calendar.hours[day];
    return intervals?.length === 1 && intervals[0]![0] === '00:00' && intervals[0]![1] === '24:00';
  });
}

/**
 * The instant when `durationMs` of working time has passed since `start`. A deadline that falls
 * exactly at the end of a working interval stays there (it does not move to the next morning).
 */
export function addBusinessTime(start: string, durationMs: number, calendar: BusinessCalendar): string {
  const startMs = Date.parse(start);
  if (isAlwaysOn(calendar)) return new Date(startMs + durationMs).toISOString();
  let remaining = durationMs;
  const first = localTime(startMs, calendar.timeZone);
  const holidays = new Set(calendar.holidays ?? []);
  for (let dayOffset = 0; dayOffset < 3700; dayOffset += 1) {
    const date = new Date(Date.UTC(first.year, first.month - 1, first.day + dayOffset));
    const [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    const iso = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    if (holidays.has(iso)) continue;
    const weekday = WEEKDAYS[(date.getUTCDay() + 6) % 7]!;
    for (const [from, to] of calendar.hours[weekday] ?? []) {
      const intervalStart = instantOf(year, month, day, minutesOf(from), calendar.timeZone);
      const intervalEnd = instantOf(year, month, day, minutesOf(to), calendar.timeZone);
      const effectiveStart = Math.max(intervalStart, startMs);
      if (effectiveStart >= intervalEnd) continue;
      if (remaining <= intervalEnd - effectiveStart) return new Date(effectiveStart + remaining).toISOString();
      remaining -= intervalEnd - effectiveStart;
    }
  }
  throw new RangeError(`calendar ${calendar.id} has no working time within ten years of ${start}`);
}

/** Problems of a calendar from configuration; empty when usable. */
export function validateCalendar(candidate: unknown, where = 'calendar'): string[] {
  if (typeof candidate !== 'object' || candidate === null) return [`${where} must be an object or a built-in id (${Object.keys(BUILT_IN_CALENDARS).join(', ')})`];
  const calendar = candidate as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of ['id', 'version', 'timeZone']) if (typeof calendar[key] !== 'string' || calendar[key] === '') problems.push(`${where}.${key} must be a non-empty string`);
  if (typeof calendar['timeZone'] === 'string') {
    try {
      formatter(calendar['timeZone']);
    } catch {
      problems.push(`${where}.timeZone is not a known IANA time zone: ${calendar['timeZone']}`);
    }
  }
  const hours = calendar['hours'];
  if (typeof hours !== 'object' || hours === null) problems.push(`${where}.hours must map weekdays (mon … sun) to [["09:00","18:30"], …]`);
  else {
    let open = 0;
    for (const [day, intervals] of Object.entries(hours)) {
      if (!(WEEKDAYS as readonly string[]).includes(day)) problems.push(`${where}.hours.${day} is not a weekday (mon … sun)`);
      else if (!Array.isArray(intervals) || !intervals.every((interval) => Array.isArray(interval) && interval.length === 2 && interval.every((time) => typeof time === 'string' && /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/.test(time)) && minutesOf(interval[0]) < minutesOf(interval[1]))) {
        problems.push(`${where}.hours.${day} must be a list of ["HH:MM","HH:MM"] with start before end`);
      } else open += intervals.length;
    }
    if (open === 0) problems.push(`${where}.hours has no working time`);
  }
  const holidays = calendar['holidays'];
  if (holidays !== undefined && (!Array.isArray(holidays) || !holidays.every((day) => typeof day === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(day)))) {
    problems.push(`${where}.holidays must be a list of YYYY-MM-DD dates`);
  }
  return problems;
}
