import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { applyDecorators } from '@nestjs/common';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min, ValidateBy } from 'class-validator';
import { MAX_TEXT_QUERY } from '@app/read-store';
import {
  ACCESS_EVENT_TYPES, COMPLAINT_EVENT_TYPES, CUSTOMER_FILE_EVENT_TYPES, PRODUCT_EVENT_TYPES, ROLES, SATISFACTION_SURVEY_EVENT_TYPES, SURVEY_CAMPAIGN_EVENT_TYPES, SERVICE_NETWORK_EVENT_TYPES, SLA_CLOCKS, TAMPER_EVENT_TYPES, WORK_ORDER_EVENT_TYPES, TAG_RULE, isInstant, normaliseTag, parseDuration,
} from '@app/domain';
import { AS_OF_NAME, COMPLAINT_LIST_SORTS, COMPLIANCE_DIMENSIONS, IMPORTANCE_FILTERS, STATS_DIMENSIONS, STATS_INTERVALS, type ComplaintListSort, type StatsInterval } from '@app/read-models';
import { FileCode } from '../customers/dto/customer-fields';
import { SingleValue } from '../http/field-errors';
import { AfterFrom, Day, DepartmentCodeFilter, Identifier, Instant, PrincipalIdFilter, ShowsSomething, TaxonomyCode } from '../complaints/dto/fields';
import { EXPORT_FORMATS, type ExportFormat } from '../export/export-format';
import { CursorField } from '../http/cursor-field';

const STATUSES = ['received', 'validated', 'rejected', 'assigned', 'resolved', 'follow-up-required', 'closed'];

/** The longest look ahead of /sla/at-risk: a year, leap or not (every deadline of today's policies is far shorter). */
export const MAX_AT_RISK_WINDOW = 'P366D';
const MAX_AT_RISK_WINDOW_MS = parseDuration(MAX_AT_RISK_WINDOW)!;

/** The at-risk window in ms, or undefined when it is not a duration within PT0S–P366D. */
export function atRiskWindowMs(value: unknown): number | undefined {
  const ms = typeof value === 'string' ? parseDuration(value) : undefined;
  return ms !== undefined && ms <= MAX_AT_RISK_WINDOW_MS ? ms : undefined;
}

const POSITION_DIGITS = /^[0-9]{1,16}$/;

/**
 * A position of the event log written as text (a query parameter, the feed's Last-Event-ID header):
 * 1 to 16 digits, leading zeros allowed, read as a decimal integer up to Number.MAX_SAFE_INTEGER;
 * undefined for anything else. Number() alone would take 1e3, 0x10, " 5" and 5.0 as numbers.
 */
export const parseLogPosition = (text: string): number | undefined => (POSITION_DIGITS.test(text) && Number(text) <= Number.MAX_SAFE_INTEGER ? Number(text) : undefined);

/** What a position must look like, for the message that refuses one (`field` as the caller wrote it). */
export const logPositionRule = (field: string, which: string): string =>
  `${field} must be a position of the event log ${which}: a decimal integer of digits only, such as 42, at most ${Number.MAX_SAFE_INTEGER} (no sign, exponent, hex, decimal point or spaces)`;

/**
 * A position of the event log in the query (read-your-writes), read by parseLogPosition; anything
 * else stays text here, so that the validation refuses it with this message.
 */
export const LogPosition = (description: string, which = 'as a command returns it') => applyDecorators(
  ApiPropertyOptional({ description: `${description} Digits only.`, type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, example: 42 }),
  IsOptional(),
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? parseLogPosition(value) ?? value : value)),
  IsInt({ message: logPositionRule('$property', which) }),
  Min(0),
  Max(Number.MAX_SAFE_INTEGER),
);

/** Every read-model query: read-your-writes, and optionally a read model as it stood at a moment. */
export class ReadModelQueryDto {
  @ApiPropertyOptional({ description: 'Read the read model built as of a moment under this name (CLI: replay --until … --into NAME).', example: '2026-06-30' })
  @IsOptional()
  // A moment is let through, to be told the names built and how to build one as of it (the reader refuses it: UnknownAsOfError).
  @ValidateBy({ name: 'isAsOfName', validator: { validate: (value) => typeof value === 'string' && (AS_OF_NAME.test(value) || (value.length <= 40 && isInstant(value))) } }, {
    message: 'asOf must be the name of a read model built with replay --into (letters, digits, - and _)',
  })
  @SingleValue('name')
  asOf?: string;

  @LogPosition('Wait (up to 5 s) until the read models include this position, as returned by a command.')
  minPosition?: number;
}

/** A text search: 1–200 characters, no control characters; found in any letter case, in Chinese as in English. */
const SearchText = (what: string) => applyDecorators(
  ApiPropertyOptional({ description: `Only items where ${what} contains this text (any letter case; Chinese too, from one character).`, example: '发票', minLength: 1, maxLength: MAX_TEXT_QUERY }),
  IsOptional(),
  Length(1, MAX_TEXT_QUERY, { message: `q must be 1 to ${MAX_TEXT_QUERY} characters` }),
  // eslint-disable-next-line no-control-regex
  Matches(/^[^\u0000-\u001f\u007f]*$/, { message: 'q must not hold control characters (line breaks, tabs)' }),
  // Spaces or invisible characters alone find nothing a person meant (leave q out to list everything).
  ShowsSomething(),
);

const FormatField = () => applyDecorators(
  ApiPropertyOptional({ enum: EXPORT_FORMATS, description: 'csv: every row (all pages) as a CSV file; json (the default). Without it, the Accept header decides (text/csv or application/json).' }),
  IsOptional(),
  IsIn(EXPORT_FORMATS, { message: `format must be one of ${EXPORT_FORMATS.join(', ')}` }),
);
const BomField = () => applyDecorators(
  ApiPropertyOptional({ enum: ['1', '0', 'true', 'false'], default: '0', description: 'CSV only: 1 starts the file with a UTF-8 byte-order mark, which Excel needs to show Chinese text.' }),
  IsOptional(),
  IsIn(['1', '0', 'true', 'false'], { message: 'bom must be 1 or 0 (or true or false)' }),
);

/** A route that answers JSON or CSV and has nothing else to ask (/access/tokens). */
export class ExportQueryDto {
  @FormatField()
  format?: ExportFormat;

  @BomField()
  bom?: string;
}

/** A read-model route that answers a list or a statistics table, as JSON or CSV. */
export class ExportableQueryDto extends ReadModelQueryDto {
  @FormatField()
  format?: ExportFormat;

  @BomField()
  bom?: string;
}

export class PagedQueryDto extends ExportableQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50, description: 'Rows per page (JSON); with format=csv, the most rows in all (default: every row).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @CursorField()
  cursor?: string;
}

export class ListComplaintsQueryDto extends PagedQueryDto {
  @ApiPropertyOptional({ enum: [...STATUSES, 'open'], description: 'A status, or `open`: every complaint still waiting for a step (all but rejected and closed).' })
  @IsOptional()
  @IsIn([...STATUSES, 'open'], { message: `status must be one of: ${[...STATUSES, 'open'].join(', ')}` })
  status?: string;

  @TaxonomyCode('cause', { optional: true })
  cause?: string;

  @TaxonomyCode('behaviour', { optional: true })
  behaviour?: string;

  @TaxonomyCode('purpose', { optional: true })
  purpose?: string;

  @TaxonomyCode('channel', { optional: true })
  channel?: string;

  @TaxonomyCode('customerSegment', { optional: true, description: 'The customer segment the complaint was received with (a customerSegment code, see GET /taxonomy).' })
  segment?: string;

  @ApiPropertyOptional({ type: Boolean, description: 'true: only complaints escalated at least once (escalationLevel above 0); false: only those never escalated.' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'escalated must be true or false' })
  escalated?: boolean;

  @DepartmentCodeFilter({ description: 'The department the complaint is assigned to; `unassigned` (a reserved word, no unit\'s code) for the complaints not yet assigned, among those the token may see.' })
  department?: string;

  @PrincipalIdFilter({ description: 'The assignee; `unassigned` (a reserved word, no person\'s id) for the complaints not yet assigned, among those the token may see.' })
  assignee?: string;

  @Identifier({ optional: true })
  customerId?: string;

  @ApiPropertyOptional({ example: 'metering', description: `Only complaints with this tag (any form of it: VIP and ｖｉｐ are one tag): one tag, the parameter given once. A tag is ${TAG_RULE}.` })
  @IsOptional()
  // One tag, by choice: several could mean "any of" or "all of" (docs/adr/0005); a repeated ?tag= is told so, not that a tag must be a word.
  @SingleValue('tag', 'the list filters by one tag; send tag once, and ask once per tag for the others')
  @IsString()
  @ValidateBy({ name: 'isTag', validator: { validate: (value) => typeof value === 'string' && normaliseTag(value) !== null } }, { message: `tag must be ${TAG_RULE}` })
  tag?: string;

  @ApiPropertyOptional({ format: 'uuid', example: '3b9e1f52-6c0d-4f7a-8e21-5d4c3b2a1f00', description: 'Only the complaints marked as duplicates of this one (its id: the original). GET /complaints/{id} lists them too, as duplicates.' })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, { message: 'duplicateOf must be a complaint id (a lower-case UUID, as GET /complaints lists them)' })
  duplicateOf?: string;

  @Instant({ description: 'Received at or after (ISO 8601).', example: '2026-03-01T00:00:00Z' })
  from?: string;

  @Instant({ description: 'Received before (ISO 8601).', example: '2026-04-01T00:00:00Z' })
  @AfterFrom()
  to?: string;

  @SearchText('the complaint\'s id (or the start of it), the customer id, the customer\'s name or what the customer said')
  q?: string;

  @ApiPropertyOptional({ enum: COMPLAINT_LIST_SORTS, default: '-receivedAt', description: '-receivedAt: newest first; nextDueAt: the soonest deadline still due first (overdue ones first of all), across every page, complaints with nothing due last.' })
  @IsOptional()
  @IsIn(COMPLAINT_LIST_SORTS, { message: `sort must be one of ${COMPLAINT_LIST_SORTS.join(', ')}` })
  sort?: ComplaintListSort;
}

export class BreachesQueryDto extends PagedQueryDto {
  @ApiPropertyOptional({ description: 'true: the step is still missing; false: it came late.' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  open?: boolean;

  @ApiPropertyOptional({ enum: SLA_CLOCKS })
  @IsOptional()
  @IsIn(SLA_CLOCKS)
  clock?: string;

  @DepartmentCodeFilter({ description: 'The department of the clock\'s complaint; `unassigned` (a reserved word, no unit\'s code) for complaints not yet assigned.' })
  department?: string;

  @PrincipalIdFilter({ description: 'The assignee; `unassigned` (a reserved word, no person\'s id) for complaints not yet assigned.' })
  assignee?: string;

  @Instant({ description: 'Deadline at or after (ISO 8601).' })
  from?: string;

  @Instant({ description: 'Deadline before (ISO 8601).' })
  @AfterFrom()
  to?: string;
}

export class AtRiskQueryDto extends PagedQueryDto {
  @ApiPropertyOptional({ description: `ISO 8601 duration from now, PT0S to ${MAX_AT_RISK_WINDOW} (weeks, days, hours, minutes, seconds).`, default: 'PT2H', example: 'PT2H' })
  @IsOptional()
  @ValidateBy({ name: 'isAtRiskWindow', validator: { validate: (value) => atRiskWindowMs(value) !== undefined } }, {
    message: `$property must be an ISO 8601 duration from PT0S to ${MAX_AT_RISK_WINDOW} in weeks, days, hours, minutes or seconds, such as PT2H or P7D`,
  })
  within?: string;

  @DepartmentCodeFilter({ description: 'The department of the clock\'s complaint; `unassigned` (a reserved word, no unit\'s code) for complaints not yet assigned.' })
  department?: string;

  @PrincipalIdFilter({ description: 'The assignee; `unassigned` (a reserved word, no person\'s id) for complaints not yet assigned.' })
  assignee?: string;
}

export class ComplianceQueryDto extends ExportableQueryDto {
  @ApiPropertyOptional({ enum: COMPLIANCE_DIMENSIONS, default: 'department' })
  @IsOptional()
  @IsIn(COMPLIANCE_DIMENSIONS)
  by?: (typeof COMPLIANCE_DIMENSIONS)[number];

  @ApiPropertyOptional({ enum: STATS_INTERVALS, description: 'Split the rows per period of deadline days too (each row gets its `period`), e.g. month for a department × month table. Periods start on the day, the ISO week\'s Monday, or the 1st of the month, quarter or year (UTC).' })
  @IsOptional()
  @IsIn(STATS_INTERVALS, { message: `interval must be one of ${STATS_INTERVALS.join(', ')}` })
  interval?: StatsInterval;

  @Day({ description: 'First day (YYYY-MM-DD, UTC) of deadlines counted.', example: '2026-03-01' })
  from?: string;

  @Day({ description: 'Day after the last one counted (YYYY-MM-DD).', example: '2026-04-01' })
  @AfterFrom()
  to?: string;
}

export class StatsQueryDto extends ExportableQueryDto {
  @ApiPropertyOptional({ enum: STATS_DIMENSIONS, default: 'cause' })
  @IsOptional()
  @IsIn(STATS_DIMENSIONS)
  by?: (typeof STATS_DIMENSIONS)[number];

  @ApiPropertyOptional({ enum: STATS_INTERVALS, default: 'month', description: 'Periods start on the day, the ISO week\'s Monday, or the 1st of the month, quarter or year (UTC).' })
  @IsOptional()
  @IsIn(STATS_INTERVALS)
  interval?: StatsInterval;

  @Day({ description: 'First day of receipt counted (YYYY-MM-DD, UTC).', example: '2026-01-01' })
  from?: string;

  @Day({ description: 'Day after the last one counted (YYYY-MM-DD).', example: '2026-07-01' })
  @AfterFrom()
  to?: string;
}

export class CustomersQueryDto extends PagedQueryDto {
  @ApiPropertyOptional({ enum: ['loyal', 'satisfied', 'at-risk', 'detractor'] })
  @IsOptional()
  @IsIn(['loyal', 'satisfied', 'at-risk', 'detractor'])
  tier?: string;

  @ApiPropertyOptional({ enum: ['exploration', 'formation', 'stability', 'decline'] })
  @IsOptional()
  @IsIn(['exploration', 'formation', 'stability', 'decline'])
  stage?: string;

  @ApiPropertyOptional({ enum: ['score', '-score'], default: '-score', description: 'score ascending, or -score (highest first).' })
  @IsOptional()
  @IsIn(['score', '-score'])
  sort?: 'score' | '-score';
}

/** Every type of event the audit-decisions read model records: complaints, repairs, surveys, customer files, access, tamper acknowledgements. */
const DECISION_TYPES: string[] = [
  ...COMPLAINT_EVENT_TYPES, ...WORK_ORDER_EVENT_TYPES, ...PRODUCT_EVENT_TYPES, ...SERVICE_NETWORK_EVENT_TYPES, ...SATISFACTION_SURVEY_EVENT_TYPES, ...SURVEY_CAMPAIGN_EVENT_TYPES, ...CUSTOMER_FILE_EVENT_TYPES,
  ...ACCESS_EVENT_TYPES, ...TAMPER_EVENT_TYPES,
];

export class DecisionsQueryDto extends PagedQueryDto {
  @PrincipalIdFilter({ description: 'The principal who decided.' })
  actor?: string;

  @ApiPropertyOptional({ enum: [...ROLES, 'system'] })
  @IsOptional()
  @IsIn([...ROLES, 'system'])
  role?: string;

  @ApiPropertyOptional({ enum: DECISION_TYPES })
  @IsOptional()
  @IsIn(DECISION_TYPES)
  type?: string;

  @Identifier({ optional: true, description: 'The decisions about one work order.', example: '3b9e1f52-6c0d-4f7a-8e21-5d4c3b2a1f00' })
  workOrderId?: string;

  @Instant({ description: 'Decided at or after (ISO 8601).', example: '2026-10-01T00:00:00Z' })
  from?: string;

  @Instant({ description: 'Decided before (ISO 8601).', example: '2026-11-01T00:00:00Z' })
  @AfterFrom()
  to?: string;
}

/** GET /customers/files: the customer files on record, by what the seed's analysis asks (ADR 0013). */
export class CustomerFilesQueryDto extends PagedQueryDto {
  @ApiPropertyOptional({ enum: ['active', 'merged', 'erased'], description: 'active: files on record; merged: absorbed into another; erased.' })
  @IsOptional()
  @IsIn(['active', 'merged', 'erased'])
  status?: 'active' | 'merged' | 'erased';

  @FileCode('category', { optional: true, example: 'fixed' })
  category?: string;

  @ApiPropertyOptional({ enum: IMPORTANCE_FILTERS, description: 'key: the key customers (重点客户); a, b, c: the importance level.' })
  @IsOptional()
  @IsIn(IMPORTANCE_FILTERS)
  importance?: (typeof IMPORTANCE_FILTERS)[number];

  @FileCode('consumerKind', { optional: true, example: 'vehicle' })
  'segment.consumerKind'?: string;

  @FileCode('usage', { optional: true, example: 'enterprise-vehicle' })
  'segment.usage'?: string;

  @FileCode('driverType', { optional: true, example: 'fleet' })
  'segment.driverType'?: string;

  @FileCode('locality', { optional: true, example: 'local' })
  'segment.locality'?: string;

  @FileCode('settlement', { optional: true, example: 'ic-card' })
  'segment.settlement'?: string;

  @SearchText('the customer id, the name, the address or a contact\'s phone (a phone-like search is matched on its digits: 138-0024 finds 13800241234)')
  q?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 3650, example: 30, description: 'Customers due a visit: key customers on record not visited in this many days (never visited first, then the longest ago).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3650)
  dueVisitDays?: number;
}

/** GET /customers/alerts: the consumption-drop alerts of key customers, newest first. */
export class ConsumptionAlertsQueryDto extends PagedQueryDto {
  @Identifier({ optional: true, example: 'cust-20001' })
  customerId?: string;

  @ApiPropertyOptional({ example: '2026-03', description: 'The alert\'s month, YYYY-MM.' })
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'period must be a calendar month written YYYY-MM (e.g. 2026-03)' })
  period?: string;
}
