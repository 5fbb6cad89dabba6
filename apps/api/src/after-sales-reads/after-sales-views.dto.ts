import type { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { STATS_INTERVALS, FEE_VERDICTS } from '@app/read-models';
import { WORK_ORDER_STATUSES } from '@app/domain';
import { PartialPeriod } from '../read-models/partial-period.property';

/** What the after-sales read routes answer as JSON, for the OpenAPI document (the CSV columns are in export/csv-columns.ts). */

const ORDER = '3b9e1f52-6c0d-4f7a-8e21-5d4c3b2a1f00';
const AT = '2026-03-02T08:00:00.000Z';
const CLOCKS = ['first-contact', 'on-site', 'completion', 'survey'];
const STATUSES = WORK_ORDER_STATUSES;
const NEXT_CURSOR = { type: String, nullable: true, example: null, description: 'Pass it back as cursor for the next page (same filters); null on the last page.' } as const;
const AS_OF = { type: String, nullable: true, example: null, description: 'The as-of read model asked for, or null for the live one.' } as const;
const DAY_OR_NULL = (description: string) => ({ type: String, nullable: true, format: 'date', example: null, description }) as const;

export class StationNameDto {
  @ApiProperty({ name: 'zh-CN', example: '丹东服务站' })
  'zh-CN'!: string;

  @ApiProperty({ example: 'Dandong service station' })
  en!: string;
}

/** An amount: integer minor units of an ISO 4217 currency, never a float. */
export class MoneyViewDto {
  @ApiProperty({ example: 'CNY' })
  currency!: string;

  @ApiProperty({ example: 78000, description: 'Minor units (fen for CNY): 78000 is CNY 780.00.' })
  minorUnits!: number;
}

export class QuoteViewDto {
  @ApiProperty({ example: 1 })
  number!: number;

  @ApiProperty({ type: () => MoneyViewDto })
  total!: MoneyViewDto;

  @ApiProperty({ enum: ['pending', 'confirmed', 'refused'], example: 'confirmed' })
  status!: string;
}

/** One work order: the facts of its current repair cycle. */
export class WorkOrderSummaryDto {
  @ApiProperty({ example: ORDER })
  id!: string;

  @ApiProperty({ enum: STATUSES, example: 'dispatched' })
  status!: string;

  @ApiProperty({ example: true, description: 'Not closed and not cancelled: on the dispatch board.' })
  open!: boolean;

  @ApiProperty({ example: 'medium', description: 'A severity code: the SLA tier.' })
  priority!: string;

  @ApiProperty({ example: 'cust-001' })
  customerId!: string;

  @ApiProperty({ example: 'phone' })
  channel!: string;

  @ApiProperty({ type: String, nullable: true, example: '210600' })
  region!: string | null;

  @ApiProperty({ example: 'TQ2240-000731' })
  productSerial!: string;

  @ApiProperty({ example: 'TQ-2240 税控加油机' })
  productModel!: string;

  @ApiProperty({ type: String, nullable: true, example: 'dandong-station', description: 'The service point dispatched to; null before the dispatch.' })
  stationCode!: string | null;

  @ApiProperty({ type: () => StationNameDto, nullable: true, description: 'As the directory named it at the dispatch.' })
  stationName!: StationNameDto | null;

  @ApiProperty({ type: String, nullable: true, example: 'eng-wang' })
  engineerId!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '王工' })
  engineerName!: string | null;

  @ApiProperty({ format: 'date-time', example: AT })
  reportedAt!: string;

  @ApiProperty({ example: 'li.na', description: 'Who recorded the report.' })
  reportedBy!: string;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: '2026-03-02T08:20:00.000Z' })
  dispatchedAt!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: '2026-03-02T08:45:00.000Z' })
  firstContactAt!: string | null;

  @ApiProperty({ example: 1, description: 'The repair cycle: 2 and up after a repeat repair; the fields below are of the current one.' })
  cycle!: number;

  @ApiProperty({ example: 0 })
  reopenCount!: number;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: '2026-03-03T02:00:00.000Z' })
  scheduledVisitFor!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: null, description: 'The first arrival of the cycle.' })
  arrivedAt!: string | null;

  @ApiProperty({ example: 1, description: 'Visits agreed or made over the whole order.' })
  visits!: number;

  @ApiProperty({ example: 0 })
  failedVisits!: number;

  @ApiProperty({ type: String, nullable: true, example: null })
  faultCause!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null, description: 'The verdict of the warranty decision recorded with the findings.' })
  warrantyVerdict!: string | null;

  @ApiProperty({ type: () => QuoteViewDto, nullable: true })
  quote!: QuoteViewDto | null;

  @ApiProperty({ example: false })
  chargeableWork!: boolean;

  @ApiProperty({ type: () => MoneyViewDto, nullable: true })
  fee!: MoneyViewDto | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: null })
  signedOffAt!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: null })
  closedAt!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null, description: 'How the cycle closed: repaired, fixed-remotely or quote-refused; null while open.' })
  outcome!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: null })
  cancelledAt!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: null })
  surveySentAt!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: null })
  surveyAnsweredAt!: string | null;

  @ApiProperty({ type: Number, nullable: true, example: null, description: 'Mean score (1–5) of the cycle\'s survey answer.' })
  satisfaction!: number | null;

  @ApiProperty({ example: 0 })
  escalationLevel!: number;

  @ApiProperty({ enum: CLOCKS, isArray: true, example: [], description: 'Clocks breached in any cycle.' })
  breaches!: string[];

  @ApiProperty({ type: [String], example: [] })
  linkedComplaintIds!: string[];

  @ApiProperty({ type: String, nullable: true, example: 'on-site', description: `The clock of the soonest deadline still waiting for its step (${CLOCKS.join(', ')}); null when none is.` })
  nextDeadlineClock!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: '2026-03-03T08:00:00.000Z' })
  nextDeadlineAt!: string | null;

  @ApiProperty({ example: 3 })
  revision!: number;

  @ApiProperty({ format: 'date-time', example: '2026-03-02T08:45:00.000Z' })
  updatedAt!: string;
}

export class WorkOrderPageDto {
  @ApiProperty({ type: () => [WorkOrderSummaryDto] })
  items!: WorkOrderSummaryDto[];

  @ApiProperty(NEXT_CURSOR)
  nextCursor!: string | null;
}

export class PendingDeadlineDto {
  @ApiProperty({ enum: CLOCKS, example: 'on-site' })
  clock!: string;

  @ApiProperty({ format: 'date-time', example: '2026-03-03T08:00:00.000Z' })
  deadline!: string;

  @ApiProperty({ example: false, description: 'A breach is recorded, or the step already came late (in an earlier event).' })
  breached!: boolean;
}

export class BoardItemDto extends WorkOrderSummaryDto {
  @ApiProperty({ type: () => [PendingDeadlineDto], description: 'Every deadline still waiting for its step, soonest first.' })
  deadlines!: PendingDeadlineDto[];

  @ApiProperty({ type: Number, nullable: true, example: 5_400_000, description: 'ms from measuredAt to the next deadline; negative once it has passed.' })
  dueInMs!: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 1.5, description: 'dueInMs in hours, one decimal.' })
  dueInHours!: number | null;

  @ApiProperty({ example: false })
  overdue!: boolean;

  @ApiProperty({ example: true, description: 'The next deadline falls within `within` of measuredAt.' })
  atRisk!: boolean;

  @ApiProperty({ example: false, description: 'A clock is breached: recorded, come late, or overdue now.' })
  breached!: boolean;
}

export class BoardPageDto {
  @ApiProperty({ type: () => [BoardItemDto] })
  items!: BoardItemDto[];

  @ApiProperty(NEXT_CURSOR)
  nextCursor!: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-03-03T06:30:00.000Z', description: 'The moment the markers are measured against (now).' })
  measuredAt!: string;
}

/**
 * The answer of a statistics route: the interval and bounds asked for, the rows per period and the
 * totals over them. Only the rows, the figures and two descriptions differ from route to route.
 */
function StatsResponse<Row, Figures>(row: () => Type<Row>, figures: () => Type<Figures>, docs: { readonly from: string; readonly totals?: string }) {
  class StatsResponseDto {
    @ApiProperty({ enum: STATS_INTERVALS, example: 'month' })
    interval!: string;

    @ApiProperty(DAY_OR_NULL(docs.from))
    from!: string | null;

    @ApiProperty(DAY_OR_NULL('Day after the last one counted.'))
    to!: string | null;

    @ApiProperty(AS_OF)
    asOf!: string | null;

    @ApiProperty({ type: () => [row()] })
    rows!: Row[];

    @ApiProperty({ type: () => figures(), nullable: true, ...(docs.totals === undefined ? {} : { description: docs.totals }) })
    totals!: Figures | null;
  }
  return StatsResponseDto;
}

export class RepairDurationDto {
  @ApiProperty({ type: Number, nullable: true, example: 64_800_000 })
  mean!: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 64_512_000, description: 'The median, approximate: within ±1 % (a mergeable sketch, ADR 0005); the mean is exact.' })
  p50!: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 86_110_000, description: 'The 90th percentile, approximate: within ±1 % (a mergeable sketch, ADR 0005).' })
  p90!: number | null;
}

/** The figures of a row of repair statistics (and of the totals). */
export class RepairFiguresDto {
  @ApiProperty({ example: 12, description: 'Orders reported in the period.' })
  orders!: number;

  @ApiProperty({ example: 2, description: 'Of those, still open now: the workload.' })
  open!: number;

  @ApiProperty({ example: 9, description: 'Handed over repaired or fixed remotely at least once.' })
  completed!: number;

  @ApiProperty({ example: 8 })
  firstTimeFix!: number;

  @ApiProperty({ type: Number, nullable: true, example: 88.9, description: 'firstTimeFix ÷ completed, %.' })
  firstTimeFixPercent!: number | null;

  @ApiProperty({ example: 1, description: 'Reopened within 30 days of the hand-over.' })
  repeatRepairs!: number;

  @ApiProperty({ type: Number, nullable: true, example: 11.1 })
  repeatRepairPercent!: number | null;

  @ApiProperty({ example: 2 })
  fixedRemotely!: number;

  @ApiProperty({ example: 1 })
  cancelled!: number;

  @ApiProperty({ example: 0 })
  quoteRefused!: number;

  @ApiProperty({ example: 8 })
  visits!: number;

  @ApiProperty({ example: 1 })
  failedVisits!: number;

  @ApiProperty({ type: () => RepairDurationDto, description: 'Report to the first arrival of the first cycle, ms (percentiles within ±1 %).' })
  timeToArriveMs!: RepairDurationDto;

  @ApiProperty({ type: () => RepairDurationDto, description: 'Report to the first completed hand-over, ms.' })
  timeToCompleteMs!: RepairDurationDto;

  @ApiProperty({ type: () => RepairDurationDto, description: 'The same in hours, one decimal.' })
  timeToArriveHours!: RepairDurationDto;

  @ApiProperty({ type: () => RepairDurationDto, description: 'The same in hours, one decimal.' })
  timeToCompleteHours!: RepairDurationDto;

  @ApiProperty({ example: 7 })
  onSiteMet!: number;

  @ApiProperty({ example: 1 })
  onSiteBreached!: number;

  @ApiProperty({ type: Number, nullable: true, example: 87.5 })
  onSiteCompliancePercent!: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 92.3, description: 'Every clock: first contact, on-site, completion, survey.' })
  slaCompliancePercent!: number | null;

  @ApiProperty({ example: 8 })
  surveysSent!: number;

  @ApiProperty({ example: 5 })
  surveysAnswered!: number;

  @ApiProperty({ type: Number, nullable: true, example: 62.5 })
  surveyResponsePercent!: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 4.4, description: 'Mean of every answered score (1–5).' })
  meanSatisfaction!: number | null;
}

export class EngineerStatsRowDto extends RepairFiguresDto {
  @ApiProperty({ format: 'date', example: '2026-03-01', description: 'First day of the period.' })
  period!: string;

  @PartialPeriod()
  partial!: boolean;

  @ApiProperty({ example: 'eng-wang', description: '`unassigned`: orders not dispatched yet.' })
  engineerId!: string;

  @ApiProperty({ type: String, nullable: true, example: '王工' })
  engineerName!: string | null;

  @ApiProperty({ example: 'dandong-station' })
  station!: string;
}

export class EngineerStatsDto extends StatsResponse(() => EngineerStatsRowDto, () => RepairFiguresDto, {
  from: 'First day of report counted.', totals: 'Over every row; null when there is none.',
}) {}

export class StationStatsRowDto extends RepairFiguresDto {
  @ApiProperty({ format: 'date', example: '2026-03-01' })
  period!: string;

  @PartialPeriod()
  partial!: boolean;

  @ApiProperty({ example: 'dandong-station', description: '`unassigned`: orders not dispatched yet.' })
  station!: string;

  @ApiProperty({ type: () => StationNameDto, nullable: true })
  stationName!: StationNameDto | null;
}

export class StationStatsDto extends StatsResponse(() => StationStatsRowDto, () => RepairFiguresDto, { from: 'First day of report counted.' }) {}

export class CurrencyTotalDto {
  @ApiProperty({ example: 'CNY' })
  currency!: string;

  @ApiProperty({ example: 78000, description: 'Integer minor units.' })
  minorUnits!: number;

  @ApiProperty({ example: '780.00', description: 'The same in the major unit, as text.' })
  amount!: string;

  @ApiProperty({ example: 1, description: 'How many amounts.' })
  count!: number;
}

const VERDICTS_EXAMPLE = Object.fromEntries(FEE_VERDICTS.map((verdict) => [verdict, verdict === 'in-warranty' ? 3 : verdict === 'expired' ? 1 : 0]));

export class RepairFeesFiguresDto {
  @ApiProperty({ example: 5 })
  closed!: number;

  @ApiProperty({ example: 4 })
  repaired!: number;

  @ApiProperty({ example: 3, description: 'Repaired free under an in-warranty verdict.' })
  warranty!: number;

  @ApiProperty({ example: 1, description: 'Repaired with something the customer paid for.' })
  chargeable!: number;

  @ApiProperty({ example: 0, description: 'Repaired free outside the warranty (goodwill, free work after a refused quote).' })
  freeOutOfWarranty!: number;

  @ApiProperty({ example: 1 })
  fixedRemotely!: number;

  @ApiProperty({ example: 0 })
  quoteRefused!: number;

  @ApiProperty({ type: Number, nullable: true, example: 75 })
  warrantyPercent!: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 25 })
  chargeablePercent!: number | null;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: VERDICTS_EXAMPLE, description: `Repaired cycles per warranty verdict: ${FEE_VERDICTS.join(', ')}.` })
  verdicts!: Record<string, number>;

  @ApiProperty({ type: () => [CurrencyTotalDto], description: 'Fees charged, per currency.' })
  fees!: CurrencyTotalDto[];

  @ApiProperty({ type: () => [CurrencyTotalDto], description: 'Quotes confirmed, per currency.' })
  confirmedQuotes!: CurrencyTotalDto[];
}

export class RepairFeesRowDto extends RepairFeesFiguresDto {
  @ApiProperty({ format: 'date', example: '2026-03-01' })
  period!: string;

  @PartialPeriod()
  partial!: boolean;

  @ApiProperty({ example: 'dandong-station' })
  station!: string;

  @ApiProperty({ type: () => StationNameDto, nullable: true })
  stationName!: StationNameDto | null;
}

export class RepairFeesDto extends StatsResponse(() => RepairFeesRowDto, () => RepairFeesFiguresDto, { from: 'First day counted.' }) {}
