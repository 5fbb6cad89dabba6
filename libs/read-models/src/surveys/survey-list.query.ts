import type { DepartmentScope } from '@app/domain';
import type { Filter, Page } from '@app/read-store';
import { visibilityKeys } from '../complaint-list/complaint-list.projection';
import type { ReadModelReader } from '../read-model-reader';
import { assignedFilter } from '../unassigned-filter';
import { periodOf, type StatsInterval } from '../stats/complaint-stats.query';
import {
  SURVEY_LIST, surveyView, type StoredSurvey, type SurveyStatsBucket, type SurveyStatsDimension, type SurveySummary,
} from './survey-list.projection';
import { percent } from '../figures';
import { isPartialPeriod } from '../stats/partial-period';

/** The states a list filters by: as recorded (sent, answered, cancelled), or sent and still taking an answer (open) or past it (expired). */
export const SURVEY_LIST_STATUSES = ['sent', 'open', 'expired', 'answered', 'cancelled'] as const;
export type SurveyListStatus = (typeof SURVEY_LIST_STATUSES)[number];

export interface SurveyListFilter {
  readonly status?: SurveyListStatus;
  readonly subjectKind?: string;
  readonly subjectId?: string;
  readonly customerId?: string;
  /** A department, or `unassigned` (any letter case): the surveys sent with none; so are stationCode and engineerId. */
  readonly department?: string;
  readonly stationCode?: string;
  readonly engineerId?: string;
  readonly cause?: string;
  /** The campaign that sent them. */
  readonly campaignId?: string;
  /** Sent at or after (ISO instant). */
  readonly from?: string;
  /** Sent before (ISO instant). */
  readonly to?: string;
}

/** A survey in a list, with whether it expired unanswered, measured against `now`. */
export interface SurveyListItem extends SurveySummary {
  readonly expired: boolean;
}

/** A reader limited to departments sees the surveys of its departments, and those without one that it sent. */
type Reader = { readonly actorId: string; readonly scope: DepartmentScope };

/** The figures of a row of satisfaction statistics. */
export interface SurveyFigures {
  readonly sent: number;
  readonly answered: number;
  readonly cancelled: number;
  /** answered ÷ sent, in %. */
  readonly responseRatePercent: number | null;
  /** Mean of every score answered (1–5), 2 decimals. */
  readonly meanScore: number | null;
  /** Per question asked and answered: how many answered it and its mean score; by question id. */
  readonly questions: Array<{ readonly questionId: string; readonly answers: number; readonly meanScore: number | null }>;
}

export interface SurveyStatsRow extends SurveyFigures {
  readonly period: string;
  /** The period holds only part of its days: it starts before `from`, ends after `to`, or has not ended yet (isPartialPeriod). */
  readonly partial: boolean;
  /** The department, station, engineer, cause or subject kind; `none` for surveys without one. */
  readonly value: string;
}

export interface SurveyStatsOptions {
  readonly by: SurveyStatsDimension;
  readonly interval: StatsInterval;
  /** Days of sending, from inclusive, to exclusive (YYYY-MM-DD, UTC). */
  readonly from?: string;
  readonly to?: string;
  readonly kind?: string;
  /** Only the surveys this campaign sent. */
  readonly campaignId?: string;
  /** Only these departments (a reader limited to them, or a filter); undefined: every one. */
  readonly departments?: readonly string[];
  /** The server's clock: a period not over by then (with asOf, by the generation's cut when earlier) is partial. Default: the machine's time. */
  readonly now?: Date;
  readonly asOf?: string;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

interface Sums {
  sent: number;
  answered: number;
  cancelled: number;
  scoreSum: number;
  scoreCount: number;
  questions: Map<string, { sum: number; count: number }>;
}

const emptySums = (): Sums => ({ sent: 0, answered: 0, cancelled: 0, scoreSum: 0, scoreCount: 0, questions: new Map() });

function addBucket(sums: Sums, bucket: SurveyStatsBucket): void {
  sums.sent += bucket.sent;
  sums.answered += bucket.answered;
  sums.cancelled += bucket.cancelled;
  sums.scoreSum += bucket.scoreSum;
  sums.scoreCount += bucket.scoreCount;
  for (const [questionId, { sum = 0, count = 0 }] of Object.entries(bucket.questions ?? {})) {
    const question = sums.questions.get(questionId) ?? { sum: 0, count: 0 };
    sums.questions.set(questionId, { sum: question.sum + sum, count: question.count + count });
  }
}

function figuresOf(sums: Sums): SurveyFigures {
  return {
    sent: sums.sent, answered: sums.answered, cancelled: sums.cancelled, responseRatePercent: percent(sums.answered, sums.sent),
    meanScore: sums.scoreCount === 0 ? null : round2(sums.scoreSum / sums.scoreCount),
    questions: [...sums.questions.entries()]
      .filter(([, question]) => question.count > 0)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([questionId, question]) => ({ questionId, answers: question.count, meanScore: round2(question.sum / question.count) })),
  };
}

export class SurveyListQuery {
  constructor(private readonly reader: ReadModelReader) {}

  /** Every survey of the filter, newest first, keyset-paged; `now` tells open from expired. */
  async list(filter: SurveyListFilter, page: { limit: number; cursor?: string }, now: Date, asOf?: string, reader?: Reader): Promise<Page<SurveyListItem>> {
    const where: Record<string, Filter[string]> = {};
    if (reader && reader.scope !== 'all') where['visibleTo'] = { in: visibilityKeys({ actorId: reader.actorId, scope: reader.scope }) };
    for (const key of ['subjectKind', 'subjectId', 'customerId', 'cause', 'campaignId'] as const) if (filter[key] !== undefined) where[key] = filter[key];
    // `unassigned`: the surveys sent while their subject had no department, station or engineer (stored as null), within what a limited reader sees.
    for (const key of ['department', 'stationCode', 'engineerId'] as const) if (filter[key] !== undefined) where[key] = assignedFilter(filter[key]);
    const nowText = now.toISOString();
    if (filter.status === 'open' || filter.status === 'expired') {
      where['status'] = 'sent';
      // A work order's own survey has no expiry: open until answered.
      where['expiryKey'] = filter.status === 'open' ? { gte: nowText } : { lt: nowText };
    } else if (filter.status !== undefined) where['status'] = filter.status;
    if (filter.from !== undefined || filter.to !== undefined) {
      where['sentAt'] = { ...(filter.from === undefined ? {} : { gte: filter.from }), ...(filter.to === undefined ? {} : { lt: filter.to }) };
    }
    const collection = await this.reader.collection(SURVEY_LIST, 'surveys', asOf);
    const found = await this.reader.store.find<StoredSurvey>(collection, { filter: where, sort: [{ field: 'sentAt', direction: 'desc' }], limit: page.limit, cursor: page.cursor });
    return { items: found.items.map((stored) => ({ ...surveyView(stored), expired: stored.status === 'sent' && stored.expiryKey < nowText })), nextCursor: found.nextCursor };
  }

  /** Sent, answered, the response rate and the mean scores per period (of sending) and value of a dimension; the totals over every row. */
  async stats(options: SurveyStatsOptions): Promise<{ rows: SurveyStatsRow[]; totals: SurveyFigures | null }> {
    const { collection, now } = await this.reader.periodsCollection(SURVEY_LIST, 'buckets', options.asOf, options.now ?? new Date());
    const where: Record<string, Filter[string]> = { dimension: options.by };
    if (options.departments !== undefined) where['department'] = { in: [...options.departments] };
    if (options.kind !== undefined) where['kind'] = options.kind;
    if (options.campaignId !== undefined) where['campaign'] = options.campaignId;
    if (options.from !== undefined || options.to !== undefined) where['day'] = { ...(options.from === undefined ? {} : { gte: options.from }), ...(options.to === undefined ? {} : { lt: options.to }) };
    const rows = new Map<string, { period: string; value: string; sums: Sums }>();
    const total = emptySums();
    let any = false;
    let cursor: string | undefined;
    do {
      const page = await this.reader.store.find<SurveyStatsBucket>(collection, { filter: where, sort: [{ field: 'day', direction: 'asc' }], limit: 1000, cursor });
      for (const bucket of page.items) {
        const period = periodOf(bucket.day, options.interval);
        const key = `${period}\u0000${bucket.value}`;
        const row = rows.get(key) ?? { period, value: bucket.value, sums: emptySums() };
        addBucket(row.sums, bucket);
        rows.set(key, row);
        addBucket(total, bucket);
        any = true;
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const sorted = [...rows.values()].sort((a, b) => a.period.localeCompare(b.period) || a.value.localeCompare(b.value));
    const range = { from: options.from, to: options.to, now };
    return { rows: sorted.map(({ period, value, sums }) => ({ period, partial: isPartialPeriod(period, options.interval, range), value, ...figuresOf(sums) })), totals: any ? figuresOf(total) : null };
  }
}

