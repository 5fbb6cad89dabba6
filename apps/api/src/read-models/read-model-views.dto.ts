import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SLA_CLOCKS } from '@app/domain';
import { COMPLIANCE_DIMENSIONS, LOYALTY_DIMENSIONS, STATS_DIMENSIONS, STATS_INTERVALS } from '@app/read-models';
import { COMPLAINT_STATUSES } from '../complaints/dto/complaint-views.dto';
import { LabelsDto } from '../openapi/common.dto';
import { PartialPeriod } from './partial-period.property';

/** What the read-model routes answer as JSON (the CSV columns are in export/csv-columns.ts). */

const UUID = '0c8f3f0e-5a7d-5b1e-9c4e-2f1a3b4c5d6e';
const AT = '2026-03-01T09:30:00.000Z';
const NEXT_CURSOR = { type: String, nullable: true, example: null, description: 'Pass it back as cursor for the next page (same filters); null on the last page.' } as const;
const AS_OF = { type: String, nullable: true, example: null, description: 'The as-of read model asked for, or null for the live one.' } as const;

export class ComplaintSummaryDto {
  @ApiProperty({ format: 'uuid', example: UUID })
  id!: string;

  @ApiProperty({ enum: COMPLAINT_STATUSES, example: 'assigned' })
  status!: string;

  @ApiProperty({ example: 'cust-10086' })
  customerId!: string;

  @ApiProperty({ type: String, nullable: true, example: '王先生' })
  customerName!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '加油机显示 40 升，实际不足。', description: 'What the customer said, as received; null once a description marked personal was erased with the customer (docs/adr/0019).' })
  description!: string | null;

  @ApiProperty({ example: false, description: 'The intake marked the description personal (descriptionIsPersonal): it is sealed with the customer\'s key and erased with it.' })
  descriptionIsPersonal!: boolean;

  @ApiProperty({ type: String, nullable: true, example: 'private-car' })
  segment!: string | null;

  @ApiProperty({ example: 'phone' })
  channel!: string;

  @ApiProperty({ example: 'quantity-metering' })
  cause!: string;

  @ApiProperty({ type: String, nullable: true, example: 'angry-venting' })
  behaviour!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'criticism' })
  purpose!: string | null;

  @ApiProperty({ example: 'high' })
  severity!: string;

  @ApiProperty({ type: String, nullable: true, example: 'station-ops' })
  department!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'zhang.wei' })
  assignee!: string | null;

  @ApiProperty({ format: 'date-time', example: AT })
  receivedAt!: string;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: '2026-03-01T09:45:00.000Z' })
  firstReplyAt!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: null })
  resolvedAt!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: null })
  closedAt!: string | null;

  @ApiProperty({ example: 0 })
  escalationLevel!: number;

  @ApiProperty({ example: 0 })
  reopenCount!: number;

  @ApiProperty({ enum: SLA_CLOCKS, isArray: true, example: [], description: 'Clocks breached.' })
  breaches!: string[];

  @ApiProperty({ example: 3 })
  revision!: number;

  @ApiProperty({ format: 'date-time', example: AT })
  updatedAt!: string;

  @ApiProperty({ example: 'li.na', description: 'Who received it.' })
  receivedBy!: string;

  @ApiProperty({ example: 'department:station-ops', description: 'Who may see it when limited to departments: `department:<code>`, or `received-by:<principal>` while unassigned.' })
  visibleTo!: string;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: '2026-03-01T11:30:00.000Z', description: 'The earliest deadline whose step is still missing (an overdue one included); null when the complaint waits for no step.' })
  nextDueAt!: string | null;

  @ApiProperty({ type: String, nullable: true, enum: SLA_CLOCKS, example: 'first-reply', description: 'The clock of nextDueAt.' })
  nextDueClock!: string | null;

  @ApiProperty({ type: [String], example: ['metering'], description: 'Its tags (POST /complaints/{id}/tags); `tag=` filters the list by one.' })
  tags!: string[];

  @ApiProperty({ type: String, nullable: true, format: 'uuid', example: null, description: 'The complaint this one duplicates (the original), or null (POST /complaints/{id}/related).' })
  duplicateOf!: string | null;
}

export class ComplaintPageDto {
  @ApiProperty({ type: () => [ComplaintSummaryDto] })
  items!: ComplaintSummaryDto[];

  @ApiProperty(NEXT_CURSOR)
  nextCursor!: string | null;
}

/** One SLA obligation of one complaint. */
export class SlaClockDto {
  @ApiProperty({ example: `${UUID}:first-reply` })
  id!: string;

  @ApiProperty({ format: 'uuid', example: UUID })
  complaintId!: string;

  @ApiProperty({ enum: SLA_CLOCKS, example: 'first-reply' })
  clock!: string;

  @ApiProperty({ enum: ['running', 'met', 'breached', 'cancelled'], example: 'breached' })
  status!: string;

  @ApiProperty({ example: 'station-ops', description: '`unassigned` before assignment.' })
  department!: string;

  @ApiProperty({ example: 'zhang.wei', description: '`unassigned` before assignment.' })
  assignee!: string;

  @ApiProperty({ example: 'quantity-metering' })
  cause!: string;

  @ApiProperty({ example: 'high' })
  severity!: string;

  @ApiProperty({ example: 'cust-10086' })
  customerId!: string;

  @ApiProperty({ format: 'date-time', example: AT })
  startedAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-03-01T11:30:00.000Z' })
  deadline!: string;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: null, description: 'When the step came (null: not yet).' })
  metAt!: string | null;

  @ApiProperty({ example: true })
  breached!: boolean;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: '2026-03-01T11:30:01.000Z', description: 'When the SLA monitor recorded the breach (SlaBreached).' })
  breachRecordedAt!: string | null;

  @ApiProperty({ example: 'seed-default-v1' })
  policyVersion!: string;

  @ApiProperty({ example: '24x7', description: 'The business calendar\'s id.' })
  calendar!: string;
}

export class SlaBreachDto extends SlaClockDto {
  @ApiProperty({ example: true, description: 'The step is still missing.' })
  open!: boolean;

  @ApiProperty({ example: 5400000, description: 'How late, in ms: until the step, or until now while it is missing.' })
  overdueMs!: number;

  @ApiProperty({ example: 1.5, description: 'overdueMs in hours, one decimal.' })
  overdueHours!: number;
}

export class SlaBreachPageDto {
  @ApiProperty({ type: () => [SlaBreachDto] })
  items!: SlaBreachDto[];

  @ApiProperty(NEXT_CURSOR)
  nextCursor!: string | null;
}

export class SlaAtRiskDto extends SlaClockDto {
  @ApiProperty({ type: Number, nullable: true, example: null })
  overdueMs!: number | null;

  @ApiProperty({ example: 1800000, description: 'Time left until the deadline, in ms.' })
  dueInMs!: number;

  @ApiProperty({ type: Number, nullable: true, example: null, description: 'overdueMs in hours, one decimal (null while the clock runs).' })
  overdueHours!: number | null;

  @ApiProperty({ example: 0.5, description: 'dueInMs in hours, one decimal.' })
  dueInHours!: number;
}

export class SlaAtRiskPageDto {
  @ApiProperty({ type: () => [SlaAtRiskDto] })
  items!: SlaAtRiskDto[];

  @ApiProperty(NEXT_CURSOR)
  nextCursor!: string | null;
}

/** The figures of every row together. */
export class ComplianceTotalsDto {
  @ApiProperty({ example: 118, description: 'The met clocks of every row, summed.' })
  met!: number;

  @ApiProperty({ example: 9, description: 'The breached clocks of every row, summed.' })
  breached!: number;

  @ApiProperty({ type: Number, nullable: true, example: 92.9, description: 'met ÷ (met + breached) of the sums, in %, one decimal: recomputed, never an average of the rows\' percents.' })
  compliancePercent!: number | null;
}

export class ComplianceRowDto {
  @ApiPropertyOptional({ type: String, format: 'date', example: '2026-03-01', description: 'With `interval`: the first day of the period of the deadlines counted (UTC).' })
  period?: string;

  @PartialPeriod({ withInterval: true })
  partial?: boolean;

  @ApiProperty({ example: 'station-ops', description: 'The value of the dimension.' })
  value!: string;

  @ApiProperty({ example: 41 })
  met!: number;

  @ApiProperty({ example: 2 })
  breached!: number;

  @ApiProperty({ type: Number, nullable: true, example: 95.3, description: 'met ÷ (met + breached), in %, one decimal.' })
  compliancePercent!: number | null;
}

export class ComplianceDto {
  @ApiProperty({ enum: COMPLIANCE_DIMENSIONS, example: 'department' })
  by!: string;

  @ApiProperty({ type: String, nullable: true, format: 'date', example: '2026-03-01' })
  from!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date', example: '2026-04-01' })
  to!: string | null;

  @ApiProperty({ type: String, nullable: true, enum: STATS_INTERVALS, example: 'month', description: 'The periods the rows are split into, or null: one row per value over every day counted.' })
  interval!: string | null;

  @ApiProperty(AS_OF)
  asOf!: string | null;

  @ApiProperty({ type: () => [ComplianceRowDto], description: 'One row per value (sorted), or with `interval` per period and value (periods in order).' })
  rows!: ComplianceRowDto[];

  @ApiProperty({ type: () => ComplianceTotalsDto, nullable: true, example: { met: 118, breached: 9, compliancePercent: 92.9 }, description: 'Over every row; null when there are none.' })
  totals!: ComplianceTotalsDto | null;
}

export class DurationSummaryDto {
  @ApiProperty({ type: Number, nullable: true, example: 1800000 })
  mean!: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 1500000, description: 'The median, approximate: within ±1 % (a mergeable sketch, ADR 0005); the mean is exact.' })
  p50!: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 3600000, description: 'The 90th percentile, approximate: within ±1 % (a mergeable sketch, ADR 0005).' })
  p90!: number | null;
}

export class StatsTotalsDto {
  @ApiProperty({ example: 12 })
  received!: number;

  @ApiProperty({ example: 9 })
  validated!: number;

  @ApiProperty({ example: 2 })
  rejected!: number;

  @ApiProperty({ example: 8 })
  resolved!: number;

  @ApiProperty({ example: 1 })
  reopened!: number;

  @ApiProperty({ type: Number, nullable: true, example: 81.8, description: 'validated ÷ (validated + rejected), in %.' })
  wellFoundedPercent!: number | null;

  @ApiProperty({ type: () => DurationSummaryDto, description: 'Receipt to first reply, ms (percentiles within ±1 %).' })
  timeToFirstReplyMs!: DurationSummaryDto;

  @ApiProperty({ type: () => DurationSummaryDto, description: 'Receipt to resolution, ms.' })
  timeToResolutionMs!: DurationSummaryDto;

  @ApiProperty({ type: () => DurationSummaryDto, description: 'The same in hours, one decimal.' })
  timeToFirstReplyHours!: DurationSummaryDto;

  @ApiProperty({ type: () => DurationSummaryDto, description: 'The same in hours, one decimal.' })
  timeToResolutionHours!: DurationSummaryDto;

  @ApiProperty({ type: Number, nullable: true, example: 92.5 })
  slaCompliancePercent!: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 4.25, description: 'Callback satisfaction, 1–5.' })
  meanSatisfaction!: number | null;
}

export class StatsRowDto extends StatsTotalsDto {
  @ApiProperty({ format: 'date', example: '2026-03-01', description: 'The first day of the period (UTC).' })
  period!: string;

  @PartialPeriod()
  partial!: boolean;

  @ApiProperty({ example: 'quantity-metering', description: 'The value of the dimension.' })
  value!: string;
}

export class StatsPeriodDto extends StatsTotalsDto {
  @ApiProperty({ format: 'date', example: '2026-03-01', description: 'The first day of the period (UTC).' })
  period!: string;

  @PartialPeriod()
  partial!: boolean;
}

export class ComplaintStatsDto {
  @ApiProperty({ enum: STATS_DIMENSIONS, example: 'cause' })
  by!: string;

  @ApiProperty({ enum: STATS_INTERVALS, example: 'month' })
  interval!: string;

  @ApiProperty({ type: String, nullable: true, format: 'date', example: '2026-01-01' })
  from!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date', example: '2026-07-01' })
  to!: string | null;

  @ApiProperty(AS_OF)
  asOf!: string | null;

  @ApiProperty({ type: () => [StatsRowDto] })
  rows!: StatsRowDto[];

  @ApiProperty({ type: () => [StatsPeriodDto], description: 'One per period, over every value of the dimension: the complaints received in it (its p50 and p90 too), the same whatever `by`.' })
  periods!: StatsPeriodDto[];

  @ApiProperty({ type: () => StatsTotalsDto, nullable: true, description: 'Over every row; null when there are none.' })
  totals!: StatsTotalsDto | null;
}

export class LoyaltyCountDto {
  @ApiProperty({ enum: ['tier', 'stage'], example: 'tier' })
  dimension!: string;

  @ApiProperty({ enum: [...new Set(LOYALTY_DIMENSIONS.map((entry) => entry.value))], example: 'at-risk', description: 'The loyalty tier or lifecycle stage.' })
  value!: string;

  @ApiProperty({ type: () => LabelsDto, example: { 'zh-CN': '流失风险', en: 'At risk' } })
  labels!: LabelsDto;

  @ApiProperty({ type: 'integer', minimum: 0, example: 1250 })
  customers!: number;
}

export class LoyaltyDistributionDto {
  @ApiProperty(AS_OF)
  asOf!: string | null;

  @ApiProperty({ type: 'integer', minimum: 0, example: 40210, description: 'Every customer with a loyalty score (a complaint received for them).' })
  customers!: number;

  @ApiProperty({ type: () => [LoyaltyCountDto], description: 'Every tier, then every lifecycle stage, in the model\'s order; 0 where there is no customer.' })
  rows!: LoyaltyCountDto[];
}

export class LoyaltyCountersDto {
  @ApiProperty({ example: 2 }) complaints!: number;
  @ApiProperty({ example: 5 }) severityWeight!: number;
  @ApiProperty({ example: 1 }) repeatComplaints!: number;
  @ApiProperty({ example: 2 }) firstReplyInTime!: number;
  @ApiProperty({ example: 0 }) firstReplyLate!: number;
  @ApiProperty({ example: 5 }) slaKept!: number;
  @ApiProperty({ example: 0 }) slaBroken!: number;
  @ApiProperty({ example: 0 }) escalations!: number;
  @ApiProperty({ example: 0 }) reopens!: number;
  @ApiProperty({ example: 2 }) resolutionsAccepted!: number;
  @ApiProperty({ example: 0 }) resolutionsRefused!: number;
  @ApiProperty({ example: 2 }) resolved!: number;
  @ApiProperty({ example: 4 }) satisfactionPoints!: number;
  @ApiProperty({ example: 2 }) callbacks!: number;
}

export class CustomerComplaintsDto {
  @ApiProperty({ example: 2 })
  total!: number;

  @ApiProperty({ example: 0 })
  open!: number;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { high: 1, medium: 1 }, description: 'By severity code; a severity without complaints is left out.' })
  bySeverity!: Record<string, number>;

  @ApiProperty({ example: 0 })
  reopened!: number;

  @ApiProperty({ example: 0 })
  escalated!: number;
}

export class LoyaltyFactorDto {
  @ApiProperty({ example: 'complaints' })
  code!: string;

  @ApiProperty({ type: () => LabelsDto, example: { 'zh-CN': '投诉次数与严重程度', en: 'Complaints and their severity' } })
  labels!: LabelsDto;

  @ApiProperty({ example: -9, description: 'Points added to (or taken from) the base score.' })
  contribution!: number;

  @ApiProperty({ example: '3 severity points × -3' })
  detail!: string;
}

/** The customer file: profile, complaint history summary, and the loyalty score explained (docs/loyalty-model.md). */
export class CustomerFileDto {
  @ApiProperty({ example: 'cust-10086' })
  id!: string;

  @ApiProperty({ type: String, nullable: true, example: '王先生' })
  name!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'private-car' })
  segment!: string | null;

  @ApiProperty({ type: () => LoyaltyCountersDto })
  counters!: LoyaltyCountersDto;

  @ApiProperty({ type: [String], example: ['quantity-metering'] })
  causes!: string[];

  @ApiProperty({ type: [String], example: [AT], description: 'When each complaint was received.' })
  receipts!: string[];

  @ApiProperty({ type: () => CustomerComplaintsDto })
  complaints!: CustomerComplaintsDto;

  @ApiProperty({ format: 'date-time', example: AT })
  firstComplaintAt!: string;

  @ApiProperty({ format: 'date-time', example: AT })
  lastComplaintAt!: string;

  @ApiProperty({ minimum: 0, maximum: 100, example: 75 })
  score!: number;

  @ApiProperty({ enum: ['loyal', 'satisfied', 'at-risk', 'detractor'], example: 'satisfied' })
  tier!: string;

  @ApiProperty({ enum: ['exploration', 'formation', 'stability', 'decline'], example: 'formation' })
  stage!: string;

  @ApiProperty({ type: [Number], example: [65, 70, 75], description: 'The latest scores, oldest first.' })
  recentScores!: number[];

  @ApiProperty({ example: 2, description: 'The version of the loyalty model that computed the score.' })
  modelVersion!: number;

  @ApiProperty({ type: () => [LoyaltyFactorDto] })
  factors!: LoyaltyFactorDto[];

  @ApiProperty({ type: () => LabelsDto, example: { 'zh-CN': '满意客户', en: 'Satisfied' } })
  tierLabels!: LabelsDto;

  @ApiProperty({ type: () => LabelsDto, example: { 'zh-CN': '形成期', en: 'Formation' } })
  stageLabels!: LabelsDto;
}

export class CustomerPageDto {
  @ApiProperty({ type: () => [CustomerFileDto] })
  items!: CustomerFileDto[];

  @ApiProperty(NEXT_CURSOR)
  nextCursor!: string | null;
}
