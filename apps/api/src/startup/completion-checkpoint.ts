import type { EventStore } from '@app/event-store';
import type { ReadStore } from '@app/read-store';

/** The read store's checkpoints of the start-up completions (beside the projections' own). */
export const COMPLETION_CHECKPOINTS = { erasures: 'completion-erasures', surveyCampaigns: 'completion-survey-campaigns' } as const;

/**
 * Runs a start-up completion (erasures, survey campaigns) from its checkpoint, so that a start reads
 * only what was recorded since the last one, and moves the checkpoint to what it read (at least the
 * log's head when it began, so a log without any such event is not read again) once all of it is complete (a completion that fails moves nothing: the next start reads it again). A
 * checkpoint beyond the log's head belongs to another log (a read store kept beside a new event
 * store): the whole log is read then. A read store wiped starts from 0, as before checkpoints.
 */
export async function completeFromCheckpoint<Report extends { readonly position: number }>(
  store: ReadStore, events: EventStore, name: string, complete: (after: number) => Promise<Report>,
): Promise<Report> {
  await store.recover(name);
  const saved = await store.checkpoint(name);
  const head = await events.headPosition();
  const after = saved > head ? 0 : saved;
  const report = await complete(after);
  // Everything up to the head as it was before the read was read (positions only increase), and what came after up to the last one read.
  const reached = Math.max(head, report.position);
  if (reached !== saved) await store.commit(name, [], reached);
  return report;
}
