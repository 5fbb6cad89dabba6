import type { RecordedEvent } from '@app/event-store';
import type { Projection, ProjectionContext } from '@app/projections';
import { trackClocksInPlace, type Clocks } from '../clock-tracker';
import { customerFileEventOf } from '../customer-files/customer-file-event';
import { complaintEventOf } from '../complaint-event';
import {
  BASE_SCORE, LOYALTY_MODEL_VERSION, SEVERITY_WEIGHT, STAGE_LABELS, TIER_LABELS, ZERO_COUNTERS, factorsOf, scoreOfCounters, stageOf, tierOf,
  type Factor, type LoyaltyCounters, type Stage, type Tier,
} from './loyalty-model';

export const CUSTOMER_LOYALTY = 'customer-loyalty';
const RECENT_WINDOW_MS = 90 * 86_400_000;

interface ComplaintFacts {
  readonly id: string;
  readonly customerId: string;
  readonly open: boolean;
  readonly clocks: Clocks;
  readonly counters: LoyaltyCounters;
  readonly [key: string]: unknown;
}

/**
 * A customer as the projection stores it: figures only. The factors, and the words for the tier and
 * the stage, follow from them and are rendered when the customer is read (`customerView`), so the
 * document stays small while it is rewritten on every event of the customer's complaints.
 */
export interface StoredCustomer {
  readonly id: string;
  readonly name: string | null;
  readonly segment: string | null;
  readonly counters: LoyaltyCounters;
  readonly causes: string[];
  readonly receipts: string[];
  readonly complaints: { total: number; open: number; bySeverity: Record<string, number>; reopened: number; escalated: number };
  readonly firstComplaintAt: string;
  readonly lastComplaintAt: string;
  /** Other complaints received within 90 days of the latest one (a factor of the score). */
  readonly recentComplaints: number;
  readonly score: number;
  readonly tier: Tier;
  readonly stage: Stage;
  readonly recentScores: number[];
  readonly modelVersion: number;
  readonly [key: string]: unknown;
}

/** A customer as it is read: the stored figures with the factors behind the score and the words for people. */
export interface CustomerDocument {
  readonly id: string;
  readonly name: string | null;
  readonly segment: string | null;
  readonly counters: LoyaltyCounters;
  readonly causes: string[];
  readonly receipts: string[];
  readonly complaints: { total: number; open: number; bySeverity: Record<string, number>; reopened: number; escalated: number };
  readonly firstComplaintAt: string;
  readonly lastComplaintAt: string;
  readonly factors: Factor[];
  readonly score: number;
  readonly tier: Tier;
  readonly tierLabels: { 'zh-CN': string; en: string };
  readonly stage: Stage;
  readonly stageLabels: { 'zh-CN': string; en: string };
  readonly recentScores: number[];
  readonly modelVersion: number;
  readonly [key: string]: unknown;
}

/** The customer file (客户档案) with its loyalty score, tier, lifecycle stage and the factors behind them. */
export const customerLoyaltyProjection: Projection = {
  name: CUSTOMER_LOYALTY,
  // Version 3 stores the figures without their words (the scoring model itself is LOYALTY_MODEL_VERSION).
  // Version 4: an erasure of the customer's personal data clears the name (docs/adr/0019).
  version: 4,
  collections: [{ name: 'complaints' }, { name: 'customers', indexes: [['score'], ['tier', 'score'], ['stage', 'score']] }],
  /** The complaint, and for a new one its customer; otherwise the customer is learnt from the complaint (one more read when not in memory). */
  reads(recorded: RecordedEvent) {
    const erasure = customerFileEventOf(recorded);
    if (erasure?.type === 'CustomerFilePersonalDataErased') return erasure.data.coveredFileIds.map((id) => ['customers', id] as const);
    const event = complaintEventOf(recorded);
    if (!event) return [];
    return event.type === 'ComplaintReceived' ? [['customers', event.data.customer.id] as const] : [['complaints', event.data.complaintId] as const];
  },
  apply(recorded: RecordedEvent, context: ProjectionContext): void {
    const erasure = customerFileEventOf(recorded);
    if (erasure?.type === 'CustomerFilePersonalDataErased') {
      // Read before any is changed; changed in place, not put as a copy that would share its parts with the
      // customer it replaces (which later events change in place, and a failed commit puts back).
      const named = erasure.data.coveredFileIds.filter((customerId) => {
        const erased = context.get<StoredCustomer>('customers', customerId);
        return erased !== undefined && erased.name !== null;
      });
      for (const customerId of named) context.change<Mutable<StoredCustomer>>('customers', customerId)!.name = null;
      return;
    }
    const event = complaintEventOf(recorded);
    if (!event) return;
    const id = event.data.complaintId;
    // The complaint's facts and its customer are changed in place (docs/adr/0011, eleventh step), not copied
    // per event. Both are read first: a customer not in memory is loaded and the event applied again,
    // which an event that changed a document in place could not be.
    let facts: Mutable<ComplaintFacts> | undefined;
    let customer: Mutable<StoredCustomer> | undefined;
    let receipt: Partial<LoyaltyCounters> = {};
    let made: [ComplaintFacts] | [ComplaintFacts, StoredCustomer] | [] = [];
    if (event.type === 'ComplaintReceived') {
      const data = event.data;
      const known = context.change<Mutable<StoredCustomer>>('customers', data.customer.id);
      // A new customer is all the projection's own: no part of it is shared (a constant would be changed with it).
      customer = known ?? {
        id: data.customer.id, name: null, segment: null, counters: { ...ZERO_COUNTERS }, causes: [], receipts: [],
        complaints: { total: 0, open: 0, bySeverity: {}, reopened: 0, escalated: 0 }, firstComplaintAt: data.receivedAt, lastComplaintAt: data.receivedAt,
        recentComplaints: 0, score: BASE_SCORE, tier: 'satisfied', stage: 'exploration', recentScores: [], modelVersion: LOYALTY_MODEL_VERSION,
      };
      const repeat = customer.causes.includes(data.cause);
      customer.name = data.customer.name ?? customer.name;
      customer.segment = data.customer.segment ?? customer.segment;
      if (!repeat) customer.causes = [...customer.causes, data.cause];
      customer.receipts = [...customer.receipts, data.receivedAt].sort().slice(-20);
      customer.complaints.total += 1;
      customer.complaints.bySeverity[data.severity] = (customer.complaints.bySeverity[data.severity] ?? 0) + 1;
      if (data.receivedAt < customer.firstComplaintAt) customer.firstComplaintAt = data.receivedAt;
      if (data.receivedAt > customer.lastComplaintAt) customer.lastComplaintAt = data.receivedAt;
      facts = { id, customerId: data.customer.id, open: false, clocks: {}, counters: ZERO_COUNTERS };
      // Both are put once made, below: a document put is the runtime's from then on.
      made = known ? [facts] : [facts, customer];
      receipt = { complaints: 1, severityWeight: SEVERITY_WEIGHT[data.severity] ?? 2, repeatComplaints: repeat ? 1 : 0 };
    } else {
      const read = context.get<ComplaintFacts>('complaints', id);
      if (!read || !context.get<StoredCustomer>('customers', read.customerId)) return;
      facts = context.change<Mutable<ComplaintFacts>>('complaints', id)!;
      customer = context.change<Mutable<StoredCustomer>>('customers', read.customerId)!;
    }

    const counters = { ...facts.counters, ...receipt };
    let open = facts.open;
    for (const transition of trackClocksInPlace(facts.clocks, event)) {
      if (transition.clock === 'first-reply') counters[transition.outcome === 'met' ? 'firstReplyInTime' : 'firstReplyLate'] += 1;
      else counters[transition.outcome === 'met' ? 'slaKept' : 'slaBroken'] += 1;
    }
    const complaints = customer.complaints;
    switch (event.type) {
      case 'ComplaintReceived':
        open = true;
        break;
      case 'ComplaintRejected':
        open = false;
        break;
      case 'ComplaintEscalated':
        counters.escalations += 1;
        complaints.escalated += 1;
        break;
      case 'ComplaintReopened':
        counters.reopens += 1;
        complaints.reopened += 1;
        open = true;
        break;
      case 'ComplaintResolved':
        counters.resolved = 1;
        counters[event.data.customerAccepted ? 'resolutionsAccepted' : 'resolutionsRefused'] += 1;
        break;
      case 'CallbackDone':
        counters.satisfactionPoints += event.data.satisfaction - 3;
        counters.callbacks += 1;
        open = !event.data.satisfied;
        break;
      case 'ComplaintValidated':
      case 'ComplaintAssigned':
      case 'ComplaintApologised':
      case 'OnSiteVisitRecorded':
      case 'SlaBreached':
      case 'SlaAtRisk':
      case 'ComplaintNoteAdded':
      case 'ComplaintContactRecorded':
      // The score weighs the severity and cause known at receipt; a later correction does not re-weigh it.
      case 'ComplaintCorrected':
      case 'ComplaintAttachmentAdded':
      case 'ComplaintTagged':
      case 'ComplaintRelated':
      case 'ComplaintUnrelated':
      case 'ComplaintDuplicateLinked':
      case 'ComplaintDuplicateUnlinked':
        break;
      default: {
        const unhandled: never = event;
        return unhandled;
      }
    }
    complaints.open += Number(open) - Number(facts.open);
    const totals = customer.counters;
    for (const key in totals) totals[key as keyof LoyaltyCounters] += counters[key as keyof LoyaltyCounters] - facts.counters[key as keyof LoyaltyCounters];
    facts.open = open;
    facts.counters = counters;
    rescore(customer);
    const [madeFacts, madeCustomer] = made;
    if (madeFacts) context.put('complaints', madeFacts);
    if (madeCustomer) context.put('customers', madeCustomer);
  },
};

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The customer's score, tier and stage from its figures, set on the customer itself. */
function rescore(customer: Mutable<StoredCustomer>): void {
  const latest = Date.parse(customer.lastComplaintAt);
  let recent = 0;
  for (const receipt of customer.receipts) if (latest - Date.parse(receipt) <= RECENT_WINDOW_MS) recent += 1;
  const recentComplaints = Math.max(0, recent - 1);
  const score = scoreOfCounters(customer.counters, recentComplaints);
  // The first scoring always records the starting score; later ones only a change.
  if (score !== customer.score || customer.recentScores.length === 0) customer.recentScores = [...customer.recentScores, customer.score].slice(-5);
  customer.recentComplaints = recentComplaints;
  customer.score = score;
  customer.tier = tierOf(score);
  customer.stage = stageOf(customer.counters, score, customer.recentScores);
  customer.modelVersion = LOYALTY_MODEL_VERSION;
}

/** The customer as people read it: the factors behind the score, and the tier and stage in zh-CN and en. */
export function customerView(stored: StoredCustomer): CustomerDocument {
  const { recentComplaints, ...figures } = stored;
  return { ...figures, factors: factorsOf(stored.counters, recentComplaints), tierLabels: TIER_LABELS[stored.tier], stageLabels: STAGE_LABELS[stored.stage] };
}
