import type { ListFilter } from './api';

/** The queue's filters, as GET /complaints takes them: kept in the URL (/#/?cause=…&from=…), so a link opens the queue filtered. */
export const QUEUE_FILTERS = ['status', 'cause', 'behaviour', 'purpose', 'channel', 'segment', 'escalated', 'department', 'assignee', 'customerId', 'q', 'from', 'to'] as const satisfies ReadonlyArray<keyof ListFilter>;

/** The filter a URL's query holds (unknown parameters ignored, empty ones left out). */
export function filterOf(params: URLSearchParams): ListFilter {
  const filter: Record<string, string> = {};
  for (const key of QUEUE_FILTERS) {
    const value = params.get(key);
    if (value !== null && value !== '') filter[key] = value;
  }
  return filter;
}

/** The queue's request for a filter: the soonest deadline due first, across every page (the API sorts). */
export const queueOrder = (filter: ListFilter): ListFilter => ({ ...filter, sort: 'nextDueAt' });

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
