import type { ListFilter } from './api';

/**
 * The queue's filters, as GET /complaints takes them: kept in the URL (/#/?cause=…&from=…), so a link opens the queue filtered.
 * `asOf` too: a number of the dashboard read as of a snapshot opens the complaints of that snapshot, not today's.
 */
export const QUEUE_FILTERS = ['status', 'cause', 'behaviour', 'purpose', 'channel', 'segment', 'escalated', 'department', 'assignee', 'customerId', 'q', 'from', 'to', 'asOf'] as const satisfies ReadonlyArray<keyof ListFilter>;

/** The filter a URL's query holds (unknown parameters ignored, empty ones left out). */
export function filterOf(params: URLSearchParams): ListFilter {
  const filter: Record<string, string> = {};
  for (const key of QUEUE_FILTERS) {
    const value = params.get(key);
    if (value !== null && value !== '') filter[key] = value;
  }
  return filter;
}

/** The status the queue shows when its address names none: the open complaints, those still waiting for a step (GET /complaints?status=open). */
export const DEFAULT_QUEUE_STATUS = 'open';
/** The status choice for every status, kept in the address (`status=any`) so that a link, a reload or the back button shows them all again. */
export const ANY_STATUS = 'any';

/**
 * The queue's filter for an address: filterOf with the status it shows when none is named, the open ones. An agent's
 * queue is the work still to do; closed and rejected complaints are one choice away (ANY_STATUS).
 */
export function queueFilterOf(params: URLSearchParams): ListFilter {
  const filter = filterOf(params);
  return filter.status === undefined ? { status: DEFAULT_QUEUE_STATUS, ...filter } : filter;
}

/** The queue's request for a filter: the soonest deadline due first, across every page (the API sorts); any status is no status filter. */
export const queueOrder = (filter: ListFilter): ListFilter => {
  const { status, ...rest } = filter;
  return { ...(status === undefined || status === ANY_STATUS ? {} : { status }), ...rest, sort: 'nextDueAt' };
};

export const PAGE_SIZE = 20;

/**
 * The query of a page of GET /complaints: the same object for the screens and for the request that leaves before
 * the console's code has loaded (app/first-requests.ts), which is taken by its address. At a snapshot (asOf) no
 * minPosition: that position is today's, a snapshot's head is behind it (refused, 400), and the API would first wait
 * for the live read models it does not read.
 */
export const complaintPageParams = (filter: ListFilter, cursor: string | undefined, minPosition: number | undefined) =>
  ({ ...filter, limit: PAGE_SIZE, cursor, minPosition: filter.asOf === undefined ? minPosition : undefined });

/** How often the queue asks its page again: every 15 s for today's complaints; never at a snapshot (asOf), which does not change. */
export const queueRefetchInterval = (filter: ListFilter): number | false => (filter.asOf === undefined ? 15_000 : false);

/** The URL of the queue showing the complaints of this filter: `/?cause=…`. */
export function queueLink(filter: ListFilter): string {
  const params = new URLSearchParams();
  for (const key of QUEUE_FILTERS) {
    const value = filter[key];
    if (value !== undefined && value !== '') params.set(key, value);
  }
  const text = params.toString();
  return text === '' ? '/' : `/?${text}`;
}

/** The filter an address shows, by content: `/` and `/?status=open` are one filter (the default status), one text. */
export const filterShown = (search: string): string => queueLink(queueFilterOf(new URLSearchParams(search)));

/** What the filter form was last written with: the filter shown (filterShown) and the time zone its received days are drawn in. */
export interface FormShown {
  readonly link: string;
  readonly zone: string;
}

/**
 * Whether the queue's filter form is written again from its address: the first time, when the time zone changes (the
 * received days are drawn in it), or when the address's filter changed by content and is not the one the form applied
 * itself (the form shows that one already, and may have moved on: writing it back erased a code chosen in between).
 * `applied` is appliedMark's answer at the form's last Apply, taken away at each write or skip.
 */
export function rewritesForm(before: FormShown | undefined, now: FormShown, applied: string | undefined): boolean {
  if (before === undefined || before.zone !== now.zone) return true;
  if (before.link === now.link) return false;
  return now.link !== applied;
}

/**
 * The filter the form's Apply puts in the address (`link`, as queueLink writes it), to be known as the form's own when
 * the address shows it; nothing when it is the filter shown already: the address's filter does not change, so no write
 * comes to take the mark away, and a later change (the time zone) would be taken for the form's own.
 */
export function appliedMark(shown: string, link: string): string | undefined {
  const next = filterShown(link.startsWith('/?') ? link.slice(2) : '');
  return next === shown ? undefined : next;
}
