import type { RecordedEvent } from '@app/event-store';
import type { Projection, ProjectionContext } from '@app/projections';
import { trackClocks, type Clocks } from '../clock-tracker';
import { customerFileEventOf } from '../customer-files/customer-file-event';
import { complaintEventOf } from '../complaint-event';
import {
  BASE_SCORE, LOYALTY_MODEL_VERSION, SEVERITY_WEIGHT, STAGE_LABELS, TIER_LABELS, ZERO_COUNTERS, factorsOf, scoreOf, stageOf, tierOf,
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
      for (const customerId of erasure.data.coveredFileIds) {
        const erased = context.get<StoredCustomer>('customers', customerId);
        if (erased && erased.name !== null) context.put('customers', { ...erased, name: null });
      }
      return;
    }
    const event = complaintEventOf(recorded);
    if (!event) return;
    const id = event.data.complaintId;
    let facts = event.type === 'ComplaintReceived' ? undefined : context.get<ComplaintFacts>('complaints', id);
    let customer: StoredCustomer | undefined;
    let receipt: Partial<LoyaltyCounters> = {};
    if (event.type === 'ComplaintReceived') {
      const data = event.data;
      customer = context.get<StoredCustomer>('customers', data.customer.id);
      customer ??= {
        id: data.customer.id, name: null, segment: null, counters: ZERO_COUNTERS, causes: [], receipts: [],
        complaints: { total: 0, open: 0, bySeverity: {}, reopened: 0, escalated: 0 }, firstComplaintAt: data.receivedAt, lastComplaintAt: data.receivedAt,
        recentComplaints: 0, score: BASE_SCORE, tier: 'satisfied', stage: 'exploration', recentScores: [], modelVersion: LOYALTY_MODEL_VERSION,
      };
      const repeat = customer.causes.includes(data.cause);
      customer = {
        ...customer,
        name: data.customer.name ?? customer.name, segment: data.customer.segment ?? customer.segment,
        causes: customer.causes.includes(data.cause) ? customer.causes : [...customer.causes, data.cause],
        receipts: [...customer.receipts, data.receivedAt].sort().slice(-20),
        complaints: {
          ...customer.complaints, total: customer.complaints.total + 1,
          bySeverity: { ...customer.complaints.bySeverity, [data.severity]: (customer.complaints.bySeverity[data.severity] ?? 0) + 1 },
        },
        firstComplaintAt: data.receivedAt < customer.firstComplaintAt ? data.receivedAt : customer.firstComplaintAt,
        lastComplaintAt: data.receivedAt > customer.lastComplaintAt ? data.receivedAt : customer.lastComplaintAt,
      };
      facts = { id, customerId: data.customer.id, open: false, clocks: {}, counters: ZERO_COUNTERS };
      receipt = { complaints: 1, severityWeight: SEVERITY_WEIGHT[data.severity] ?? 2, repeatComplaints: repeat ? 1 : 0 };
    }
    if (!facts) return;
    customer ??= context.get<StoredCustomer>('customers', facts.customerId);
    if (!customer) return;

    const counters = { ...facts.counters, ...receipt };
    let open = facts.open;
    const { clocks, transitions } = trackClocks(facts.clocks, event);
    for (const transition of transitions) {
      if (transition.clock === 'first-reply') counters[transition.outcome === 'met' ? 'firstReplyInTime' : 'firstReplyLate'] += 1;
      else counters[transition.outcome === 'met' ? 'slaKept' : 'slaBroken'] += 1;
    }
    const complaints = { ...customer.complaints };
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
    const totals = { ...customer.counters };
    for (const key of Object.keys(totals) as Array<keyof LoyaltyCounters>) totals[key] += counters[key] - facts.counters[key];
    context.put('complaints', { ...facts, open, clocks, counters });
    context.put('customers', rescore({ ...customer, counters: totals, complaints }));
  },
};

function rescore(customer: StoredCustomer): StoredCustomer {
  const latest = Date.parse(customer.lastComplaintAt);
  const recentComplaints = Math.max(0, customer.receipts.filter((receipt) => latest - Date.parse(receipt) <= RECENT_WINDOW_MS).length - 1);
  const score = scoreOf(factorsOf(customer.counters, recentComplaints));
  // The first scoring always records the starting score; later ones only a change.
  const recentScores = score === customer.score && customer.recentScores.length > 0 ? customer.recentScores : [...customer.recentScores, customer.score].slice(-5);
  const tier = tierOf(score);
  const stage = stageOf(customer.counters, score, recentScores);
  return { ...customer, recentComplaints, score, tier, stage, recentScores, modelVersion: LOYALTY_MODEL_VERSION };
}

/** The customer as people read it: the factors behind the score, and the tier and stage in zh-CN and en. */
export function customerView(stored: StoredCustomer): CustomerDocument {
  const { recentComplaints, ...figures } = stored;
  return { ...figures, factors: factorsOf(stored.counters, recentComplaints), tierLabels: TIER_LABELS[stored.tier], stageLabels: STAGE_LABELS[stored.stage] };
}
