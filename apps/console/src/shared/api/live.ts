import { useEffect } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { ApiError, api, request } from './client';

/** One event of GET /feed, as far as the console reads it. */
interface FeedEvent {
  readonly position: number;
  readonly streamType: string;
  readonly type: string;
  readonly data: { readonly complaintId?: unknown; readonly workOrderId?: unknown };
}

/** The furthest log position the console has heard of: read-model queries ask for it (minPosition), so a refetch is never older. */
let heard = 0;

/** minPosition for a read-model query: what the feed has announced, once it has announced anything. */
export const readPosition = (): number | undefined => (heard > 0 ? heard : undefined);

const WAIT_SECONDS = 25;
const RETRY_MS = 5_000;

/**
 * New and changed complaints and work orders appear without a reload: the console follows the
 * change feed (GET /feed as a long poll: an EventSource cannot send the Authorization header, and
 * a token never goes into an address) from the read models' position when it starts, and refetches
 * what the events touch. Polling every 15 s stays as the fallback when the feed is not reachable.
 */
export function useLiveUpdates(enabled: boolean): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!enabled) return undefined;
    const controller = new AbortController();
    const { signal } = controller;
    const pause = (ms: number) => new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
    });
    void (async () => {
      let after: number | undefined;
      while (!signal.aborted) {
        try {
          if (after === undefined) {
            // Where the read models are now: the feed starts there, not at the beginning of the log.
            const response = await request('/complaints', { query: { limit: 1 }, signal });
            after = Number(response.headers.get('X-Read-Model-Position') ?? 0) || 0;
            continue;
          }
          const { body } = await api<{ events: FeedEvent[]; position: number }>('/feed', {
            query: { after, wait: WAIT_SECONDS, limit: 200, streamType: 'complaint,work-order' }, signal,
          });
          after = body.position;
          if (body.events.length > 0) {
            heard = Math.max(heard, ...body.events.map((event) => event.position));
            refetchTouched(queryClient, body.events);
          }
        } catch (error) {
          if (signal.aborted) return;
          // Too many feeds for this token (other tabs), or the server restarting: try again a little later.
          await pause(error instanceof ApiError && error.status === 401 ? RETRY_MS * 6 : RETRY_MS);
        }
      }
    })();
    return () => controller.abort();
  }, [enabled, queryClient]);
}

function refetchTouched(queryClient: QueryClient, events: readonly FeedEvent[]): void {
  const complaints = new Set<string>();
  let workOrders = false;
  const workOrderIds = new Set<string>();
  for (const event of events) {
    if (event.streamType === 'complaint' && typeof event.data.complaintId === 'string') complaints.add(event.data.complaintId);
    if (event.streamType === 'work-order') workOrders = true;
    if (event.streamType === 'work-order' && typeof event.data.workOrderId === 'string') workOrderIds.add(event.data.workOrderId);
  }
  if (complaints.size > 0) {
    void queryClient.invalidateQueries({ queryKey: ['complaints'] });
    void queryClient.invalidateQueries({ queryKey: ['sla-at-risk'] });
    void queryClient.invalidateQueries({ queryKey: ['sla-breaches'] });
    for (const id of complaints) {
      void queryClient.invalidateQueries({ queryKey: ['complaint', id] });
      void queryClient.invalidateQueries({ queryKey: ['complaint-events', id] });
      void queryClient.invalidateQueries({ queryKey: ['complaint-trail', id] });
    }
  }
  if (workOrders) void queryClient.invalidateQueries({ queryKey: ['work-order-board'] });
  for (const id of workOrderIds) void queryClient.invalidateQueries({ queryKey: ['work-order', id] });
}
