import { createHash } from 'node:crypto';
import { storedDataOf } from './hash-chain';

/**
 * The whole-log chain (docs/adr/0010): every event links to the one before it in global order,
 * across streams. The link covers what the per-stream chain cannot, because the store decides it:
 * the position, the stored event id and the recorded time, beside the stream, revision, type,
 * data and metadata. Removing or reordering any event, or deleting a whole stream, breaks the
 * link of the event after it; seals (an HMAC over a link, kept away from the data) catch a cut tail.
 */
export interface LoggedEvent {
  readonly position: number;
  readonly eventId: string;
  readonly stream: string;
  readonly revision: number;
  readonly type: string;
  readonly recordedAt: string;
  readonly data: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
}

/** The link before the first event of a log. */
export const LOG_CHAIN_START = createHash('sha256').update('log:complaint-desk:v1', 'utf8').digest('hex');

/**
 * link = sha256(previous link, the event's place and identity, its data and metadata as JSON text).
 * `dataJson` and `metadataJson` are JSON.stringify of the values: a store that already has that
 * text (it writes it) passes it instead of stringifying twice; text read back and parsed
 * stringifies to the same characters, so the link does not depend on the store.
 */
export function logLinkOfText(previous: string, event: Omit<LoggedEvent, 'data' | 'metadata'>, dataJson: string, metadataJson: string): string {
  return createHash('sha256')
    .update(previous, 'utf8')
    .update(JSON.stringify([event.position, event.eventId, event.stream, event.revision, event.type, event.recordedAt]), 'utf8')
    // Lengths first, so that text cannot move between the two fields unseen.
    .update(`\n${dataJson.length}:${metadataJson.length}\n`, 'utf8')
    .update(dataJson, 'utf8')
    .update(metadataJson, 'utf8')
    .digest('hex');
}

export function logLink(previous: string, event: LoggedEvent): string {
  return logLinkOfText(previous, event, JSON.stringify(storedDataOf(event)), JSON.stringify(event.metadata));
}
