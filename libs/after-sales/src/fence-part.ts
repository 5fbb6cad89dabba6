import { deterministicUuid } from '@app/event-sourcing';
import type { CommandContext } from '@app/complaints';

const FENCE_NAMESPACE = '4c0b7e52-93d1-4a6f-b8e2-1f5a7c3d9e60';

/**
 * The context of a fence's part in a decision's atomic append (an engineer's duty, a work order's
 * surveys): a command id of its own derived from the request's (one event id per stream, the same on
 * a retry), and neither the caller's If-Match (that names the order's revision) nor its request digest
 * (the request's own part answers whether a key was reused).
 */
export function fenceContext(context: CommandContext): CommandContext {
  const { expectedRevision: _ifMatch, request: _request, ...rest } = context;
  return { ...rest, commandId: deterministicUuid(FENCE_NAMESPACE, context.commandId) };
}

/** Runs a decision, and once more on fresh facts each time its fence says it was decided on stale ones; the last refusal is the answer. */
export async function decidedAgainOnFence<T>(attempts: number, isFenceRefusal: (error: unknown) => boolean, decision: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await decision();
    } catch (error) {
      if (attempt >= attempts || !isFenceRefusal(error)) throw error;
    }
  }
}
