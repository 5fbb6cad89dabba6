import {
  ACCESS_CONTROL_STREAM, ACCESS_EVENT_TYPES, LOG_SEALS_STREAM, TAMPER_EVENT_TYPES, accessDecisionWords, decisionWords, tamperDecisionWords,
  type AccessEvent, type ComplaintEvent, type TamperFindingsAcknowledged, type Words,
} from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type { Projection, ProjectionContext } from '@app/projections';
import { complaintEventOf } from '../complaint-event';

export const AUDIT_DECISIONS = 'audit-decisions';

/** One decision: an event with who took it, when and why. */
export interface DecisionDocument {
  readonly id: string;
  readonly position: number;
  /** null for a decision that is not about a complaint (a token granted or revoked). */
  readonly complaintId: string | null;
  readonly revision: number;
  readonly type: string;
  readonly actorId: string;
  readonly role: string;
  readonly reason: string | null;
  readonly occurredAt: string;
  readonly decision: Words;
  readonly [key: string]: unknown;
}

/**
 * Every decision across complaints, every grant and revocation of access, and every acknowledgement
 * of tamper findings, for "what did this person decide last month".
 */
export const auditDecisionsProjection: Projection = {
  name: AUDIT_DECISIONS,
  version: 3,
  collections: [{ name: 'decisions', indexes: [['occurredAt'], ['actorId', 'occurredAt'], ['role', 'occurredAt'], ['type', 'occurredAt']] }],
  apply(recorded: RecordedEvent, context: ProjectionContext): void {
    const event: ComplaintEvent | undefined = complaintEventOf(recorded);
    const access = !event && recorded.stream === ACCESS_CONTROL_STREAM && ACCESS_EVENT_TYPES.has(recorded.type)
      ? ({ type: recorded.type, data: recorded.data } as unknown as AccessEvent)
      : undefined;
    const acknowledged = !event && !access && recorded.stream === LOG_SEALS_STREAM && TAMPER_EVENT_TYPES.has(recorded.type)
      ? ({ type: recorded.type, data: recorded.data } as unknown as TamperFindingsAcknowledged)
      : undefined;
    if (!event && !access && !acknowledged) return;
    const metadata = recorded.metadata;
    const actor = (metadata['actor'] ?? {}) as { id?: string; role?: string };
    const occurredAt = typeof metadata['occurredAt'] === 'string' ? metadata['occurredAt'] : recorded.recordedAt;
    const document: DecisionDocument = {
      id: String(recorded.position).padStart(16, '0'), position: recorded.position, complaintId: event ? event.data.complaintId : null, revision: recorded.revision,
      type: recorded.type, actorId: actor.id ?? 'unknown', role: actor.role ?? 'unknown',
      reason: typeof metadata['reason'] === 'string' ? metadata['reason'] : null, occurredAt, decision: event ? decisionWords(event) : access ? accessDecisionWords(access) : tamperDecisionWords(acknowledged!),
    };
    context.put('decisions', document);
  },
};
