import { UNASSIGNED_ROW, lastSurvivorOf, satisfactionSurveyAnswerOf, type SurveySubjectKind } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type { Projection, ProjectionContext } from '@app/projections';
import { workOrderEventOf, workOrderKey } from '../after-sales-event';
import { dayOf } from '../complaint-event';
import { customerFileEventOf } from '../customer-files/customer-file-event';
import { visibleTo } from '../complaint-list/complaint-list.projection';
import { satisfactionSurveyEventOf } from './survey-event';

export const SURVEY_LIST = 'survey-list';

/** A survey's cause or campaign when it had none: its row in the statistics (a cause is a taxonomy code, a campaign a UUID: never this word). */
export const SURVEY_NO_VALUE = 'none';

/**
 * A survey's department, station or engineer when it had none: the statistics' word for "not yet assigned", as in every other table.
 * Not `none`, which is also a plain department or station code: its figures would merge with this row.
 */
export const SURVEY_NOBODY = UNASSIGNED_ROW;

/** One satisfaction survey for lists and the customer view: who, about what, and the scores once answered. */
export interface SurveySummary {
  /** The survey's id; for a work order's own survey (`source: work-order`), `<work order>:<cycle>:<its survey id>`. */
  readonly id: string;
  /** A survey aggregate (`survey-<id>`), or the older survey recorded on a work order (POST /work-orders/{id}/survey). */
  readonly source: 'survey' | 'work-order';
  /** As recorded: sent (not answered yet, open or expired), answered or cancelled. */
  readonly status: 'sent' | 'answered' | 'cancelled';
  readonly subjectKind: SurveySubjectKind;
  readonly subjectId: string;
  readonly customerId: string;
  readonly channel: string;
  /** What the statistics group by, as the subject stood when the survey was sent. */
  readonly department: string | null;
  readonly stationCode: string | null;
  readonly engineerId: string | null;
  readonly cause: string | null;
  /** The campaign that sent the survey (POST /surveys/campaigns); null for one sent on its own. */
  readonly campaignId: string | null;
  readonly questions: string[];
  readonly sentAt: string;
  readonly sentBy: string;
  /** Null for a work order's own survey: it has no answer period. */
  readonly expiresAt: string | null;
  readonly answeredAt: string | null;
  /** Score (1–5) per question answered. */
  readonly scores: Record<string, number>;
  /** Mean of the scores answered, 2 decimals; null before an answer. */
  readonly meanScore: number | null;
  readonly comment: string | null;
  readonly cancelledAt: string | null;
  readonly cancelReason: string | null;
  readonly revision: number;
  readonly updatedAt: string;
  readonly [key: string]: unknown;
}

/** As stored: with the key for department scopes (`department:<code>`, or `received-by:<sender>` for a survey without one). */
export interface StoredSurvey extends SurveySummary {
  readonly visibleTo: string;
  /** expiresAt, or the end of time for a survey without one: what open and expired are filtered on. */
  readonly expiryKey: string;
}

/** What a work order's own survey is grouped by, as the order stood when it was sent (internal). */
interface OrderFacts {
  readonly id: string;
  readonly customerId: string;
  readonly stationCode: string | null;
  readonly engineerId: string | null;
  readonly faultCause: string | null;
  readonly cycle: number;
  /** The list's id of the order's survey of the current cycle, once sent. */
  readonly surveyDocument: string | null;
  readonly [key: string]: unknown;
}

const NO_EXPIRY = '9999-12-31T23:59:59.999Z';

/** What the statistics are grouped by. */
export const SURVEY_STATS_DIMENSIONS = ['department', 'station', 'engineer', 'cause', 'kind'] as const;
export type SurveyStatsDimension = (typeof SURVEY_STATS_DIMENSIONS)[number];

/**
 * The figures of one value of a dimension, for the surveys of one subject kind and department sent on
 * one UTC day (the cohort: an answer counts on the day its survey was sent). `questions.<id>` sums
 * the scores of each question; `scoreSum` / `scoreCount` every score answered.
 */
export interface SurveyStatsBucket {
  readonly id: string;
  readonly dimension: SurveyStatsDimension;
  readonly value: string;
  readonly kind: SurveySubjectKind;
  readonly department: string;
  readonly day: string;
  /** The campaign that sent the surveys, or `none`. */
  readonly campaign: string;
  readonly sent: number;
  readonly answered: number;
  readonly cancelled: number;
  readonly scoreSum: number;
  readonly scoreCount: number;
  readonly questions: Record<string, { readonly sum?: number; readonly count?: number }>;
  readonly [key: string]: unknown;
}

export const surveyStatsBucketId = (dimension: SurveyStatsDimension, kind: string, department: string, value: string, day: string, campaign: string): string =>
  `${dimension}|${kind}|${department}|${value}|${day}|${campaign}`;

function valueOf(survey: SurveySummary, dimension: SurveyStatsDimension): string {
  switch (dimension) {
    case 'department': return survey.department ?? SURVEY_NOBODY;
    case 'station': return survey.stationCode ?? SURVEY_NOBODY;
    case 'engineer': return survey.engineerId ?? SURVEY_NOBODY;
    case 'cause': return survey.cause ?? SURVEY_NO_VALUE;
    case 'kind': return survey.subjectKind;
    default: {
      const unknown: never = dimension;
      return unknown;
    }
  }
}

/**
 * The satisfaction surveys (满意度调查, issue 18): one document per survey, newest first in lists, and
 * the statistics per day of sending by department, station, engineer, cause and subject kind. Every
 * time comes from the events: a replay writes the same documents. Whether an unanswered survey has
 * expired depends on now, so the queries work it out, never this projection.
 */
export const surveyListProjection: Projection = {
  name: SURVEY_LIST,
  // 2: campaignId on each survey, the campaign in each bucket (survey campaigns).
  // 3: a work order's own survey sent after its customer's file was merged away goes to the surviving file.
  // 4: visibleTo names the sender by its principalKey (a token for `Li.Na` sees li.na's surveys).
  // 5: an erasure clears the comment of the customer's surveys (sealed since SatisfactionSurveyAnswered v2).
  // 6: the same for a work order's own survey (its comments sealed since WorkOrderSurveyAnswered v2).
  // 7: no department, station or engineer is the statistics' row `unassigned`, not `none` (a plain code that merged with it).
  // 8: visibleTo keys the department or station letter case aside (departmentKey): a token for `billing` sees Billing's surveys.
  version: 8,
  collections: [
    {
      name: 'surveys',
      indexes: [
        ['visibleTo', 'sentAt'], ['sentAt'], ['status', 'sentAt'], ['subjectKind', 'sentAt'], ['subjectId', 'sentAt'], ['customerId', 'sentAt'],
        ['department', 'sentAt'], ['stationCode', 'sentAt'], ['engineerId', 'sentAt'], ['cause', 'sentAt'], ['campaignId', 'sentAt'],
      ],
    },
    { name: 'buckets', indexes: [['dimension', 'day'], ['dimension', 'department', 'day'], ['campaign', 'dimension', 'day']] },
    // Internal: what a work order's own survey is grouped by.
    { name: 'orders' },
    // Internal: the file each merged-away customer file went to (CustomerFileMerged).
    { name: 'merges' },
    // Internal: per customer, the surveys whose answer holds a comment (what an erasure clears).
    { name: 'commented' },
  ],
  reads(recorded: RecordedEvent) {
    const event = satisfactionSurveyEventOf(recorded);
    if (event) return event.type !== 'SatisfactionSurveySent' ? [['surveys', event.data.surveyId] as const] : [];
    const erased = erasedFileIds(recorded);
    if (erased.length > 0) return erased.map((id) => ['commented', id] as const);
    return workOrderKey('orders', recorded);
  },
  apply(recorded: RecordedEvent, context: ProjectionContext): void {
    const event = satisfactionSurveyEventOf(recorded);
    if (!event) {
      if (recorded.type === 'CustomerFilePersonalDataErased') return applyErasure(recorded, context);
      return recorded.type === 'CustomerFileMerged' ? applyMerge(recorded, context) : applyWorkOrder(recorded, context);
    }
    switch (event.type) {
      case 'SatisfactionSurveySent': {
        const data = event.data;
        const survey: StoredSurvey = {
          id: data.surveyId, status: 'sent', subjectKind: data.subject.kind, subjectId: data.subject.id, customerId: data.customerId, channel: data.channel,
          department: data.department, stationCode: data.stationCode, engineerId: data.engineerId, cause: data.cause, campaignId: data.campaignId ?? null,
          questions: data.questions.map((question) => question.id), sentAt: data.sentAt, sentBy: data.by.id, expiresAt: data.expiresAt,
          answeredAt: null, scores: {}, meanScore: null, comment: null, cancelledAt: null, cancelReason: null,
          revision: recorded.revision, updatedAt: data.sentAt, source: 'survey', visibleTo: visibleTo(data.department, data.by.id), expiryKey: data.expiresAt,
        };
        context.put('surveys', survey);
        addToBuckets(context, survey, { sent: 1 });
        break;
      }
      case 'SatisfactionSurveyAnswered': {
        const survey = context.get<StoredSurvey>('surveys', event.data.surveyId);
        // Only an open survey takes an answer (evolve does the same with imported history).
        if (!survey || survey.status !== 'sent') return;
        recordAnswer(context, survey, satisfactionSurveyAnswerOf(event.data), recorded.revision);
        break;
      }
      case 'SatisfactionSurveyCancelled': {
        const survey = context.get<StoredSurvey>('surveys', event.data.surveyId);
        if (!survey || survey.status !== 'sent') return;
        const { cancelledAt, reason } = event.data;
        context.put('surveys', { ...survey, status: 'cancelled', cancelledAt, cancelReason: reason, revision: recorded.revision, updatedAt: cancelledAt });
        addToBuckets(context, survey, { cancelled: 1 });
        break;
      }
      default: {
        const unhandled: never = event;
        return unhandled;
      }
    }
  },
};

/** An answer to a sent survey: its scores on the document, and in the buckets of the day the survey was sent. */
function recordAnswer(
  context: ProjectionContext, survey: StoredSurvey, answer: { readonly answeredAt: string; readonly comment: string | null; readonly answers: ReadonlyArray<{ readonly questionId: string; readonly score: number }> },
  revision: number,
): void {
  const { answers, answeredAt, comment } = answer;
  if (comment !== null) {
    // The comment goes with an erasure of the customer. Read before anything is written: a document not yet in memory makes the runner apply the event again.
    const commented = context.get<CommentedSurveys>('commented', survey.customerId);
    context.put('commented', { id: survey.customerId, surveyIds: [...(commented?.surveyIds ?? []), survey.id] } satisfies CommentedSurveys);
  }
  const scores = Object.fromEntries(answers.map((item) => [item.questionId, item.score]));
  const sum = answers.reduce((total, item) => total + item.score, 0);
  context.put('surveys', {
    ...survey, status: 'answered', answeredAt, scores, comment, revision, updatedAt: answeredAt,
    meanScore: answers.length === 0 ? null : Math.round((sum / answers.length) * 100) / 100,
  });
  const amounts: Record<string, number> = { answered: 1, scoreSum: sum, scoreCount: answers.length };
  for (const item of answers) {
    amounts[`questions.${item.questionId}.sum`] = (amounts[`questions.${item.questionId}.sum`] ?? 0) + item.score;
    amounts[`questions.${item.questionId}.count`] = (amounts[`questions.${item.questionId}.count`] ?? 0) + 1;
  }
  addToBuckets(context, survey, amounts);
}

/**
 * The older survey a work order records on its own stream (WorkOrderSurveySent/Answered) counts here
 * too, as a survey of the order grouped by its station, engineer and fault cause then: one mechanism
 * for the statistics, whichever route sent it. The order's facts are followed to know them.
 */
function applyWorkOrder(recorded: RecordedEvent, context: ProjectionContext): void {
  const event = workOrderEventOf(recorded);
  if (!event) return;
  const id = event.data.workOrderId;
  if (event.type === 'WorkOrderReported') {
    context.put('orders', { id, customerId: event.data.customerId, stationCode: null, engineerId: null, faultCause: null, cycle: 1, surveyDocument: null } satisfies OrderFacts);
    return;
  }
  const order = context.get<OrderFacts>('orders', id);
  if (!order) return;
  switch (event.type) {
    case 'WorkOrderDispatched':
      context.put('orders', { ...order, stationCode: event.data.station.code, engineerId: event.data.engineer.id });
      break;
    case 'WorkOrderFindingsRecorded':
      context.put('orders', { ...order, faultCause: event.data.faultCause });
      break;
    case 'WorkOrderReopened':
      // A repeat repair: nothing found yet in the new cycle, no survey of it yet.
      context.put('orders', { ...order, cycle: event.data.cycle, faultCause: null, surveyDocument: null });
      break;
    case 'WorkOrderSurveySent': {
      const data = event.data;
      const document = `${id}:${order.cycle}:${data.surveyId}`;
      // To the file that stands for the customer when it is sent, as POST /surveys sends it (followSurvivors).
      const customerId = lastSurvivorOf(order.customerId, (current) => context.get<MergedFile>('merges', current)?.survivorId ?? null);
      const survey: StoredSurvey = {
        id: document, source: 'work-order', status: 'sent', subjectKind: 'work-order', subjectId: id, customerId, channel: data.channel,
        department: order.stationCode, stationCode: order.stationCode, engineerId: order.engineerId, cause: order.faultCause, campaignId: null,
        questions: data.questions.map((question) => question.id), sentAt: data.sentAt, sentBy: data.by.id, expiresAt: null,
        answeredAt: null, scores: {}, meanScore: null, comment: null, cancelledAt: null, cancelReason: null,
        revision: recorded.revision, updatedAt: data.sentAt, visibleTo: visibleTo(order.stationCode, data.by.id), expiryKey: NO_EXPIRY,
      };
      context.put('surveys', survey);
      context.put('orders', { ...order, surveyDocument: document });
      addToBuckets(context, survey, { sent: 1 });
      break;
    }
    case 'WorkOrderSurveyAnswered': {
      if (order.surveyDocument === null) return;
      const survey = context.get<StoredSurvey>('surveys', order.surveyDocument);
      if (!survey || survey.status !== 'sent') return;
      recordAnswer(context, survey, satisfactionSurveyAnswerOf(event.data), recorded.revision);
      break;
    }
    default:
      break;
  }
}

/** A customer file merged into another (internal): what a work order's own survey follows. */
interface MergedFile {
  readonly id: string;
  readonly survivorId: string;
  readonly [key: string]: unknown;
}

/** The surveys of one customer whose answer holds a comment (internal). */
interface CommentedSurveys {
  readonly id: string;
  readonly surveyIds: readonly string[];
  readonly [key: string]: unknown;
}

/** The files an erasure covers, or none for another event. */
function erasedFileIds(recorded: RecordedEvent): readonly string[] {
  if (recorded.type !== 'CustomerFilePersonalDataErased') return [];
  const event = customerFileEventOf(recorded);
  return event?.type === 'CustomerFilePersonalDataErased' ? event.data.coveredFileIds : [];
}

/**
 * An erasure: the comments of the covered customers' surveys go (docs/adr/0019). Their events hold them
 * sealed, so a replay reads null anyway; this clears what was projected while the key lived.
 */
function applyErasure(recorded: RecordedEvent, context: ProjectionContext): void {
  const erased = erasedFileIds(recorded).flatMap((customerId) => {
    const commented = context.get<CommentedSurveys>('commented', customerId);
    return commented ? [commented] : [];
  });
  // Every survey is read before anything is written (see the answer).
  const surveys = erased.flatMap(({ surveyIds }) => surveyIds.flatMap((id) => context.get<StoredSurvey>('surveys', id) ?? []));
  for (const survey of surveys) context.put('surveys', { ...survey, comment: null });
  for (const { id } of erased) context.delete('commented', id);
}

function applyMerge(recorded: RecordedEvent, context: ProjectionContext): void {
  const event = customerFileEventOf(recorded);
  if (event?.type === 'CustomerFileMerged') context.put('merges', { id: event.data.customerId, survivorId: event.data.survivorId } satisfies MergedFile);
}

function addToBuckets(context: ProjectionContext, survey: StoredSurvey, amounts: Readonly<Record<string, number>>): void {
  const day = dayOf(survey.sentAt);
  const department = survey.department ?? SURVEY_NOBODY;
  const campaign = survey.campaignId ?? SURVEY_NO_VALUE;
  for (const dimension of SURVEY_STATS_DIMENSIONS) {
    const value = valueOf(survey, dimension);
    const id = surveyStatsBucketId(dimension, survey.subjectKind, department, value, day, campaign);
    const initial: SurveyStatsBucket = { id, dimension, value, kind: survey.subjectKind, department, day, campaign, sent: 0, answered: 0, cancelled: 0, scoreSum: 0, scoreCount: 0, questions: {} };
    context.add('buckets', id, initial, amounts);
  }
}

/** The survey as people read it: without the key the store scopes by. */
export function surveyView(stored: StoredSurvey): SurveySummary {
  const { visibleTo: _visibleTo, expiryKey: _expiryKey, ...summary } = stored;
  return summary;
}
