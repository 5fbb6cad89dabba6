import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, RequestMethod, Res } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { WORK_ORDER_ACTIONS, canonicalSerialNumber, workOrderActionRefusal, type Actor, type DepartmentScope, type ExistingWorkOrder, type Role, type WorkOrderAction } from '@app/domain';
import {
  CancelWorkOrderCommand, ConfirmQuoteCommand, DispatchWorkOrderCommand, EscalateWorkOrderCommand, GetWorkOrderQuery, HandOverWorkOrderCommand,
  LinkComplaintCommand, QuoteRepairCommand, RecordArrivalCommand, RecordCustomerContactCommand, RecordFailedVisitCommand, RecordFeeCommand,
  RecordFindingsCommand, RecordRemoteDiagnosisCommand, RecordRepairWorkCommand, RecordSignOffCommand, RecordSurveyAnswerCommand, RecordTestCommand,
  RefuseQuoteCommand, ReopenWorkOrderCommand, ReportFaultCommand, ScheduleVisitCommand, SendSurveyCommand, WorkOrderCommandExecutor,
  type WorkOrderView,
} from '@app/after-sales';
import { Clock, type CommandContext, type CommandOutcome } from '@app/complaints';
import { DirectoryCheck } from '../complaints/directory-check';
import { ALL_ROLES, ActingRoles, CurrentActor, CurrentScope, ROLES_KEY, Roles } from '../auth/roles.decorator';
import { actingRefusal, allowedActions } from '../http/allowed-actions';
import { CommandRunner, UUID_PATH_ID } from '../http/command-runner';
import { pathResourceFirst } from '../http/path-resource-first';
import { WorkOrderIdPipe } from './after-sales-params';
import { AfterSalesCommandDocs } from './command-docs';
import type { ProblemCode } from '../http/problem';
import { OkResponse, ProblemResponses, STORE_DAMAGED, TURN_WRITE, etagHeader } from '../openapi/api-responses.decorator';
import { STREAM_EVENT_COLUMNS } from '../export/csv-columns';
import { CsvExport } from '../export/csv-export';
import type { ComplaintEventDto } from '../complaints/dto/complaint-views.dto';
import { ExportQueryDto } from '../read-models/query.dto';
import { EventStreamDto, WorkOrderViewDto } from './dto/after-sales-views.dto';
import {
  CancelWorkOrderDto, ConfirmQuoteDto, DispatchWorkOrderDto, EscalateWorkOrderDto, HandOverWorkOrderDto, LinkComplaintDto, QuoteRepairDto,
  RecordArrivalDto, RecordCustomerContactDto, RecordFailedVisitDto, RecordFeeDto, RecordFindingsDto, RecordRemoteDiagnosisDto, RecordRepairWorkDto,
  RecordSignOffDto, RecordSurveyAnswerDto, RecordTestDto, RedispatchWorkOrderDto, RefuseQuoteDto, ReopenWorkOrderDto, ReportFaultDto,
  ScheduleVisitDto, SendSurveyDto,
} from './dto/work-order-commands.dto';

/**
 * Who does what on a work order (README, "Repairs"): the desk reports and dispatches, the engineer
 * works on site, supervisors redispatch, cancel and escalate; admins may do everything. A token
 * limited to departments acts on the orders of its service points (before dispatch: those it reported).
 */
const DESK: Role[] = ['agent', 'supervisor', 'admin'];
const FIELD: Role[] = ['engineer', 'admin'];
const FIELD_AND_DESK: Role[] = ['agent', 'supervisor', 'engineer', 'admin'];
const MANAGERS: Role[] = ['supervisor', 'admin'];
/** The roles of a command an engineer or an agent may send: also 403 `engineer-deactivated` / `agent-deactivated` (ActingRoles). */
const FieldRoles = (roles: Role[], also = '') => ActingRoles(roles,
  'an engineer\'s or agent\'s whom the service network has deactivated (a supervisor redispatches the order to an active engineer, or another agent of the desk takes it on; the admin revokes the token)',
  roles.includes('engineer')
    ? { codes: ['not-the-dispatched-engineer'], description: `, or an engineer's of the directory other than the one the order is dispatched to (not-the-dispatched-engineer: a supervisor redispatches the order to them first)${also}` }
    : { codes: [], description: also });
/** The 403 of a dispatch or redispatch to a station outside a limited token's departments (DirectoryCheck.requireWithinScope). */
const OUTSIDE_STATIONS = ', or (`forbidden`) the token is limited to departments and `stationCode` is not one of them: a limited token dispatches only within its departments';

const ID_PARAM = ApiParam({ name: 'id', format: 'uuid', example: '3b9e1f52-6c0d-4f7a-8e21-5d4c3b2a1f00', description: 'The work order (any other text: 404).' });
const ORDER = { subject: 'work order' } as const;
const NOT_FOUND = { status: 404, description: 'No such work order, or one outside the caller\'s service points.', codes: ['work-order-not-found'] } as const;
/** The 409s of a command before the engineer is on site, by the order's status (STATUS_REFUSALS of the decider). */
const BEFORE_ARRIVAL: ProblemCode[] = ['not-dispatched', 'already-on-site', 'already-fixed', 'already-signed-off', 'not-open'];
/** Of a command only on site. */
const ON_SITE: ProblemCode[] = ['not-dispatched', 'not-on-site', 'already-fixed', 'already-signed-off', 'not-open'];
/** Of a command between the dispatch and the sign-off, but not after a remote fix. */
const BEFORE_SIGN_OFF: ProblemCode[] = ['not-dispatched', 'already-fixed', 'already-signed-off', 'not-open'];
/** A dispatch names a service point and one of its active engineers. */
const DISPATCH_INVALID: ProblemCode[] = ['unknown-station', 'not-a-service-point', 'unknown-engineer', 'engineer-not-at-station', 'engineer-inactive'];

/** Repair work orders (售后服务派工单), from the report to the survey: one route per command of the domain. */
@ApiTags('work orders')
@Controller('work-orders')
export class WorkOrdersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly runner: CommandRunner,
    private readonly executor: WorkOrderCommandExecutor,
    private readonly clock: Clock,
    private readonly directory: DirectoryCheck,
    private readonly csv: CsvExport,
  ) {}

  /**
   * Each action with whether this principal may take it now, and why not: the roles of its route,
   * the deactivation every command of the principal answers and an engineer's "not your order" (403), then the decision the command
   * runs (workOrderActionRefusal), so that the console and the decider cannot disagree.
   */
  private async allowedActions(state: ExistingWorkOrder, actor: Actor) {
    const at = this.clock.now().toISOString();
    const deactivation = await actingRefusal(() => this.executor.requireActingOn(actor, state.id, state));
    const roles = actionRoles();
    return allowedActions(WORK_ORDER_ACTIONS, actor, (action) => roles.get(action) ?? [], deactivation, (action) => workOrderActionRefusal(action, state, at, actor));
  }

  /**
   * Throws the order's 404 when this caller may not see it (missing, or outside its departments): asked before a refusal
   * of what the body names is answered (pathResourceFirst, docs/adr/0009).
   */
  private requireVisible(id: string, actorId: string, scope: DepartmentScope): Promise<unknown> {
    return this.queries.execute(new GetWorkOrderQuery(id, scope === 'all' ? undefined : { actorId, scope }));
  }

  private run(request: FastifyRequest, reply: FastifyReply, actor: Actor, dispatch: (context: CommandContext) => unknown, status: 200 | 201 = 200) {
    return this.runner.run(request, reply, actor, (context) => dispatch(context) as Promise<CommandOutcome>, {
      status,
      location: (id) => `/work-orders/${id}`,
      pathIds: { id: UUID_PATH_ID },
      // The product's serial number of a report, read as its DTO reads it (the other commands carry none).
      bodyIds: { 'product.serialNumber': canonicalSerialNumber },
      // An order outside the caller's departments is "not found", as the command itself would answer.
      requireInScope: (id, { id: actorId }, scope) => this.requireVisible(id, actorId, scope),
      // A retry answered from the Idempotency-Key store runs no command: a deactivated engineer is refused there too.
      requireActing: (acting) => this.executor.requireActing(acting),
    });
  }

  @Post()
  @HttpCode(201)
  @FieldRoles(DESK)
  @AfterSalesCommandDocs('Report a fault (报修): records the order with the SLA deadlines of the policy in force', { subject: 'work order', command: 'ReportFault', created: '/work-orders/3b9e1f52-6c0d-4f7a-8e21-5d4c3b2a1f00', illegal: ['work-order-already-exists'], invalid: ['invalid-serial-number', 'invalid-region', 'invalid-policy', 'invalid-repeat-window', 'description-required', 'unknown-complaint'] })
  report(@Body() body: ReportFaultDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, (context) => this.commands.execute(new ReportFaultCommand({ ...body }, context)), 201);
  }

  @Post(':id/dispatch')
  @HttpCode(200)
  @FieldRoles(DESK, OUTSIDE_STATIONS)
  @ID_PARAM
  @AfterSalesCommandDocs('Dispatch the order (派单/派工) to a service point and one of its active engineers; an order already dispatched is redispatched instead', { ...ORDER, command: 'DispatchWorkOrder', illegal: ['already-dispatched', 'not-dispatchable', 'not-open'], invalid: DISPATCH_INVALID })
  @ProblemResponses(TURN_WRITE)
  dispatch(
    @Param('id', WorkOrderIdPipe) id: string, @Body() body: DispatchWorkOrderDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope,
    @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(request, reply, actor, (context) => pathResourceFirst(scope, () => this.requireVisible(id, actor.id, scope), async () => {
      await this.directory.requireWithinScope(scope, body.stationCode, 'Station');
      return this.commands.execute(new DispatchWorkOrderCommand(id, { ...body }, false, context));
    }));
  }

  @Post(':id/redispatch')
  @HttpCode(200)
  @Roles(...MANAGERS)
  @ProblemResponses({ status: 403, codes: ['forbidden'], description: `The token's role may not call this route (allowed: ${MANAGERS.join(', ')})${OUTSIDE_STATIONS}. Nothing was written.` })
  @ID_PARAM
  @AfterSalesCommandDocs('Redispatch a dispatched order to another station or engineer, with the reason; a scheduled visit is dropped', { ...ORDER, command: 'DispatchWorkOrder', illegal: ['not-dispatched', 'already-dispatched', 'not-dispatchable', 'not-open'], invalid: [...DISPATCH_INVALID, 'reason-required'] })
  @ProblemResponses(TURN_WRITE)
  redispatch(
    @Param('id', WorkOrderIdPipe) id: string, @Body() body: RedispatchWorkOrderDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope,
    @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(request, reply, actor, (context) => pathResourceFirst(scope, () => this.requireVisible(id, actor.id, scope), async () => {
      await this.directory.requireWithinScope(scope, body.stationCode, 'Station');
      return this.commands.execute(new DispatchWorkOrderCommand(id, { ...body }, true, context));
    }));
  }

  @Post(':id/contact')
  @HttpCode(200)
  @FieldRoles(FIELD_AND_DESK)
  @ID_PARAM
  @AfterSalesCommandDocs('Record a contact with the customer; the first one meets the first-contact clock (2 h)', { ...ORDER, command: 'RecordCustomerContact', illegal: ['not-open'] })
  contact(@Param('id', WorkOrderIdPipe) id: string, @Body() body: RecordCustomerContactDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, (context) => this.commands.execute(new RecordCustomerContactCommand(id, { ...body }, context)));
  }

  @Post(':id/remote-diagnosis')
  @HttpCode(200)
  @FieldRoles(FIELD_AND_DESK)
  @ID_PARAM
  @AfterSalesCommandDocs('Record the remote diagnosis by phone or network (远程故障排除); a remote fix goes straight to the customer\'s confirmation', { ...ORDER, command: 'RecordRemoteDiagnosis', illegal: [...BEFORE_ARRIVAL, 'already-visited'], invalid: ['findings-required'] })
  remoteDiagnosis(@Param('id', WorkOrderIdPipe) id: string, @Body() body: RecordRemoteDiagnosisDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, (context) => this.commands.execute(new RecordRemoteDiagnosisCommand(id, { ...body }, context)));
  }

  @Post(':id/schedule-visit')
  @HttpCode(200)
  @FieldRoles(FIELD_AND_DESK)
  @ID_PARAM
  @AfterSalesCommandDocs('Schedule (or move, with a reason) the on-site visit', { ...ORDER, command: 'ScheduleVisit', illegal: BEFORE_ARRIVAL, invalid: ['invalid-time', 'visit-in-past', 'visit-too-far-ahead', 'reason-required'] })
  scheduleVisit(@Param('id', WorkOrderIdPipe) id: string, @Body() body: ScheduleVisitDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, (context) => this.commands.execute(new ScheduleVisitCommand(id, { ...body }, context)));
  }

  @Post(':id/arrive')
  @HttpCode(200)
  @FieldRoles(FIELD)
  @ID_PARAM
  @AfterSalesCommandDocs('Record the engineer\'s arrival on site; the first of a cycle meets the on-site clock (报修后24小时内到达现场)', { ...ORDER, command: 'RecordArrival', illegal: BEFORE_ARRIVAL })
  arrive(@Param('id', WorkOrderIdPipe) id: string, @Body() body: RecordArrivalDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, (context) => this.commands.execute(new RecordArrivalCommand(id, { ...body }, context)));
  }

  @Post(':id/failed-visit')
  @HttpCode(200)
  @FieldRoles(FIELD_AND_DESK)
  @ID_PARAM
  @AfterSalesCommandDocs('Record a failed visit (customer absent, part missing …) and schedule the next', { ...ORDER, command: 'RecordFailedVisit', illegal: ['not-dispatched', 'no-visit', 'already-fixed', 'already-signed-off', 'not-open'], invalid: ['invalid-time', 'visit-in-past', 'visit-too-far-ahead'] })
  failedVisit(@Param('id', WorkOrderIdPipe) id: string, @Body() body: RecordFailedVisitDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, (context) => this.commands.execute(new RecordFailedVisitCommand(id, { ...body }, context)));
  }

  @Post(':id/findings')
  @HttpCode(200)
  @FieldRoles(FIELD)
  @ID_PARAM
  @AfterSalesCommandDocs('Record the findings on site; the warranty decision is computed from the product registry for the day of the report', { ...ORDER, command: 'RecordFindings', illegal: [...ON_SITE, 'findings-locked'], invalid: ['findings-required', 'damage-reason-required', 'product-mismatch'] })
  findings(@Param('id', WorkOrderIdPipe) id: string, @Body() body: RecordFindingsDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, (context) => this.commands.execute(new RecordFindingsCommand(id, { ...body }, context)));
  }

  @Post(':id/quote')
  @HttpCode(200)
  @FieldRoles(FIELD)
  @ID_PARAM
  @AfterSalesCommandDocs('Quote what the warranty leaves chargeable (报价), in one currency of integer minor units', { ...ORDER, command: 'QuoteRepair', illegal: [...BEFORE_SIGN_OFF, 'warranty-not-assessed', 'covered-by-warranty', 'quote-already-confirmed', 'charge-covered-by-warranty'], invalid: ['quote-empty', 'description-required', 'invalid-money', 'invalid-amount', 'mixed-currencies'] })
  quote(@Param('id', WorkOrderIdPipe) id: string, @Body() body: QuoteRepairDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, (context) => this.commands.execute(new QuoteRepairCommand(id, { ...body }, context)));
  }

  @Post(':id/confirm-quote')
  @HttpCode(200)
  @FieldRoles(FIELD_AND_DESK)
  @ID_PARAM
  @AfterSalesCommandDocs('Record that the customer confirmed the quote they were shown (quoteNumber): chargeable work may start', { ...ORDER, command: 'ConfirmQuote', illegal: [...BEFORE_SIGN_OFF, 'no-pending-quote', 'quote-superseded'], invalid: ['confirmed-by-required', 'unknown-quote'] })
  confirmQuote(@Param('id', WorkOrderIdPipe) id: string, @Body() body: ConfirmQuoteDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, (context) => this.commands.execute(new ConfirmQuoteCommand(id, { ...body }, context)));
  }

  @Post(':id/refuse-quote')
  @HttpCode(200)
  @FieldRoles(FIELD_AND_DESK)
  @ID_PARAM
  @AfterSalesCommandDocs('Record that the customer refused the quote they were shown (quoteNumber): the order closes, or only free work goes on', { ...ORDER, command: 'RefuseQuote', illegal: [...BEFORE_SIGN_OFF, 'no-pending-quote', 'quote-superseded'], invalid: ['reason-required', 'unknown-quote'] })
  refuseQuote(@Param('id', WorkOrderIdPipe) id: string, @Body() body: RefuseQuoteDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, (context) => this.commands.execute(new RefuseQuoteCommand(id, { ...body }, context)));
  }

  @Post(':id/work')
  @HttpCode(200)
  @FieldRoles(FIELD)
  @ID_PARAM
  @AfterSalesCommandDocs('Record work done and the spare parts used (派工单); chargeable work needs the confirmed quote', { ...ORDER, command: 'RecordRepairWork', illegal: [...ON_SITE, 'findings-not-recorded', 'covered-by-warranty', 'quote-not-confirmed'], invalid: ['description-required', 'invalid-part-number', 'invalid-quantity'] })
  work(@Param('id', WorkOrderIdPipe) id: string, @Body() body: RecordRepairWorkDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, (context) => this.commands.execute(new RecordRepairWorkCommand(id, { ...body, parts: body.parts ?? [] }, context)));
  }

  @Post(':id/fee')
  @HttpCode(200)
  @FieldRoles(FIELD_AND_DESK)
  @ID_PARAM
  @AfterSalesCommandDocs('Record the fee charged: once, at most the confirmed quote, never on what the warranty covers', { ...ORDER, command: 'RecordFee', illegal: ['not-dispatched', 'not-open', 'fee-already-charged', 'warranty-not-assessed', 'fee-on-warranty-repair', 'quote-not-confirmed', 'no-chargeable-work', 'fee-exceeds-quote'], invalid: ['invalid-money', 'invalid-amount', 'currency-mismatch'] })
  fee(@Param('id', WorkOrderIdPipe) id: string, @Body() body: RecordFeeDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, (context) => this.commands.execute(new RecordFeeCommand(id, { ...body }, context)));
  }

  @Post(':id/test')
  @HttpCode(200)
  @FieldRoles(FIELD)
  @ID_PARAM
  @AfterSalesCommandDocs('Record the test and commissioning (调试与上线测试); the sign-off needs a passed one', { ...ORDER, command: 'RecordTest', illegal: [...ON_SITE, 'no-work-recorded'] })
  test(@Param('id', WorkOrderIdPipe) id: string, @Body() body: RecordTestDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, (context) => this.commands.execute(new RecordTestCommand(id, { ...body }, context)));
  }

  @Post(':id/sign-off')
  @HttpCode(200)
  @FieldRoles(FIELD)
  @ID_PARAM
  @AfterSalesCommandDocs('Record the customer\'s signature on the work order (客户签字确认)', { ...ORDER, command: 'RecordSignOff', illegal: ['not-dispatched', 'test-not-passed', 'quote-pending', 'already-signed-off', 'not-open'], invalid: ['signed-by-required'] })
  signOff(@Param('id', WorkOrderIdPipe) id: string, @Body() body: RecordSignOffDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, (context) => this.commands.execute(new RecordSignOffCommand(id, { ...body }, context)));
  }

  @Post(':id/hand-over')
  @HttpCode(200)
  @FieldRoles(FIELD_AND_DESK)
  @ID_PARAM
  @AfterSalesCommandDocs('Hand the repair over: the order closes (charged work needs its fee first)', { ...ORDER, command: 'HandOverWorkOrder', illegal: ['not-dispatched', 'not-signed-off', 'fee-not-recorded', 'not-open'] })
  handOver(@Param('id', WorkOrderIdPipe) id: string, @Body() body: HandOverWorkOrderDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, (context) => this.commands.execute(new HandOverWorkOrderCommand(id, { ...body }, context)));
  }

  @Post(':id/survey')
  @HttpCode(200)
  @FieldRoles(DESK)
  @ID_PARAM
  @AfterSalesCommandDocs('Send the satisfaction survey after the hand-over (维修完成后客户满意度调查)', { ...ORDER, command: 'SendSurvey', illegal: ['not-closed', 'survey-already-sent', 'survey-already-open'], invalid: ['invalid-survey-id', 'questions-required', 'invalid-question-id', 'duplicate-question', 'question-text-required'], deprecatedFor: 'POST /surveys' })
  @ProblemResponses(TURN_WRITE)
  survey(@Param('id', WorkOrderIdPipe) id: string, @Body() body: SendSurveyDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, (context) => this.commands.execute(new SendSurveyCommand(id, { ...body }, context)));
  }

  @Post(':id/survey-answer')
  @HttpCode(200)
  @FieldRoles(DESK)
  @ID_PARAM
  @AfterSalesCommandDocs('Record the customer\'s answer to the survey: 1–5 per question and free text', { ...ORDER, command: 'RecordSurveyAnswer', illegal: ['not-closed', 'survey-not-sent', 'survey-already-answered'], invalid: ['answers-required', 'unknown-question', 'duplicate-answer', 'invalid-score'], deprecatedFor: 'POST /surveys/{id}/answer' })
  surveyAnswer(@Param('id', WorkOrderIdPipe) id: string, @Body() body: RecordSurveyAnswerDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, (context) => this.commands.execute(new RecordSurveyAnswerCommand(id, { ...body }, context)));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles(...MANAGERS)
  @ID_PARAM
  @AfterSalesCommandDocs('Cancel the order, with its reason (not once a fee is charged or the customer signed)', { ...ORDER, command: 'CancelWorkOrder', illegal: ['already-signed-off', 'not-open', 'fee-already-charged'], invalid: ['reason-required'] })
  cancel(@Param('id', WorkOrderIdPipe) id: string, @Body() body: CancelWorkOrderDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, (context) => this.commands.execute(new CancelWorkOrderCommand(id, { ...body }, context)));
  }

  @Post(':id/reopen')
  @HttpCode(200)
  @FieldRoles(DESK)
  @ID_PARAM
  @AfterSalesCommandDocs('Reopen a repaired order when the fault returns within its repeat-repair window: a new cycle with its own deadlines', { ...ORDER, command: 'ReopenWorkOrder', illegal: ['not-reopenable', 'repeat-window-passed', 'engineer-no-longer-active'], invalid: ['reason-required', 'unknown-engineer', 'engineer-not-at-station', 'engineer-inactive'] })
  @ProblemResponses(TURN_WRITE)
  reopen(@Param('id', WorkOrderIdPipe) id: string, @Body() body: ReopenWorkOrderDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, (context) => this.commands.execute(new ReopenWorkOrderCommand(id, { ...body }, context)));
  }

  @Post(':id/escalate')
  @HttpCode(200)
  @Roles(...MANAGERS)
  @ID_PARAM
  @AfterSalesCommandDocs('Escalate the order (levels only rise); naming a clock records that its time limit is at risk. The target is a unit (code, or name in Chinese or English) or an agent of the directory once it has units, recorded as the unit\'s code or the agent\'s id, as a complaint\'s escalation (400 agent-inactive for an agent since deactivated)', { ...ORDER, command: 'EscalateWorkOrder', illegal: ['not-escalatable', 'escalation-level-not-higher', 'clock-not-running', 'clock-met'], invalid: ['invalid-level', 'escalation-target-required', 'reason-required', 'unknown-escalation-target', 'ambiguous-escalation-target', 'agent-inactive'] })
  escalate(
    @Param('id', WorkOrderIdPipe) id: string, @Body() body: EscalateWorkOrderDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope,
    @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    // The same check as a complaint's escalation (DirectoryCheck.escalation), and the same fence: an agent deactivated
    // between this check and the append refuses it (the agent's duty stream, docs/adr/0012).
    return this.run(request, reply, actor, (context) => pathResourceFirst(scope, () => this.requireVisible(id, actor.id, scope), () => this.directory.escalation(body.to,
      (to, holder) => this.commands.execute(new EscalateWorkOrderCommand(id, { ...body, to }, context, holder)))));
  }

  @Post(':id/link-complaint')
  @HttpCode(200)
  @FieldRoles(DESK)
  @ID_PARAM
  @AfterSalesCommandDocs('Link a complaint to the order (a repair complaint, or one a bad survey opened); each complaint once', { ...ORDER, command: 'LinkComplaint', illegal: ['already-linked'], invalid: ['complaint-id-required', 'unknown-complaint'] })
  linkComplaint(
    @Param('id', WorkOrderIdPipe) id: string, @Body() body: LinkComplaintDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope,
    @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    // The complaint named is looked up before the order (LinkComplaintHandler): a hidden order answers 404 whatever it names.
    return this.run(request, reply, actor, (context) => pathResourceFirst(scope, () => this.requireVisible(id, actor.id, scope), () => this.commands.execute(new LinkComplaintCommand(id, { ...body }, context))));
  }

  @Get(':id')
  @Roles(...ALL_ROLES)
  @ID_PARAM
  @ApiOperation({ summary: 'The work order\'s current state, folded from its events, with the actions this principal may take now (allowedActions)' })
  @OkResponse(WorkOrderViewDto, { description: 'The work order as of its last event.', headers: { ETag: etagHeader('work order', 'as of its last event') } })
  @ProblemResponses(NOT_FOUND, STORE_DAMAGED)
  async get(@Param('id', WorkOrderIdPipe) id: string, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Res({ passthrough: true }) reply: FastifyReply) {
    const view = await this.queries.execute<GetWorkOrderQuery, WorkOrderView>(new GetWorkOrderQuery(id, { actorId: actor.id, scope }));
    reply.header('ETag', `"${view.revision}"`);
    return { ...view.state, revision: view.revision, allowedActions: await this.allowedActions(view.state, actor) };
  }

  @Get(':id/events')
  @Roles(...ALL_ROLES)
  @ID_PARAM
  @ApiOperation({ summary: 'The work order\'s stream: every event with its metadata; or as CSV' })
  @OkResponse(EventStreamDto, { description: 'Every event of the work order, oldest first.', csv: true, headers: { ETag: etagHeader('work order', 'as of its last event') } })
  @ProblemResponses({ status: 400, description: '`format` or `bom` is invalid.' }, 406, NOT_FOUND, STORE_DAMAGED)
  async events(
    @Param('id', WorkOrderIdPipe) id: string, @Query() query: ExportQueryDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope,
    @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const format = this.csv.formatOf(query, request, reply);
    const view = await this.queries.execute<GetWorkOrderQuery, WorkOrderView>(new GetWorkOrderQuery(id, { actorId: actor.id, scope }));
    reply.header('ETag', `"${view.revision}"`);
    const events = view.events.map(({ revision, position, type, data, metadata, recordedAt }) => ({ revision, position, type, recordedAt, data, metadata }));
    return format === 'csv' ? this.csv.send(reply, 'work-order-events', STREAM_EVENT_COLUMNS, events as unknown as ComplaintEventDto[], query) : { id, revision: view.revision, events };
  }
}

let rolesByAction: ReadonlyMap<WorkOrderAction, readonly Role[]> | undefined;

/**
 * The roles of each action, read from its route (POST :id/<action>, its @Roles), so that the list and
 * the routes cannot drift: a route without an action, or an action without a route, fails at the first read.
 */
export function actionRoles(): ReadonlyMap<WorkOrderAction, readonly Role[]> {
  if (rolesByAction) return rolesByAction;
  const prototype = WorkOrdersController.prototype as unknown as Record<string, unknown>;
  const routes = new Map<string, Role[]>();
  for (const name of Object.getOwnPropertyNames(prototype)) {
    const handler = prototype[name];
    if (typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) !== RequestMethod.POST) continue;
    const path = Reflect.getMetadata(PATH_METADATA, handler) as string;
    if (path.startsWith(':id/')) routes.set(path.slice(':id/'.length), Reflect.getMetadata(ROLES_KEY, handler) as Role[]);
  }
  const actions: readonly string[] = WORK_ORDER_ACTIONS;
  const unmatched = [...routes.keys()].filter((route) => !actions.includes(route)).concat(actions.filter((action) => !routes.has(action)));
  if (unmatched.length > 0) throw new Error(`WORK_ORDER_ACTIONS and the routes POST /work-orders/{id}/<action> differ: ${unmatched.join(', ')}`);
  rolesByAction = routes as Map<WorkOrderAction, Role[]>;
  return rolesByAction;
}
