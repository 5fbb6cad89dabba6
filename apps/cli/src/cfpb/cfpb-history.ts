import { chainedEvents, reasonOf } from '@app/complaints';
import {
  ALWAYS_ON_CALENDAR, CUSTOMER_FILE_EVENT_SCHEMA_VERSIONS, clockDeadline, complaintStreamName, customerFileStreamName, decide, decideCustomerFile, evolve,
  initialComplaintState, initialCustomerFileState,
  type Actor, type Channel, type ComplaintCommand, type ComplaintState, type CustomerFileEventType, type SlaPolicy,
} from '@app/domain';
import { chainStart, deterministicUuid } from '@app/event-sourcing';
import type { EventToAppend } from '@app/event-store';
import { CHANNELS, DEPARTMENTS, OPEN_RESPONSES, REMEDIES, UNTIMELY_RESPONSE, causeOf, purposeOf, slug } from './cfpb-mapping';
import type { CfpbRow } from './cfpb-row';

/** The principal of every imported decision. */
export const CFPB_IMPORTER: Actor = { id: 'system:cfpb-import', role: 'system' };

/**
 * CFPB expects a company to respond within 15 days. Both the reply and the answer clock run on
 * it, around the clock; nobody calls consumers back, so the policy sets no callback obligation.
 */
export const CFPB_POLICY: SlaPolicy = {
  version: 'cfpb-company-response-15d-v1',
  firstReply: 'P15D',
  answer: 'P15D',
  onSite: 'P15D',
  calendar: ALWAYS_ON_CALENDAR,
};

const NAMESPACE = 'c4a1f7d2-5e3b-4a8c-9d60-7b2e1f0a3c95';
const DAY_MS = 86_400_000;

/** The id a CFPB complaint gets here: the same on every import, so a second import finds it stored. */
export const complaintIdOfCfpb = (cfpbId: string): string => deterministicUuid(NAMESPACE, `cfpb:${cfpbId}`);

export type CustomerKey = 'complaint' | 'zip' | 'state';

export interface CfpbHistoryOptions {
  /** How complaints are grouped into customers (CFPB has no customer identity). */
  readonly customerKey: CustomerKey;
  /** The company when the file has no Company column. */
  readonly company?: string;
}

/** How one row was read: what the import report counts. */
export interface CfpbMappingNotes {
  readonly channel: Channel;
  readonly unmappedChannel: string | null;
  readonly unmappedIssue: string | null;
  readonly unmappedProduct: string | null;
  readonly unknownResponse: string | null;
  readonly outcome: 'resolved' | 'open' | 'untimely';
  readonly disputeRecorded: boolean;
  readonly disputeWithoutResolution: boolean;
}

export interface CfpbHistory {
  readonly complaintId: string;
  /** The customer the complaint was filed under (by --customer-key). */
  readonly customerId: string;
  /** When the complaint was received: a customer's file opens then, with its first complaint of the import. */
  readonly receivedAt: string;
  readonly stream: string;
  readonly events: EventToAppend[];
  readonly notes: CfpbMappingNotes;
}

const midnight = (day: string): string => `${day}T00:00:00.000Z`;
const plusDays = (day: string, days: number): string => new Date(Date.parse(midnight(day)) + days * DAY_MS).toISOString();

function customerOf(row: CfpbRow, key: CustomerKey): string {
  if (key === 'zip' && /^[0-9]{3}[0-9X]{2}$/.test(row.zip)) return `zip-${row.zip}`;
  if (key === 'state' && /^[A-Z]{2}$/.test(row.state)) return `state-${row.state}`;
  return `cfpb-${row.complaintId}`;
}

function describe(row: CfpbRow): string {
  const topic = [row.product, row.subProduct].filter(Boolean).join(' / ');
  const issue = [row.issue, row.subIssue].filter(Boolean).join(' / ');
  const summary = `CFPB complaint ${row.complaintId}: ${topic || 'no product'} — ${issue || 'no issue'}`;
  return row.narrative === '' ? summary : `${summary}\n\n${row.narrative}`;
}

/**
 * The lifecycle one CFPB row tells, decided by the real decider step by step, with the times of
 * the data (docs/cfpb-import.md). The file has no date of the company's response: a timely
 * response is placed on the day the company got the complaint, a late one on the first day after
 * its 15 days — the earliest moments the data allows.
 */
export function historyOfCfpbRow(row: CfpbRow, options: CfpbHistoryOptions): CfpbHistory {
  const complaintId = complaintIdOfCfpb(row.complaintId);
  const stream = complaintStreamName(complaintId);
  const events: EventToAppend[] = [];
  let state: ComplaintState = initialComplaintState;
  let hash = chainStart(stream);
  let step = 0;
  let correlationId: string | undefined;
  let causationId: string | undefined;
  const reasonPrefix = `CFPB complaint ${row.complaintId}`;

  /** Decides one step; the reason is the command's own, or the note on what the row said. */
  const run = (command: Omit<ComplaintCommand, 'actor' | 'complaintId'>, note?: string) => {
    const decided = decide({ ...command, complaintId, actor: CFPB_IMPORTER } as ComplaintCommand, state);
    const commandId = deterministicUuid(NAMESPACE, `cfpb:${row.complaintId}:${step}`);
    step += 1;
    correlationId ??= commandId;
    const chained = chainedEvents(decided, {
      commandId, commandType: command.type, correlationId, causationId: causationId ?? commandId, actor: CFPB_IMPORTER,
      reason: reasonOf(command.data) ?? `${reasonPrefix}: ${note ?? command.type}`, occurredAt: command.at,
    }, hash);
    hash = chained.headHash;
    events.push(...chained.events);
    causationId = chained.events[chained.events.length - 1]?.eventId ?? causationId;
    state = decided.reduce(evolve, state);
  };

  const mappedChannel = row.submittedVia === null ? undefined : CHANNELS[row.submittedVia];
  const channel: Channel = mappedChannel ?? 'other';
  const cause = causeOf(row.issue);
  const department = DEPARTMENTS[row.product];
  const company = row.company ?? options.company ?? null;
  const customerId = customerOf(row, options.customerKey);

  run({
    type: 'ReceiveComplaint', at: midnight(row.receivedOn),
    data: {
      customerId, channel, cause: cause ?? 'other', purpose: purposeOf(cause ?? 'other'), severity: 'medium',
      description: describe(row), policy: CFPB_POLICY,
    },
  } as Omit<ComplaintCommand, 'actor' | 'complaintId'>, `received by CFPB via ${row.submittedVia ?? 'an unnamed channel'}`);
  run({ type: 'ValidateComplaint', at: midnight(row.sentOn), data: { reason: `${reasonPrefix}: CFPB sent it to the company` } });
  run({
    type: 'AssignComplaint', at: midnight(row.sentOn),
    data: { department: department ?? 'other', assignee: company === null ? 'company-not-named' : slug(company), reason: `${reasonPrefix}: assigned to ${company ?? 'the company'} (${row.product || 'no product'})` },
  });

  const remedy = REMEDIES[row.companyResponse];
  let outcome: CfpbMappingNotes['outcome'] = 'open';
  if (remedy !== undefined) {
    outcome = 'resolved';
    const late = row.timely === 'No';
    const resolvedAt = late ? plusDays(row.sentOn, 16) : midnight(row.sentOn);
    run({ type: 'ResolveComplaint', at: resolvedAt, data: { resolutionClass: 'short-term', remedy, customerAccepted: true } },
      `company response "${row.companyResponse}", timely: ${row.timely ?? 'not stated'}`);
  } else if (row.companyResponse === UNTIMELY_RESPONSE && state.status !== 'none') {
    outcome = 'untimely';
    const sent = Date.parse(midnight(row.sentOn));
    for (const clock of ['first-reply', 'answer'] as const) {
      const deadline = clockDeadline(state, clock)!;
      run({ type: 'RecordSlaBreach', at: new Date(Math.max(Date.parse(deadline), sent)).toISOString(), data: { clock } }, `company response "${UNTIMELY_RESPONSE}"`);
    }
  }

  const disputeRecorded = row.disputed === 'Yes' && outcome === 'resolved';
  if (disputeRecorded) {
    const at = state.status === 'resolved' ? state.resolution.resolvedAt : midnight(row.sentOn);
    run({ type: 'RecordCallback', at, data: { outcome: 'unsatisfied', satisfaction: 1, remarks: 'The consumer disputed the company\'s response (CFPB "Consumer disputed?": Yes).' } }, 'consumer disputed the response');
    run({ type: 'ReopenComplaint', at, data: { reason: `${reasonPrefix}: the consumer disputed the company's response` } });
  }

  return {
    complaintId,
    customerId,
    receivedAt: midnight(row.receivedOn),
    stream,
    events,
    notes: {
      channel,
      unmappedChannel: mappedChannel === undefined ? (row.submittedVia ?? '(no Submitted via column)') : null,
      unmappedIssue: cause === undefined ? row.issue : null,
      unmappedProduct: department === undefined ? row.product : null,
      unknownResponse: remedy === undefined && !OPEN_RESPONSES.has(row.companyResponse) && row.companyResponse !== UNTIMELY_RESPONSE ? row.companyResponse : null,
      outcome,
      disputeRecorded,
      disputeWithoutResolution: row.disputed === 'Yes' && !disputeRecorded,
    },
  };
}

export interface CfpbCustomerFile {
  readonly stream: string;
  readonly events: EventToAppend[];
}

/**
 * The minimal file a customer gets with the first of its complaints in an import, as intake over
 * HTTP opens one (a floating customer without a name: CFPB publishes none). Decided by the file's
 * own decider, chained from the stream's start; its ids derive from the customer and that complaint, so a second
 * import finds the file stored, and a file opened some other way first is left as it is.
 */
export function customerFileOfCfpb(history: Pick<CfpbHistory, 'customerId' | 'complaintId' | 'receivedAt'>): CfpbCustomerFile {
  const stream = customerFileStreamName(history.customerId);
  const command = {
    type: 'OpenCustomerFileAtIntake', customerId: history.customerId, at: history.receivedAt, actor: CFPB_IMPORTER,
    data: { complaintId: history.complaintId },
  } as const;
  const commandId = deterministicUuid(NAMESPACE, `cfpb-customer:${history.customerId}:${history.complaintId}`);
  const chained = chainedEvents(decideCustomerFile(command, initialCustomerFileState), {
    commandId, commandType: command.type, correlationId: commandId, causationId: commandId, actor: CFPB_IMPORTER,
    reason: `CFPB import: the file of ${history.customerId}, opened with its first complaint`, occurredAt: command.at,
  }, chainStart(stream), (type) => CUSTOMER_FILE_EVENT_SCHEMA_VERSIONS[type as CustomerFileEventType]);
  return { stream, events: chained.events };
}
