import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { WORK_ORDER_ACTIONS, WORK_ORDER_STATUSES } from '@app/domain';
import { CommandAcceptedDto } from '../../complaints/dto/complaint-commands.dto';
import { ActionRefusalDto } from '../../complaints/dto/complaint-views.dto';

/**
 * Response schemas of the after-sales reads, for OpenAPI only (the answers are the folded states as
 * the domain defines them; see libs/domain/src/work-order/work-order.state.ts and its neighbours).
 */
/** An object field, documented by its example (the shapes are the domain's). */
const object = (example: unknown, description?: string) => ({ type: 'object' as const, additionalProperties: true, example, ...(description ? { description } : {}) });
const nullableObject = (example: unknown, description?: string) => ({ ...object(example, description), nullable: true });
const LABEL = { type: 'object' as const, properties: { 'zh-CN': { type: 'string' as const }, en: { type: 'string' as const } } };

export class ServiceUnitDto {
  @ApiProperty({ example: 'dandong-station' }) code!: string;
  @ApiProperty({ enum: ['centre', 'branch', 'station', 'department'], example: 'station' }) kind!: string;
  @ApiProperty({ ...LABEL, example: { 'zh-CN': '丹东服务站', en: 'Dandong service station' } }) name!: object;
  @ApiProperty({ nullable: true, type: String, example: 'cs-centre' }) parent!: string | null;
  @ApiProperty({ type: [String], example: ['210600'] }) regions!: string[];
  @ApiProperty({ format: 'date-time', example: '2026-03-01T01:00:00.000Z' }) registeredAt!: string;
}

export class EngineerDto {
  @ApiProperty({ example: 'eng-wang' }) id!: string;
  @ApiProperty({ example: '王工' }) name!: string;
  @ApiProperty({ example: 'dandong-station' }) station!: string;
  @ApiProperty({ type: [String], example: ['dispenser', 'pump'] }) skills!: string[];
  @ApiProperty({ example: true }) active!: boolean;
  @ApiProperty({ format: 'date-time', example: '2026-03-01T01:05:00.000Z' }) addedAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', example: null }) deactivatedAt!: string | null;
}

export class AgentDto {
  @ApiProperty({ example: 'li.na' }) id!: string;
  @ApiProperty({ example: '李娜' }) name!: string;
  @ApiProperty({ type: [String], example: ['quality-dept'], description: 'The units whose complaints the agent handles: an assignment to the agent names one of them.' }) units!: string[];
  @ApiProperty({ example: true }) active!: boolean;
  @ApiProperty({ format: 'date-time', example: '2026-03-01T01:06:00.000Z' }) addedAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', example: null }) deactivatedAt!: string | null;
}

export class ServiceNetworkViewDto {
  @ApiProperty({ example: 3, description: 'Revision of the service-network stream (-1 while empty); send it back as If-Match on a change.' }) revision!: number;
  @ApiProperty({ type: [ServiceUnitDto], description: 'Centre, branches and stations, in registration order.' }) units!: ServiceUnitDto[];
  @ApiProperty({ type: [EngineerDto], description: 'Every engineer ever added, active or not, in the order they were added.' }) engineers!: EngineerDto[];
  @ApiProperty({ type: [AgentDto], description: 'Every complaint-desk agent ever added, active or not, in the order they were added.' }) agents!: AgentDto[];
}


export class OpenWorkOrderRefDto {
  @ApiProperty({ format: 'uuid', example: '3b9e1f52-6c0d-4f7a-8e21-5d4c3b2a1f00' }) id!: string;
  @ApiProperty({ enum: WORK_ORDER_STATUSES, example: 'visit-scheduled' }) status!: string;
}

/** A deactivated agent or engineer, and the tokens the request revoked with it (revokeTokens). */
export class PersonDeactivatedDto extends CommandAcceptedDto {
  @ApiProperty({
    type: [String], example: ['36c047e5-4d12-4e8c-a71d-54fdff6b2060'],
    description: 'The ids of the tokens this request revoked (revokeTokens: true), as GET /access/tokens lists them; empty without revokeTokens, or when the person had no active token of that role.',
  }) revokedTokens!: string[];
}

/** A deactivation is recorded whatever the engineer still holds; the answer lists it, to redispatch. */
export class EngineerDeactivatedDto extends PersonDeactivatedDto {
  @ApiProperty({
    type: [OpenWorkOrderRefDto],
    description: 'The open work orders still dispatched to the engineer, read from the log once the deactivation is stored (whole, whatever the read models have reached), in the order they were given to the engineer: redispatch each (POST /work-orders/{id}/redispatch). A closed one reopened later goes to another engineer named in the reopen.',
  }) openWorkOrders!: OpenWorkOrderRefDto[];
}

export class ProductViewDto {
  @ApiProperty({ example: 'registered' }) status!: string;
  @ApiProperty({ example: 'TQ2240-000731' }) serialNumber!: string;
  @ApiProperty({ example: 'TQ-2240 税控加油机' }) model!: string;
  @ApiProperty({ example: 'cust-10086' }) customerId!: string;
  @ApiProperty({ format: 'date', example: '2026-01-15' }) installedOn!: string;
  @ApiProperty(object({ startsOn: '2026-01-15', months: 12, covers: ['parts', 'labour'] }, 'startsOn (the first covered day), months, covers (parts, labour, on-site).')) warranty!: object;
  @ApiProperty({ format: 'date', example: '2027-01-14', description: 'The last day the warranty covers.' }) lastCoveredDay!: string;
  @ApiProperty({ format: 'date-time', example: '2026-01-15T06:00:00.000Z' }) registeredAt!: string;
  @ApiProperty({ example: 0, description: 'Revision of the product-<serial> stream; send it back as If-Match.' }) revision!: number;
}

export class WarrantyDecisionDto {
  @ApiProperty({ example: 'TQ2240-000731', description: 'The serial number in its canonical form.' }) serialNumber!: string;
  @ApiProperty({ enum: ['in-warranty', 'expired', 'not-yet-in-force', 'customer-damage', 'not-registered'], example: 'in-warranty' }) verdict!: string;
  @ApiProperty({ format: 'date', example: '2026-03-02' }) judgedOn!: string;
  @ApiProperty({ example: 'unknown' }) faultCause!: string;
  @ApiProperty({ nullable: true, type: String, example: null }) damageReason!: string | null;
  @ApiProperty(nullableObject({ serialNumber: 'TQ2240-000731', model: 'TQ-2240 税控加油机', warranty: { startsOn: '2026-01-15', months: 12, covers: ['parts', 'labour'] } })) product!: object | null;
  @ApiProperty({ nullable: true, type: String, format: 'date', example: '2027-01-14' }) lastCoveredDay!: string | null;
  @ApiProperty({ type: [String], example: ['parts', 'labour'], description: 'What the customer does not pay for.' }) free!: string[];
  @ApiProperty({ type: [String], example: ['on-site'], description: 'What may be quoted.' }) chargeable!: string[];
}

/** A command on the work order (its route POST /work-orders/{id}/<action>), and whether this principal may send it now. */
export class WorkOrderAllowedActionDto {
  @ApiProperty({ enum: WORK_ORDER_ACTIONS, example: 'redispatch' }) action!: string;
  @ApiProperty({ example: false }) allowed!: boolean;
  @ApiProperty({ type: () => ActionRefusalDto, nullable: true, description: 'null when allowed.' }) reason!: ActionRefusalDto | null;
}

/** The work order folded from its events; which fields are there depends on its status. */
export class WorkOrderViewDto {
  @ApiProperty({ format: 'uuid', example: '3b9e1f52-6c0d-4f7a-8e21-5d4c3b2a1f00' }) id!: string;
  @ApiProperty({ enum: WORK_ORDER_STATUSES, example: 'on-site' }) status!: string;
  @ApiProperty({ example: 4, description: 'Revision of the work-order stream (also the ETag); send it back as If-Match.' }) revision!: number;
  @ApiProperty({ example: 'cust-10086' }) customerId!: string;
  @ApiProperty(nullableObject({ name: '李先生', phone: '+86 415 000 0000' }, 'Personal data: null once the customer was erased.')) contact!: object | null;
  @ApiProperty({ type: String, nullable: true, example: '辽宁省丹东市振兴区 加油站 3 号岛', description: 'Personal data: null once the customer was erased.' }) address!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '210600' }) region!: string | null;
  @ApiProperty(object({ model: 'TQ-2240 税控加油机', serialNumber: 'TQ2240-000731' })) product!: object;
  @ApiProperty({ example: '2 号枪加油到 20 升就自动停止。' }) faultDescription!: string;
  @ApiProperty({ example: 'phone' }) channel!: string;
  @ApiProperty({ example: 'medium' }) priority!: string;
  @ApiProperty({ format: 'date-time', example: '2026-03-02T02:00:00.000Z' }) reportedAt!: string;
  @ApiProperty(object({ id: 'agent-1', role: 'agent' })) reportedBy!: object;
  @ApiProperty(object(
    { policyVersion: 'seed-default-v1', durations: { firstReply: 'PT2H', answer: 'PT72H', onSite: 'PT24H', callback: 'PT48H' }, firstContactDue: '2026-03-02T04:00:00.000Z', onSiteDue: '2026-03-03T02:00:00.000Z', completionDue: '2026-03-05T02:00:00.000Z' },
    'The SLA terms captured at the report: policy version, calendar, durations, deadlines of the first cycle.',
  )) sla!: object;
  @ApiProperty({ example: 'P30D' }) repeatRepairWindow!: string;
  @ApiProperty({ type: [String], example: [] }) linkedComplaintIds!: string[];
  @ApiProperty({ nullable: true, type: String, format: 'date-time', example: '2026-03-02T02:20:00.000Z' }) firstContactAt!: string | null;
  @ApiProperty(nullableObject(null, '{ level, to, at } once escalated.')) escalation!: object | null;
  @ApiProperty(object({ number: 1, startedAt: '2026-03-02T02:00:00.000Z', onSiteDue: '2026-03-03T02:00:00.000Z', completionDue: '2026-03-05T02:00:00.000Z' }, 'The current repair cycle (a repeat repair starts the next).')) cycle!: object;
  @ApiProperty({ type: [String], example: [], description: 'Clocks whose breach is recorded in this cycle.' }) breaches!: string[];
  @ApiProperty({ example: 1 }) visitCount!: number;
  @ApiProperty({ example: 0 }) quoteCount!: number;
  @ApiProperty({
    type: 'array', items: object({ cycle: 1, amount: { currency: 'CNY', minorUnits: 40000 }, quoteNumber: 1, at: '2026-03-02T07:30:00.000Z' }),
    example: [{ cycle: 1, amount: { currency: 'CNY', minorUnits: 40000 }, quoteNumber: 1, at: '2026-03-02T07:30:00.000Z' }],
    description: 'Every fee charged on the order, of every repair cycle, oldest first (repair.fee is the current cycle\'s only). An order with a fee is never cancelled.',
  }) feesCharged!: object[];
  @ApiPropertyOptional(nullableObject({ stationCode: 'dandong-station', stationName: { 'zh-CN': '丹东服务站', en: 'Dandong service station' }, engineerId: 'eng-wang', engineerName: '王工', dispatchedAt: '2026-03-02T02:10:00.000Z' }, 'From the dispatch on (null: cancelled before any dispatch).')) dispatch?: object | null;
  @ApiPropertyOptional(object(
    { remoteDiagnosis: null, arrivedAt: '2026-03-02T05:00:00.000Z', findings: null, warranty: null, quote: null, work: [], fee: null, lastTest: null },
    'From the dispatch on: the facts of the current repair (remote diagnosis, arrival, findings, warranty decision, quote, work, fee, last test).',
  )) repair?: object;
  @ApiPropertyOptional(object({ number: 1, scheduledFor: null, arrivedAt: '2026-03-02T05:00:00.000Z' }, 'visit-scheduled and on-site.')) visit?: object;
  @ApiPropertyOptional(object({ signedBy: '李先生', at: '2026-03-02T08:00:00.000Z' }, 'signed-off and after; signedBy (personal data) is null once the customer\'s personal data were erased.')) signOff?: object;
  @ApiPropertyOptional(object({ outcome: 'repaired', closedAt: '2026-03-02T08:10:00.000Z', surveyDue: '2026-03-04T08:10:00.000Z' }, 'closed.')) closure?: object;
  @ApiPropertyOptional(nullableObject(null, 'closed: the satisfaction survey, once sent, with its answer.')) survey?: object | null;
  @ApiPropertyOptional(object({ reason: 'duplicate report', at: '2026-03-02T03:00:00.000Z' }, 'cancelled.')) cancellation?: object;
  @ApiProperty({
    type: () => [WorkOrderAllowedActionDto],
    description: 'Every command on the order, and whether this principal may send it now (its role, then whether it may act at all: not an engineer or agent the service network has deactivated, then the order\'s state as the command\'s own decision judges it), with the code and words of the refusal when not. Allowed means the state allows it: the data sent still decides (a 400 names the field).',
  }) allowedActions!: WorkOrderAllowedActionDto[];
}

export class StoredEventDto {
  @ApiProperty({ example: 0 }) revision!: number;
  @ApiProperty({ example: 42 }) position!: number;
  @ApiProperty({ example: 'WorkOrderReported' }) type!: string;
  @ApiProperty({ format: 'date-time', example: '2026-03-02T02:00:00.012Z' }) recordedAt!: string;
  @ApiProperty(object({ workOrderId: '3b9e1f52-6c0d-4f7a-8e21-5d4c3b2a1f00', reportedAt: '2026-03-02T02:00:00.000Z' })) data!: object;
  @ApiProperty(object(
    { commandType: 'ReportFault', actor: { id: 'agent-1', role: 'agent' }, occurredAt: '2026-03-02T02:00:00.000Z', schemaVersion: 1 },
    'eventId, commandId, commandType, correlationId, causationId, actor, reason, occurredAt, requestDigest (when an Idempotency-Key was sent), schemaVersion, hash.',
  )) metadata!: object;
}

export class EventStreamDto {
  @ApiProperty({ example: '3b9e1f52-6c0d-4f7a-8e21-5d4c3b2a1f00' }) id!: string;
  @ApiProperty({ example: 4 }) revision!: number;
  @ApiProperty({ type: [StoredEventDto] }) events!: StoredEventDto[];
}

const CODE_LABELS = { type: 'array' as const, items: { type: 'object' as const, properties: { code: { type: 'string' as const }, labels: LABEL } } };

export class AfterSalesTaxonomyDto {
  @ApiProperty({ ...CODE_LABELS, example: [{ code: 'station', labels: { 'zh-CN': '服务站', en: 'Service station' } }] }) serviceUnitKind!: object[];
  @ApiProperty({ ...CODE_LABELS, example: [{ code: 'customer-damage', labels: { 'zh-CN': '人为损坏', en: 'Damage caused by the customer' } }] }) faultCause!: object[];
  @ApiProperty({ ...CODE_LABELS, example: [{ code: 'in-warranty', labels: { 'zh-CN': '保修期内', en: 'In warranty' } }] }) warrantyVerdict!: object[];
  @ApiProperty({ ...CODE_LABELS, example: [{ code: 'on-site', labels: { 'zh-CN': '上门服务', en: 'On-site call-out' } }] }) chargeKind!: object[];
  @ApiProperty({ ...CODE_LABELS, example: [{ code: 'fixed-remotely', labels: { 'zh-CN': '远程排除故障', en: 'Fixed remotely' } }] }) remoteOutcome!: object[];
  @ApiProperty({ ...CODE_LABELS, example: [{ code: 'customer-absent', labels: { 'zh-CN': '客户不在', en: 'Customer absent' } }] }) failedVisitReason!: object[];
  @ApiProperty({ ...CODE_LABELS, example: [{ code: 'mobile-payment', labels: { 'zh-CN': '移动支付', en: 'Mobile payment' } }] }) paymentMethod!: object[];
  @ApiProperty({ ...CODE_LABELS, example: [{ code: 'repaired', labels: { 'zh-CN': '维修完成', en: 'Repaired' } }] }) closureOutcome!: object[];
  @ApiProperty({ ...CODE_LABELS, example: [{ code: 'on-site', labels: { 'zh-CN': '到达现场', en: 'on-site arrival' } }] }) workOrderClock!: object[];
}
