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
 * the console's code has loaded (app/first-requests.ts), which is taken by its address.
 */
export const complaintPageParams = (filter: ListFilter, cursor: string | undefined, minPosition: number | undefined) => ({ ...filter, limit: PAGE_SIZE, cursor, minPosition });

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
