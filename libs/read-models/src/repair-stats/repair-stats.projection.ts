import type { Label } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type { Projection, ProjectionContext } from '@app/projections';
import { UNDISPATCHED, serviceNetworkEventOf, workOrderEventOf, workOrderKey } from '../after-sales-event';
import { dayOf, millisBetween } from '../complaint-event';
import { satisfactionSurveyEventOf } from '../surveys/survey-event';
import { emptySketch, sketchAmounts, type Sketch } from '../sketch';
import { trackWorkOrderClocks, type WorkOrderClocks } from '../work-order-clocks';

export const REPAIR_STATS = 'repair-stats';
export type RepairStatsDimension = 'engineer' | 'station';
const DIMENSIONS: readonly RepairStatsDimension[] = ['engineer', 'station'];

/** A reopen this soon after the hand-over is a repeat repair in the figures (seed 002's 绩效考核: 30 days), whatever window the order had. */
export const REPEAT_REPAIR_MS = 30 * 86_400_000;

/** What one work order adds to the buckets of its cohort (the UTC day it was reported). */
interface Contribution {
  orders: number;
  open: number;
  completed: number;
  firstTimeFix: number;
  fixedRemotely: number;
  repeatRepairs: number;
  cancelled: number;
  quoteRefused: number;
  visits: number;
  failedVisits: number;
  onSiteMet: number;
  onSiteBreached: number;
  slaMet: number;
  slaBreached: number;
  surveysSent: number;
  surveysAnswered: number;
  satisfactionSum: number;
  satisfactionCount: number;
  arrivalMs: number | null;
  completionMs: number | null;
}

const COUNTERS = [
  'orders', 'open', 'completed', 'firstTimeFix', 'fixedRemotely', 'repeatRepairs', 'cancelled', 'quoteRefused', 'visits', 'failedVisits',
  'onSiteMet', 'onSiteBreached', 'slaMet', 'slaBreached', 'surveysSent', 'surveysAnswered', 'satisfactionSum', 'satisfactionCount',
] as const;
type Counter = (typeof COUNTERS)[number];

const NONE: Contribution = {
  orders: 0, open: 0, completed: 0, firstTimeFix: 0, fixedRemotely: 0, repeatRepairs: 0, cancelled: 0, quoteRefused: 0, visits: 0, failedVisits: 0,
  onSiteMet: 0, onSiteBreached: 0, slaMet: 0, slaBreached: 0, surveysSent: 0, surveysAnswered: 0, satisfactionSum: 0, satisfactionCount: 0, arrivalMs: null, completionMs: null,
};

interface OrderFacts {
  readonly id: string;
  readonly reportedAt: string;
  readonly day: string;
  readonly station: string;
  readonly engineer: string;
  readonly cycle: number;
  /** Arrivals and failed visits of the first cycle: a first-time fix is one visit that fixed it (or none, by a remote fix). */
  readonly firstCycleArrivals: number;
  readonly firstCycleFailures: number;
  readonly contribution: Contribution;
  readonly clocks: WorkOrderClocks;
  readonly [key: string]: unknown;
}

/** The figures of one engineer or station for the orders reported on one UTC day. */
export interface RepairStatsBucket extends Record<Counter, number> {
  readonly id: string;
  readonly dimension: RepairStatsDimension;
  /** The engineer id, or the station code. */
  readonly value: string;
  /** The service point (a station or branch code) the orders were dispatched to; `unassigned` before the dispatch. */
  readonly station: string;
  readonly day: string;
  /** Report → first arrival on site (first cycle), and report → first completed hand-over, in ms. */
  readonly arrival: Sketch;
  readonly completion: Sketch;
  readonly [key: string]: unknown;
}

/** The service network as the statistics name it: stations and branches, engineers. */
export interface DirectoryEntry {
  readonly id: string;
  readonly name: Label | string;
  /** An engineer's service point. */
  readonly station?: string;
  readonly active?: boolean;
  readonly [key: string]: unknown;
}

/** A work order's survey sent with POST /surveys (the survey aggregate): which order its answer counts for. */
interface OrderSurvey {
  readonly id: string;
  readonly workOrderId: string;
  readonly [key: string]: unknown;
}

export const unitEntryId = (code: string): string => `unit|${code}`;
export const engineerEntryId = (engineerId: string): string => `engineer|${engineerId}`;
export const repairStatsBucketId = (dimension: RepairStatsDimension, station: string, value: string, day: string): string => `${dimension}|${station}|${value}|${day}`;

/**
 * Engineer workload and performance, and station statistics (seed 002's 绩效考核), per UTC day of the
 * report (the cohort; weeks, months, quarters and years are sums of days, percentiles merged from
 * sketches), as the complaint statistics do. An order counts under its current station and engineer
 * (`unassigned` before the dispatch): a redispatch moves its whole contribution, except (version 3,
 * issue 18) an engineer's own visits: an arrival, a failed visit and the time to the first arrival
 * stay with the engineer who made them (the engineer dispatched at that moment, whom an arrival
 * names as its `engineerId`), at the station of that dispatch; a station's figures move whole. Its surveys are the
 * older per-order ones and (version 2) those sent with POST /surveys about the order (`surveys`
 * remembers which order each of those is about, for its answer).
 */
export const repairStatsProjection: Projection = {
  name: REPAIR_STATS,
  version: 3,
  collections: [{ name: 'orders' }, { name: 'buckets', indexes: [['dimension', 'day'], ['dimension', 'station', 'day']] }, { name: 'directory' }, { name: 'surveys' }],
  reads(recorded: RecordedEvent) {
    const network = serviceNetworkEventOf(recorded);
    if (network?.type === 'EngineerDeactivated') return [['directory', engineerEntryId(network.data.engineerId)] as const];
    const survey = satisfactionSurveyEventOf(recorded);
    if (survey?.type === 'SatisfactionSurveySent') return survey.data.subject.kind === 'work-order' ? [['orders', survey.data.subject.id] as const] : [];
    // The order is learnt from the survey's document: the runner loads it on the first get (ProjectionContext).
    if (survey) return [['surveys', survey.data.surveyId] as const];
    return workOrderKey('orders', recorded);
  },
  apply(recorded: RecordedEvent, context: ProjectionContext): void {
    const network = serviceNetworkEventOf(recorded);
    if (network) return applyDirectory(network, context);
    const survey = satisfactionSurveyEventOf(recorded);
    if (survey) return applySurvey(survey, context);
    const event = workOrderEventOf(recorded);
    if (!event) return;
    const id = event.data.workOrderId;
    let before: OrderFacts | undefined;
    const reported = event.type === 'WorkOrderReported';
    if (reported) {
      const { reportedAt } = event.data;
      before = {
        id, reportedAt, day: dayOf(reportedAt), station: UNDISPATCHED, engineer: UNDISPATCHED, cycle: 1, firstCycleArrivals: 0, firstCycleFailures: 0,
        contribution: NONE, clocks: {},
      };
    } else before = context.change<OrderFacts>('orders', id);
    if (!before) return;
    // The order's facts are changed in place once the buckets have their amounts (docs/adr/0011, thirteenth step): its
    // contribution is a new object (the amounts are the difference from the one before), the other fields replaced.
    const contribution: Contribution = { ...before.contribution };
    const facts = { station: before.station, engineer: before.engineer, cycle: before.cycle, firstCycleArrivals: before.firstCycleArrivals, firstCycleFailures: before.firstCycleFailures };
    const { clocks, transitions } = trackWorkOrderClocks(before.clocks, event);
    for (const transition of transitions) {
      contribution[transition.outcome === 'met' ? 'slaMet' : 'slaBreached'] += 1;
      if (transition.clock === 'on-site') contribution[transition.outcome === 'met' ? 'onSiteMet' : 'onSiteBreached'] += 1;
    }
    switch (event.type) {
      case 'WorkOrderReported':
        contribution.orders = 1;
        contribution.open = 1;
        break;
      case 'WorkOrderDispatched':
        facts.station = event.data.station.code;
        facts.engineer = event.data.engineer.id;
        break;
      case 'WorkOrderEngineerArrived':
        contribution.visits += 1;
        if (facts.cycle === 1) {
          facts.firstCycleArrivals += 1;
          contribution.arrivalMs ??= Math.max(0, millisBetween(before.reportedAt, event.data.arrivedAt));
        }
        break;
      case 'WorkOrderVisitFailed':
        contribution.failedVisits += 1;
        if (facts.cycle === 1) facts.firstCycleFailures += 1;
        break;
      case 'WorkOrderClosed': {
        const { outcome, closedAt } = event.data;
        contribution.open = 0;
        if (outcome === 'quote-refused') contribution.quoteRefused = 1;
        else {
          if (contribution.completed === 0) {
            contribution.completed = 1;
            contribution.completionMs = Math.max(0, millisBetween(before.reportedAt, closedAt));
          }
          if (outcome === 'fixed-remotely') contribution.fixedRemotely = 1;
          if (facts.cycle === 1 && facts.firstCycleArrivals <= 1 && facts.firstCycleFailures === 0) contribution.firstTimeFix = 1;
        }
        break;
      }
      case 'WorkOrderReopened':
        contribution.open = 1;
        // The fault came back: the first repair was not a fix after all.
        contribution.firstTimeFix = 0;
        if (millisBetween(event.data.previousClosedAt, event.data.reopenedAt) <= REPEAT_REPAIR_MS) contribution.repeatRepairs += 1;
        facts.cycle = event.data.cycle;
        break;
      case 'WorkOrderCancelled':
        contribution.open = 0;
        contribution.cancelled = 1;
        break;
      case 'WorkOrderSurveySent':
        contribution.surveysSent += 1;
        break;
      case 'WorkOrderSurveyAnswered':
        countAnswer(contribution, event.data.answers);
        break;
      case 'WorkOrderCustomerContacted':
      case 'WorkOrderRemotelyDiagnosed':
      case 'WorkOrderVisitScheduled':
      case 'WorkOrderFindingsRecorded':
      case 'WorkOrderWarrantyAssessed':
      case 'WorkOrderQuoted':
      case 'WorkOrderQuoteConfirmed':
      case 'WorkOrderQuoteRefused':
      case 'WorkOrderRepairWorkRecorded':
      case 'WorkOrderFeeCharged':
      case 'WorkOrderTested':
      case 'WorkOrderSignedOff':
      case 'WorkOrderEscalated':
      case 'WorkOrderLinkedToComplaint':
      case 'WorkOrderSlaBreached':
        break;
      default: {
        const unhandled: never = event;
        return unhandled;
      }
    }
    addContribution(context, before, facts, contribution);
    // A visit is the act of the engineer dispatched then (the decider names that engineer in an arrival): credited there, it never moves.
    addToBucket(context, 'engineer', facts.station, facts.engineer, before.day, amountsBetween(visitsOf(before.contribution), visitsOf(contribution)));
    // The same fields, in the same order, as the copy `{ ...before, ...facts, contribution, clocks }` had.
    const order = Object.assign(before as Mutable<OrderFacts>, facts);
    order.contribution = contribution;
    order.clocks = clocks;
    if (reported) context.put('orders', order);
  },
};

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A survey of the survey aggregate about a work order counts like the order's own: sent, and answered with its scores. */
function applySurvey(event: NonNullable<ReturnType<typeof satisfactionSurveyEventOf>>, context: ProjectionContext): void {
  let workOrderId: string;
  if (event.type === 'SatisfactionSurveySent') {
    if (event.data.subject.kind !== 'work-order') return;
    workOrderId = event.data.subject.id;
  } else {
    const known = context.get<OrderSurvey>('surveys', event.data.surveyId);
    if (!known) return;
    workOrderId = known.workOrderId;
  }
  const before = context.get<OrderFacts>('orders', workOrderId);
  if (!before) return;
  const contribution: Contribution = { ...before.contribution };
  switch (event.type) {
    case 'SatisfactionSurveySent':
      context.put('surveys', { id: event.data.surveyId, workOrderId } satisfies OrderSurvey);
      contribution.surveysSent += 1;
      break;
    case 'SatisfactionSurveyAnswered':
      countAnswer(contribution, event.data.answers);
      break;
    case 'SatisfactionSurveyCancelled':
      // Sent and never answered: it stays in the response rate's denominator.
      return;
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
  addContribution(context, before, before, contribution);
  context.put('orders', { ...before, contribution });
}

/** An answered survey, whichever route sent it: one more answer, and its scores in the satisfaction. */
function countAnswer(contribution: Contribution, answers: readonly { readonly score: number }[]): void {
  contribution.surveysAnswered += 1;
  contribution.satisfactionSum += answers.reduce((sum, answer) => sum + answer.score, 0);
  contribution.satisfactionCount += answers.length;
}

/** The part of a contribution that is an engineer's own doing: the visits, failed or not, and the time to the first arrival. */
const visitsOf = (contribution: Contribution): Contribution => ({ ...NONE, visits: contribution.visits, failedVisits: contribution.failedVisits, arrivalMs: contribution.arrivalMs });
const isVisitAmount = (path: string): boolean => path === 'visits' || path === 'failedVisits' || path.startsWith('arrival.');

/** Amounts without the visits': what the engineer who holds the order gets (the visits go to whoever made them). */
function withoutVisits(amounts: Amounts | undefined): Amounts | undefined {
  if (amounts === undefined) return undefined;
  const rest = Object.fromEntries(Object.entries(amounts).filter(([path]) => !isVisitAmount(path)));
  return Object.keys(rest).length === 0 ? undefined : rest;
}

/**
 * Adds what changed in an order's contribution to the buckets of each dimension (moving it whole when
 * its station or engineer changed); an engineer's buckets leave the visits out (the caller credits them).
 */
function addContribution(context: ProjectionContext, before: OrderFacts, facts: Pick<OrderFacts, 'station' | 'engineer'>, contribution: Contribution): void {
  // Worked out once, added to the bucket of each dimension.
  const keyOf = (dimension: RepairStatsDimension, station: string, engineer: string) => (dimension === 'engineer' ? engineer : station);
  const forDimension = (dimension: RepairStatsDimension, amounts: Amounts | undefined) => (dimension === 'engineer' ? withoutVisits(amounts) : amounts);
  let moved: Amounts | undefined | null = null;
  let leaving: Amounts | undefined | null = null;
  let arriving: Amounts | undefined | null = null;
  for (const dimension of DIMENSIONS) {
    const oldValue = keyOf(dimension, before.station, before.engineer);
    const newValue = keyOf(dimension, facts.station, facts.engineer);
    if (oldValue === newValue && before.station === facts.station) {
      addToBucket(context, dimension, facts.station, newValue, before.day, forDimension(dimension, moved === null ? (moved = amountsBetween(before.contribution, contribution)) : moved));
    } else {
      addToBucket(context, dimension, before.station, oldValue, before.day, forDimension(dimension, leaving === null ? (leaving = amountsBetween(before.contribution, NONE)) : leaving));
      addToBucket(context, dimension, facts.station, newValue, before.day, forDimension(dimension, arriving === null ? (arriving = amountsBetween(NONE, contribution)) : arriving));
    }
  }
}

function applyDirectory(event: NonNullable<ReturnType<typeof serviceNetworkEventOf>>, context: ProjectionContext): void {
  switch (event.type) {
    case 'ServiceUnitRegistered':
    case 'ServiceUnitRenamed':
      context.put('directory', { id: unitEntryId(event.data.code), name: event.data.name });
      break;
    case 'EngineerAdded':
      context.put('directory', { id: engineerEntryId(event.data.engineerId), name: event.data.name, station: event.data.station, active: true });
      break;
    case 'EngineerDeactivated': {
      const entry = context.get<DirectoryEntry>('directory', engineerEntryId(event.data.engineerId));
      context.put('directory', { ...(entry ?? { id: engineerEntryId(event.data.engineerId), name: event.data.engineerId, station: event.data.station }), active: false });
      break;
    }
    case 'ServiceUnitRegionsChanged':
    case 'AgentAdded':
    case 'AgentDeactivated':
      break;
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

type Amounts = Readonly<Record<string, number>>;

/** What moving an order's contribution from `from` to `to` adds to a bucket; undefined when nothing changes. */
function amountsBetween(from: Contribution, to: Contribution): Amounts | undefined {
  if (COUNTERS.every((counter) => from[counter] === to[counter]) && from.arrivalMs === to.arrivalMs && from.completionMs === to.completionMs) return undefined;
  const amounts: Record<string, number> = {};
  const plus = (more: Record<string, number>) => {
    for (const [path, amount] of Object.entries(more)) amounts[path] = (amounts[path] ?? 0) + amount;
  };
  for (const counter of COUNTERS) if (to[counter] !== from[counter]) amounts[counter] = to[counter] - from[counter];
  for (const [field, path] of [['arrivalMs', 'arrival'], ['completionMs', 'completion']] as const) {
    const [was, is] = [from[field], to[field]];
    if (was === is) continue;
    if (was !== null) plus(sketchAmounts(path, was, -1));
    if (is !== null) plus(sketchAmounts(path, is, 1));
  }
  return amounts;
}

function addToBucket(context: ProjectionContext, dimension: RepairStatsDimension, station: string, value: string, day: string, amounts: Amounts | undefined): void {
  if (amounts === undefined) return;
  const id = repairStatsBucketId(dimension, station, value, day);
  const initial = { id, dimension, value, station, day, ...Object.fromEntries(COUNTERS.map((counter) => [counter, 0])), arrival: emptySketch(), completion: emptySketch() } as RepairStatsBucket;
  context.add('buckets', id, initial, amounts);
}
