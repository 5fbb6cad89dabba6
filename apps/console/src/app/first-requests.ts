import { askEarly, tokenStore } from '../shared/api/client';
import { complaintPageParams, filterOf, queueOrder } from '../features/complaints/queue-filter';

/**
 * The requests a signed-in tab's first screen waits for, sent by a script of their own (src/first-requests.ts, before
 * the console's in index.html): they leave as soon as the page is parsed, while the console's code still loads and
 * runs, instead of after it. The session, the taxonomy and, on the queue (every role may read it), its first page with
 * the filter of the address; the console's start (first-screen.ts) and its screens then take these answers
 * (client.ts, askEarly) under the same addresses. This module imports nothing heavy: its own chunk is small.
 */
export function askFirstRequests(hash: string): void {
  if (tokenStore.get() === null) return;
  askEarly('/session');
  askEarly('/taxonomy');
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?');
  if (path === '' || path === '/') askEarly('/complaints', complaintPageParams(queueOrder(filterOf(new URLSearchParams(search))), undefined, undefined));
}
