import { askEarly, tokenStore } from '../shared/api/client';
import { complaintPageParams, queueFilterOf, queueOrder } from '../features/complaints/queue-filter';

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
  if (path === '' || path === '/') askEarly('/complaints', complaintPageParams(queueOrder(queueFilterOf(new URLSearchParams(search))), undefined, undefined));
}

/**
 * The browser's first date format loads its time-zone and calendar data (about 130 ms of main thread on the bench's
 * machine, measured in the queue's first render, where the console takes the browser's zone): done here, in the gap
 * while the console's code still loads, the console's own formats (i18n.tsx) are then made from data already loaded
 * (a millisecond each). The formats made here are thrown away; what stays is the data the browser has loaded.
 */
export function warmDateFormats(): void {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: zone, timeZoneName: 'short' }).format(0);
  new Intl.NumberFormat(undefined, { style: 'unit', unit: 'minute', unitDisplay: 'narrow' }).format(0);
}
