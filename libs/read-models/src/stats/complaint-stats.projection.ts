import type { RecordedEvent } from '@app/event-store';
import type { Projection, ProjectionContext } from '@app/projections';
import { MET, trackClocksInPlace, type Clocks } from '../clock-tracker';
import { complaintEventOf, complaintKey, dayOf, millisBetween } from '../complaint-event';
import { DEPARTMENTS, departmentKey, firstSpelling } from '../department-spelling';
import { UNASSIGNED } from '../sla/sla.projection';
import { emptySketch, sketchBucketOf, type Sketch } from '../sketch';

export const COMPLAINT_STATS = 'complaint-stats';
export type StatsDimension = 'cause' | 'behaviour' | 'purpose' | 'channel' | 'department' | 'segment';
export const STATS_DIMENSIONS: readonly StatsDimension[] = ['cause', 'behaviour', 'purpose', 'channel', 'department', 'segment'];

/** What one complaint adds to the buckets of its cohort (the day it was received). */
interface Contribution {
  received: number;
  validated: number;
  rejected: number;
  resolved: number;
  reopened: number;
  firstReplyMs: number | null;
  resolutionMs: number | null;
  slaMet: number;
  slaBreached: number;
  satisfactionSum: number;
  satisfactionCount: number;
}

/** A complaint's record, changed in place (ProjectionContext.change): each of its parts is its own, shared with nothing. */
interface ComplaintFacts {
  readonly id: string;
  readonly receivedAt: string;
  readonly day: string;
  dimensions: Readonly<Record<StatsDimension, string | null>>;
  readonly contribution: Contribution;
  readonly clocks: Clocks;
  readonly [key: string]: unknown;
}

export interface StatsBucket {
  readonly id: string;
  readonly dimension: StatsDimension;
  readonly value: string;
  readonly day: string;
  readonly received: number;
  readonly validated: number;
  readonly rejected: number;
  readonly resolved: number;
  readonly reopened: number;
  readonly firstReply: Sketch;
  readonly resolution: Sketch;
  readonly slaMet: number;
  readonly slaBreached: number;
  readonly satisfactionSum: number;
  readonly satisfactionCount: number;
  readonly [key: string]: unknown;
}

const NONE: Contribution = { received: 0, validated: 0, rejected: 0, resolved: 0, reopened: 0, firstReplyMs: null, resolutionMs: null, slaMet: 0, slaBreached: 0, satisfactionSum: 0, satisfactionCount: 0 };
/** The counters of a bucket (what the projection adds, and what a query sums). */
export const STATS_COUNTERS = ['received', 'validated', 'rejected', 'resolved', 'reopened', 'slaMet', 'slaBreached', 'satisfactionSum', 'satisfactionCount'] as const;

/**
 * Complaint-type statistics per dimension value and day of receipt (the cohort): week and month
 * figures are sums of days, percentiles come from mergeable sketches (±1 %). The department of a
 * complaint is its current one (`unassigned` until it has one, as in the SLA views, so every dimension
 * adds up to the same totals): an assignment moves its whole contribution, and so does a corrected
 * category (cause, behaviour, purpose, channel).
 */
export const complaintStatsProjection: Projection = {
  name: COMPLAINT_STATS,
  // v5: a correction (ComplaintCorrected) moves the complaint to its corrected category.
  // v6: one row per department letter case aside (departmentKey), named as it was first recorded (departments): Billing and billing,
  // assigned while the directory had no unit, were two rows.
  version: 6,
  collections: [{ name: 'complaints' }, { name: 'buckets', indexes: [['dimension', 'day']] }, { name: DEPARTMENTS }],
  reads: (recorded) => {
    const event = complaintEventOf(recorded);
    return event?.type === 'ComplaintAssigned'
      ? [...complaintKey('complaints', recorded), [DEPARTMENTS, departmentKey(event.data.department)] as const]
      : complaintKey('complaints', recorded);
  },
  apply(recorded: RecordedEvent, context: ProjectionContext): void {
    const event = complaintEventOf(recorded);
    if (!event) return;
    const id = event.data.complaintId;
    // The record is changed in place (one per complaint, docs/adr/0011 tenth step), not copied per event:
    // what the buckets get is worked out from what it was (`from`, `dimensions`) and what it becomes.
    let facts: ComplaintFacts | undefined;
    if (event.type === 'ComplaintReceived') {
      const data = event.data;
      facts = {
        id, receivedAt: data.receivedAt, day: dayOf(data.receivedAt), contribution: { ...NONE }, clocks: {},
        dimensions: { cause: data.cause, behaviour: data.behaviour ?? 'unspecified', purpose: data.purpose ?? 'unspecified', channel: data.channel, segment: data.customer.segment ?? 'unspecified', department: UNASSIGNED },
      };
    } else facts = context.change<ComplaintFacts>('complaints', id);
    if (!facts) return;
    const from: Contribution = event.type === 'ComplaintReceived' ? NONE : { ...facts.contribution };
    const dimensions = facts.dimensions;
    const contribution = facts.contribution;
    const clocks = facts.clocks;
    for (const transition of trackClocksInPlace(clocks, event)) {
      if (transition.outcome === 'met') contribution.slaMet += 1;
      else contribution.slaBreached += 1;
    }
    // The first reply is what the SLA clock counts as one (an answer is also a reply).
    const repliedAt = clocks['first-reply']?.[MET] ?? null;
    if (repliedAt !== null) contribution.firstReplyMs ??= Math.max(0, repliedAt - Date.parse(facts.receivedAt));
    switch (event.type) {
      case 'ComplaintReceived':
        contribution.received = 1;
        break;
      case 'ComplaintValidated':
        contribution.validated = 1;
        break;
      case 'ComplaintRejected':
        contribution.rejected = 1;
        break;
      case 'ComplaintAssigned':
        // A new object: `dimensions` keeps what the complaint left. The department as first recorded, in log order (a rebuild names it so).
        facts.dimensions = { ...dimensions, department: firstSpelling(context, event.data.department) };
        break;
      case 'ComplaintResolved':
        contribution.resolved = 1;
        contribution.resolutionMs ??= Math.max(0, millisBetween(facts.receivedAt, event.data.resolvedAt));
        break;
      case 'ComplaintReopened':
        contribution.reopened += 1;
        break;
      case 'CallbackDone':
        contribution.satisfactionSum += event.data.satisfaction;
        contribution.satisfactionCount += 1;
        break;
      case 'ComplaintCorrected': {
        // A corrected category moves the whole contribution, as an assignment moves it between departments.
        const to = event.data.to;
        facts.dimensions = {
          ...dimensions,
          ...(to.cause !== undefined ? { cause: to.cause } : {}),
          ...(to.behaviour !== undefined ? { behaviour: to.behaviour ?? 'unspecified' } : {}),
          ...(to.purpose !== undefined ? { purpose: to.purpose ?? 'unspecified' } : {}),
          ...(to.channel !== undefined ? { channel: to.channel } : {}),
        };
        break;
      }
      case 'ComplaintApologised':
      case 'ComplaintEscalated':
      case 'OnSiteVisitRecorded':
      case 'SlaBreached':
      case 'SlaAtRisk':
      case 'ComplaintNoteAdded':
      case 'ComplaintContactRecorded':
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
    // What the complaint adds or takes away is the same for every dimension: worked out once, added to each bucket.
    let moved: Amounts | undefined | null = null;
    let leaving: Amounts | undefined | null = null;
    let arriving: Amounts | undefined | null = null;
    for (const dimension of STATS_DIMENSIONS) {
      const oldValue = dimensions[dimension];
      const newValue = facts.dimensions[dimension];
      if (oldValue === newValue) {
        if (newValue !== null) addToBucket(context, dimension, newValue, facts.day, moved === null ? (moved = amountsBetween(from, contribution)) : moved);
      } else {
        if (oldValue !== null) addToBucket(context, dimension, oldValue, facts.day, leaving === null ? (leaving = amountsBetween(from, NONE)) : leaving);
        if (newValue !== null) addToBucket(context, dimension, newValue, facts.day, arriving === null ? (arriving = amountsBetween(NONE, contribution)) : arriving);
      }
    }
    // A new record is put once made; one taken with change is written as it now is.
    if (event.type === 'ComplaintReceived') context.put('complaints', facts);
  },
};

type Amounts = Readonly<Record<string, number>>;


/** What moving a complaint's contribution from `from` to `to` adds to a bucket; undefined when nothing changes. */
function amountsBetween(from: Contribution, to: Contribution): Amounts | undefined {
  // Written into one object as found, in the order the counters and sketch paths always had: no object per sketch change
  // and no walk over one (docs/adr/0011, "Parse less, apply less").
  let amounts: Record<string, number> | undefined;
  for (const counter of STATS_COUNTERS) if (to[counter] !== from[counter]) (amounts ??= {})[counter] = to[counter] - from[counter];
  if (from.firstReplyMs !== to.firstReplyMs) amounts = sketchChange(amounts ?? {}, FIRST_REPLY_PATHS, from.firstReplyMs, to.firstReplyMs);
  if (from.resolutionMs !== to.resolutionMs) amounts = sketchChange(amounts ?? {}, RESOLUTION_PATHS, from.resolutionMs, to.resolutionMs);
  return amounts;
}

/** The paths of a sketch's fields in a bucket, made once. */
interface SketchPaths {
  readonly prefix: string;
  readonly count: string;
  readonly sum: string;
  readonly zeros: string;
}
const sketchPaths = (path: string): SketchPaths => ({ prefix: `${path}.buckets.`, count: `${path}.count`, sum: `${path}.sum`, zeros: `${path}.zeros` });
const FIRST_REPLY_PATHS = sketchPaths('firstReply');
const RESOLUTION_PATHS = sketchPaths('resolution');

/** A duration taken out of a sketch (`from`) and one put in (`to`): what sketchAmounts gives for each, summed. */
function sketchChange(amounts: Record<string, number>, paths: SketchPaths, from: number | null, to: number | null): Record<string, number> {
  if (from !== null) sketchValue(amounts, paths, from, -1);
  if (to !== null) sketchValue(amounts, paths, to, 1);
  return amounts;
}

function sketchValue(amounts: Record<string, number>, paths: SketchPaths, value: number, weight: number): void {
  amounts[paths.count] = (amounts[paths.count] ?? 0) + weight;
  amounts[paths.sum] = (amounts[paths.sum] ?? 0) + value * weight;
  const where = value < 1 ? paths.zeros : paths.prefix + sketchBucketOf(value);
  amounts[where] = (amounts[where] ?? 0) + weight;
}

/**
 * The id of a bucket by dimension, value and day, each made once and then found by two look-ups of strings the
 * complaint's record keeps (whose hashes V8 keeps), not built and hashed anew for each of the six dimensions of every
 * event. Bounded: cleared when it holds as many ids as a few years of days of every value.
 */
const BUCKET_IDS = new Map<StatsDimension, Map<string, Map<string, string>>>(STATS_DIMENSIONS.map((dimension) => [dimension, new Map()]));
const BUCKET_IDS_KEPT = 100_000;
let bucketIdCount = 0;

function bucketId(dimension: StatsDimension, value: string, day: string): string {
  const values = BUCKET_IDS.get(dimension)!;
  let days = values.get(value);
  if (days === undefined) values.set(value, (days = new Map()));
  let id = days.get(day);
  if (id === undefined) {
    if (bucketIdCount >= BUCKET_IDS_KEPT) {
      for (const kept of BUCKET_IDS.values()) kept.clear();
      bucketIdCount = 0;
      return bucketId(dimension, value, day);
    }
    days.set(day, (id = `${dimension}|${value}|${day}`));
    bucketIdCount += 1;
  }
  return id;
}

/** Adds amounts to the bucket of a dimension value and day, without reading it. */
function addToBucket(context: ProjectionContext, dimension: StatsDimension, value: string, day: string, amounts: Amounts | undefined): void {
  if (amounts === undefined) return;
  const id = bucketId(dimension, value, day);
  // Made only when the bucket first gets amounts in a batch, not for each of the six dimensions of every event. Its keys
  // in the order the runtime writes them, so that its copy is not sorted per new bucket (docs/adr/0011, fifteenth step).
  const initial = (): StatsBucket => ({
    day, dimension, firstReply: emptySketch(), id, received: 0, rejected: 0, reopened: 0, resolution: emptySketch(), resolved: 0,
    satisfactionCount: 0, satisfactionSum: 0, slaBreached: 0, slaMet: 0, validated: 0, value,
  });
  context.add('buckets', id, initial, amounts);
}
