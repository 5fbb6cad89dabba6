import { ApiProperty } from '@nestjs/swagger';
import { COMPLAINT_ACTIONS, COMPLAINT_EVENT_TYPES, NOTE_VISIBILITIES, SLA_CLOCKS, taxonomyCodes } from '@app/domain';
import { ActorDto } from '../../openapi/common.dto';
import { ComplaintAttachmentDto } from '../attachments/attachment.dto';

/** What GET /complaints/{id} and /complaints/{id}/events answer. */

export const COMPLAINT_STATUSES = ['received', 'validated', 'rejected', 'assigned', 'resolved', 'follow-up-required', 'closed'] as const;
const UUID = '0c8f3f0e-5a7d-5b1e-9c4e-2f1a3b4c5d6e';
const AT = '2026-03-01T09:30:00.000Z';

export class CustomerRefDto {
  @ApiProperty({ example: 'cust-10086' })
  id!: string;

  @ApiProperty({ type: String, nullable: true, example: '王先生' })
  name!: string | null;

  @ApiProperty({ type: String, nullable: true, enum: taxonomyCodes('customerSegment'), example: 'private-car' })
  segment!: string | null;
}

export class WorkingHoursDto {
  @ApiProperty({ required: false, type: 'array', items: { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 2 }, example: [['08:00', '18:00']], description: 'Working intervals, HH:MM to HH:MM (24:00 allowed as an end); a day left out is closed.' })
  mon?: string[][];
  @ApiProperty({ required: false, type: 'array', items: { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 2 }, example: [['08:00', '18:00']] })
  tue?: string[][];
  @ApiProperty({ required: false, type: 'array', items: { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 2 }, example: [['08:00', '18:00']] })
  wed?: string[][];
  @ApiProperty({ required: false, type: 'array', items: { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 2 }, example: [['08:00', '18:00']] })
  thu?: string[][];
  @ApiProperty({ required: false, type: 'array', items: { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 2 }, example: [['08:00', '18:00']] })
  fri?: string[][];
  @ApiProperty({ required: false, type: 'array', items: { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 2 }, example: [['09:00', '12:00']] })
  sat?: string[][];
  @ApiProperty({ required: false, type: 'array', items: { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 2 }, example: [] })
  sun?: string[][];
}

export class BusinessCalendarDto {
  @ApiProperty({ example: '24x7' })
  id!: string;

  @ApiProperty({ example: '1' })
  version!: string;

  @ApiProperty({ example: 'Asia/Shanghai', description: 'IANA time zone of the hours and holidays.' })
  timeZone!: string;

  @ApiProperty({ type: () => WorkingHoursDto })
  hours!: WorkingHoursDto;

  @ApiProperty({ required: false, type: [String], example: ['2026-10-01'], description: 'Local dates on which no clock runs.' })
  holidays?: string[];
}

export class SlaDurationsDto {
  @ApiProperty({ example: 'PT2H', description: 'ISO 8601 duration.' })
  firstReply!: string;

  @ApiProperty({ example: 'PT72H' })
  answer!: string;

  @ApiProperty({ required: false, example: 'PT24H' })
  onSite?: string;

  @ApiProperty({ required: false, example: 'PT48H', description: 'Absent: the policy sets no callback obligation.' })
  callback?: string;
}

export class SlaTermsDto {
  @ApiProperty({ example: 'seed-default-v1', description: 'The SLA policy in force at receipt; a later policy change never rewrites it.' })
  policyVersion!: string;

  @ApiProperty({ type: () => BusinessCalendarDto })
  calendar!: BusinessCalendarDto;

  @ApiProperty({ type: () => SlaDurationsDto })
  durations!: SlaDurationsDto;

  @ApiProperty({ format: 'date-time', example: '2026-03-01T11:30:00.000Z' })
  firstReplyDue!: string;

  @ApiProperty({ format: 'date-time', example: '2026-03-04T09:30:00.000Z' })
  answerDue!: string;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: null, description: 'Only for complaints received with onSiteRequired.' })
  onSiteDue!: string | null;
}

export class EscalationDto {
  @ApiProperty({ example: 1 })
  level!: number;

  @ApiProperty({ example: 'regional-manager' })
  to!: string;

  @ApiProperty({ format: 'date-time', example: AT })
  at!: string;
}

export class RejectionDto {
  @ApiProperty({ format: 'date-time', example: AT })
  at!: string;

  @ApiProperty({ example: 'Pump 3 was calibrated the same morning; the receipt shows 35 L.' })
  reason!: string;
}

export class AssignmentDto {
  @ApiProperty({ example: 'station-ops' })
  department!: string;

  @ApiProperty({ example: 'zhang.wei' })
  assignee!: string;
}

export class ResolutionDto {
  @ApiProperty({ format: 'date-time', example: AT })
  resolvedAt!: string;

  @ApiProperty({ enum: taxonomyCodes('resolutionClass'), example: 'immediate' })
  resolutionClass!: string;

  @ApiProperty({ enum: taxonomyCodes('remedy'), example: 'refund' })
  remedy!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Pump 3 meter drifted after maintenance.' })
  rootCause!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Recalibrate after every maintenance.' })
  correctiveAction!: string | null;

  @ApiProperty({ example: true })
  customerAccepted!: boolean;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: '2026-03-03T09:30:00.000Z', description: 'When the follow-up call is due (null: no callback obligation).' })
  callbackDue!: string | null;
}

export class CallbackDto {
  @ApiProperty({ format: 'date-time', example: AT })
  calledBackAt!: string;

  @ApiProperty({ enum: taxonomyCodes('callbackOutcome'), example: 'satisfied' })
  outcome!: string;

  @ApiProperty({ minimum: 1, maximum: 5, example: 5 })
  satisfaction!: number;

  @ApiProperty({ type: String, nullable: true, example: 'Customer thanked the station manager.' })
  remarks!: string | null;
}

/** How to reach the customer about this complaint (personal data, docs/adr/0013); null where not known. */
export class ComplaintContactDto {
  @ApiProperty({ type: String, nullable: true, example: '13800138000', description: 'Digits only, optionally after +.' })
  phone!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'wang.li@example.com' })
  email!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '北京市朝阳区建国路 99 号' })
  address!: string | null;

  @ApiProperty({ type: String, nullable: true, enum: taxonomyCodes('channel'), example: 'phone' })
  preferredChannel!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '工作日 18:00 以后' })
  preferredTime!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'zh-CN', description: 'The language the customer is written to in (zh-CN or en); null: not said (zh-CN).' })
  language!: string | null;
}

/** One entry of the complaint's thread: an internal note or a reply sent to the customer. */
export class ComplaintNoteDto {
  @ApiProperty({ example: 4, description: 'The revision of the event that recorded it: its id within the complaint.' })
  revision!: number;

  @ApiProperty({ format: 'date-time', example: AT })
  addedAt!: string;

  @ApiProperty({ type: () => ActorDto })
  by!: ActorDto;

  @ApiProperty({ enum: NOTE_VISIBILITIES, example: 'customer', description: '`internal`: staff only; `customer`: a reply sent to the customer.' })
  visibility!: string;

  @ApiProperty({ type: String, nullable: true, enum: taxonomyCodes('channel'), example: 'phone', description: 'How a reply reached the customer; null for an internal note.' })
  channel!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '您好，我们正在核实计量记录，明天上午给您答复。', description: 'Null once a text marked personal was erased with the customer (docs/adr/0019).' })
  text!: string | null;

  @ApiProperty({ example: false, description: 'The note was sent with personal: true: its text is sealed with the customer\'s key and erased with it.' })
  personal!: boolean;

  @ApiProperty({ example: true, description: 'Whether this reply was the complaint\'s first reply (it met the first-reply clock).' })
  firstReply!: boolean;
}

/** The complaint folded from its events. The fields after reopenCount depend on the status. */
/** One SLA clock that applies to the complaint now, as the decider judges it. */
export class ComplaintClockDto {
  @ApiProperty({ enum: SLA_CLOCKS, example: 'first-reply' })
  clock!: string;

  @ApiProperty({ format: 'date-time', example: AT })
  deadline!: string;

  @ApiProperty({ example: false, description: 'Whether the clock\'s step was taken.' })
  met!: boolean;

  @ApiProperty({ example: false, description: 'Whether the SLA monitor recorded its breach.' })
  breachRecorded!: boolean;
}

export class ActionRefusalDto {
  @ApiProperty({ example: 'role-not-allowed', description: 'Why not: `role-not-allowed`; `agent-deactivated` / `engineer-deactivated` for an agent or engineer the service network has deactivated (every action, the 403 every command would answer); or the code the command would be refused with (409/400).' })
  code!: string;

  @ApiProperty({ example: 'The agent role may not validate the complaint; allowed: supervisor, admin.', description: 'Why not, in words: which roles may, or the detail of the problem+json the command would answer.' })
  message!: string;
}

/** An action on the complaint, and whether this principal may take it now. */
export class AllowedActionDto {
  @ApiProperty({ enum: COMPLAINT_ACTIONS, example: 'validate' })
  action!: string;

  @ApiProperty({ example: false })
  allowed!: boolean;

  @ApiProperty({ type: () => ActionRefusalDto, nullable: true, description: 'null when allowed.' })
  reason!: ActionRefusalDto | null;
}

export class ComplaintLinkDto {
  @ApiProperty({ format: 'uuid', example: '3b9e1f52-6c0d-4f7a-8e21-5d4c3b2a1f00', description: 'The other complaint.' })
  complaintId!: string;

  @ApiProperty({ enum: ['duplicate-of', 'related'], example: 'duplicate-of', description: 'duplicate-of: this complaint repeats that one (the original); related: the same matter.' })
  relation!: string;

  @ApiProperty({ format: 'date-time', example: AT })
  at!: string;

  @ApiProperty({ type: () => ActorDto })
  by!: ActorDto;
}

export class ComplaintDuplicateDto {
  @ApiProperty({ format: 'uuid', example: '0c8f3f0e-5a7d-4b1e-9c4e-2f1a3b4c5d6e', description: 'The complaint marked as a duplicate of this one.' })
  complaintId!: string;

  @ApiProperty({ format: 'date-time', example: AT, description: 'When it was marked.' })
  at!: string;

  @ApiProperty({ type: () => ActorDto })
  by!: ActorDto;
}

export class ComplaintViewDto {
  @ApiProperty({ format: 'uuid', example: UUID })
  id!: string;

  @ApiProperty({ enum: COMPLAINT_STATUSES, example: 'assigned' })
  status!: string;

  @ApiProperty({ type: () => CustomerRefDto })
  customer!: CustomerRefDto;

  @ApiProperty({ enum: taxonomyCodes('channel'), example: 'phone' })
  channel!: string;

  @ApiProperty({ enum: taxonomyCodes('cause'), example: 'quantity-metering' })
  cause!: string;

  @ApiProperty({ type: String, nullable: true, enum: taxonomyCodes('behaviour'), example: 'angry-venting' })
  behaviour!: string | null;

  @ApiProperty({ type: String, nullable: true, enum: taxonomyCodes('purpose'), example: 'criticism' })
  purpose!: string | null;

  @ApiProperty({ enum: taxonomyCodes('severity'), example: 'high' })
  severity!: string;

  @ApiProperty({ type: String, nullable: true, example: '加油机显示40升，但油箱只加进了约35升。', description: 'Null once a description marked personal was erased with the customer (docs/adr/0019).' })
  description!: string | null;

  @ApiProperty({ example: false, description: 'The intake marked the description personal (descriptionIsPersonal): it is sealed with the customer\'s key and erased with it.' })
  descriptionIsPersonal!: boolean;

  @ApiProperty({ type: String, nullable: true, example: 'Refund the difference.' })
  desiredOutcome!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '2026-03-01T08:50:00+08:00', description: 'When the problem happened, as the caller gave it.' })
  occurredAt!: string | null;

  @ApiProperty({ example: false })
  onSiteRequired!: boolean;

  @ApiProperty({ format: 'date-time', example: AT })
  receivedAt!: string;

  @ApiProperty({ type: () => ActorDto })
  receivedBy!: ActorDto;

  @ApiProperty({ type: () => SlaTermsDto })
  sla!: SlaTermsDto;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: '2026-03-01T09:45:00.000Z', description: 'The first apology / reply.' })
  firstReplyAt!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: null, description: 'The first resolution or rejection.' })
  answeredAt!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: null })
  visitedAt!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: '2026-03-01T10:00:00.000Z' })
  validatedAt!: string | null;

  @ApiProperty({ enum: SLA_CLOCKS, isArray: true, example: [], description: 'Clocks whose breach has been recorded (SlaBreached).' })
  breaches!: string[];

  @ApiProperty({ enum: SLA_CLOCKS, isArray: true, example: [], description: 'Clocks whose at-risk warning has been recorded (SlaAtRisk, the SLA monitor\'s warning SLA_WARN_BEFORE ahead of the deadline).' })
  warnings!: string[];

  @ApiProperty({ type: () => EscalationDto, nullable: true, example: null })
  escalation!: EscalationDto | null;

  @ApiProperty({ example: 0 })
  reopenCount!: number;

  @ApiProperty({ type: () => ComplaintContactDto, description: 'How to reach the customer (POST /complaints, then POST /complaints/{id}/contact).' })
  contact!: ComplaintContactDto;

  @ApiProperty({ example: 0, description: 'How many corrections changed the classification since receipt (POST /complaints/{id}/correct).' })
  corrections!: number;

  @ApiProperty({ type: () => [ComplaintNoteDto], description: 'The thread, oldest first: internal notes and replies to the customer (POST /complaints/{id}/notes). Staff only: internal notes never go to the customer.' })
  notes!: ComplaintNoteDto[];

  @ApiProperty({ type: () => [ComplaintAttachmentDto], description: 'The files attached, oldest first (POST /complaints/{id}/attachments), each with its download link.' })
  attachments!: ComplaintAttachmentDto[];

  @ApiProperty({ type: [String], example: ['metering'], description: 'Its tags, in the order they were added (POST /complaints/{id}/tags).' })
  tags!: string[];

  @ApiProperty({ type: () => [ComplaintLinkDto], description: 'Its links to other complaints (POST /complaints/{id}/related), oldest first: the original it duplicates, and related ones.' })
  related!: ComplaintLinkDto[];

  @ApiProperty({
    type: () => [ComplaintDuplicateDto],
    description: 'The complaints marked as duplicates of this one (it is their original), in the order they were marked; GET /complaints?duplicateOf={id} lists them too. A duplicate is never an original: duplicates are one level deep.',
  })
  duplicates!: ComplaintDuplicateDto[];

  @ApiProperty({ required: false, type: () => RejectionDto, description: 'Rejected complaints.' })
  rejection?: RejectionDto;

  @ApiProperty({ required: false, type: () => AssignmentDto, description: 'From assigned on.' })
  assignment?: AssignmentDto;

  @ApiProperty({ required: false, type: () => ResolutionDto, description: 'From resolved on.' })
  resolution?: ResolutionDto;

  @ApiProperty({ required: false, example: false, description: 'Resolved complaints: whether a refused resolution has been escalated (needed before the callback).' })
  refusalEscalated?: boolean;

  @ApiProperty({ required: false, type: () => CallbackDto, description: 'Called-back complaints (follow-up-required, closed).' })
  callback?: CallbackDto;

  @ApiProperty({ example: 3, description: 'The stream\'s revision: the ETag; send it back as If-Match.' })
  revision!: number;

  @ApiProperty({ type: () => [ComplaintClockDto], description: 'The SLA clocks that apply now, with their deadlines: a front-end counts down without a rule of its own.' })
  clocks!: ComplaintClockDto[];

  @ApiProperty({ type: () => [AllowedActionDto], description: 'Every action on a complaint, and whether this principal may take it now (its role, then whether it may act at all: not an agent the service network has deactivated, then the status), with the reason when not.' })
  allowedActions!: AllowedActionDto[];
}

export class EventMetadataDto {
  @ApiProperty({ format: 'uuid', example: 'b87c9f79-7071-5238-984b-1fe9990d84cc', description: 'Derived from the command id: a retried command writes nothing new.' })
  eventId!: string;

  @ApiProperty({ format: 'uuid', example: '78101538-a4a8-4841-89a6-fcceddb5293a' })
  commandId!: string;

  @ApiProperty({ example: 'ReceiveComplaint' })
  commandType!: string;

  @ApiProperty({ example: 'call-2026-0001' })
  correlationId!: string;

  @ApiProperty({ example: '78101538-a4a8-4841-89a6-fcceddb5293a' })
  causationId!: string;

  @ApiProperty({ type: () => ActorDto })
  actor!: ActorDto;

  @ApiProperty({ required: false, example: 'Pump 3 meter log shows a 5 L shortfall.', description: 'Why, when the command gave a reason.' })
  reason?: string;

  @ApiProperty({ format: 'date-time', example: AT })
  occurredAt!: string;

  @ApiProperty({ example: 2 })
  schemaVersion!: number;

  @ApiProperty({
    required: false, example: 'sha256:0Wq3bC1Yx0m8v2u8Jm7cQ9p5f6QfV8k1n3r4s5t6u7w',
    description: 'Digest of the request an Idempotency-Key stood for (`sha256:…`, or `key:<key id>:…` keyed by the customer\'s data key): the key answers that request only (docs/adr/0004).',
  })
  requestDigest?: string;

  @ApiProperty({ example: 'ed803e7bbf4f5e6fc07b71bb47a5bb6df006e9ac6c50bcb91fa14f75a70da29f', description: 'SHA-256 chained to the previous event of the stream.' })
  hash!: string;
}

export class ComplaintEventDto {
  @ApiProperty({ example: 0 })
  revision!: number;

  @ApiProperty({ example: 1, description: 'Position in the global log.' })
  position!: number;

  @ApiProperty({ enum: COMPLAINT_EVENT_TYPES, example: 'ComplaintReceived' })
  type!: string;

  @ApiProperty({ format: 'date-time', example: AT })
  recordedAt!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { complaintId: UUID, receivedAt: AT }, description: 'The event\'s facts (see docs/adr/0004 for each type).' })
  data!: Record<string, unknown>;

  @ApiProperty({ type: () => EventMetadataDto })
  metadata!: EventMetadataDto;
}

export class ComplaintEventsDto {
  @ApiProperty({ format: 'uuid', example: UUID })
  id!: string;

  @ApiProperty({ example: 3 })
  revision!: number;

  @ApiProperty({ type: () => [ComplaintEventDto] })
  events!: ComplaintEventDto[];
}
