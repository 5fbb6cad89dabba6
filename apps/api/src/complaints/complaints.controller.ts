import { Body, Controller, Get, HttpCode, Param, Post, Req, Res, applyDecorators } from '@nestjs/common';
import { ComplaintIdPipe } from './complaint-id.pipe';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  COMPLAINT_ACTIONS, SLA_CLOCKS, clockDeadline, clockMet, complaintActionRefusal, type Actor, type ComplaintAction, type ComplaintNoteAdded, type ContactDetailsInput,
  type DepartmentScope, type ExistingComplaint, type Role,
} from '@app/domain';
import {
  ApologiseForComplaintCommand, AssignComplaintCommand, RecordOnSiteVisitCommand, EscalateComplaintCommand, GetComplaintQuery, ReceiveComplaintCommand,
  Clock, RecordCallbackCommand, RejectComplaintCommand, ReopenComplaintCommand, ResolveComplaintCommand, ValidateComplaintCommand,
  AddComplaintNoteCommand, CorrectComplaintCommand, UpdateComplaintContactCommand,
  type CommandContext, type CommandOutcome, type ComplaintView,
} from '@app/complaints';
import { ALL_ROLES, CurrentActor, CurrentScope, ROLES_KEY, Roles } from '../auth/roles.decorator';
import { DirectoryCheck } from './directory-check';
import { CommandRunner } from '../http/command-runner';
import {
  ApologiseForComplaintDto, AssignComplaintDto, RecordOnSiteVisitDto, CommandAcceptedDto, EscalateComplaintDto, ReceiveComplaintDto, RecordCallbackDto,
  RejectComplaintDto, ReopenComplaintDto, ResolveComplaintDto, ValidateComplaintDto, AddComplaintNoteDto, CorrectComplaintDto, UpdateComplaintContactDto,
} from './dto/complaint-commands.dto';
import { ComplaintEventsDto, ComplaintViewDto } from './dto/complaint-views.dto';
import type { ProblemCode } from '../http/problem';
import { CommandResponses, ETAG_HEADER, OkResponse, ProblemResponses, STORE_DAMAGED } from '../openapi/api-responses.decorator';

/** One entry of a complaint's allowedActions. */
interface AllowedAction {
  readonly action: ComplaintAction;
  readonly allowed: boolean;
  readonly reason: { readonly code: string; readonly message: string } | null;
}

/**
 * The SLA clocks that apply to the complaint now, with their deadline and whether their step was taken,
 * as the decider judges them (clockDeadline, clockMet): a front-end counts down without a rule of its own.
 */
function clocksOf(state: ExistingComplaint) {
  return SLA_CLOCKS.flatMap((clock) => {
    const deadline = clockDeadline(state, clock);
    return deadline === null ? [] : [{ clock, deadline, met: clockMet(state, clock), breachRecorded: state.breaches.includes(clock) }];
  });
}

/** The thread of notes and replies, oldest first, from the complaint's events (each one's revision is its id). */
function notesOf(events: ComplaintView['events']) {
  return events.flatMap(({ revision, type, data }) => {
    if (type !== 'ComplaintNoteAdded') return [];
    const note = data as ComplaintNoteAdded['data'];
    return [{ revision, addedAt: note.addedAt, by: note.by, visibility: note.visibility, channel: note.channel, text: note.text, firstReply: note.firstReply }];
  });
}

/** The contact details of an intake body, or undefined when it gives none. */
function contactOf(body: ContactDetailsInput): ContactDetailsInput | undefined {
  const { phone, email, address, preferredChannel, preferredTime, language } = body;
  const contact = { phone, email, address, preferredChannel, preferredTime, language };
  return Object.values(contact).some((value) => value !== undefined && value !== null) ? contact : undefined;
}

/** A command on an existing complaint: its summary, its 409 codes and those of its domain 400s. */
function CommandDocs(summary: string, illegal: readonly ProblemCode[], invalid: readonly ProblemCode[] = []) {
  return applyDecorators(ApiOperation({ summary }), COMPLAINT_ID, CommandResponses({ type: CommandAcceptedDto, illegal, invalid }));
}

const COMPLAINT_ID = ApiParam({ name: 'id', format: 'uuid', example: '0c8f3f0e-5a7d-5b1e-9c4e-2f1a3b4c5d6e', description: 'The complaint (any other text: 404).' });
const NOT_FOUND = { status: 404, description: 'No such complaint, or one outside the caller\'s departments.', codes: ['complaint-not-found'] } as const;

@ApiTags('complaints')
@Controller('complaints')
export class ComplaintsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly runner: CommandRunner,
    private readonly clock: Clock,
    private readonly directory: DirectoryCheck,
  ) {}

  /**
   * Each action with whether this principal may take it now, and why not: the role as the action's
   * route allows it (its @Roles), then the status as decide() judges it. A front-end shows this and
   * never re-implements either rule.
   */
  private allowedActions(state: ExistingComplaint, actor: Actor): AllowedAction[] {
    const at = this.clock.now().toISOString();
    return COMPLAINT_ACTIONS.map((action) => {
      const roles = Reflect.getMetadata(ROLES_KEY, ComplaintsController.prototype[action]) as Role[];
      if (!(roles as string[]).includes(actor.role)) {
        return { action, allowed: false, reason: { code: 'role-not-allowed', message: `The ${actor.role} role may not ${action}; allowed: ${roles.join(', ')}.` } };
      }
      const refusal = complaintActionRefusal(action, state, at, actor);
      return refusal === null ? { action, allowed: true, reason: null } : { action, allowed: false, reason: refusal };
    });
  }

  private run(request: FastifyRequest, reply: FastifyReply, actor: Actor, dispatch: (context: CommandContext) => unknown, status: 200 | 201 = 200) {
    return this.runner.run(request, reply, actor, (context) => dispatch(context) as Promise<CommandOutcome>, {
      status,
      location: (id) => `/complaints/${id}`,
      // A complaint outside the caller's departments is "not found", as the command itself would answer.
      requireInScope: (id, { id: actorId }, scope) => this.queries.execute(new GetComplaintQuery(id, { actorId, scope })),
    });
  }

  @Post()
  @HttpCode(201)
  @Roles('agent', 'supervisor', 'admin')
  @ApiOperation({ summary: 'Receive a complaint (记录投诉): records it with the SLA deadlines of the policy in force' })
  @CommandResponses({
    type: CommandAcceptedDto, created: { location: '/complaints/0c8f3f0e-5a7d-5b1e-9c4e-2f1a3b4c5d6e' }, illegal: ['complaint-already-exists'],
    invalid: ['occurred-in-future', 'invalid-policy', 'invalid-phone', 'invalid-email', 'blank-text'],
  })
  receive(@Body() body: ReceiveComplaintDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const { phone: _phone, email: _email, address: _address, preferredChannel: _channel, preferredTime: _time, language: _language, ...complaint } = body;
    const contact = contactOf(body);
    return this.run(request, reply, actor, (context) => this.commands.execute(new ReceiveComplaintCommand({ ...complaint, ...(contact ? { contact } : {}) }, context)), 201);
  }

  @Post(':id/validate')
  @HttpCode(200)
  @Roles('supervisor', 'admin')
  @CommandDocs('Judge the complaint well-founded (投诉成立)', ['not-received'])
  validate(@Param('id', ComplaintIdPipe) id: string, @Body() body: ValidateComplaintDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, (context) => this.commands.execute(new ValidateComplaintCommand(id, { ...body }, context)));
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Roles('supervisor', 'admin')
  @CommandDocs('Judge the complaint not well-founded; the reason is still explained to the customer', ['not-received'])
  reject(@Param('id', ComplaintIdPipe) id: string, @Body() body: RejectComplaintDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, (context) => this.commands.execute(new RejectComplaintCommand(id, { ...body }, context)));
  }

  @Post(':id/assign')
  @HttpCode(200)
  @Roles('supervisor', 'admin')
  @CommandDocs('Set the responsible department and handler (确定责任部门), or reassign; once the directory (GET /service-network) has units, the department must be one of them and the handler an active agent or engineer of it', ['not-validated', 'already-assigned'], ['invalid-department', 'unknown-department', 'unknown-assignee', 'assignee-not-in-department'])
  assign(@Param('id', ComplaintIdPipe) id: string, @Body() body: AssignComplaintDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, async (context) => {
      await this.directory.assignment(body.department, body.assignee);
      return this.commands.execute(new AssignComplaintCommand(id, { ...body }, context));
    });
  }

  @Post(':id/apologise')
  @HttpCode(200)
  @Roles('agent', 'supervisor', 'admin')
  @CommandDocs('Apologise / first reply to the customer (先处理心情，后处理事情)', [])
  apologise(@Param('id', ComplaintIdPipe) id: string, @Body() body: ApologiseForComplaintDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, (context) => this.commands.execute(new ApologiseForComplaintCommand(id, { ...body }, context)));
  }

  @Post(':id/escalate')
  @HttpCode(200)
  @Roles('supervisor', 'admin')
  @CommandDocs('Escalate beyond the handler\'s authority, or after the customer refused the solution; the target is a unit (code, or name in Chinese or English) or an agent of the directory once it has units', ['not-escalatable', 'escalation-level-not-higher'], ['invalid-level', 'unknown-escalation-target'])
  escalate(@Param('id', ComplaintIdPipe) id: string, @Body() body: EscalateComplaintDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, async (context) => {
      await this.directory.escalation(body.to);
      return this.commands.execute(new EscalateComplaintCommand(id, { ...body }, context));
    });
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @Roles('agent', 'supervisor', 'admin')
  @CommandDocs('Record the solution carried out', ['not-assigned'])
  resolve(@Param('id', ComplaintIdPipe) id: string, @Body() body: ResolveComplaintDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, (context) => this.commands.execute(new ResolveComplaintCommand(id, { ...body }, context)));
  }

  @Post(':id/callback')
  @HttpCode(200)
  @Roles('agent', 'supervisor', 'admin')
  @CommandDocs('Record the follow-up call (回访); satisfaction ≤ 2 or "unsatisfied" keeps the complaint open', ['not-resolved', 'resolution-refused-not-escalated'], ['invalid-satisfaction'])
  callback(@Param('id', ComplaintIdPipe) id: string, @Body() body: RecordCallbackDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, (context) => this.commands.execute(new RecordCallbackCommand(id, { ...body }, context)));
  }

  @Post(':id/reopen')
  @HttpCode(200)
  @Roles('supervisor', 'admin')
  @CommandDocs('Reopen a rejected, resolved or called-back complaint', ['not-reopenable'])
  reopen(@Param('id', ComplaintIdPipe) id: string, @Body() body: ReopenComplaintDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, (context) => this.commands.execute(new ReopenComplaintCommand(id, { ...body }, context)));
  }

  @Post(':id/visit')
  @HttpCode(200)
  @Roles('agent', 'supervisor', 'admin')
  @CommandDocs('Record the on-site visit of a repair (报修后24小时内到达现场); the first one meets the on-site clock', ['on-site-not-required', 'not-open'])
  visit(@Param('id', ComplaintIdPipe) id: string, @Body() body: RecordOnSiteVisitDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, (context) => this.commands.execute(new RecordOnSiteVisitCommand(id, { ...body }, context)));
  }

  @Post(':id/notes')
  @HttpCode(200)
  @Roles('agent', 'supervisor', 'admin')
  @CommandDocs(
    'Add to the thread: an internal note, or a reply sent to the customer (适时回访; while the first-reply clock runs it is the first reply). The status does not change; a closed complaint takes internal notes only',
    ['not-open'], ['channel-not-for-internal-note', 'blank-text'],
  )
  notes(@Param('id', ComplaintIdPipe) id: string, @Body() body: AddComplaintNoteDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, (context) => this.commands.execute(new AddComplaintNoteCommand(id, { ...body }, context)));
  }

  @Post(':id/contact')
  @HttpCode(200)
  @Roles('agent', 'supervisor', 'admin')
  @CommandDocs('Change how to reach the customer (phone, e-mail, address, preferred channel and time, the language to write in), with a reason; a field left out stays, null clears it', ['nothing-changed'], ['invalid-phone', 'invalid-email', 'blank-text', 'nothing-to-change'])
  contact(@Param('id', ComplaintIdPipe) id: string, @Body() body: UpdateComplaintContactDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, (context) => this.commands.execute(new UpdateComplaintContactCommand(id, { ...body }, context)));
  }

  @Post(':id/correct')
  @HttpCode(200)
  @Roles('supervisor', 'admin')
  @CommandDocs(
    'Correct the classification (cause, behaviour, purpose, severity, channel) with a reason; the statistics move the complaint to its corrected category. The SLA deadlines stay as promised at receipt',
    ['nothing-changed'], ['nothing-to-change', 'cannot-clear', 'blank-text'],
  )
  correct(@Param('id', ComplaintIdPipe) id: string, @Body() body: CorrectComplaintDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, (context) => this.commands.execute(new CorrectComplaintCommand(id, { ...body }, context)));
  }

  @Get(':id')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'The complaint\'s current state, folded from its events, with its SLA clocks (clocks) and the actions this principal may take now (allowedActions)' })
  @COMPLAINT_ID
  @OkResponse(ComplaintViewDto, { description: 'The complaint as of its last event.', headers: { ETag: ETAG_HEADER } })
  @ProblemResponses(NOT_FOUND, STORE_DAMAGED)
  async get(@Param('id', ComplaintIdPipe) id: string, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Res({ passthrough: true }) reply: FastifyReply) {
    const view = await this.queries.execute<GetComplaintQuery, ComplaintView>(new GetComplaintQuery(id, { actorId: actor.id, scope }));
    reply.header('ETag', `"${view.revision}"`);
    return { ...view.state, revision: view.revision, notes: notesOf(view.events), clocks: clocksOf(view.state), allowedActions: this.allowedActions(view.state, actor) };
  }

  @Get(':id/events')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'The complaint\'s stream: every event with its metadata' })
  @COMPLAINT_ID
  @OkResponse(ComplaintEventsDto, { description: 'Every event of the complaint, oldest first.', headers: { ETag: ETAG_HEADER } })
  @ProblemResponses(NOT_FOUND, STORE_DAMAGED)
  async events(@Param('id', ComplaintIdPipe) id: string, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Res({ passthrough: true }) reply: FastifyReply) {
    const view = await this.queries.execute<GetComplaintQuery, ComplaintView>(new GetComplaintQuery(id, { actorId: actor.id, scope }));
    reply.header('ETag', `"${view.revision}"`);
    return {
      id,
      revision: view.revision,
      events: view.events.map(({ revision, position, type, data, metadata, recordedAt }) => ({ revision, position, type, recordedAt, data, metadata })),
    };
  }
}
