import {
  ACCESS_CONTROL_STREAM, ACCESS_EVENT_TYPES, LOG_SEALS_STREAM, TAMPER_EVENT_TYPES, accessDecisionWords, customerFileDecisionWords, decisionWords, productDecisionWords,
  SURVEY_CAMPAIGN_EVENT_TYPES, SURVEY_CAMPAIGN_STREAM_PREFIX, satisfactionSurveyDecisionWords, serviceNetworkDecisionWords, surveyCampaignDecisionWords, upcastSurveyCampaignEvent, tamperDecisionWords, workOrderDecisionWords, type AccessEvent, type ComplaintEvent, type TamperFindingsAcknowledged, type Words, complaintStreamName, principalKey, workOrderStreamName,
} from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type { Projection, ProjectionContext } from '@app/projections';
import { productEventOf, serviceNetworkEventOf, workOrderEventOf } from '../after-sales-event';
import { complaintEventOf } from '../complaint-event';
import { customerFileEventOf } from '../customer-files/customer-file-event';
import { satisfactionSurveyEventOf } from '../surveys/survey-event';

export const AUDIT_DECISIONS = 'audit-decisions';

/** One decision, without its words and its stream: an event with who took it, when and why. */
interface DecisionBase {
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
  /** The work order a repair decision is about; null for any other decision. */
  readonly workOrderId: string | null;
  readonly [key: string]: unknown;
}

/** One decision as it is answered, without its words. */
interface DecisionFields extends DecisionBase {
  /** The stream of the event: `complaint-…`, `work-order-…`, `product-…`, `service-network`, `access-control`, … */
  readonly stream: string;
}

/**
 * One decision as it is stored: without its words (docs/adr/0011, sixth step), with the key the actor filter compares, and
 * (version 12, eighth step) without the stream where it is its complaint's or its work order's (streamOfStored puts it back).
 */
export interface StoredDecision extends DecisionBase {
  readonly stream: string | null;
  /** The actor's principalKey (version 11): `Li.Na`'s decisions are li.na's. Never answered. */
  readonly actorKey: string;
}

/** One decision as it is answered: the stored one with its words, worked out from its event when it is read. */
export interface DecisionDocument extends DecisionFields {
  readonly decision: Words;
}

/** The words of a decision, or undefined for an event that records none this read model knows. */
export function decisionOf(recorded: RecordedEvent): { words: Words; complaintId: string | null; workOrderId: string | null } | undefined {
  const complaint: ComplaintEvent | undefined = complaintEventOf(recorded);
  if (complaint) return { words: decisionWords(complaint), complaintId: complaint.data.complaintId, workOrderId: null };
  const workOrder = workOrderEventOf(recorded);
  if (workOrder) return { words: workOrderDecisionWords(workOrder), complaintId: null, workOrderId: workOrder.data.workOrderId };
  const product = productEventOf(recorded);
  if (product) return { words: productDecisionWords(product), complaintId: null, workOrderId: null };
  // A survey's sending shows in its subject's trail too (the complaint's or the work order's).
  const survey = satisfactionSurveyEventOf(recorded);
  if (survey) {
    const subject = survey.type === 'SatisfactionSurveySent' ? survey.data.subject : undefined;
    return {
      words: satisfactionSurveyDecisionWords(survey),
      complaintId: subject?.kind === 'complaint' ? subject.id : null, workOrderId: subject?.kind === 'work-order' ? subject.id : null,
    };
  }
  if (recorded.stream.startsWith(SURVEY_CAMPAIGN_STREAM_PREFIX) && (SURVEY_CAMPAIGN_EVENT_TYPES as readonly string[]).includes(recorded.type)) {
    const campaign = upcastSurveyCampaignEvent(recorded.type, recorded.data, () => recorded.metadata['schemaVersion']);
    return { words: surveyCampaignDecisionWords(campaign), complaintId: null, workOrderId: null };
  }
  // A customer file's decisions (docs/adr/0013): their words name personal fields, never quote them.
  const customerFile = customerFileEventOf(recorded);
  if (customerFile) return { words: customerFileDecisionWords(customerFile), complaintId: null, workOrderId: null };
  const network = serviceNetworkEventOf(recorded);
  if (network) return { words: serviceNetworkDecisionWords(network), complaintId: null, workOrderId: null };
  if (recorded.stream === ACCESS_CONTROL_STREAM && ACCESS_EVENT_TYPES.has(recorded.type)) {
    return { words: accessDecisionWords({ type: recorded.type, data: recorded.data } as unknown as AccessEvent), complaintId: null, workOrderId: null };
  }
  if (recorded.stream === LOG_SEALS_STREAM && TAMPER_EVENT_TYPES.has(recorded.type)) {
    return { words: tamperDecisionWords({ type: recorded.type, data: recorded.data } as unknown as TamperFindingsAcknowledged), complaintId: null, workOrderId: null };
  }
  return undefined;
}

/**
 * Every decision across complaints, repairs (work orders, the product registry, the service
 * network), satisfaction surveys and their campaigns, customer files, every grant and revocation of access, and every acknowledgement of tamper findings, for
 * "what did this person decide last month".
 */
export const auditDecisionsProjection: Projection = {
  name: AUDIT_DECISIONS,
  // Version 4: repairs too (work orders, products, the service network), with the stream and the work order.
  // Version 5: satisfaction surveys too.
  // Version 6: customer files too (stream customer-<id>).
  // Version 7: survey campaigns too (stream survey-campaign-<id>).
  // Version 8: a quote confirmation's and a sign-off's words no longer quote the customer's name (personal data, docs/adr/0019).
  // Version 9: the words are no longer stored; the query works them out from the event (a third of the read store's bytes were decisions).
  // Version 10: typed rows (docs/adr/0011, seventh step): a column per field, no JSON; the same decisions, answered the same.
  // Version 11: the actor filter compares principal ids by their principalKey (actorKey), so `Li.Na`'s decisions are li.na's (issue 19).
  // Version 12: smaller on disk (docs/adr/0011, eighth step): no stream where it is the complaint's or the work order's, and the
  // work-order index holds only the decisions about a work order (sparse).
  // Version 13: occurredAt is a column of instants (docs/adr/0011, fourteenth step): milliseconds in the row and its five indexes
  // on SQLite, answered as the same text.
  version: 13,
  collections: [{
    name: 'decisions', indexes: [['occurredAt'], ['actorKey', 'occurredAt'], ['role', 'occurredAt'], ['type', 'occurredAt'], ['workOrderId', 'occurredAt']],
    sparse: ['workOrderId'],
    // In the order of StoredDecision's fields, as the document is built: a row reads back as the same JSON.
    columns: {
      position: { type: 'integer' }, complaintId: { type: 'text', nullable: true }, revision: { type: 'integer' }, type: { type: 'text' }, actorId: { type: 'text' },
      role: { type: 'text' }, reason: { type: 'text', nullable: true }, occurredAt: { type: 'instant' }, workOrderId: { type: 'text', nullable: true }, stream: { type: 'text', nullable: true },
      actorKey: { type: 'text' },
    },
  }],
  apply(recorded: RecordedEvent, context: ProjectionContext): void {
    const decided = decisionOf(recorded);
    if (!decided) return;
    const metadata = recorded.metadata;
    const actor = (metadata['actor'] ?? {}) as { id?: string; role?: string };
    const occurredAt = typeof metadata['occurredAt'] === 'string' ? metadata['occurredAt'] : recorded.recordedAt;
    const document: StoredDecision = {
      id: String(recorded.position).padStart(16, '0'), position: recorded.position, complaintId: decided.complaintId, revision: recorded.revision,
      type: recorded.type, actorId: actor.id ?? 'unknown', role: actor.role ?? 'unknown',
      reason: typeof metadata['reason'] === 'string' ? metadata['reason'] : null, occurredAt,
      workOrderId: decided.workOrderId, stream: recorded.stream === subjectStream(decided) ? null : recorded.stream, actorKey: principalKey(actor.id ?? 'unknown'),
    };
    context.put('decisions', document);
  },
};

/** The stream a decision's subject is recorded in: its complaint's, else its work order's; null for neither. */
function subjectStream(decision: { readonly complaintId: string | null; readonly workOrderId: string | null }): string | null {
  return decision.complaintId !== null ? complaintStreamName(decision.complaintId) : decision.workOrderId !== null ? workOrderStreamName(decision.workOrderId) : null;
}

/** The stream of a stored decision: as stored, or (version 12) its subject's, left out because it is that one. */
export function streamOfStored(decision: StoredDecision): string {
  return decision.stream ?? subjectStream(decision) ?? 'unknown';
}
