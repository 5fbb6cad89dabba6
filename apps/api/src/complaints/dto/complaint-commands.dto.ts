import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsDefined, IsIn, IsInt, IsOptional, IsString, Matches, MaxLength, Max, Min } from 'class-validator';
import { COMPLAINT_RELATIONS, CUSTOMER_LANGUAGES, MAX_TAGS, NOTE_VISIBILITIES, TAG_RULE, type ComplaintRelation, type CustomerLanguage, type NoteVisibility } from '@app/domain';
import type {
  Behaviour, CallbackOutcome, Cause, Channel, CustomerSegment, Purpose, Remedy, ResolutionClass, Severity,
} from '@app/domain';
import { DepartmentCode, Email, Identifier, InstantAsWritten, Phone, TaxonomyCode, Text } from './fields';

export class ReceiveComplaintDto {
  @Identifier({ example: 'cust-10086', description: 'The customer file this complaint belongs to.' })
  customerId!: string;

  @Text(200, { optional: true, example: '王先生' })
  customerName?: string;

  @TaxonomyCode('customerSegment', { optional: true, example: 'private-car' })
  segment?: CustomerSegment;

  @TaxonomyCode('channel', { example: 'phone' })
  channel!: Channel;

  @TaxonomyCode('cause', { example: 'quantity-metering' })
  cause!: Cause;

  @TaxonomyCode('behaviour', { optional: true, example: 'angry-venting' })
  behaviour?: Behaviour;

  @TaxonomyCode('purpose', { optional: true, example: 'criticism' })
  purpose?: Purpose;

  @TaxonomyCode('severity', { optional: true, example: 'high' })
  severity?: Severity;

  @Text(5000, { example: '加油机显示40升，但油箱只加进了约35升。' })
  description!: string;

  @ApiPropertyOptional({
    example: false,
    description: 'true: the description is personal data (it names people, tells the customer\'s story): it is sealed with the customer\'s data key and reads as null once the customer is erased (docs/adr/0019). Left out: false, kept in plain text.',
  })
  @IsOptional()
  @IsBoolean()
  descriptionIsPersonal?: boolean;

  @Text(2000, { optional: true, example: 'Refund the difference and recalibrate the pump.' })
  desiredOutcome?: string;

  @ApiPropertyOptional({ example: '2026-03-01T09:30:00+08:00', description: 'When the problem happened (ISO 8601), kept as written: a date-time with its offset (from -12:00 to +14:00, or Z), or a day.' })
  @IsOptional()
  @InstantAsWritten()
  occurredAt?: string;

  @ApiPropertyOptional({ example: false, description: 'A repair that needs an on-site visit (starts the on-site clock).' })
  @IsOptional()
  @IsBoolean()
  onSiteRequired?: boolean;

  @Phone({ description: 'The customer\'s phone (personal data).' })
  phone?: string;

  @Email({ description: 'The customer\'s e-mail address (personal data).' })
  email?: string;

  @Text(500, { blankCode: 'blank-text', optional: true, example: '北京市朝阳区建国路 99 号', description: 'Where to reach the customer (personal data).' })
  address?: string;

  @TaxonomyCode('channel', { optional: true, example: 'phone' })
  preferredChannel?: Channel;

  @Text(100, { blankCode: 'blank-text', optional: true, example: '工作日 18:00 以后', description: 'When the customer prefers to be called (personal data).' })
  preferredTime?: string;

  @ApiPropertyOptional({ enum: CUSTOMER_LANGUAGES, example: 'zh-CN', description: 'The language the customer is written to in (acknowledgement, status, survey notifications); zh-CN when left out.' })
  @IsOptional()
  @IsIn(CUSTOMER_LANGUAGES, { message: `$property must be one of: ${CUSTOMER_LANGUAGES.join(', ')}` })
  language?: CustomerLanguage;
}


export class AddComplaintNoteDto {
  @ApiProperty({ enum: NOTE_VISIBILITIES, example: 'customer', description: '`internal`: a note for staff; `customer`: a reply sent to the customer (an interim follow-up, 适时回访), which counts as the first reply while that clock runs.' })
  @IsIn(NOTE_VISIBILITIES, { message: `$property must be one of: ${NOTE_VISIBILITIES.join(', ')}` })
  visibility!: NoteVisibility;

  @Text(5000, { blankCode: 'blank-text', example: '您好，我们正在核实计量记录，明天上午给您答复。' })
  text!: string;

  @TaxonomyCode('channel', { optional: true, example: 'phone' })
  channel?: Channel;

  @ApiPropertyOptional({
    example: false,
    description: 'true: the text is personal data: it is sealed with the customer\'s data key and reads as null once the customer is erased (docs/adr/0019). Left out: false, kept in plain text.',
  })
  @IsOptional()
  @IsBoolean()
  personal?: boolean;
}

/** A field left out stays as it is, null clears it; at least one field. */
export class UpdateComplaintContactDto {
  @Phone({ nullable: true, description: 'The customer\'s phone (personal data); null clears it.' })
  phone?: string | null;

  @Email({ nullable: true, description: 'The customer\'s e-mail address (personal data); null clears it.' })
  email?: string | null;

  @Text(500, { blankCode: 'blank-text', optional: true, nullable: true, example: '北京市朝阳区建国路 99 号', description: 'null clears it.' })
  address?: string | null;

  @TaxonomyCode('channel', { optional: true, nullable: true, example: 'phone', description: 'A channel code (see GET /taxonomy); null clears it.' })
  preferredChannel?: Channel | null;

  @Text(100, { blankCode: 'blank-text', optional: true, nullable: true, example: '工作日 18:00 以后', description: 'null clears it.' })
  preferredTime?: string | null;

  @ApiPropertyOptional({ enum: CUSTOMER_LANGUAGES, nullable: true, example: 'en', description: 'The language the customer is written to in; null clears it (zh-CN then).' })
  @IsOptional()
  @IsIn(CUSTOMER_LANGUAGES, { message: `$property must be one of: ${CUSTOMER_LANGUAGES.join(', ')} (or null to clear it)` })
  language?: CustomerLanguage | null;

  @Text(2000, { blankCode: 'blank-text', example: 'The customer gave a new mobile number on the phone.', description: 'Why the details change; it must not quote them.' })
  reason!: string;
}

export class CorrectComplaintDto {
  @TaxonomyCode('cause', { optional: true, example: 'quantity-metering' })
  cause?: Cause;

  @TaxonomyCode('behaviour', { optional: true, example: 'angry-venting', nullable: true, description: 'A behaviour code (see GET /taxonomy); null: no longer known.' })
  behaviour?: Behaviour | null;

  @TaxonomyCode('purpose', { optional: true, example: 'accusation', nullable: true, description: 'A purpose code (see GET /taxonomy); null: no longer known.' })
  purpose?: Purpose | null;

  @TaxonomyCode('severity', { optional: true, example: 'high' })
  severity?: Severity;

  @TaxonomyCode('channel', { optional: true, example: 'phone' })
  channel?: Channel;

  @Text(2000, { example: 'The meter log shows a metering problem, not product quality.' })
  reason!: string;
}

export class ValidateComplaintDto {
  @Text(2000, { example: 'Pump 3 meter log shows a 5 L shortfall.' })
  reason!: string;

  @Text(2000, { optional: true, example: 'meter-log-2026-03-01.pdf' })
  evidence?: string;
}

export class RejectComplaintDto {
  @Text(2000, { example: 'Pump 3 was calibrated the same morning; the receipt shows 35 L.' })
  reason!: string;
}

export class AssignComplaintDto {
  @DepartmentCode({ example: 'station-ops', description: 'The responsible department (责任部门): a code of letters, digits, . _ or -.' })
  department!: string;

  @Identifier({ example: 'zhang.wei', description: 'The handler in that department.' })
  assignee!: string;

  @Text(2000, { optional: true, example: 'Metering complaints go to station operations.' })
  reason?: string;
}

export class ApologiseForComplaintDto {
  @Text(2000, { example: '非常抱歉给您带来不便，我们会尽快核实处理。' })
  statement!: string;

  @TaxonomyCode('channel', { example: 'phone' })
  channel!: Channel;
}

export class EscalateComplaintDto {
  @Text(100, { example: '质量管理部', description: 'Who takes the complaint over: a unit of the directory by its code or its name in Chinese or English, or an agent (checked once the directory has units; any name before).' })
  to!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 10, example: 1, description: 'Defaults to one above the current level.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  level?: number;

  @Text(2000, { example: 'Compensation above the station limit.' })
  reason!: string;
}

export class ResolveComplaintDto {
  @TaxonomyCode('resolutionClass', { example: 'immediate' })
  resolutionClass!: ResolutionClass;

  @TaxonomyCode('remedy', { example: 'refund' })
  remedy!: Remedy;

  @Text(2000, { optional: true, example: 'Pump 3 meter drifted after maintenance.' })
  rootCause?: string;

  @Text(2000, { optional: true, example: 'Recalibrate after every maintenance.' })
  correctiveAction?: string;

  @ApiProperty({ example: true, description: 'Whether the customer accepted the solution; a refusal must be escalated before closing.' })
  @IsDefined()
  @IsBoolean()
  customerAccepted!: boolean;
}

export class RecordCallbackDto {
  @TaxonomyCode('callbackOutcome', { example: 'satisfied' })
  outcome!: CallbackOutcome;

  @ApiProperty({ minimum: 1, maximum: 5, example: 5, description: '1–5; 2 or less keeps the complaint open.' })
  @IsInt()
  @Min(1)
  @Max(5)
  satisfaction!: number;

  @Text(2000, { optional: true, example: 'Customer thanked the station manager.' })
  remarks?: string;
}

export class ReopenComplaintDto {
  @Text(2000, { example: 'The customer says the refund never arrived.' })
  reason!: string;
}

export class RecordOnSiteVisitDto {
  @Text(2000, { optional: true, example: 'Replaced the flow meter of pump 3.' })
  notes?: string;
}

export class CommandAcceptedDto {
  @ApiProperty({ example: '0c8f3f0e-5a7d-5b1e-9c4e-2f1a3b4c5d6e' })
  id!: string;

  @ApiProperty({ example: 0, description: 'Revision of what the command changed (the complaint, the work order …) after it; send it back as If-Match.' })
  revision!: number;

  @ApiProperty({ example: 42, description: 'Position in the global log of the last event the command wrote, on whichever stream (a receipt that opens the customer\'s file answers the file\'s event, after the complaint\'s); read models that reached it include the whole change.' })
  position!: number;
}

/** Tags as sent: strings of at most 100 characters, at most MAX_TAGS of them; the domain folds each and names the one it refuses. */
function TagList(description: string, example: string[]) {
  return applyDecorators(
    IsOptional(), ApiPropertyOptional({ type: [String], maxItems: MAX_TAGS, example, description }), IsArray(), ArrayMaxSize(MAX_TAGS, { message: `$property takes at most ${MAX_TAGS} tags` }),
    IsString({ each: true, message: 'each of $property must be text' }), MaxLength(100, { each: true, message: 'each of $property must be at most 100 characters' }),
  );
}

export class TagComplaintDto {
  @TagList(`Tags to add: each ${TAG_RULE}; folded to one form (full-width to plain, lower case), so VIP and ｖｉｐ are one tag.`, ['metering', '油品'])
  add?: string[];

  @TagList('Tags to remove (any form of them).', ['vip'])
  remove?: string[];

  @Text(2000, { blankCode: 'blank-text', optional: true, example: 'Confirmed a metering case with the station.', description: 'Why (optional: a tag is for finding the complaint again).' })
  reason?: string;
}

export class RelateComplaintDto {
  @ApiProperty({ format: 'uuid', example: '3b9e1f52-6c0d-4f7a-8e21-5d4c3b2a1f00', description: 'The other complaint (one you may see).' })
  @IsString()
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, { message: '$property must be a complaint id (a lower-case UUID, as GET /complaints lists them)' })
  complaintId!: string;

  @ApiProperty({ enum: COMPLAINT_RELATIONS, example: 'duplicate-of', description: 'duplicate-of: this complaint repeats the other one (the original; one per complaint); related: they concern the same matter.' })
  @IsIn(COMPLAINT_RELATIONS, { message: `$property must be one of: ${COMPLAINT_RELATIONS.join(', ')}` })
  relation!: ComplaintRelation;

  @Text(2000, { blankCode: 'blank-text', example: 'The same driver called twice about the same fill-up.' })
  reason!: string;
}

export class UnrelateComplaintDto {
  @ApiProperty({ format: 'uuid', example: '3b9e1f52-6c0d-4f7a-8e21-5d4c3b2a1f00', description: 'The complaint whose link to remove (as the complaint\'s related list names it).' })
  @IsString()
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, { message: '$property must be a complaint id (a lower-case UUID, as the complaint\'s related list names it)' })
  complaintId!: string;

  @Text(2000, { blankCode: 'blank-text', example: 'Another fill-up after all: not the same case.' })
  reason!: string;
}
