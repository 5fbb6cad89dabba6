import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { customerFileCodes } from '@app/domain';
import { IMPORTANCE_ROWS, LOYALTY_COLUMNS } from '@app/read-models';

/*
 * What the customer routes answer, for the OpenAPI document. The shapes are those of the domain's
 * folded file (GET /customers/{id}/file) and of the customer-files read model (the lists).
 */

export class CustomerCommandAcceptedDto {
  @ApiProperty({ example: 'cust-20001', description: 'The customer id (for a merge: the absorbed file).' })
  id!: string;

  @ApiProperty({ example: 0, description: 'Revision of the file after the command; send it back as If-Match.' })
  revision!: number;

  @ApiProperty({ example: 42, description: 'Position in the global log; read models that reached it include this change (pass it as minPosition).' })
  position!: number;
}

class ActorDto {
  @ApiProperty({ example: 'supervisor-1' }) id!: string;
  @ApiProperty({ example: 'supervisor' }) role!: string;
}

class VolumeViewDto {
  @ApiProperty({ example: 12000 }) amount!: number;
  @ApiProperty({ enum: customerFileCodes('volumeUnit'), example: 'litre' }) unit!: string;
}

class SegmentsViewDto {
  @ApiProperty({ nullable: true, enum: customerFileCodes('consumerKind'), example: 'vehicle' }) consumerKind!: string | null;
  @ApiProperty({ nullable: true, enum: customerFileCodes('usage'), example: null }) usage!: string | null;
  @ApiProperty({ nullable: true, enum: customerFileCodes('driverType'), example: 'fleet' }) driverType!: string | null;
  @ApiProperty({ nullable: true, enum: customerFileCodes('locality'), example: 'local' }) locality!: string | null;
  @ApiProperty({ nullable: true, enum: customerFileCodes('settlement'), example: null }) settlement!: string | null;
}

class ImportanceViewDto {
  @ApiProperty({ example: true }) key!: boolean;
  @ApiProperty({ nullable: true, enum: customerFileCodes('importanceLevel'), example: 'a' }) level!: string | null;
}

class BasicsViewDto {
  @ApiProperty({ nullable: true, example: '顺达物流有限公司' }) name!: string | null;
  @ApiProperty({ nullable: true, example: '北京市朝阳区建国路 88 号' }) address!: string | null;
  @ApiProperty({ nullable: true, example: 'organisation' }) customerType!: string | null;
  @ApiProperty({ nullable: true, example: 'a' }) creditRating!: string | null;
}

class ContactViewDto {
  @ApiProperty({ example: 'contact-1' }) id!: string;
  @ApiProperty({ nullable: true, example: '王立' }) name!: string | null;
  @ApiProperty({ nullable: true, example: '车队长' }) role!: string | null;
  @ApiProperty({ nullable: true, example: '13800138000' }) phone!: string | null;
  @ApiProperty({ nullable: true, example: null }) email!: string | null;
}

class VisitViewDto {
  @ApiProperty({ example: 'visit-1' }) id!: string;
  @ApiProperty({ example: '2026-03-02T02:00:00.000Z' }) visitedAt!: string;
  @ApiProperty({ example: 'in-person' }) channel!: string;
  @ApiProperty({ example: 'zhang.wei' }) staff!: string;
  @ApiProperty({ nullable: true, example: 'contact-1' }) contactId!: string | null;
  @ApiProperty({ nullable: true, example: '了解下季度用油计划' }) summary!: string | null;
  @ApiProperty({ nullable: true, example: '报送夜间服务方案' }) nextStep!: string | null;
  @ApiProperty({ nullable: true, example: '2026-03-16' }) nextStepDue!: string | null;
  @ApiProperty({ example: '2026-03-02T03:00:00.000Z' }) loggedAt!: string;
  @ApiProperty({ type: ActorDto }) loggedBy!: ActorDto;
}

class FigureViewDto {
  @ApiProperty({ example: '2026-02' }) period!: string;
  @ApiProperty({ type: VolumeViewDto }) volume!: VolumeViewDto;
}

class EvaluationViewDto {
  @ApiProperty({ example: 4 }) rating!: number;
  @ApiProperty({ nullable: true, example: '服务态度好' }) comment!: string | null;
  @ApiProperty({ example: '2026-03-02T03:00:00.000Z' }) recordedAt!: string;
}

/**
 * The file folded from its stream. An active file has every section; a merged one only its id, the
 * survivor and when; an erased one its category, when, the ground and the files the erasure covers.
 */
export class CustomerFileDto {
  @ApiProperty({ enum: ['active', 'merged', 'erased'], example: 'active' }) status!: string;
  @ApiProperty({ example: 'cust-20001' }) id!: string;
  @ApiProperty({ example: 3, description: 'The ETag: send it as If-Match with a command.' }) revision!: number;
  @ApiPropertyOptional({ enum: customerFileCodes('category'), example: 'fixed' }) category?: string;
  @ApiPropertyOptional({ example: '2026-03-02T08:00:00.000Z' }) openedAt?: string;
  @ApiPropertyOptional({ type: ActorDto }) openedBy?: ActorDto;
  @ApiPropertyOptional({ nullable: true, example: null, description: 'The complaint whose intake opened the file.' }) openedForComplaint?: string | null;
  @ApiPropertyOptional({ type: BasicsViewDto }) basics?: BasicsViewDto;
  @ApiPropertyOptional({ type: [ContactViewDto] }) contacts?: ContactViewDto[];
  @ApiPropertyOptional({ example: 1 }) contactsAdded?: number;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { monthlyVolume: { amount: 30000, unit: 'litre' }, refuellingCycleDays: 7, habits: null, qualityRequirements: null, meteringRequirements: null, otherNeeds: null } })
  consumption?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { signed: true, signedOn: '2026-01-05', validFrom: '2026-01-01', validUntil: '2026-12-31', renewalConditions: null, amendments: [] } })
  contract?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { storageTanks: 2, storageCapacity: null, tankerVehicles: 1, description: null } })
  facilities?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { channels: [{ supplier: '中石化朝阳站', products: null, share: 0.3 }] } })
  otherChannels?: Record<string, unknown>;
  @ApiPropertyOptional({ type: ImportanceViewDto }) importance?: ImportanceViewDto;
  @ApiPropertyOptional({ type: SegmentsViewDto }) segments?: SegmentsViewDto;
  @ApiPropertyOptional({ type: EvaluationViewDto, nullable: true }) evaluation?: EvaluationViewDto | null;
  @ApiPropertyOptional({ type: [VisitViewDto] }) visits?: VisitViewDto[];
  @ApiPropertyOptional({ type: [FigureViewDto] }) figures?: FigureViewDto[];
  @ApiPropertyOptional({ type: [String], example: ['2026-03'], description: 'Months with a consumption-drop alert.' }) alertedPeriods?: string[];
  @ApiPropertyOptional({ type: [String], example: [], description: 'Files merged into this one.' }) absorbed?: string[];
  @ApiPropertyOptional({ example: 'cust-20001', description: 'A merged file: the file it was merged into.' }) survivorId?: string;
  @ApiPropertyOptional({ example: '2026-03-02T08:00:00.000Z' }) mergedAt?: string;
  @ApiPropertyOptional({ example: '2026-03-02T08:00:00.000Z' }) erasedAt?: string;
  @ApiPropertyOptional({ example: 'consent-withdrawn' }) ground?: string;
  @ApiPropertyOptional({ type: [String], example: ['cust-20001'] }) coveredFileIds?: string[];
}

class RecordedEventDto {
  @ApiProperty({ example: 0 }) revision!: number;
  @ApiProperty({ example: 42 }) position!: number;
  @ApiProperty({ example: 'CustomerFileOpened' }) type!: string;
  @ApiProperty({ example: '2026-03-02T08:00:00.012Z' }) recordedAt!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The event\'s facts; its personal values under data.personal.' }) data!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Event and command ids, correlation, causation, actor, reason, occurredAt, schemaVersion, hash.' }) metadata!: Record<string, unknown>;
}

export class CustomerFileEventsDto {
  @ApiProperty({ example: 'cust-20001' }) id!: string;
  @ApiProperty({ example: 3 }) revision!: number;
  @ApiProperty({ type: [RecordedEventDto] }) events!: RecordedEventDto[];
}

export class CustomerFileSummaryDto {
  @ApiProperty({ example: 'cust-20001' }) id!: string;
  @ApiProperty({ enum: ['active', 'merged', 'erased'], example: 'active' }) status!: string;
  @ApiProperty({ enum: customerFileCodes('category'), example: 'fixed' }) category!: string;
  @ApiProperty({ nullable: true, example: '顺达物流有限公司' }) name!: string | null;
  @ApiProperty({ nullable: true, example: '北京市朝阳区建国路 88 号' }) address!: string | null;
  @ApiProperty({ nullable: true, example: 'organisation' }) customerType!: string | null;
  @ApiProperty({ nullable: true, example: 'a' }) creditRating!: string | null;
  @ApiProperty({ type: ImportanceViewDto }) importance!: ImportanceViewDto;
  @ApiProperty({ type: SegmentsViewDto }) segments!: SegmentsViewDto;
  @ApiProperty({ example: 1 }) contacts!: number;
  @ApiProperty({ example: '2026-03-02T08:00:00.000Z' }) openedAt!: string;
  @ApiProperty({ example: 'supervisor-1' }) openedBy!: string;
  @ApiProperty({ nullable: true, example: null }) openedForComplaint!: string | null;
  @ApiProperty({ example: 2 }) visits!: number;
  @ApiProperty({ nullable: true, example: '2026-03-02T02:00:00.000Z' }) lastVisitAt!: string | null;
  @ApiProperty({ nullable: true, example: '2026-03-16' }) nextStepDue!: string | null;
  @ApiProperty({ nullable: true, example: 4 }) rating!: number | null;
  @ApiProperty({ nullable: true, example: '2026-03-02T03:00:00.000Z' }) ratedAt!: string | null;
  @ApiProperty({ nullable: true, example: '2026-03' }) lastPeriod!: string | null;
  @ApiProperty({ nullable: true, example: 6000 }) lastVolume!: number | null;
  @ApiProperty({ nullable: true, example: 'litre' }) volumeUnit!: string | null;
  @ApiProperty({ type: [String], example: ['2026-03'] }) alertPeriods!: string[];
  @ApiProperty({ nullable: true, example: true }) contractSigned!: boolean | null;
  @ApiProperty({ nullable: true, example: '2026-12-31' }) contractValidUntil!: string | null;
  @ApiProperty({ nullable: true, example: null }) survivorId!: string | null;
  @ApiProperty({ nullable: true, example: null }) mergedAt!: string | null;
  @ApiProperty({ type: [String], example: [] }) absorbed!: string[];
  @ApiProperty({ nullable: true, example: null }) erasedAt!: string | null;
  @ApiProperty({ example: 5 }) revision!: number;
  @ApiProperty({ example: '2026-03-05T08:00:00.000Z' }) updatedAt!: string;
}

export class CustomerFilesPageDto {
  @ApiProperty({ type: [CustomerFileSummaryDto] }) items!: CustomerFileSummaryDto[];
  @ApiProperty({ nullable: true, example: null, description: 'Pass as cursor for the next page; null on the last.' }) nextCursor!: string | null;
}

export class ConsumptionAlertDto {
  @ApiProperty({ example: 'cust-20001|2026-03' }) id!: string;
  @ApiProperty({ example: 'cust-20001' }) customerId!: string;
  @ApiProperty({ example: 'fixed' }) category!: string;
  @ApiProperty({ nullable: true, example: 'a' }) importanceLevel!: string | null;
  @ApiProperty({ example: '2026-03' }) period!: string;
  @ApiProperty({ type: VolumeViewDto }) volume!: VolumeViewDto;
  @ApiProperty({ type: VolumeViewDto, description: 'Mean of the compared months.' }) recentAverage!: VolumeViewDto;
  @ApiProperty({ example: 0.4545, description: 'How much lower than the average, as a share.' }) drop!: number;
  @ApiProperty({ type: [String], example: ['2025-12', '2026-01', '2026-02'] }) comparedPeriods!: string[];
  @ApiProperty({ example: 'seed-default-v1' }) policyVersion!: string;
  @ApiProperty({ example: 0.3 }) dropShare!: number;
  @ApiProperty({ example: '2026-03-05T08:00:00.000Z' }) detectedAt!: string;
  @ApiProperty({ example: 'agent-1' }) detectedBy!: string;
}

export class ConsumptionAlertsPageDto {
  @ApiProperty({ type: [ConsumptionAlertDto] }) items!: ConsumptionAlertDto[];
  @ApiProperty({ nullable: true, example: null }) nextCursor!: string | null;
}

class ImportanceLoyaltyRowDto {
  @ApiProperty({ enum: IMPORTANCE_ROWS, example: 'a' }) importance!: string;
  @ApiProperty({ enum: LOYALTY_COLUMNS, example: 'at-risk' }) tier!: string;
  @ApiProperty({ example: 3 }) customers!: number;
  @ApiProperty({ example: 2, description: 'Of them, key customers (重点客户).' }) keyCustomers!: number;
}

class ImportanceLoyaltyTotalsDto {
  @ApiProperty({ example: 120 }) customers!: number;
  @ApiProperty({ example: 14 }) keyCustomers!: number;
}

export class ImportanceLoyaltyDto {
  @ApiProperty({ nullable: true, example: null }) asOf!: string | null;
  @ApiProperty({ type: [ImportanceLoyaltyRowDto], description: 'Every importance level × loyalty tier, 0 when empty.' }) rows!: ImportanceLoyaltyRowDto[];
  @ApiProperty({ type: ImportanceLoyaltyTotalsDto }) totals!: ImportanceLoyaltyTotalsDto;
}

class CustomerComplaintDto {
  @ApiProperty({ example: '0c8f3f0e-5a7d-5b1e-9c4e-2f1a3b4c5d6e' }) id!: string;
  @ApiProperty({ example: 'cust-20001', description: 'The id it was received under (a file merged into this one keeps its own).' }) customerId!: string;
  @ApiProperty({ example: 'closed' }) status!: string;
  @ApiProperty({ example: '2026-03-02T08:00:00.000Z' }) receivedAt!: string;
  @ApiProperty({ example: 'quantity-metering' }) cause!: string;
  @ApiProperty({ example: 'high' }) severity!: string;
  @ApiProperty({ nullable: true, example: 'station-ops' }) department!: string | null;
}

class CustomerViewFileDto {
  @ApiProperty({ enum: ['active', 'merged', 'erased'], example: 'active' }) status!: string;
  @ApiProperty({ example: 'fixed' }) category!: string;
  @ApiProperty({ nullable: true, example: '顺达物流有限公司' }) name!: string | null;
  @ApiProperty({ nullable: true, example: '北京市朝阳区建国路 88 号' }) address!: string | null;
  @ApiProperty({ nullable: true, example: 'organisation' }) customerType!: string | null;
  @ApiProperty({ nullable: true, example: 'a' }) creditRating!: string | null;
  @ApiProperty({ type: ImportanceViewDto }) importance!: ImportanceViewDto;
  @ApiProperty({ type: SegmentsViewDto }) segments!: SegmentsViewDto;
  @ApiProperty({ example: '2026-03-02T08:00:00.000Z' }) openedAt!: string;
  @ApiProperty({ nullable: true, example: '2026-03-02T02:00:00.000Z' }) lastVisitAt!: string | null;
  @ApiProperty({ type: [String], example: ['2026-03'] }) alertPeriods!: string[];
  @ApiProperty({ nullable: true, example: null }) survivorId!: string | null;
  @ApiProperty({ type: [String], example: [] }) absorbed!: string[];
  @ApiProperty({ example: 5 }) revision!: number;
}

/**
 * GET /customers/{id}: the loyalty figures as before (every field kept; null or zero for a customer
 * with a file and no complaint yet), the file's basic facts, and the customer's complaints.
 */
export class CustomerViewDto {
  @ApiProperty({ example: 'cust-20001' }) id!: string;
  @ApiProperty({ nullable: true, example: '王先生', description: 'The name the latest complaint gave.' }) name!: string | null;
  @ApiProperty({ nullable: true, example: 'fleet' }) segment!: string | null;
  @ApiProperty({ nullable: true, example: 84, description: 'Loyalty score 0–100; null without a complaint.' }) score!: number | null;
  @ApiProperty({ nullable: true, example: 'loyal' }) tier!: string | null;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: { type: 'string' }, example: { 'zh-CN': '忠诚客户', en: 'Loyal' } }) tierLabels!: Record<string, string> | null;
  @ApiProperty({ nullable: true, example: 'stability' }) stage!: string | null;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: { type: 'string' }, example: { 'zh-CN': '稳定期', en: 'Stability' } }) stageLabels!: Record<string, string> | null;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { total: 1, open: 0, bySeverity: { high: 1 }, reopened: 0, escalated: 0 } }) complaints!: Record<string, unknown>;
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true }, example: [{ code: 'complaints', contribution: -6 }] }) factors!: object[];
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true }) counters!: Record<string, number> | null;
  @ApiProperty({ type: [String], example: ['quantity-metering'] }) causes!: string[];
  @ApiProperty({ type: [String], example: ['2026-03-02T08:00:00.000Z'] }) receipts!: string[];
  @ApiProperty({ nullable: true, example: '2026-03-02T08:00:00.000Z' }) firstComplaintAt!: string | null;
  @ApiProperty({ nullable: true, example: '2026-03-02T08:00:00.000Z' }) lastComplaintAt!: string | null;
  @ApiProperty({ type: [Number], example: [70] }) recentScores!: number[];
  @ApiProperty({ example: 2 }) modelVersion!: number;
  @ApiProperty({ type: CustomerViewFileDto, nullable: true, description: 'The file (null for a customer known only from complaints received before files existed).' }) file!: CustomerViewFileDto | null;
  @ApiProperty({ type: [CustomerComplaintDto], description: 'Newest first, at most 50, with those of the files merged into this one.' }) complaintList!: CustomerComplaintDto[];
}
