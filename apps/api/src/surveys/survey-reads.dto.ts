import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { STATS_INTERVALS, SURVEY_LIST_STATUSES, SURVEY_STATS_DIMENSIONS, type StatsInterval, type SurveyListStatus, type SurveyStatsDimension } from '@app/read-models';
import { AfterFrom, Day, DepartmentCodeFilter, Identifier, Instant, PrincipalIdFilter, StationCodeFilter } from '../complaints/dto/fields';
import { ExportableQueryDto, PagedQueryDto } from '../read-models/query.dto';
import { PartialPeriod } from '../read-models/partial-period.property';

const SUBJECT_KINDS = ['complaint', 'work-order', 'campaign'];
const SURVEY = '7c1d9e20-4b3a-4f6e-9d21-0a1b2c3d4e5f';
const AT = '2026-03-02T08:00:00.000Z';

export class ListSurveysQueryDto extends PagedQueryDto {
  @ApiPropertyOptional({
    enum: SURVEY_LIST_STATUSES,
    description: 'As recorded (sent: not answered yet, answered, cancelled), or open (sent and still taking an answer now) or expired (sent, its answer period over).',
  })
  @IsOptional()
  @IsIn(SURVEY_LIST_STATUSES, { message: `status must be one of: ${SURVEY_LIST_STATUSES.join(', ')}` })
  status?: SurveyListStatus;

  @ApiPropertyOptional({ enum: SUBJECT_KINDS, description: 'What the survey asks about.' })
  @IsOptional()
  @IsIn(SUBJECT_KINDS, { message: `subjectKind must be one of: ${SUBJECT_KINDS.join(', ')}` })
  subjectKind?: string;

  @Identifier({ optional: true, description: 'The complaint or work order the survey asks about.', example: '3b9e1f52-6c0d-4f7a-8e21-5d4c3b2a1f00' })
  subjectId?: string;

  @Identifier({ optional: true, example: 'cust-10086' })
  customerId?: string;

  @DepartmentCodeFilter({ description: 'The complaint\'s department or the work order\'s service point when the survey was sent; `unassigned` (a reserved word, no unit\'s code) for the surveys sent with none, among those the token may see.', example: 'dandong-station' })
  department?: string;

  @StationCodeFilter({ description: 'The work order\'s station; `unassigned` for the surveys sent with none.' })
  station?: string;

  @PrincipalIdFilter({ description: 'The work order\'s engineer; `unassigned` for the surveys sent with none.', example: 'eng-wang' })
  engineer?: string;

  @Identifier({ optional: true, description: 'The complaint\'s cause or the work order\'s fault cause.', example: 'product-defect' })
  cause?: string;

  @Identifier({ optional: true, description: 'The campaign that sent them (POST /surveys/campaigns).', example: '5d2f8a10-3c4b-4e6f-8a91-0b1c2d3e4f50' })
  campaignId?: string;

  @Instant({ description: 'Sent at or after (ISO 8601).', example: '2026-03-01T00:00:00Z' })
  from?: string;

  @Instant({ description: 'Sent before (ISO 8601).', example: '2026-04-01T00:00:00Z' })
  @AfterFrom()
  to?: string;
}

export class SurveyStatsQueryDto extends ExportableQueryDto {
  @ApiPropertyOptional({ enum: SURVEY_STATS_DIMENSIONS, default: 'department', description: 'What each row is: a department, station, engineer, cause or subject kind (`unassigned`: surveys without a department, station or engineer; `none`: without a cause).' })
  @IsOptional()
  @IsIn(SURVEY_STATS_DIMENSIONS, { message: `by must be one of: ${SURVEY_STATS_DIMENSIONS.join(', ')}` })
  by?: SurveyStatsDimension;

  @ApiPropertyOptional({ enum: STATS_INTERVALS, default: 'month', description: 'Periods start on the day, the ISO week\'s Monday, or the 1st of the month, quarter or year (UTC).' })
  @IsOptional()
  @IsIn(STATS_INTERVALS, { message: `interval must be one of: ${STATS_INTERVALS.join(', ')}` })
  interval?: StatsInterval;

  @ApiPropertyOptional({ enum: SUBJECT_KINDS, description: 'Only the surveys of complaints, or of work orders.' })
  @IsOptional()
  @IsIn(SUBJECT_KINDS, { message: `kind must be one of: ${SUBJECT_KINDS.join(', ')}` })
  kind?: string;

  @DepartmentCodeFilter({ description: 'One department (or service point); `unassigned` (any letter case) for the surveys sent with none (a token limited to departments: 403, as for any department not its own).', example: 'dandong-station' })
  department?: string;

  @Identifier({ optional: true, description: 'Only the surveys a campaign sent (POST /surveys/campaigns).', example: '5d2f8a10-3c4b-4e6f-8a91-0b1c2d3e4f50' })
  campaignId?: string;

  @Day({ description: 'First day of sending counted (YYYY-MM-DD, UTC).', example: '2026-01-01' })
  from?: string;

  @Day({ description: 'Day after the last one counted (YYYY-MM-DD).', example: '2026-07-01' })
  @AfterFrom()
  to?: string;
}

const nullable = (type: typeof String | typeof Number, example: unknown, description?: string) => ({ type, nullable: true, example, ...(description ? { description } : {}) });

/** One satisfaction survey in a list. */
export class SurveyListItemDto {
  @ApiProperty({ example: SURVEY, description: 'The survey (GET /surveys/{id}); a work order\'s own survey: `<work order>:<cycle>:<its survey id>`.' }) id!: string;
  @ApiProperty({ enum: ['survey', 'work-order'], example: 'survey', description: 'A survey sent with POST /surveys, or the older survey recorded on a work order (POST /work-orders/{id}/survey).' }) source!: string;
  @ApiProperty({ enum: ['sent', 'answered', 'cancelled'], example: 'answered', description: 'As recorded; `expired` tells an unanswered one past its answer period.' }) status!: string;
  @ApiProperty({ example: false, description: 'Sent, not answered, and its answer period over (measured now).' }) expired!: boolean;
  @ApiProperty({ enum: SUBJECT_KINDS, example: 'work-order' }) subjectKind!: string;
  @ApiProperty({ example: '3b9e1f52-6c0d-4f7a-8e21-5d4c3b2a1f00' }) subjectId!: string;
  @ApiProperty({ example: 'cust-10086' }) customerId!: string;
  @ApiProperty({ example: 'phone' }) channel!: string;
  @ApiProperty(nullable(String, 'dandong-station', 'The complaint\'s department or the work order\'s service point when the survey was sent.')) department!: string | null;
  @ApiProperty(nullable(String, 'dandong-station')) stationCode!: string | null;
  @ApiProperty(nullable(String, 'eng-wang')) engineerId!: string | null;
  @ApiProperty(nullable(String, 'product-defect')) cause!: string | null;
  @ApiProperty(nullable(String, '5d2f8a10-3c4b-4e6f-8a91-0b1c2d3e4f50', 'The campaign that sent it (POST /surveys/campaigns); null for a survey sent on its own.')) campaignId!: string | null;
  @ApiProperty({ type: [String], example: ['attitude', 'speed', 'result', 'overall'], description: 'The ids of the questions asked.' }) questions!: string[];
  @ApiProperty({ format: 'date-time', example: AT }) sentAt!: string;
  @ApiProperty({ example: 'agent-1' }) sentBy!: string;
  @ApiProperty({ ...nullable(String, '2026-04-01T08:00:00.000Z', 'Null for a work order\'s own survey: it has no answer period.'), format: 'date-time' }) expiresAt!: string | null;
  @ApiProperty({ ...nullable(String, '2026-03-03T02:00:00.000Z'), format: 'date-time' }) answeredAt!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer', minimum: 1, maximum: 5 }, example: { attitude: 5, overall: 4 }, description: 'Score (1–5) per question answered.' })
  scores!: Record<string, number>;
  @ApiProperty(nullable(Number, 4.5, 'Mean of the scores answered; null before an answer.')) meanScore!: number | null;
  @ApiProperty(nullable(String, '谢谢回访。')) comment!: string | null;
  @ApiProperty({ ...nullable(String, null), format: 'date-time' }) cancelledAt!: string | null;
  @ApiProperty(nullable(String, null)) cancelReason!: string | null;
  @ApiProperty({ example: 1, description: 'Revision of the survey-<id> stream (of the work order\'s stream for its own survey).' }) revision!: number;
  @ApiProperty({ format: 'date-time', example: '2026-03-03T02:00:00.000Z' }) updatedAt!: string;
}

export class SurveyPageDto {
  @ApiProperty({ type: () => [SurveyListItemDto] })
  items!: SurveyListItemDto[];

  @ApiProperty({ type: String, nullable: true, example: null, description: 'Pass it back as cursor for the next page (same filters); null on the last page.' })
  nextCursor!: string | null;

  @ApiProperty({ format: 'date-time', example: AT, description: 'The moment `expired` was measured against.' })
  measuredAt!: string;
}

export class SurveyQuestionFiguresDto {
  @ApiProperty({ example: 'overall' }) questionId!: string;
  @ApiProperty({ example: 12, description: 'Answers that scored this question.' }) answers!: number;
  @ApiProperty(nullable(Number, 4.25)) meanScore!: number | null;
}

export class SurveyFiguresDto {
  @ApiProperty({ example: 20 }) sent!: number;
  @ApiProperty({ example: 12 }) answered!: number;
  @ApiProperty({ example: 1 }) cancelled!: number;
  @ApiProperty(nullable(Number, 60, 'answered ÷ sent, %.')) responseRatePercent!: number | null;
  @ApiProperty(nullable(Number, 4.1, 'Mean of every score answered (1–5).')) meanScore!: number | null;
  @ApiProperty({ type: () => [SurveyQuestionFiguresDto], description: 'Per question answered, by id.' }) questions!: SurveyQuestionFiguresDto[];
}

export class SurveyStatsRowDto extends SurveyFiguresDto {
  @ApiProperty({ format: 'date', example: '2026-03-01', description: 'First day of the period (of sending).' }) period!: string;
  @PartialPeriod() partial!: boolean;
  @ApiProperty({ example: 'dandong-station', description: 'The department, station, engineer, cause or subject kind; `unassigned` for surveys without a department, station or engineer, `none` for those without a cause.' }) value!: string;
}

export class SurveyStatsDto {
  @ApiProperty({ enum: SURVEY_STATS_DIMENSIONS, example: 'department' }) by!: string;
  @ApiProperty({ enum: STATS_INTERVALS, example: 'month' }) interval!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date', example: null, description: 'First day of sending counted.' }) from!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date', example: null, description: 'Day after the last one counted.' }) to!: string | null;
  @ApiProperty({ type: String, nullable: true, example: null, description: 'The as-of read model asked for, or null for the live one.' }) asOf!: string | null;
  @ApiProperty({ type: () => [SurveyStatsRowDto] }) rows!: SurveyStatsRowDto[];
  @ApiProperty({ type: () => SurveyFiguresDto, nullable: true, description: 'Over every row; null when there is none.' }) totals!: SurveyFiguresDto | null;
}
