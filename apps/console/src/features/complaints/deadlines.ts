import type { Clock, ComplaintSummary } from './api';

/** The window the API's /sla/at-risk looks ahead by default (PT2H): a clock due within it is at risk. */
export const AT_RISK_WINDOW_MS = 2 * 60 * 60 * 1000;

export type DeadlineState = 'breached' | 'at-risk' | 'on-track';

/** The clock still running that is due first (the API says which run and which are met). */
export function nextClock(clocks: readonly Clock[] | undefined): Clock | null {
  const running = (clocks ?? []).filter((clock) => !clock.met);
  running.sort((a, b) => Date.parse(a.deadline) - Date.parse(b.deadline));
  return running[0] ?? null;
}

/** A list row's next deadline as a clock (GET /complaints answers nextDueAt and nextDueClock; breaches lists the breached clocks). */
export function nextDueOf(row: Pick<ComplaintSummary, 'nextDueAt' | 'nextDueClock' | 'breaches'>): Clock | null {
  if (row.nextDueAt === null || row.nextDueClock === null) return null;
  return { clock: row.nextDueClock, deadline: row.nextDueAt, met: false, breachRecorded: row.breaches.includes(row.nextDueClock) };
}

export function deadlineState(clock: Clock, now: number): DeadlineState {
  const left = Date.parse(clock.deadline) - now;
  if (clock.breachRecorded || left < 0) return 'breached';
  return left <= AT_RISK_WINDOW_MS ? 'at-risk' : 'on-track';
}
