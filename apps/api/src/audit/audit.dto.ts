import { ApiProperty } from '@nestjs/swagger';
import { COMPLAINT_EVENT_TYPES, CUSTOMER_FILE_EVENT_TYPES, NOTIFICATION_EVENT_TYPES } from '@app/domain';
import { ActorDto, ChainVerdictDto, LabelsDto } from '../openapi/common.dto';

/** What the audit routes answer. */

const UUID = '0c8f3f0e-5a7d-5b1e-9c4e-2f1a3b4c5d6e';
const AT = '2026-03-01T09:30:00.000Z';
const HASH = 'ed803e7bbf4f5e6fc07b71bb47a5bb6df006e9ac6c50bcb91fa14f75a70da29f';
const DECISION_WORDS = { 'zh-CN': '重新打开：客户再次来电', en: 'Reopened: the customer called again' };

export class DecisionDto {
  @ApiProperty({ example: '0000000000000042', description: 'The log position, zero-padded.' })
  id!: string;

  @ApiProperty({ example: 42 })
  position!: number;

  @ApiProperty({ type: String, nullable: true, format: 'uuid', example: UUID, description: 'null for a decision that is not about a complaint (a token granted or revoked).' })
  complaintId!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'uuid', example: null, description: 'The work order the decision is about; null for any other decision.' })
  workOrderId!: string | null;

  @ApiProperty({ example: 'complaint-3b9e1f52-6c0d-4f7a-8e21-5d4c3b2a1f00', description: 'The stream of the event: complaint-…, work-order-…, product-…, service-network, customer-… (a customer file), access-control, …' })
  stream!: string;

  @ApiProperty({ example: 8 })
  revision!: number;

  @ApiProperty({ example: 'ComplaintReopened', description: 'The event type.' })
  type!: string;

  @ApiProperty({ example: 'zhang.wei' })
  actorId!: string;

  @ApiProperty({ example: 'supervisor' })
  role!: string;

  @ApiProperty({ type: String, nullable: true, example: 'The customer called again.' })
  reason!: string | null;

  @ApiProperty({ format: 'date-time', example: AT })
  occurredAt!: string;

  @ApiProperty({ type: () => LabelsDto, example: DECISION_WORDS, description: 'The decision in words.' })
  decision!: LabelsDto;
}

export class DecisionPageDto {
  @ApiProperty({ type: () => [DecisionDto] })
  items!: DecisionDto[];

  @ApiProperty({ type: String, nullable: true, example: null, description: 'Pass it back as cursor for the next page (same filters); null on the last page.' })
  nextCursor!: string | null;
}

export class CausedByDto {
  @ApiProperty({ example: 2 })
  revision!: number;

  @ApiProperty({ example: 'CallbackDone' })
  type!: string;
}

/** What every decision trail shows of an event, whatever its aggregate (trailFacts in @app/event-sourcing). */
export abstract class TrailEventFactsDto {
  @ApiProperty({ example: 0, description: 'The event\'s revision in its stream.' })
  revision!: number;

  @ApiProperty({ type: () => ActorDto })
  actor!: ActorDto;

  @ApiProperty({ format: 'date-time', example: AT })
  occurredAt!: string;

  @ApiProperty({ format: 'date-time', example: AT })
  recordedAt!: string;

  @ApiProperty({ format: 'uuid', example: '78101538-a4a8-4841-89a6-fcceddb5293a' })
  commandId!: string;

  @ApiProperty({ example: 'call-2026-0001' })
  correlationId!: string;

  @ApiProperty({ example: '78101538-a4a8-4841-89a6-fcceddb5293a' })
  causationId!: string;

  @ApiProperty({ example: HASH })
  hash!: string;
}

export class TrailEntryDto extends TrailEventFactsDto {
  @ApiProperty({ example: 'complaint-0c8f3f0e-5a7d-5b1e-9c4e-2f1a3b4c5d6e', description: 'The stream of the event: the complaint\'s own (`complaint-<id>`), or its notifications (`notification-<id>`: what the customer and staff were told, docs/adr/0017).' })
  stream!: string;

  @ApiProperty({ example: 1 })
  position!: number;

  @ApiProperty({ enum: [...COMPLAINT_EVENT_TYPES, ...NOTIFICATION_EVENT_TYPES], example: 'ComplaintReceived' })
  type!: string;

  @ApiProperty({ type: () => LabelsDto, example: { 'zh-CN': '受理投诉（渠道：电话）', en: 'Received the complaint (channel Phone)' } })
  decision!: LabelsDto;

  @ApiProperty({ type: String, nullable: true, example: null })
  reason!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'seed-default-v1', description: 'The SLA policy the complaint was received under.' })
  policyVersion!: string | null;

  @ApiProperty({ type: () => CausedByDto, nullable: true, example: null, description: 'The event of this trail the causation id names, when it names one (for a notification: the decision that caused it).' })
  causedBy!: CausedByDto | null;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { complaintId: UUID, receivedAt: AT }, description: 'The event\'s facts.' })
  data!: Record<string, unknown>;
}

export class TrailDto {
  @ApiProperty({ format: 'uuid', example: UUID })
  complaintId!: string;

  @ApiProperty({ type: () => ChainVerdictDto })
  verification!: ChainVerdictDto;

  @ApiProperty({ type: () => ChainVerdictDto, nullable: true, description: 'The verdict on the hash chain of the complaint\'s notification stream; null while nothing was sent.' })
  notificationsVerification!: ChainVerdictDto | null;

  @ApiProperty({ type: () => [TrailEntryDto], description: 'The complaint\'s decisions and its notifications, in log order.' })
  entries!: TrailEntryDto[];
}

export class CustomerCausedByDto {
  @ApiProperty({ example: 'customer-cust-20002' })
  stream!: string;

  @ApiProperty({ example: 3 })
  revision!: number;

  @ApiProperty({ example: 'CustomerFileMerged' })
  type!: string;
}

export class CustomerTrailEntryDto extends TrailEventFactsDto {
  @ApiProperty({ example: 'customer-cust-20001', description: 'The stream of the event: the file\'s own (`customer-<id>`), or that of a file merged into it.' })
  stream!: string;

  @ApiProperty({ example: 'cust-20001', description: 'The file the decision is about (this one, or one merged into it).' })
  customerId!: string;

  @ApiProperty({ example: 12 })
  position!: number;

  @ApiProperty({ enum: CUSTOMER_FILE_EVENT_TYPES, example: 'CustomerFileContactAdded' })
  type!: string;

  @ApiProperty({ type: () => LabelsDto, example: { 'zh-CN': '新增联系人 ct-1：客户提供了车队负责人', en: 'Added contact ct-1: the customer gave the fleet manager' }, description: 'The decision in words; personal fields are named, never quoted.' })
  decision!: LabelsDto;

  @ApiProperty({ type: String, nullable: true, example: 'The customer gave the fleet manager.' })
  reason!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null, description: 'The consumption-alert policy a drop alert was raised under; null for any other decision.' })
  policyVersion!: string | null;

  @ApiProperty({ type: () => CustomerCausedByDto, nullable: true, example: null, description: 'The event of this trail the causation id names, when it names one (the merge behind an absorption).' })
  causedBy!: CustomerCausedByDto | null;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { customerId: 'cust-20001', contactId: 'ct-1', reason: 'The customer gave the fleet manager.' }, description: 'The event\'s facts, without its personal values (`data.personal`; GET /customers/{id}/events shows them to whoever may read the file).' })
  data!: Record<string, unknown>;
}

export class AbsorbedFileVerdictDto {
  @ApiProperty({ example: 'cust-20002' })
  customerId!: string;

  @ApiProperty({ type: () => ChainVerdictDto })
  verification!: ChainVerdictDto;
}

export class CustomerTrailDto {
  @ApiProperty({ example: 'cust-20001' })
  customerId!: string;

  @ApiProperty({ type: () => ChainVerdictDto, description: 'The verdict on the file\'s hash chain.' })
  verification!: ChainVerdictDto;

  @ApiProperty({ type: () => [AbsorbedFileVerdictDto], description: 'The files merged into this one (the same customer), each with the verdict on its own chain; their decisions are in `entries`.' })
  absorbed!: AbsorbedFileVerdictDto[];

  @ApiProperty({ type: () => [CustomerTrailEntryDto], description: 'The decisions on the file and on the files merged into it, in log order.' })
  entries!: CustomerTrailEntryDto[];
}

export class SealRefDto {
  @ApiProperty({ example: 12, description: 'The seal\'s line in the seal file.' })
  line!: number;

  @ApiProperty({ format: 'date-time', example: AT })
  sealedAt!: string;

  @ApiProperty({ example: 42 })
  position!: number;

  @ApiProperty({ example: 42 })
  events!: number;
}

export class LatestSealDto extends SealRefDto {
  @ApiProperty({ example: 'api', description: 'Who sealed: the API or the CLI.' })
  by!: string;
}

export class SealsSummaryDto {
  @ApiProperty({ example: true, description: 'Whether this server seals (a seal key is configured).' })
  sealing!: boolean;

  @ApiProperty({ example: 12 })
  count!: number;

  @ApiProperty({ type: () => LatestSealDto, nullable: true })
  latest!: LatestSealDto | null;

  @ApiProperty({ example: 0, description: 'Seals of another log in the same file: not compared.' })
  otherLogs!: number;

  @ApiProperty({ example: 0, description: 'Events after the furthest seal (normal while the API runs).' })
  eventsAfterLastSeal!: number;

  @ApiProperty({ required: false, example: 'no seal yet' })
  note?: string;
}

export class FindingSealsDto {
  @ApiProperty({ example: 2 })
  count!: number;

  @ApiProperty({ type: () => SealRefDto })
  first!: SealRefDto;

  @ApiProperty({ type: () => SealRefDto })
  last!: SealRefDto;

  @ApiProperty({ type: [String], example: ['seal@12', 'seal@13'] })
  ids!: string[];
}

export class AcknowledgementDto {
  @ApiProperty({ example: 'cli:root' })
  by!: string;

  @ApiProperty({ format: 'date-time', example: AT })
  sealedAt!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Restored from the backup of 2026-03-01.' })
  reason!: string | null;
}

export class LogFindingDto {
  @ApiProperty({ example: 'event@42', description: 'Stable across runs, so that an acknowledgement can name it.' })
  id!: string;

  @ApiProperty({ enum: ['event-changed', 'events-missing', 'stream-chain', 'seal-mismatch', 'log-truncated', 'seal-damaged', 'access-control'], example: 'event-changed' })
  kind!: string;

  @ApiProperty({ example: 'the event at position 42 was changed after it was written' })
  description!: string;

  @ApiProperty({ required: false, example: 42 })
  position?: number;

  @ApiProperty({ required: false, example: `complaint-${UUID}` })
  stream?: string;

  @ApiProperty({ required: false, example: 3 })
  revision?: number;

  @ApiProperty({ required: false, type: () => FindingSealsDto })
  seals?: FindingSealsDto;

  @ApiProperty({ type: () => AcknowledgementDto, nullable: true, example: null, description: 'The acknowledging seal (who, when, why), or null.' })
  acknowledged!: AcknowledgementDto | null;
}

export class LogHeadDto {
  @ApiProperty({ example: 42 })
  position!: number;

  @ApiProperty({ example: '7bef5d260f925a5bdfbc93c7c056225fa788299564366242387cf4a359fd0a9e' })
  logHash!: string;
}

/** The whole store checked: every chain, every whole-log link, every seal. */
export class LogReportDto {
  @ApiProperty({ example: true, description: 'No finding that an admin has not acknowledged.' })
  ok!: boolean;

  @ApiProperty({ example: 42 })
  events!: number;

  @ApiProperty({ example: 5 })
  streams!: number;

  @ApiProperty({ type: () => LogHeadDto })
  head!: LogHeadDto;

  @ApiProperty({ type: () => SealsSummaryDto })
  seals!: SealsSummaryDto;

  @ApiProperty({ type: () => [LogFindingDto], example: [] })
  findings!: LogFindingDto[];
}

export class AccessSealCheckDto {
  @ApiProperty({ example: true })
  ok!: boolean;

  @ApiProperty({ example: true, description: 'false: this server keeps no seals to compare with.' })
  checked!: boolean;

  @ApiProperty({ type: () => [LogFindingDto], example: [] })
  findings!: LogFindingDto[];
}

export class AccessHistoryEntryDto {
  @ApiProperty({ example: 0 })
  revision!: number;

  @ApiProperty({ example: 10 })
  position!: number;

  @ApiProperty({ enum: ['AccessTokenIssued', 'AccessTokenRevoked'], example: 'AccessTokenIssued' })
  type!: string;

  @ApiProperty({ type: () => ActorDto })
  actor!: ActorDto;

  @ApiProperty({ type: String, nullable: true, example: 'New hire at the Pudong stations.' })
  reason!: string | null;

  @ApiProperty({ format: 'date-time', example: AT })
  occurredAt!: string;

  @ApiProperty({ format: 'date-time', example: AT })
  recordedAt!: string;

  @ApiProperty({ format: 'uuid', example: '3e02a092-6549-4bd3-b0ee-baceebc35522' })
  commandId!: string;

  @ApiProperty({ example: HASH })
  hash!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { tokenId: '36c047e5-4d12-4e8c-a71d-54fdff6b2060', principalId: 'li.na', role: 'agent' }, description: 'The grant or revocation, without the token\'s hash.' })
  data!: Record<string, unknown>;
}

export class AccessHistoryDto {
  @ApiProperty({ example: 'access-control' })
  stream!: string;

  @ApiProperty({ type: () => ChainVerdictDto })
  verification!: ChainVerdictDto;

  @ApiProperty({ type: () => [AccessHistoryEntryDto] })
  entries!: AccessHistoryEntryDto[];

  @ApiProperty({ type: () => AccessSealCheckDto, description: 'The stream against the heads the seals recorded.' })
  seals!: AccessSealCheckDto;
}
