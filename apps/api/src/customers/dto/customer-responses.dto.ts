import { ApiProperty } from '@nestjs/swagger';
import { CUSTOMER_FILE_EVENT_TYPES, CUSTOMER_FILE_TAXONOMY, TAXONOMY, WORK_ORDER_STATUSES, customerFileCodes, type CustomerFileTaxonomyName } from '@app/domain';
import { IMPORTANCE_ROWS, LOYALTY_COLUMNS } from '@app/read-models';
import { COMPLAINT_STATUSES, EventMetadataDto } from '../../complaints/dto/complaint-views.dto';
import { ActorDto, LabelsDto } from '../../openapi/common.dto';
import { CustomerComplaintsDto, LoyaltyCountersDto, LoyaltyFactorDto } from '../../read-models/read-model-views.dto';

/*
 * What the customer routes answer, for the OpenAPI document: the domain's folded file
 * (GET /customers/{id}/file), its events, the customer-files read model (the lists), the
 * importance × loyalty table and the customer view. Every object names all of its fields (the
 * contract test closes them), nullable ones as such.
 */

const AT = '2026-03-02T08:00:00.000Z';
const CUSTOMER_ID = 'cust-20001';
const NEXT_CURSOR = { type: String, nullable: true, example: null, description: 'Pass it back as cursor for the next page (same filters); null on the last page.' } as const;

/** A code of one of the file's tables (GET /taxonomy/customer-files). */
const code = (name: CustomerFileTaxonomyName, example: string | null, extra: { description?: string } = {}) =>
  ApiProperty({ type: String, enum: customerFileCodes(name), example, ...extra });
/** The same, or null. */
const optionalCode = (name: CustomerFileTaxonomyName, example: string | null, extra: { description?: string } = {}) =>
  ApiProperty({ type: String, enum: customerFileCodes(name), nullable: true, example, ...extra });
const text = (example: string | null, description?: string) => ApiProperty({ type: String, nullable: true, example, ...(description ? { description } : {}) });
const day = (example: string | null, description?: string) => ApiProperty({ type: String, format: 'date', nullable: true, example, ...(description ? { description } : {}) });
const count = (example: number | null, description?: string) => ApiProperty({ type: 'integer', minimum: 0, nullable: true, example, ...(description ? { description } : {}) });
const MONTH = { type: String, pattern: '^\\d{4}-\\d{2}$' } as const;

export class VolumeViewDto {
  @ApiProperty({ type: Number, minimum: 0, example: 12000 }) amount!: number;
  @code('volumeUnit', 'litre') unit!: string;
}

export class FileSegmentsDto {
  @optionalCode('consumerKind', 'vehicle') consumerKind!: string | null;
  @optionalCode('usage', null) usage!: string | null;
  @optionalCode('driverType', 'fleet') driverType!: string | null;
  @optionalCode('locality', 'local') locality!: string | null;
  @optionalCode('settlement', null) settlement!: string | null;
}

export class FileImportanceDto {
  @ApiProperty({ example: true, description: 'A key customer (重点客户): visits are due, and a consumption drop raises an alert.' }) key!: boolean;
  @optionalCode('importanceLevel', 'a') level!: string | null;
}

export class FileBasicsDto {
  @text('顺达物流有限公司', 'Personal data (null once unreadable).') name!: string | null;
  @text('北京市朝阳区建国路 88 号', 'Personal data.') address!: string | null;
  @optionalCode('customerType', 'organisation') customerType!: string | null;
  @optionalCode('creditRating', 'a') creditRating!: string | null;
}

export class FileContactDto {
  @ApiProperty({ example: 'contact-1', description: 'Given by the file, never reused after a removal.' }) id!: string;
  @text('王立') name!: string | null;
  @text('车队长') role!: string | null;
  @text('13800138000', 'As dialled, without separators.') phone!: string | null;
  @text(null) email!: string | null;
}

export class FileConsumptionDto {
  @ApiProperty({ type: () => VolumeViewDto, nullable: true, description: '月消费量.' }) monthlyVolume!: VolumeViewDto | null;
  @count(7, '加油周期, in days.') refuellingCycleDays!: number | null;
  @text('每周一早上集中加油') habits!: string | null;
  @text(null) qualityRequirements!: string | null;
  @text('每车单独打印小票') meteringRequirements!: string | null;
  @text(null) otherNeeds!: string | null;
}

export class ContractAmendmentDto {
  @ApiProperty({ format: 'date', example: '2026-02-01' }) amendedOn!: string;
  @ApiProperty({ type: [String], example: ['validUntil'], description: 'The contract fields the amendment changed.' }) changed!: string[];
  @ApiProperty({ example: 'Term extended by a year.' }) reason!: string;
}

export class FileContractDto {
  @ApiProperty({ type: Boolean, nullable: true, example: true }) signed!: boolean | null;
  @day('2026-01-05') signedOn!: string | null;
  @day('2026-01-01') validFrom!: string | null;
  @day('2026-12-31') validUntil!: string | null;
  @text(null) renewalConditions!: string | null;
  @ApiProperty({ type: () => [ContractAmendmentDto], description: '合同变更: changes of the contract itself, oldest first.' }) amendments!: ContractAmendmentDto[];
}

export class FileFacilitiesDto {
  @count(2) storageTanks!: number | null;
  @ApiProperty({ type: () => VolumeViewDto, nullable: true }) storageCapacity!: VolumeViewDto | null;
  @count(1) tankerVehicles!: number | null;
  @text(null, 'Personal data.') description!: string | null;
}

export class OtherChannelViewDto {
  @ApiProperty({ example: '中石化朝阳站' }) supplier!: string;
  @text('0 号柴油') products!: string | null;
  @ApiProperty({ type: Number, minimum: 0, maximum: 1, nullable: true, example: 0.3, description: 'Share of the customer\'s purchases bought there.' }) share!: number | null;
}

export class FileOtherChannelsDto {
  @ApiProperty({ type: () => [OtherChannelViewDto] }) channels!: OtherChannelViewDto[];
}

export class FileEvaluationDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5, example: 4 }) rating!: number;
  @text('服务态度好，但高峰期排队时间长。', 'Personal data.') comment!: string | null;
  @ApiProperty({ format: 'date-time', example: AT }) recordedAt!: string;
}

export class FileVisitDto {
  @ApiProperty({ example: 'visit-1' }) id!: string;
  @ApiProperty({ format: 'date-time', example: '2026-03-02T02:00:00.000Z' }) visitedAt!: string;
  @ApiProperty({ enum: Object.keys(TAXONOMY.channel), example: 'in-person' }) channel!: string;
  @ApiProperty({ example: 'zhang.wei', description: 'Who visited or called.' }) staff!: string;
  @text('contact-1') contactId!: string | null;
  @text('了解下季度用油计划', 'Personal data.') summary!: string | null;
  @text('报送夜间服务方案', 'Personal data.') nextStep!: string | null;
  @day('2026-03-16') nextStepDue!: string | null;
  @ApiProperty({ format: 'date-time', example: '2026-03-02T03:00:00.000Z' }) loggedAt!: string;
  @ApiProperty({ type: () => ActorDto }) loggedBy!: ActorDto;
}

export class ConsumptionFigureDto {
  @ApiProperty({ ...MONTH, example: '2026-02' }) period!: string;
  @ApiProperty({ type: () => VolumeViewDto }) volume!: VolumeViewDto;
}

/** The consumption alert policy an alert was raised under (seed 003), recorded whole with it. */
export class ConsumptionAlertPolicyDto {
  @ApiProperty({ example: 'seed-default-v1' }) version!: string;
  @ApiProperty({ type: Number, minimum: 0, maximum: 1, example: 0.3, description: 'A month lower than the recent average by more than this share is a drop.' }) dropShare!: number;
  @ApiProperty({ type: Number, minimum: 1, maximum: 24, example: 3, description: 'How many months before the month make the recent average.' }) windowMonths!: number;
  @ApiProperty({ type: Number, minimum: 1, example: 2, description: 'At least this many of them must have a figure.' }) minimumMonths!: number;
}

export class OpenConsumptionAlertDto {
  @ApiProperty({ ...MONTH, example: '2026-03' }) period!: string;
  @ApiProperty({ type: () => ConsumptionAlertPolicyDto, description: 'The policy it was raised under: a correction is judged by it.' }) policy!: ConsumptionAlertPolicyDto;
}

/** A file on record: every section, the contacts, visits, figures and what was merged into it. */
export class ActiveCustomerFileDto {
  @ApiProperty({ enum: ['active'], example: 'active' }) status!: 'active';
  @ApiProperty({ example: CUSTOMER_ID }) id!: string;
  @ApiProperty({ type: 'integer', minimum: 0, example: 3, description: 'The ETag: send it as If-Match with a command.' }) revision!: number;
  @code('category', 'fixed') category!: string;
  @ApiProperty({ format: 'date-time', example: AT }) openedAt!: string;
  @ApiProperty({ type: () => ActorDto }) openedBy!: ActorDto;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, example: null, description: 'The complaint whose intake opened the file.' }) openedForComplaint!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, example: null, description: 'The work order whose report (报修) opened the file.' }) openedForWorkOrder!: string | null;
  @ApiProperty({ type: () => FileBasicsDto, description: '客户基本情况.' }) basics!: FileBasicsDto;
  @ApiProperty({ type: () => [FileContactDto] }) contacts!: FileContactDto[];
  @ApiProperty({ type: 'integer', minimum: 0, example: 1, description: 'How many contacts were ever added (the number of the next contact id).' }) contactsAdded!: number;
  @ApiProperty({ type: () => FileConsumptionDto, description: '油品消费情况.' }) consumption!: FileConsumptionDto;
  @ApiProperty({ type: () => FileContractDto, description: '供油合同情况.' }) contract!: FileContractDto;
  @ApiProperty({ type: () => FileFacilitiesDto, description: '储运设施情况.' }) facilities!: FileFacilitiesDto;
  @ApiProperty({ type: () => FileOtherChannelsDto, description: '其他渠道进货情况.' }) otherChannels!: FileOtherChannelsDto;
  @ApiProperty({ type: () => FileImportanceDto, description: '客户的重要程度.' }) importance!: FileImportanceDto;
  @ApiProperty({ type: () => FileSegmentsDto, description: 'The segment dimensions but fixed / floating, which is the category.' }) segments!: FileSegmentsDto;
  @ApiProperty({ type: () => FileEvaluationDto, nullable: true, description: 'The latest evaluation the customer gave of the station.' }) evaluation!: FileEvaluationDto | null;
  @ApiProperty({ type: () => [FileVisitDto], description: 'Visits and conversations, in the order they were logged.' }) visits!: FileVisitDto[];
  @ApiProperty({ type: () => [ConsumptionFigureDto], description: 'Monthly figures, one per month, in month order.' }) figures!: ConsumptionFigureDto[];
  @ApiProperty({ type: [String], example: ['2026-03'], description: 'Months with an open consumption-drop alert: raised, and not cleared by a correction since.' }) alertedPeriods!: string[];
  @ApiProperty({ type: () => [OpenConsumptionAlertDto], description: 'The open alerts with the policy each was raised under.' }) openAlerts!: OpenConsumptionAlertDto[];
  @ApiProperty({ type: [String], example: [], description: 'Months whose alert a correction cleared and that were not alerted since: a correction that brings their drop back alerts them again, even when a later month is on record.' }) clearedAlertPeriods!: string[];
  @ApiProperty({ type: [String], example: [], description: 'Files merged into this one.' }) absorbed!: string[];
  @ApiProperty({ type: [String], enum: ['email', 'sms'], example: [], description: 'The channels the customer opted out of: the desk sends them no notification by these (recorded as skipped, opted-out).' }) notificationOptOut!: string[];
}

/** A file merged into another: closed, every command refused with customer-file-merged naming the survivor. */
export class MergedCustomerFileDto {
  @ApiProperty({ enum: ['merged'], example: 'merged' }) status!: 'merged';
  @ApiProperty({ example: 'cust-20002' }) id!: string;
  @ApiProperty({ type: 'integer', minimum: 0, example: 4 }) revision!: number;
  @ApiProperty({ example: CUSTOMER_ID, description: 'The file it was merged into.' }) survivorId!: string;
  @ApiProperty({ format: 'date-time', example: AT }) mergedAt!: string;
  @ApiProperty({ type: [String], example: [], description: 'The files merged into this one before it was merged away: its survivor stands for them too.' }) absorbed!: string[];
}

/** A file whose personal data were erased: closed, no personal field kept. */
export class ErasedCustomerFileDto {
  @ApiProperty({ enum: ['erased'], example: 'erased' }) status!: 'erased';
  @ApiProperty({ example: 'cust-20003' }) id!: string;
  @ApiProperty({ type: 'integer', minimum: 0, example: 5 }) revision!: number;
  @code('category', 'fixed') category!: string;
  @ApiProperty({ format: 'date-time', example: AT }) erasedAt!: string;
  @code('erasureGround', 'consent-withdrawn', { description: 'The legal ground (PIPL art. 47, GDPR art. 17).' }) ground!: string;
  @ApiProperty({ type: [String], example: ['cust-20003'], description: 'The file and those merged into it: the same person.' }) coveredFileIds!: string[];
  @ApiProperty({ type: [String], enum: ['email', 'sms'], example: [], description: 'The channels the customer opted out of: no personal datum, so kept through the erasure and still changeable (POST /customers/{id}/notification-opt-out).' }) notificationOptOut!: string[];
}

export class CustomerFileEventDto {
  @ApiProperty({ type: 'integer', minimum: 0, example: 0 }) revision!: number;
  @ApiProperty({ type: 'integer', minimum: 1, example: 42, description: 'Position in the global log.' }) position!: number;
  @ApiProperty({ enum: CUSTOMER_FILE_EVENT_TYPES, example: 'CustomerFileOpened' }) type!: string;
  @ApiProperty({ format: 'date-time', example: '2026-03-02T08:00:00.012Z' }) recordedAt!: string;
  @ApiProperty({
    type: 'object', additionalProperties: true, example: { customerId: CUSTOMER_ID, openedAt: AT, category: 'fixed', personal: { name: '顺达物流有限公司' } },
    description: 'The event\'s facts (docs/adr/0013); its personal values under `personal` (null when it has none).',
  }) data!: Record<string, unknown>;
  @ApiProperty({ type: () => EventMetadataDto }) metadata!: EventMetadataDto;
}

export class CustomerFileEventsDto {
  @ApiProperty({ example: CUSTOMER_ID }) id!: string;
  @ApiProperty({ type: 'integer', minimum: 0, example: 3 }) revision!: number;
  @ApiProperty({ type: () => [CustomerFileEventDto] }) events!: CustomerFileEventDto[];
}

/** A file of the lists (the customer-files read model): its facts and the seed's analysis figures. */
export class CustomerFileSummaryDto {
  @ApiProperty({ example: CUSTOMER_ID }) id!: string;
  @ApiProperty({ enum: ['active', 'merged', 'erased'], example: 'active' }) status!: string;
  @code('category', 'fixed') category!: string;
  @text('顺达物流有限公司', 'Null once erased.') name!: string | null;
  @text('北京市朝阳区建国路 88 号') address!: string | null;
  @optionalCode('customerType', 'organisation') customerType!: string | null;
  @optionalCode('creditRating', 'a') creditRating!: string | null;
  @ApiProperty({ type: () => FileImportanceDto }) importance!: FileImportanceDto;
  @ApiProperty({ type: () => FileSegmentsDto }) segments!: FileSegmentsDto;
  @ApiProperty({ type: 'integer', minimum: 0, example: 1, description: 'How many contacts it has.' }) contacts!: number;
  @ApiProperty({ format: 'date-time', example: AT }) openedAt!: string;
  @ApiProperty({ example: 'supervisor-1', description: 'Who opened it.' }) openedBy!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, example: null }) openedForComplaint!: string | null;
  @ApiProperty({ type: 'integer', minimum: 0, example: 2 }) visits!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-03-02T02:00:00.000Z' }) lastVisitAt!: string | null;
  @day('2026-03-16', 'The next step\'s day of the latest visit, if it set one.') nextStepDue!: string | null;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5, nullable: true, example: 4 }) rating!: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-03-02T03:00:00.000Z' }) ratedAt!: string | null;
  @ApiProperty({ ...MONTH, nullable: true, example: '2026-03' }) lastPeriod!: string | null;
  @ApiProperty({ type: Number, minimum: 0, nullable: true, example: 6000 }) lastVolume!: number | null;
  @optionalCode('volumeUnit', 'litre') volumeUnit!: string | null;
  @ApiProperty({ type: [String], example: ['2026-03'], description: 'Months with a consumption-drop alert.' }) alertPeriods!: string[];
  @ApiProperty({ type: Boolean, nullable: true, example: true }) contractSigned!: boolean | null;
  @day('2026-12-31') contractValidUntil!: string | null;
  @ApiProperty({ type: String, nullable: true, example: null, description: 'A merged file: the file it was merged into.' }) survivorId!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null }) mergedAt!: string | null;
  @ApiProperty({ type: [String], example: [], description: 'Files merged into this one.' }) absorbed!: string[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null }) erasedAt!: string | null;
  @ApiProperty({ type: 'integer', minimum: 0, example: 5 }) revision!: number;
  @ApiProperty({ format: 'date-time', example: '2026-03-05T08:00:00.000Z' }) updatedAt!: string;
}

export class CustomerFilesPageDto {
  @ApiProperty({ type: () => [CustomerFileSummaryDto] }) items!: CustomerFileSummaryDto[];
  @ApiProperty(NEXT_CURSOR) nextCursor!: string | null;
}

/** A key customer's month whose volume fell by more than the policy's share below the recent average (客户加油量异常). */
export class ConsumptionAlertDto {
  @ApiProperty({ example: `${CUSTOMER_ID}|2026-03` }) id!: string;
  @ApiProperty({ example: CUSTOMER_ID }) customerId!: string;
  @code('category', 'fixed') category!: string;
  @optionalCode('importanceLevel', 'a') importanceLevel!: string | null;
  @ApiProperty({ ...MONTH, example: '2026-03' }) period!: string;
  @ApiProperty({ type: () => VolumeViewDto }) volume!: VolumeViewDto;
  @ApiProperty({ type: () => VolumeViewDto, description: 'Mean of the compared months.' }) recentAverage!: VolumeViewDto;
  @ApiProperty({ type: Number, minimum: 0, maximum: 1, example: 0.4545, description: 'How much lower than the average, as a share.' }) drop!: number;
  @ApiProperty({ type: [String], example: ['2025-12', '2026-01', '2026-02'] }) comparedPeriods!: string[];
  @ApiProperty({ example: 'seed-default-v1' }) policyVersion!: string;
  @ApiProperty({ type: Number, minimum: 0, maximum: 1, example: 0.3, description: 'The policy\'s share: a drop above it raises the alert.' }) dropShare!: number;
  @ApiProperty({ format: 'date-time', example: '2026-03-05T08:00:00.000Z' }) detectedAt!: string;
  @ApiProperty({ example: 'agent-1', description: 'Who recorded the figure.' }) detectedBy!: string;
}

export class ConsumptionAlertsPageDto {
  @ApiProperty({ type: () => [ConsumptionAlertDto] }) items!: ConsumptionAlertDto[];
  @ApiProperty(NEXT_CURSOR) nextCursor!: string | null;
}

export class ImportanceLoyaltyRowDto {
  @ApiProperty({ enum: IMPORTANCE_ROWS, example: 'a', description: 'The file\'s importance level (unrated: none set).' }) importance!: string;
  @ApiProperty({ enum: LOYALTY_COLUMNS, example: 'at-risk', description: 'The customer\'s loyalty tier (no-complaints: no score yet).' }) tier!: string;
  @ApiProperty({ type: 'integer', minimum: 0, example: 3 }) customers!: number;
  @ApiProperty({ type: 'integer', minimum: 0, example: 2, description: 'Of them, key customers (重点客户).' }) keyCustomers!: number;
}

export class ImportanceLoyaltyTotalsDto {
  @ApiProperty({ type: 'integer', minimum: 0, example: 120 }) customers!: number;
  @ApiProperty({ type: 'integer', minimum: 0, example: 14 }) keyCustomers!: number;
}

export class ImportanceLoyaltyDto {
  @ApiProperty({ type: String, nullable: true, example: null, description: 'The as-of read model asked for, if any.' }) asOf!: string | null;
  @ApiProperty({ type: () => [ImportanceLoyaltyRowDto], description: 'Every importance level × loyalty tier, 0 when empty.' }) rows!: ImportanceLoyaltyRowDto[];
  @ApiProperty({ type: () => ImportanceLoyaltyTotalsDto }) totals!: ImportanceLoyaltyTotalsDto;
}

export class CustomerViewComplaintDto {
  @ApiProperty({ format: 'uuid', example: '0c8f3f0e-5a7d-5b1e-9c4e-2f1a3b4c5d6e' }) id!: string;
  @ApiProperty({ example: CUSTOMER_ID, description: 'The id it was received under (a file merged into this one keeps its own).' }) customerId!: string;
  @ApiProperty({ enum: COMPLAINT_STATUSES, example: 'closed' }) status!: string;
  @ApiProperty({ format: 'date-time', example: AT }) receivedAt!: string;
  @ApiProperty({ enum: Object.keys(TAXONOMY.cause), example: 'quantity-metering' }) cause!: string;
  @ApiProperty({ enum: Object.keys(TAXONOMY.severity), example: 'high' }) severity!: string;
  @ApiProperty({ type: String, nullable: true, example: 'station-ops', description: 'Null until assigned.' }) department!: string | null;
}

/** A repair of the customer in its view (the whole work order: GET /work-orders/{id}). */
export class CustomerViewRepairDto {
  @ApiProperty({ format: 'uuid', example: '3b9e1f52-6c0d-4f7a-8e21-5d4c3b2a1f00' }) id!: string;
  @ApiProperty({ example: CUSTOMER_ID, description: 'The id it was reported under (a file merged into this one keeps its own).' }) customerId!: string;
  @ApiProperty({ enum: WORK_ORDER_STATUSES, example: 'closed' }) status!: string;
  @ApiProperty({ format: 'date-time', example: AT }) reportedAt!: string;
  @ApiProperty({ example: 'SN-2026-000123' }) productSerial!: string;
  @ApiProperty({ example: 'TQ-8000' }) productModel!: string;
  @ApiProperty({ type: String, nullable: true, example: 'dandong-station', description: 'Null until dispatched.' }) stationCode!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'in-warranty', description: 'The warranty decision, null until made.' }) warrantyVerdict!: string | null;
  @ApiProperty({ example: 1, description: 'The repair cycle: 2 and up after a repeat repair of the same fault.' }) cycle!: number;
  @ApiProperty({ type: Number, nullable: true, minimum: 1, maximum: 5, example: 4, description: 'The mean score of the survey answer, null before one.' }) satisfaction!: number | null;
}

/** One satisfaction survey of the customer, with its scores once answered (the whole survey: GET /surveys/{id}). */
export class CustomerViewSurveyDto {
  @ApiProperty({ example: '7c1d9e20-4b3a-4f6e-9d21-0a1b2c3d4e5f', description: 'The survey (GET /surveys/{id}); a work order\'s own survey: `<work order>:<cycle>:<its survey id>`.' }) id!: string;
  @ApiProperty({ enum: ['survey', 'work-order'], example: 'survey', description: 'A survey sent with POST /surveys, or the older survey recorded on a work order.' }) source!: string;
  @ApiProperty({ example: CUSTOMER_ID, description: 'The id it was sent to (a file merged into this one keeps its own).' }) customerId!: string;
  @ApiProperty({ enum: ['sent', 'answered', 'cancelled'], example: 'answered' }) status!: string;
  @ApiProperty({ example: false, description: 'Sent, not answered, and its answer period over (measured now).' }) expired!: boolean;
  @ApiProperty({ enum: ['complaint', 'work-order', 'campaign'], example: 'work-order' }) subjectKind!: string;
  @ApiProperty({ example: '3b9e1f52-6c0d-4f7a-8e21-5d4c3b2a1f00' }) subjectId!: string;
  @ApiProperty({ format: 'date-time', example: AT }) sentAt!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: AT }) answeredAt!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer', minimum: 1, maximum: 5 }, example: { attitude: 5, overall: 4 }, description: 'Score (1–5) per question answered.' })
  scores!: Record<string, number>;
  @ApiProperty({ type: Number, nullable: true, minimum: 1, maximum: 5, example: 4.5, description: 'The mean of the scores, null before an answer.' }) meanScore!: number | null;
}

/** The file's facts the customer view shows (the whole file: GET /customers/{id}/file). */
export class CustomerViewFileDto {
  @ApiProperty({ enum: ['active', 'merged', 'erased'], example: 'active' }) status!: string;
  @code('category', 'fixed') category!: string;
  @text('顺达物流有限公司') name!: string | null;
  @text('北京市朝阳区建国路 88 号') address!: string | null;
  @optionalCode('customerType', 'organisation') customerType!: string | null;
  @optionalCode('creditRating', 'a') creditRating!: string | null;
  @ApiProperty({ type: () => FileImportanceDto }) importance!: FileImportanceDto;
  @ApiProperty({ type: () => FileSegmentsDto }) segments!: FileSegmentsDto;
  @ApiProperty({ format: 'date-time', example: AT }) openedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-03-02T02:00:00.000Z' }) lastVisitAt!: string | null;
  @ApiProperty({ type: [String], example: ['2026-03'] }) alertPeriods!: string[];
  @ApiProperty({ type: String, nullable: true, example: null }) survivorId!: string | null;
  @ApiProperty({ type: [String], example: [] }) absorbed!: string[];
  @ApiProperty({ type: 'integer', minimum: 0, example: 5 }) revision!: number;
}

/**
 * GET /customers/{id}: the loyalty figures of the customer file of GET /customers (no score, tier or
 * stage and zero counts for a customer with a file and no complaint yet), the file's facts, and the
 * customer's complaints.
 */
export class CustomerViewDto {
  @ApiProperty({ example: CUSTOMER_ID }) id!: string;
  @text('王先生', 'The name the latest complaint gave.') name!: string | null;
  @ApiProperty({ type: String, enum: Object.keys(TAXONOMY.customerSegment), nullable: true, example: 'private-car' }) segment!: string | null;
  @ApiProperty({ type: () => LoyaltyCountersDto }) counters!: LoyaltyCountersDto;
  @ApiProperty({ type: [String], example: ['quantity-metering'] }) causes!: string[];
  @ApiProperty({ type: [String], example: [AT], description: 'When each complaint was received.' }) receipts!: string[];
  @ApiProperty({ type: () => CustomerComplaintsDto }) complaints!: CustomerComplaintsDto;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: AT }) firstComplaintAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: AT }) lastComplaintAt!: string | null;
  @ApiProperty({ type: Number, minimum: 0, maximum: 100, nullable: true, example: 75, description: 'Loyalty score 0–100; null without a complaint.' }) score!: number | null;
  @ApiProperty({ type: String, enum: ['loyal', 'satisfied', 'at-risk', 'detractor'], nullable: true, example: 'satisfied' }) tier!: string | null;
  @ApiProperty({ type: String, enum: ['exploration', 'formation', 'stability', 'decline'], nullable: true, example: 'formation' }) stage!: string | null;
  @ApiProperty({ type: [Number], example: [65, 70, 75], description: 'The latest scores, oldest first.' }) recentScores!: number[];
  @ApiProperty({ example: 2, description: 'The version of the loyalty model that computed the score.' }) modelVersion!: number;
  @ApiProperty({ type: () => [LoyaltyFactorDto] }) factors!: LoyaltyFactorDto[];
  @ApiProperty({ type: () => LabelsDto, nullable: true, example: { 'zh-CN': '满意客户', en: 'Satisfied' } }) tierLabels!: LabelsDto | null;
  @ApiProperty({ type: () => LabelsDto, nullable: true, example: { 'zh-CN': '形成期', en: 'Formation' } }) stageLabels!: LabelsDto | null;
  @ApiProperty({ type: () => CustomerViewFileDto, nullable: true, description: 'The file (null for a customer known only from complaints received before files existed).' }) file!: CustomerViewFileDto | null;
  @ApiProperty({ type: () => [CustomerViewComplaintDto], description: 'Newest first, at most 50, with those received under the ids of the files merged into this one.' }) complaintList!: CustomerViewComplaintDto[];
  @ApiProperty({ type: () => [CustomerViewRepairDto], description: 'The repair work orders, newest first, at most 50, with those reported under the ids of the files merged into this one.' }) repairList!: CustomerViewRepairDto[];
  @ApiProperty({ type: () => [CustomerViewSurveyDto], description: 'The satisfaction surveys sent to the customer, newest first, at most 50, with those sent under the ids of the files merged into this one.' })
  surveyList!: CustomerViewSurveyDto[];
}

const entries = (name: CustomerFileTaxonomyName, description: string) => ApiProperty({
  type: () => [CustomerFileCodeDto], description,
  example: customerFileCodes(name).slice(0, 2).map((value) => ({ code: value, labels: labelsOf(name, value) })),
});

export class CustomerFileCodeDto {
  @ApiProperty({ example: 'fixed' }) code!: string;
  @ApiProperty({ type: () => LabelsDto }) labels!: LabelsDto;
}

/** GET /taxonomy/customer-files: each table of the customer file, its codes in order with their labels. */
export class CustomerFileTaxonomyDto {
  @entries('category', 'The file\'s category (固定客户 / 流动客户 / 潜在客户), also the fixed / floating segment dimension.') category!: CustomerFileCodeDto[];
  @entries('customerType', 'Customer type.') customerType!: CustomerFileCodeDto[];
  @entries('creditRating', 'Credit rating (信用等级).') creditRating!: CustomerFileCodeDto[];
  @entries('importanceLevel', 'Importance level (客户的重要程度).') importanceLevel!: CustomerFileCodeDto[];
  @entries('consumerKind', 'Segment: vehicle or non-vehicle consumer.') consumerKind!: CustomerFileCodeDto[];
  @entries('usage', 'Segment: usage.') usage!: CustomerFileCodeDto[];
  @entries('driverType', 'Segment: driver type.') driverType!: CustomerFileCodeDto[];
  @entries('locality', 'Segment: local or from elsewhere.') locality!: CustomerFileCodeDto[];
  @entries('settlement', 'Segment: how the customer pays.') settlement!: CustomerFileCodeDto[];
  @entries('volumeUnit', 'Unit of a volume of fuel.') volumeUnit!: CustomerFileCodeDto[];
  @entries('erasureGround', 'Legal ground of an erasure (PIPL art. 47, GDPR art. 17).') erasureGround!: CustomerFileCodeDto[];
}

function labelsOf(name: CustomerFileTaxonomyName, value: string): { 'zh-CN': string; en: string } {
  return (CUSTOMER_FILE_TAXONOMY[name] as Record<string, { 'zh-CN': string; en: string }>)[value]!;
}
