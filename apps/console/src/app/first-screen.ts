import type { QueryClient } from '@tanstack/react-query';
import { tokenStore } from '../shared/api/client';
import { sessionQuery } from '../shared/api/session';
import { taxonomyQuery } from '../shared/api/taxonomy';
import { complaintPageQuery } from '../features/complaints/api';
import { queueFilterOf, queueOrder } from '../features/complaints/queue-filter';

/**
 * Asks, all at once and before React's first render, what a signed-in tab's first screen waits for:
 * the session, the taxonomy and, on the queue (every role may read it), its first page with the
 * filter of the address. Asked from the screens instead, each waited for the one before it and for a
 * render of the page without it (session → render → queue → render). The answers land in the query
 * cache under the keys the screens use, so a screen that mounts while one is on its way waits for it
 * rather than asking again. The requests themselves left before this code loaded (first-requests.ts):
 * these queries take their answers. Settles when every answer is in, refused ones included.
 */
export function askFirstScreen(client: QueryClient, hash: string): Promise<void> {
  if (tokenStore.get() === null) return Promise.resolve();
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?');
  const queue = path === '' || path === '/';
  // Answered (or refused) all: prefetchQuery never rejects.
  return Promise.all([
    client.prefetchQuery(sessionQuery()),
    client.prefetchQuery(taxonomyQuery()),
    queue ? client.prefetchQuery(complaintPageQuery(queueOrder(queueFilterOf(new URLSearchParams(search))), undefined)) : undefined,
  ]).then(() => undefined);
}
