import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches, ValidateBy } from 'class-validator';
import { STATS_INTERVALS, type StatsInterval } from '@app/read-models';
import { WORK_ORDER_STATUSES } from '@app/domain';
import { AfterFrom, Day, Identifier, Instant, TaxonomyCode, PrincipalIdFilter, StationCodeFilter } from '../complaints/dto/fields';
import { ExportableQueryDto, MAX_AT_RISK_WINDOW, PagedQueryDto, atRiskWindowMs } from '../read-models/query.dto';

const OPEN_STATUSES = WORK_ORDER_STATUSES.slice(0, 6);

/** A serial number as a customer types it: compared in its canonical form (trimmed, upper case). */
const SERIAL_NUMBER = /^\s*[A-Za-z0-9][A-Za-z0-9._/-]{0,63}\s*$/;

export class ListWorkOrdersQueryDto extends PagedQueryDto {
  @ApiPropertyOptional({ enum: WORK_ORDER_STATUSES })
  @IsOptional()
  @IsIn(WORK_ORDER_STATUSES, { message: `status must be one of ${WORK_ORDER_STATUSES.join(', ')}` })
  status?: string;

  @TaxonomyCode('severity', { optional: true })
  priority?: string;

  @StationCodeFilter({ description: 'The service station (or branch) code the order is dispatched to; `unassigned` (a reserved word, no unit\'s code) for the orders not yet dispatched, among those the token may see.' })
  station?: string;

  @PrincipalIdFilter({ description: 'The engineer it is dispatched to; `unassigned` (a reserved word, no person\'s id) for the orders not yet dispatched.', example: 'eng-wang' })
  engineer?: string;

  @Identifier({ optional: true, example: 'cust-10086' })
  customerId?: string;

  @ApiPropertyOptional({ description: 'The product\'s serial number, in any case.', example: 'TQ2240-000731' })
  @IsOptional()
  @Matches(SERIAL_NUMBER, { message: 'serialNumber must be 1–64 ASCII letters, digits, . _ / or -, starting with a letter or digit (look-alike letters, such as full-width ones, are not ASCII)' })
  serialNumber?: string;

  @Instant({ description: 'Reported at or after (ISO 8601).', example: '2026-03-01T00:00:00Z' })
  from?: string;

  @Instant({ description: 'Reported before (ISO 8601).', example: '2026-04-01T00:00:00Z' })
  @AfterFrom()
  to?: string;
}

export class BoardQueryDto extends PagedQueryDto {
  @ApiPropertyOptional({ enum: OPEN_STATUSES })
  @IsOptional()
  @IsIn(OPEN_STATUSES, { message: `status must be one of the open statuses: ${OPEN_STATUSES.join(', ')}` })
  status?: string;

  @TaxonomyCode('severity', { optional: true })
  priority?: string;

  @StationCodeFilter({ description: 'One station (or branch) code; `unassigned` (a reserved word, no unit\'s code) for the orders not yet dispatched, among those the token may see.' })
  station?: string;

  @PrincipalIdFilter({ description: 'One engineer; `unassigned` (a reserved word, no person\'s id) for the orders not yet dispatched.', example: 'eng-wang' })
  engineer?: string;

  @ApiPropertyOptional({ enum: ['overdue', 'at-risk'], description: 'overdue: the next deadline has passed; at-risk: it falls within `within` from now.' })
  @IsOptional()
  @IsIn(['overdue', 'at-risk'], { message: 'due must be overdue or at-risk' })
  due?: 'overdue' | 'at-risk';

  @ApiPropertyOptional({ description: `How soon counts as at risk: an ISO 8601 duration from PT0S to ${MAX_AT_RISK_WINDOW}.`, default: 'PT2H', example: 'PT2H' })
  @IsOptional()
  @ValidateBy({ name: 'isAtRiskWindow', validator: { validate: (value) => atRiskWindowMs(value) !== undefined } }, {
    message: `$property must be an ISO 8601 duration from PT0S to ${MAX_AT_RISK_WINDOW} in weeks, days, hours, minutes or seconds, such as PT2H or P1D`,
  })
  within?: string;
}

/** The period of a repair statistics table. */
class RepairTableQueryDto extends ExportableQueryDto {
  @ApiPropertyOptional({ enum: STATS_INTERVALS, default: 'month', description: 'Periods start on the day, the ISO week\'s Monday, or the 1st of the month, quarter or year (UTC).' })
  @IsOptional()
  @IsIn(STATS_INTERVALS)
  interval?: StatsInterval;

  @StationCodeFilter({ description: 'One station (or branch) code; `unassigned` (a reserved word, no unit\'s code) for the row of orders not yet dispatched.' })
  station?: string;
}

export class EngineerStatsQueryDto extends RepairTableQueryDto {
  @PrincipalIdFilter({ description: 'One engineer.', example: 'eng-wang' })
  engineer?: string;

  @Day({ description: 'First day of report counted (YYYY-MM-DD, UTC).', example: '2026-01-01' })
  from?: string;

  @Day({ description: 'Day after the last one counted (YYYY-MM-DD).', example: '2026-07-01' })
  @AfterFrom()
  to?: string;
}

export class StationStatsQueryDto extends RepairTableQueryDto {
  @Day({ description: 'First day of report counted (YYYY-MM-DD, UTC).', example: '2026-01-01' })
  from?: string;

  @Day({ description: 'Day after the last one counted (YYYY-MM-DD).', example: '2026-07-01' })
  @AfterFrom()
  to?: string;
}

export class RepairFeesQueryDto extends RepairTableQueryDto {
  @Day({ description: 'First day counted (YYYY-MM-DD, UTC): of the hand-over, the fee or the confirmation.', example: '2026-01-01' })
  from?: string;

  @Day({ description: 'Day after the last one counted (YYYY-MM-DD).', example: '2026-07-01' })
  @AfterFrom()
  to?: string;
}
