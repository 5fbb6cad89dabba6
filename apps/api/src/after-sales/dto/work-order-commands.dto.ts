import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsDefined, IsOptional, IsUUID, Matches } from 'class-validator';
import type { ChargeKind, Channel, FailedVisitReason, FaultCause, PaymentMethod, RemoteOutcome, Severity, WorkOrderClock } from '@app/domain';
import { Identifier, TaxonomyCode, Text } from '../../complaints/dto/fields';
import { AfterSalesCode, DateTime, Duration, MoneyDto, Nested, NestedList, PlainCode, SerialNumber, WholeNumber } from './after-sales-fields';

export class ContactDto {
  @Text(200, { example: '李先生' })
  name!: string;

  @ApiProperty({ example: '+86 415 000 0000', description: 'Digits, spaces, + ( ) - . only; 3–40 characters, at least one a digit.' })
  // A digit at least: "   " fitted the characters and was recorded as the phone to call (issue 19).
  @Matches(/^(?=.*[0-9])[+0-9 ()\-.]{3,40}$/, { message: '$property must be a phone number of 3–40 digits, spaces, + ( ) - or ., with digits in it' })
  phone!: string;
}

export class ProductReferenceDto {
  @Text(200, { example: 'TQ-2240 税控加油机' })
  model!: string;

  @SerialNumber({ example: 'TQ2240-000731', description: 'The serial number on the nameplate: the product registry\'s id (the warranty is judged on it).' })
  serialNumber!: string;
}

/** 报修: a customer reports a fault. */
export class ReportFaultDto {
  @Identifier({ example: 'cust-10086', description: 'The customer file this repair belongs to.' })
  customerId!: string;

  @Nested(() => ContactDto)
  contact!: ContactDto;

  @Text(500, { example: '辽宁省丹东市振兴区 加油站 3 号岛' })
  address!: string;

  @PlainCode({ optional: true, example: '210600', description: 'The region of the address (an administrative division code or a name): dispatch goes to a service point that serves it.' })
  region?: string;

  @Nested(() => ProductReferenceDto)
  product!: ProductReferenceDto;

  @Text(5000, { example: '2 号枪加油到 20 升就自动停止。' })
  faultDescription!: string;

  @TaxonomyCode('channel', { example: 'phone' })
  channel!: Channel;

  @TaxonomyCode('severity', { optional: true, example: 'medium' })
  priority?: Severity;

  @ApiPropertyOptional({ format: 'uuid', example: '0c8f3f0e-5a7d-5b1e-9c4e-2f1a3b4c5d6e', description: 'The complaint this repair answers (it must exist and be visible to you).' })
  @IsOptional()
  @IsUUID('all', { message: '$property must be the id of a complaint (a UUID)' })
  complaintId?: string;

  @Duration({ optional: true, example: 'P30D', description: 'How long after the hand-over a returning fault reopens this order as a repeat repair, at most a year (P366D); P30D when left out.' })
  repeatRepairWindow?: string;
}

export class RecordCustomerContactDto {
  @TaxonomyCode('channel', { example: 'phone' })
  channel!: Channel;

  @Text(2000, { optional: true, example: '已联系客户，约定明早上门。' })
  notes?: string;
}

/** 派单/派工: the first dispatch. */
export class DispatchWorkOrderDto {
  @PlainCode({ example: 'dandong-station', description: 'A branch or service station of the service network.' })
  stationCode!: string;

  @PlainCode({ example: 'eng-wang', description: 'An active engineer of that station.' })
  engineerId!: string;

  @Text(2000, { optional: true, example: '丹东服务站负责 210600 区域。' })
  reason?: string;
}

/** A redispatch to another station or engineer: always with its reason. */
export class RedispatchWorkOrderDto {
  @PlainCode({ example: 'dalian-branch', description: 'A branch or service station of the service network.' })
  stationCode!: string;

  @PlainCode({ example: 'eng-liu', description: 'An active engineer of that station.' })
  engineerId!: string;

  @Text(2000, { example: 'Wang is on sick leave; Liu covers Dandong this week.' })
  reason!: string;
}

/** 远程故障排除. */
export class RecordRemoteDiagnosisDto {
  @AfterSalesCode('remoteOutcome', { example: 'on-site-needed' })
  outcome!: RemoteOutcome;

  @Text(5000, { example: 'Pulser does not count past 20 L; needs a visit.' })
  findings!: string;
}

export class ScheduleVisitDto {
  @DateTime({ example: '2026-03-03T09:00:00+08:00', description: 'When the engineer will be on site; not in the past, and at most a year (366 days) ahead.' })
  scheduledFor!: string;

  @Text(2000, { optional: true, example: 'The customer asked for the afternoon.', description: 'Required to move a visit already scheduled.' })
  reason?: string;
}

export class RecordArrivalDto {
  @Text(2000, { optional: true, example: '到达现场，客户在场。' })
  notes?: string;
}

export class RecordFailedVisitDto {
  @AfterSalesCode('failedVisitReason', { example: 'customer-absent' })
  reason!: FailedVisitReason;

  @Text(2000, { optional: true, example: '客户电话无人接听。' })
  notes?: string;

  @DateTime({ example: '2026-03-04T09:00:00+08:00', description: 'The next visit, scheduled with this failure; not in the past, and at most a year (366 days) ahead.' })
  nextVisitAt!: string;
}

/** The findings on site; the warranty decision is computed from the product registry with them. */
export class RecordFindingsDto {
  @Text(5000, { example: 'Pulser encoder worn.' })
  findings!: string;

  @AfterSalesCode('faultCause', { example: 'product-defect' })
  faultCause!: FaultCause;

  @Text(2000, { optional: true, example: 'Nozzle hose torn off by a lorry.', description: 'Required when the cause is customer-damage: the warranty exclusion is recorded with its reason.' })
  damageReason?: string;
}

export class QuoteLineDto {
  @AfterSalesCode('chargeKind', { example: 'parts' })
  kind!: ChargeKind;

  @Text(500, { example: 'Pulser encoder PUL-2240-07' })
  description!: string;

  @Nested(() => MoneyDto, { example: { currency: 'CNY', minorUnits: 48000 } })
  amount!: MoneyDto;
}

/** 报价: only what the warranty decision leaves chargeable; one currency. */
export class QuoteRepairDto {
  @NestedList(() => QuoteLineDto, { min: 1, max: 50 }, {
    example: [
      { kind: 'parts', description: 'Pulser encoder PUL-2240-07', amount: { currency: 'CNY', minorUnits: 48000 } },
      { kind: 'labour', description: '2 h', amount: { currency: 'CNY', minorUnits: 20000 } },
      { kind: 'on-site', description: 'Call-out', amount: { currency: 'CNY', minorUnits: 10000 } },
    ],
  })
  lines!: QuoteLineDto[];
}

export class ConfirmQuoteDto {
  @WholeNumber(1, 1_000_000, { example: 1, description: 'The number of the quote the customer was shown and accepted (`repair.quote.number` of the order): a quote that a later one replaced is refused (409 quote-superseded, naming the current quote), a number the order never had too (400 unknown-quote).' })
  quoteNumber!: number;

  @Text(200, { example: '李先生', description: 'The customer who confirmed (personal data: stored encrypted under data.personal, unreadable once the customer is erased).' })
  confirmedBy!: string;

  @TaxonomyCode('channel', { example: 'in-person' })
  channel!: Channel;
}

export class RefuseQuoteDto {
  @WholeNumber(1, 1_000_000, { example: 1, description: 'The number of the quote the customer was shown and refused (`repair.quote.number` of the order): a quote that a later one replaced is refused (409 quote-superseded, naming the current quote), a number the order never had too (400 unknown-quote).' })
  quoteNumber!: number;

  @Text(2000, { example: '客户认为价格太高。' })
  reason!: string;

  @ApiProperty({ example: false, description: 'true: the free part of the repair goes on; false: the order closes (quote-refused).' })
  @IsDefined()
  @IsBoolean()
  continueWithFreeWork!: boolean;
}

export class PartUsedDto {
  @ApiProperty({ example: 'PUL-2240-07', pattern: '^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/, { message: '$property must be 1–64 ASCII letters, digits, . _ / or -, starting with a letter or digit (look-alike letters, such as full-width ones, are not ASCII)' })
  partNumber!: string;

  @Text(200, { optional: true, example: 'Pulser encoder' })
  name?: string;

  @WholeNumber(1, 10_000, { example: 1 })
  quantity!: number;
}

/** The work done (派工单), with the spare parts used. */
export class RecordRepairWorkDto {
  @Text(5000, { example: 'Replaced the pulser encoder, calibrated nozzle 2.' })
  description!: string;

  @NestedList(() => PartUsedDto, { min: 0, max: 100 }, { optional: true, example: [{ partNumber: 'PUL-2240-07', name: 'Pulser encoder', quantity: 1 }], description: 'The spare parts used; none when left out.' })
  parts?: PartUsedDto[];

  @ApiProperty({ example: true, description: 'true: charged under the confirmed quote; false: under warranty or free of charge.' })
  @IsDefined()
  @IsBoolean()
  chargeable!: boolean;
}

/** 收取相应的服务费用: once, at most the confirmed quote. */
export class RecordFeeDto {
  @Nested(() => MoneyDto, { example: { currency: 'CNY', minorUnits: 78000 } })
  amount!: MoneyDto;

  @AfterSalesCode('paymentMethod', { example: 'mobile-payment' })
  method!: PaymentMethod;

  @Text(100, { optional: true, example: 'R-2026-0001' })
  receiptNumber?: string;
}

/** 调试与上线测试. */
export class RecordTestDto {
  @ApiProperty({ example: true })
  @IsDefined()
  @IsBoolean()
  passed!: boolean;

  @Text(2000, { optional: true, example: '20 L test measure within tolerance.' })
  notes?: string;
}

/** 客户签字确认. */
export class RecordSignOffDto {
  @Text(200, { example: '李先生', description: 'The customer who signed (personal data: stored encrypted under data.personal, unreadable once the customer is erased).' })
  signedBy!: string;

  @Text(2000, { optional: true, example: '满意。' })
  remarks?: string;
}

export class HandOverWorkOrderDto {
  @Text(2000, { optional: true, example: 'Handed over to the station manager.' })
  notes?: string;
}

export class SurveyQuestionDto {
  @PlainCode({ example: 'speed' })
  id!: string;

  @Text(500, { example: '维修是否及时？' })
  text!: string;
}

/** 维修完成后客户满意度调查. */
export class SendSurveyDto {
  @PlainCode({ example: 'repair-2026', description: 'Which survey (questionnaire) this is.' })
  surveyId!: string;

  @TaxonomyCode('channel', { example: 'phone' })
  channel!: Channel;

  @NestedList(() => SurveyQuestionDto, { min: 1, max: 20 }, {
    example: [{ id: 'speed', text: '维修是否及时？' }, { id: 'quality', text: '维修质量是否满意？' }, { id: 'attitude', text: '工程师服务态度如何？' }],
  })
  questions!: SurveyQuestionDto[];
}

export class SurveyAnswerDto {
  @PlainCode({ example: 'speed' })
  questionId!: string;

  @WholeNumber(1, 5, { example: 5, description: '1 (very unsatisfied) to 5 (very satisfied).' })
  score!: number;

  @Text(2000, { optional: true, example: '第二天就修好了。' })
  comment?: string;
}

export class RecordSurveyAnswerDto {
  @NestedList(() => SurveyAnswerDto, { min: 1, max: 20 }, { example: [{ questionId: 'speed', score: 5 }, { questionId: 'quality', score: 4 }, { questionId: 'attitude', score: 5 }] })
  answers!: SurveyAnswerDto[];

  @Text(2000, { optional: true, example: '工程师很专业。' })
  comment?: string;
}

export class CancelWorkOrderDto {
  @Text(2000, { example: 'The customer replaced the dispenser himself.' })
  reason!: string;
}

/** A repeat repair: the fault came back within the window. */
export class ReopenWorkOrderDto {
  @Text(2000, { example: '同一喷枪又在 20 升处停机。' })
  reason!: string;

  @PlainCode({
    optional: true, example: 'eng-zhang',
    description: 'Another active engineer of the order\'s station for the repeat repair (a redispatch, recorded with the reopen). Left out: the engineer who did the repair; required when that one is no longer active (409 engineer-no-longer-active names the active ones).',
  })
  engineerId?: string;
}

export class EscalateWorkOrderDto {
  @Text(100, { example: '客服中心', description: 'Who takes the order over: a unit of the directory by its code or its name in Chinese or English, or an agent (checked once the directory has units, as a complaint\'s escalation; any name before). Recorded as the unit\'s code or the agent\'s id.' })
  to!: string;

  @WholeNumber(1, 10, { optional: true, example: 1, description: 'Defaults to one above the current level.' })
  level?: number;

  @Text(2000, { example: 'On-site deadline at risk: no engineer free in Dandong.' })
  reason!: string;

  @AfterSalesCode('workOrderClock', { optional: true, example: 'on-site', description: 'The clock whose time limit is at risk, when that is why (it must be running and not met).' })
  clock?: WorkOrderClock;
}

export class LinkComplaintDto {
  @ApiProperty({ format: 'uuid', example: '0c8f3f0e-5a7d-5b1e-9c4e-2f1a3b4c5d6e', description: 'A complaint that exists and is visible to you.' })
  @IsUUID('all', { message: '$property must be the id of a complaint (a UUID)' })
  complaintId!: string;

  @Text(2000, { optional: true, example: 'The customer complained about the slow repair.' })
  reason?: string;
}

/** A link made from the complaint's side: the same fact as LinkComplaintDto's, on the order's stream. */
export class LinkWorkOrderDto {
  @ApiProperty({ format: 'uuid', example: '3b9e1f52-6c0d-4f7a-8e21-5d4c3b2a1f00', description: 'A work order that exists and is visible to you.' })
  @IsUUID('all', { message: '$property must be the id of a work order (a UUID)' })
  workOrderId!: string;

  @Text(2000, { optional: true, example: 'The complaint is about this repair.' })
  reason?: string;
}
