import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, Max, Min, IsNumber } from 'class-validator';
import { NOTIFICATION_OPT_OUT_CHANNELS, type Channel, type NotificationOptOutChannel } from '@app/domain';
import { Day, Email, Identifier, Phone, TaxonomyCode } from '../../complaints/dto/fields';
import { ClearableDay, ClearableText, Count, FileCode, FileText, Flag, Moment, Nested, NestedList, VolumeDto } from './customer-fields';

const REASON = { example: 'Confirmed with the fleet manager by phone.', description: 'Why the file changes: recorded in the event and the audit trail. Staff words, never the customer\'s personal details.' };

export class ContactDto {
  @FileText(200, { example: '王立', description: 'Personal data.' })
  name!: string;

  @ClearableText(100, { example: '车队长' })
  role?: string | null;

  @Phone({ nullable: true, description: 'A contact needs a phone or an e-mail.' })
  phone?: string | null;

  @Email({ nullable: true })
  email?: string | null;
}

export class SegmentsDto {
  @FileCode('consumerKind', { optional: true, example: 'vehicle' })
  consumerKind?: string | null;

  @FileCode('usage', { optional: true, example: 'enterprise-vehicle' })
  usage?: string | null;

  @FileCode('driverType', { optional: true, example: 'fleet' })
  driverType?: string | null;

  @FileCode('locality', { optional: true, example: 'local' })
  locality?: string | null;

  @FileCode('settlement', { optional: true, example: 'ic-card' })
  settlement?: string | null;
}

export class OpenCustomerFileDto {
  @Identifier({ optional: true, example: 'cust-20001', description: 'The id complaints will use for this customer; left out, the file gets one (returned as id).' })
  customerId?: string;

  @ApiProperty({ enum: ['fixed', 'potential'], example: 'fixed', description: 'fixed (固定客户) or potential (供油半径内的潜在客户); a floating customer\'s file is opened by its first complaint.' })
  @IsIn(['fixed', 'potential'], { message: '$property must be fixed or potential' })
  category!: 'fixed' | 'potential';

  @FileText(2000, REASON)
  reason!: string;

  @FileText(200, { example: '顺达物流有限公司', description: 'Personal data.' })
  name!: string;

  @FileCode('customerType', { optional: true, example: 'organisation' })
  customerType?: string | null;

  @ClearableText(500, { example: '北京市朝阳区建国路 88 号', description: 'Personal data.' })
  address?: string | null;

  @FileCode('creditRating', { optional: true, example: 'a' })
  creditRating?: string | null;

  @NestedList(() => ContactDto, { max: 20, optional: true })
  contacts?: ContactDto[];

  @Nested(() => SegmentsDto, { optional: true, description: 'The segment dimensions; the fixed / floating one is the category.' })
  segments?: SegmentsDto;
}

export class ReclassifyCustomerDto {
  @ApiProperty({ enum: ['fixed', 'floating'], example: 'fixed' })
  @IsIn(['fixed', 'floating'], { message: '$property must be fixed or floating (nobody becomes potential again)' })
  category!: 'fixed' | 'floating';

  @FileText(2000, REASON)
  reason!: string;
}

export class SetNotificationOptOutDto {
  @ApiProperty({ enum: ['all', ...NOTIFICATION_OPT_OUT_CHANNELS], example: 'all', description: 'The channel: email, sms (text messages), or all of them.' })
  @IsIn(['all', ...NOTIFICATION_OPT_OUT_CHANNELS], { message: `$property must be all or one of ${NOTIFICATION_OPT_OUT_CHANNELS.join(', ')}` })
  channel!: 'all' | NotificationOptOutChannel;

  @ApiProperty({ example: true, description: 'true: the customer wants no notification by the channel; false: they want them again.' })
  @IsBoolean({ message: '$property must be true (opt out) or false (opt back in)' })
  optedOut!: boolean;

  @FileText(2000, REASON)
  reason!: string;
}

export class UpdateCustomerBasicsDto {
  @FileText(2000, REASON)
  reason!: string;

  @ClearableText(200, { example: '顺达物流集团有限公司' })
  name?: string | null;

  @ClearableText(500, { example: '北京市海淀区中关村大街 1 号' })
  address?: string | null;

  @FileCode('customerType', { optional: true })
  customerType?: string | null;

  @FileCode('creditRating', { optional: true, example: 'b' })
  creditRating?: string | null;
}

export class UpdateCustomerConsumptionProfileDto {
  @FileText(2000, REASON)
  reason!: string;

  @Nested(() => VolumeDto, { optional: true, description: '月消费量' })
  monthlyVolume?: VolumeDto | null;

  @Count({ min: 1, max: 3650, optional: true, example: 7, description: '加油周期, in days.' })
  refuellingCycleDays?: number | null;

  @ClearableText(2000, { example: '每周一早上集中加油' })
  habits?: string | null;

  @ClearableText(2000, { example: '只加国六标准 0 号柴油' })
  qualityRequirements?: string | null;

  @ClearableText(2000, { example: '每车单独打印小票' })
  meteringRequirements?: string | null;

  @ClearableText(2000, { example: '需要开具增值税专用发票' })
  otherNeeds?: string | null;
}

export class UpdateCustomerContractDto {
  @FileText(2000, REASON)
  reason!: string;

  @Flag({ optional: true, example: true })
  signed?: boolean | null;

  @ClearableDay({ description: 'The day it was signed (YYYY-MM-DD).', example: '2026-01-05' })
  signedOn?: string | null;

  @ClearableDay({ description: 'First day of the term; at most twenty years ahead.', example: '2026-01-01' })
  validFrom?: string | null;

  @ClearableDay({ description: 'Last day of the term; at most twenty years ahead.', example: '2026-12-31' })
  validUntil?: string | null;

  @ClearableText(2000, { example: 'Renewed yearly unless cancelled 30 days before the end.' })
  renewalConditions?: string | null;

  @Day({ description: '合同变更: the day the contract itself changed; leave out when only the file is corrected.', example: '2026-02-01' })
  amendedOn?: string;
}

export class UpdateCustomerFacilitiesDto {
  @FileText(2000, REASON)
  reason!: string;

  @Count({ min: 0, max: 10000, optional: true, example: 2 })
  storageTanks?: number | null;

  @Nested(() => VolumeDto, { optional: true })
  storageCapacity?: VolumeDto | null;

  @Count({ min: 0, max: 100000, optional: true, example: 1 })
  tankerVehicles?: number | null;

  @ClearableText(2000, { example: '两个 20 吨地下储油罐' })
  description?: string | null;
}

export class OtherChannelDto {
  @FileText(200, { example: '中石化朝阳站', description: 'The other seller (a business, not a person).' })
  supplier!: string;

  @ClearableText(200, { example: '0 号柴油' })
  products?: string | null;

  @ApiPropertyOptional({ type: Number, minimum: 0, maximum: 1, example: 0.3, nullable: true, description: 'Share of the customer\'s purchases bought there.' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  share?: number | null;
}

export class UpdateCustomerOtherChannelsDto {
  @FileText(2000, REASON)
  reason!: string;

  @NestedList(() => OtherChannelDto, { max: 20, description: 'Every other seller, the whole list (an empty list when there are none).' })
  channels!: OtherChannelDto[];
}

export class UpdateCustomerImportanceDto {
  @FileText(2000, REASON)
  reason!: string;

  @Flag({ optional: true, example: true, description: 'A key customer (重点客户): visits are due, and a consumption drop raises an alert.' })
  key?: boolean;

  @FileCode('importanceLevel', { optional: true, example: 'a' })
  level?: string | null;
}

export class UpdateCustomerSegmentsDto extends SegmentsDto {
  @FileText(2000, REASON)
  reason!: string;
}

export class AddCustomerContactDto extends ContactDto {
  @FileText(2000, REASON)
  reason!: string;
}

const CONTACT_ID = { example: 'contact-1', description: 'The id the file gave the contact (GET /customers/{id}/file).' };
const ContactId = () => (target: object, key: string) => {
  ApiProperty(CONTACT_ID)(target, key);
  IsString()(target, key);
  Matches(/^contact-\d{1,6}$/, { message: '$property must be a contact id such as contact-1' })(target, key);
};

export class ChangeCustomerContactDto {
  @ContactId()
  contactId!: string;

  @FileText(2000, REASON)
  reason!: string;

  @FileText(200, { optional: true, example: '王立' })
  name?: string;

  @ClearableText(100, { example: '运营经理' })
  role?: string | null;

  @Phone({ nullable: true, example: '139 0013 9000', description: 'null clears it.' })
  phone?: string | null;

  @Email({ nullable: true, description: 'An e-mail address; null clears it.' })
  email?: string | null;
}

export class RemoveCustomerContactDto {
  @ContactId()
  contactId!: string;

  @FileText(2000, REASON)
  reason!: string;
}

export class RecordCustomerEvaluationDto {
  @Count({ min: 1, max: 5, example: 4, description: 'The customer\'s own rating of the station (客户对加油站的评价): 1 very poor – 5 very good.' })
  rating!: number;

  @FileText(2000, { optional: true, example: '服务态度好，但高峰期排队时间长。', description: 'What the customer said (personal data).' })
  comment?: string;
}

export class LogCustomerVisitDto {
  @Moment({ example: '2026-03-02T10:00:00+08:00', description: 'When the visit or call took place: a day or a date-time with its offset, from 1900 on and not after now.' })
  visitedAt!: string;

  @TaxonomyCode('channel', { example: 'in-person' })
  channel!: Channel;

  @FileText(100, { optional: true, example: 'zhang.wei', description: 'Who visited or called; the caller when left out.' })
  staff?: string;

  @ApiPropertyOptional(CONTACT_ID)
  @IsOptional()
  @IsString()
  @Matches(/^contact-\d{1,6}$/, { message: '$property must be a contact id such as contact-1' })
  contactId?: string;

  @FileText(2000, { example: '了解下季度用油计划，客户希望增加夜间加油服务。', description: 'What was said (personal data).' })
  summary!: string;

  @FileText(2000, { optional: true, example: '报送夜间服务方案' })
  nextStep?: string;

  @Day({ description: 'When the next step is due (YYYY-MM-DD); at most a year ahead.', example: '2026-03-16' })
  nextStepDue?: string;
}

export class RecordCustomerConsumptionDto {
  @ApiProperty({ example: '2026-02', description: 'The calendar month, YYYY-MM, once it has begun.' })
  @IsString()
  @Matches(/^\d{4}-\d{2}$/, { message: '$property must be a calendar month written YYYY-MM (e.g. 2026-03)' })
  period!: string;

  @Nested(() => VolumeDto, { description: 'The month\'s volume, in the unit of the file\'s first figure.' })
  volume!: VolumeDto;

  @FileText(2000, { optional: true, example: 'The station\'s monthly statement was corrected.', description: 'Required when the month already has a figure (a correction).' })
  reason?: string;
}

export class MergeCustomerFileDto {
  @Identifier({ example: 'cust-20001', description: 'The file that stays; this one is closed and points to it.' })
  survivorId!: string;

  @FileText(2000, { example: 'Same company: opened at intake under the driver\'s phone number.', description: 'Why the two files are the same customer.' })
  reason!: string;
}

export class EraseCustomerPersonalDataDto {
  @FileCode('erasureGround', { example: 'consent-withdrawn', description: 'The legal ground (PIPL art. 47, GDPR art. 17).' })
  ground!: string;

  @FileText(2000, { example: 'Written request received at the Pudong station.' })
  reason!: string;

  @FileText(100, { optional: true, example: 'PIPL-2026-007', description: 'The request\'s reference (a ticket, a letter).' })
  requestReference?: string;
}
