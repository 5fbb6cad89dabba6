import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res, StreamableFile, applyDecorators } from '@nestjs/common';
import { ComplaintIdPipe } from './complaint-id.pipe';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiConsumes, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  COMPLAINT_ACTIONS, SLA_CLOCKS, clockDeadline, clockMet, complaintActionRefusal, type Actor, type ComplaintAction, type ComplaintAttachmentAdded, type ComplaintNoteAdded, type ContactDetailsInput, noteText,
  type DepartmentScope, type ExistingComplaint, type Role,
} from '@app/domain';
import {
  ApologiseForComplaintCommand, AssignComplaintCommand, RecordOnSiteVisitCommand, EscalateComplaintCommand, GetComplaintQuery, ReceiveComplaintCommand,
  ActingCheck, Clock, RecordCallbackCommand, RejectComplaintCommand, ReopenComplaintCommand, ResolveComplaintCommand, ValidateComplaintCommand,
  AddComplaintNoteCommand, CorrectComplaintCommand, UpdateComplaintContactCommand, AddComplaintAttachmentCommand, RelateComplaintCommand, TagComplaintCommand, UnrelateComplaintCommand,
  type CommandContext, type CommandOutcome, type ComplaintView,
} from '@app/complaints';
import { ALL_ROLES, AgentActingRoles, CurrentActor, CurrentScope, ROLES_KEY, Roles } from '../auth/roles.decorator';
import { DirectoryCheck } from './directory-check';
import { CommandRunner, UUID_PATH_ID } from '../http/command-runner';
import { actingRefusal, allowedActions, type AllowedAction } from '../http/allowed-actions';
import {
  ApologiseForComplaintDto, AssignComplaintDto, RecordOnSiteVisitDto, CommandAcceptedDto, EscalateComplaintDto, ReceiveComplaintDto, RecordCallbackDto,
  RejectComplaintDto, ReopenComplaintDto, ResolveComplaintDto, ValidateComplaintDto, AddComplaintNoteDto, CorrectComplaintDto, UpdateComplaintContactDto, RelateComplaintDto, TagComplaintDto, UnrelateComplaintDto,
} from './dto/complaint-commands.dto';
import { ComplaintEventsDto, ComplaintViewDto, type ComplaintEventDto } from './dto/complaint-views.dto';
import { STREAM_EVENT_COLUMNS } from '../export/csv-columns';
import { CsvExport } from '../export/csv-export';
import { ExportQueryDto } from '../read-models/query.dto';
import type { ProblemCode } from '../http/problem';
import { BinaryResponse, CommandResponses, ETAG_HEADER, OkResponse, ProblemResponses, STORE_DAMAGED, TURN_WRITE } from '../openapi/api-responses.decorator';
import { BlobNotFoundError, BlobStore, isSha256 } from '@app/blob-store';
import { RequestValidationError } from '../http/request-errors';
import { ATTACHMENT_MEDIA_TYPES, downloadName } from './attachments/attachment-media';
import { AttachmentRefusedError } from './attachments/attachment-errors';
import { AttachmentUploads } from './attachments/attachment-uploads';
import { AuthGuard } from '../auth/auth.guard';
import { AttachmentAddedDto, ComplaintAttachmentsDto, UPLOAD_BODY_SCHEMA } from './attachments/attachment.dto';
import { HeavyRead } from '../http/heavy-read.interceptor';
import { pathResourceFirst } from '../http/path-resource-first';

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
    return [{ revision, addedAt: note.addedAt, by: note.by, visibility: note.visibility, channel: note.channel, text: noteText(note), personal: note.text === null, firstReply: note.firstReply }];
  });
}

/** The files attached, oldest first, from the complaint's events; the file name is null where its personal part cannot be read (erased). */
function attachmentsOf(complaintId: string, events: ComplaintView['events']) {
  return events.flatMap(({ revision, type, data }) => {
    if (type !== 'ComplaintAttachmentAdded') return [];
    const file = data as ComplaintAttachmentAdded['data'];
    return [{
      sha256: file.sha256, size: file.size, mediaType: file.mediaType, fileName: file.personal?.fileName ?? null, kind: file.kind, description: file.description,
      addedAt: file.addedAt, by: file.by, revision, href: `/complaints/${complaintId}/attachments/${file.sha256}`,
    }];
  });
}

/** The last item that matches (ES2022 has no findLast): a file given again after an erasure is recorded after the erased one. */
function lastOf<T>(items: readonly T[], matches: (item: T) => boolean): T | undefined {
  return [...items].reverse().find(matches);
}

/**
 * Content-Disposition of a download: always `attachment` (never shown inline), the name as ASCII
 * for old clients and whole as RFC 5987 `filename*` (UTF-8, percent-encoded).
 */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
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
const SHA256_PARAM = ApiParam({ name: 'sha256', schema: { type: 'string', pattern: '^[0-9a-f]{64}$' }, example: '9f2c8a1b7e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b', description: 'The file\'s SHA-256 (its href in the list).' });

/** The roles of a command an agent may send: also 403 `agent-deactivated` (ActingRoles). */
export const DeskRoles = () => AgentActingRoles(['agent', 'supervisor', 'admin'], 'a supervisor reassigns the complaint to an active agent; the admin revokes the token');

@ApiTags('complaints')
@Controller('complaints')
export class ComplaintsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly runner: CommandRunner,
    private readonly clock: Clock,
    private readonly directory: DirectoryCheck,
    private readonly uploads: AttachmentUploads,
    private readonly blobs: BlobStore,
    private readonly acting: ActingCheck,
    private readonly guard: AuthGuard,
    private readonly csv: CsvExport,
  ) {}

  /** Each action with whether this principal may take it now, and why not (allowedActions: role, deactivation, then decide()). */
  private async allowedActions(state: ExistingComplaint, actor: Actor): Promise<Array<AllowedAction<ComplaintAction>>> {
    const at = this.clock.now().toISOString();
    const deactivation = await actingRefusal(() => this.acting.requireActing(actor));
    return allowedActions(
      COMPLAINT_ACTIONS, actor,
      (action) => Reflect.getMetadata(ROLES_KEY, ComplaintsController.prototype[action]) as Role[],
      deactivation,
      (action) => complaintActionRefusal(action, state, at, actor),
    );
  }

  /**
   * Throws the complaint's 404 when this caller may not see it (missing, or outside its departments): asked before a refusal
   * of what the body names is answered (pathResourceFirst, docs/adr/0009).
   */
  private requireVisible(id: string, actorId: string, scope: DepartmentScope): Promise<unknown> {
    return this.queries.execute(new GetComplaintQuery(id, scope === 'all' ? undefined : { actorId, scope }));
  }

  private run(request: FastifyRequest, reply: FastifyReply, actor: Actor, dispatch: (context: CommandContext) => unknown, status: 200 | 201 = 200) {
    return this.runner.run(request, reply, actor, (context) => dispatch(context) as Promise<CommandOutcome>, {
      status,
      location: (id) => `/complaints/${id}`,
      pathIds: { id: UUID_PATH_ID },
      // A complaint outside the caller's departments is "not found", as the command itself would answer.
      requireInScope: (id, { id: actorId }, scope) => this.requireVisible(id, actorId, scope),
      // A retry answered from the Idempotency-Key store runs no command: a deactivated agent is refused there too.
      requireActing: (acting) => this.acting.requireActing(acting),
    });
  }

  @Post()
  @HttpCode(201)
  @DeskRoles()
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
  @ProblemResponses({
    status: 403, codes: ['forbidden'],
    description: 'The token\'s role may not call this route (allowed: supervisor, admin), or (`forbidden`) the token is limited to departments and `department` is not one of them: a limited token assigns only within its departments. Nothing was written.',
  })
  @CommandDocs('Set the responsible department and handler (确定责任部门), or reassign; once the directory (GET /service-network) has units, the department must be one of them and the handler an active agent or engineer of it', ['not-validated', 'already-assigned'], ['invalid-department', 'reserved-code', 'unknown-department', 'unknown-assignee', 'assignee-not-in-department'])
  assign(
    @Param('id', ComplaintIdPipe) id: string, @Body() body: AssignComplaintDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope,
    @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(request, reply, actor, (context) => pathResourceFirst(scope, () => this.requireVisible(id, actor.id, scope), async () => {
      await this.directory.requireWithinScope(scope, body.department, 'Department');
      return this.directory.assignment(body.department, body.assignee,
        (assignee, holder, department) => this.commands.execute(new AssignComplaintCommand(id, { ...body, department, assignee }, context, holder)));
    }));
  }

  @Post(':id/apologise')
  @HttpCode(200)
  @DeskRoles()
  @CommandDocs('Apologise / first reply to the customer (先处理心情，后处理事情)', [])
  apologise(@Param('id', ComplaintIdPipe) id: string, @Body() body: ApologiseForComplaintDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, (context) => this.commands.execute(new ApologiseForComplaintCommand(id, { ...body }, context)));
  }

  @Post(':id/escalate')
  @HttpCode(200)
  @Roles('supervisor', 'admin')
  @CommandDocs('Escalate beyond the handler\'s authority, or after the customer refused the solution; the target is a unit (code, or name in Chinese or English) or an agent of the directory once it has units (400 agent-inactive for an agent since deactivated, saying since when)', ['not-escalatable', 'escalation-level-not-higher'], ['invalid-level', 'unknown-escalation-target', 'ambiguous-escalation-target', 'agent-inactive'])
  escalate(
    @Param('id', ComplaintIdPipe) id: string, @Body() body: EscalateComplaintDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope,
    @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(request, reply, actor, (context) => pathResourceFirst(scope, () => this.requireVisible(id, actor.id, scope), () => this.directory.escalation(body.to,
      (to, holder) => this.commands.execute(new EscalateComplaintCommand(id, { ...body, to }, context, holder)))));
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @DeskRoles()
  @CommandDocs('Record the solution carried out', ['not-assigned'])
  resolve(@Param('id', ComplaintIdPipe) id: string, @Body() body: ResolveComplaintDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, (context) => this.commands.execute(new ResolveComplaintCommand(id, { ...body }, context)));
  }

  @Post(':id/callback')
  @HttpCode(200)
  @DeskRoles()
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
  @DeskRoles()
  @CommandDocs('Record the on-site visit of a repair (报修后24小时内到达现场); the first one meets the on-site clock', ['on-site-not-required', 'not-open'])
  visit(@Param('id', ComplaintIdPipe) id: string, @Body() body: RecordOnSiteVisitDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, (context) => this.commands.execute(new RecordOnSiteVisitCommand(id, { ...body }, context)));
  }

  @Post(':id/notes')
  @HttpCode(200)
  @DeskRoles()
  @CommandDocs(
    'Add to the thread: an internal note, or a reply sent to the customer (适时回访; while the first-reply clock runs it is the first reply). The status does not change; a closed complaint takes internal notes only',
    ['not-open'], ['channel-not-for-internal-note', 'blank-text'],
  )
  notes(@Param('id', ComplaintIdPipe) id: string, @Body() body: AddComplaintNoteDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, (context) => this.commands.execute(new AddComplaintNoteCommand(id, { ...body }, context)));
  }

  @Post(':id/contact')
  @HttpCode(200)
  @DeskRoles()
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

  @Post(':id/tags')
  @HttpCode(200)
  @DeskRoles()
  @CommandDocs(
    'Add and remove free tags (metering, 油品, repeat-caller …) in one decision, in any status: the list filters by them (GET /complaints?tag=…). At most 20 per complaint',
    ['nothing-changed'], ['nothing-to-change', 'invalid-tag', 'mixed-script-tag', 'too-many-tags', 'blank-text'],
  )
  tags(@Param('id', ComplaintIdPipe) id: string, @Body() body: TagComplaintDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, (context) => this.commands.execute(new TagComplaintCommand(id, { ...body }, context)));
  }

  @Post(':id/related')
  @HttpCode(200)
  @DeskRoles()
  @CommandDocs(
    'Link this complaint to another one you may see: a duplicate of it (the original) or related to it, with a reason; a later link to the same complaint changes its kind. '
      + 'Duplicates are one level deep: a complaint has one original, the original is never a duplicate itself (409 duplicate-of-a-duplicate names the original to use instead), and a complaint with duplicates is not marked a duplicate (409 has-duplicates). '
      + 'The link is recorded on both complaints (the original lists its duplicates); of two markings sent at once that would make a chain or a cycle, one is taken and the other refused with nothing written. Shown in both complaints and their trails',
    ['nothing-changed', 'already-duplicate', 'duplicate-of-a-duplicate', 'has-duplicates', 'marking-withdrawn'], ['relation-to-itself', 'unknown-related-complaint', 'blank-text'],
  )
  related(@Param('id', ComplaintIdPipe) id: string, @Body() body: RelateComplaintDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, (context) => this.commands.execute(new RelateComplaintCommand(id, { relatedId: body.complaintId, relation: body.relation, reason: body.reason }, context)));
  }

  @Post(':id/unrelate')
  @HttpCode(200)
  @DeskRoles()
  @CommandDocs(
    'Remove this complaint\'s link to another one (duplicate-of or related), with a reason; the other complaint need not be visible to you. Shown in the trail; refused (409 not-linked) when there is no such link',
    ['not-linked'], ['relation-to-itself', 'blank-text'],
  )
  unrelate(@Param('id', ComplaintIdPipe) id: string, @Body() body: UnrelateComplaintDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, (context) => this.commands.execute(new UnrelateComplaintCommand(id, { relatedId: body.complaintId, reason: body.reason }, context)));
  }

  @Post(':id/attachments')
  @HttpCode(201)
  @DeskRoles()
  @ApiOperation({
    summary: 'Attach a file (a receipt, a photo, the sample record, the quality or metering dispute form 质量纠纷判断表 / 计量纠纷判断表): multipart/form-data with one file, its kind and an optional description. '
      + 'Its type is found in its content, not its name; it is stored under its SHA-256, which the event records. Not on a closed complaint',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: UPLOAD_BODY_SCHEMA })
  @COMPLAINT_ID
  @CommandResponses({
    type: AttachmentAddedDto, created: { location: '/complaints/0c8f3f0e-5a7d-5b1e-9c4e-2f1a3b4c5d6e/attachments/9f2c8a1b7e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b' },
    notFound: NOT_FOUND, deletable: true,
    illegal: ['not-open', 'attachment-already-added', 'customer-erased'], invalid: ['attachment-missing', 'attachment-empty', 'malformed-multipart', 'invalid-attachment', 'blank-text'],
  })
  @ProblemResponses(
    { status: 413, codes: ['attachment-too-large', 'body-too-large'], description: 'The file is larger than ATTACHMENT_MAX_BYTES (default 10 MiB), or a JSON body sent instead is larger than 64 KiB. Nothing was stored.' },
    { status: 415, codes: ['attachment-type-not-allowed', 'attachment-type-mismatch', 'unsupported-media-type'], description: 'The content is not of a type taken here (checked by its bytes), it differs from the type it was sent as, or the body is not multipart/form-data. Nothing was stored.' },
  )
  @ProblemResponses(TURN_WRITE)
  async attachments(
    @Param('id', ComplaintIdPipe) id: string, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const upload = await this.uploads.read(request);
    // The file streamed in after the guard ran: a token revoked meanwhile writes nothing.
    this.guard.requireStillAuthenticated(request);
    // What an Idempotency-Key's fingerprint covers: the file by its hash, and the fields.
    (request as { body: unknown }).body = { sha256: upload.sha256, fileName: upload.fileName, kind: upload.kind, description: upload.description ?? null };
    const href = `/complaints/${id}/attachments/${upload.sha256}`;
    return this.uploads.store(upload, (blob, recorded) => this.runner.run(request, reply, actor, async (context) => {
      const before = await this.complaintIfAny(id, actor, scope);
      // The latest record of these bytes on the complaint: live, the upload is a double (the command
      // answers as before, its command id seen again, or refuses); erased with its customer (no name
      // opens), it is the customer coming back with the file, a new attachment (docs/adr/0019).
      const latest = before === null ? undefined : lastOf(attachmentsOf(id, before.events), (entry) => entry.sha256 === blob.sha256);
      const namedBefore = latest !== undefined && latest.fileName !== null;
      const data = {
        sha256: blob.sha256, size: blob.size, mediaType: upload.mediaType, fileName: upload.fileName, kind: upload.kind,
        ...(upload.description === undefined ? {} : { description: upload.description }), ...(latest !== undefined && !namedBefore ? { erasedFiles: [blob.sha256] } : {}),
      };
      // An upload racing its customer's erasure keeps no bytes (docs/adr/0019, "Racing uploads"); a
      // retry of one recorded before answers as before (nameless once erased).
      if (before !== null && !namedBefore) await this.uploads.refuseWhileErasing(id, before.state.customer.id);
      const outcome = await this.commands.execute<AddComplaintAttachmentCommand, CommandOutcome>(new AddComplaintAttachmentCommand(id, data, context));
      // Bytes stored anew for a file the complaint names live, or for a retry answered from an earlier
      // record (its command id seen again, an erased upload): nothing new was recorded, and the bytes go again.
      const recordedNew = before === null || outcome.revision > before.revision;
      if (!(blob.created && (namedBefore || !recordedNew))) recorded();
      // The command has checked the caller's departments; the answer shows the file as recorded.
      const view = await this.queries.execute<GetComplaintQuery, ComplaintView>(new GetComplaintQuery(id));
      // A record this upload made under a key erased meanwhile is refused; a retry answered from an earlier
      // record (its command id seen again) answers as that record stands, nameless once erased.
      if (!namedBefore && recordedNew) await this.uploads.refuseIfErased(id, lastOf(view.events, (event) => event.type === 'ComplaintAttachmentAdded' && event.data['sha256'] === blob.sha256));
      const attachment = lastOf(attachmentsOf(id, view.events), (entry) => entry.sha256 === blob.sha256);
      return { ...outcome, attachment } as CommandOutcome;
    }, {
      status: 201,
      location: () => href,
      pathIds: { id: UUID_PATH_ID },
      requireInScope: (complaintId, { id: actorId }, scope) => this.requireVisible(complaintId, actorId, scope),
      requireActing: (acting) => this.acting.requireActing(acting),
    }));
  }

  /** The complaint as it stands, or null when not found or not the caller's (the command says so). */
  private async complaintIfAny(id: string, actor: Actor, scope: DepartmentScope): Promise<ComplaintView | null> {
    try {
      return await this.queries.execute<GetComplaintQuery, ComplaintView>(new GetComplaintQuery(id, { actorId: actor.id, scope }));
    } catch {
      return null;
    }
  }

  @Get(':id/attachments')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'The files attached to the complaint, oldest first, each with its download link (the same roles and departments as the complaint)' })
  @COMPLAINT_ID
  @OkResponse(ComplaintAttachmentsDto, { description: 'The attachments as of the complaint\'s last event.', headers: { ETag: ETAG_HEADER } })
  @ProblemResponses(NOT_FOUND, STORE_DAMAGED)
  async listAttachments(@Param('id', ComplaintIdPipe) id: string, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Res({ passthrough: true }) reply: FastifyReply) {
    const view = await this.queries.execute<GetComplaintQuery, ComplaintView>(new GetComplaintQuery(id, { actorId: actor.id, scope }));
    reply.header('ETag', `"${view.revision}"`);
    return { id, revision: view.revision, items: attachmentsOf(id, view.events) };
  }

  @Get(':id/attachments/:sha256')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Download an attached file: its bytes as they were uploaded, as the type found in them, always as a download (Content-Disposition: attachment), never rendered inline' })
  @COMPLAINT_ID
  @SHA256_PARAM
  @BinaryResponse(ATTACHMENT_MEDIA_TYPES, 'The file\'s bytes, exactly as uploaded (their SHA-256 is the ETag), as the type found in them.', {
    ETag: { required: true, description: 'The file\'s SHA-256, quoted.', schema: { type: 'string', example: '"9f2c8a1b7e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b"' } },
    'Content-Length': { required: true, description: 'The file\'s size in bytes.', schema: { type: 'integer', minimum: 1, example: 48213 } },
    'Content-Disposition': { required: true, description: 'Always `attachment` (a download, never shown inline), with the file name as `filename` (ASCII) and `filename*` (RFC 5987, UTF-8); the name ends with an extension of the type found in the bytes (one is added when the name given at upload has another: `receipt.html` holding text is served as `receipt.html.txt`).', schema: { type: 'string', example: 'attachment; filename="____-0302.jpg"; filename*=UTF-8\'\'%E5%8A%A0%E6%B2%B9%E5%B0%8F%E7%A5%A8-0302.jpg' } },
  })
  @ProblemResponses(
    { status: 400, codes: ['validation-failed'], description: 'sha256 is not 64 lowercase hexadecimal digits.' },
    { status: 404, codes: ['complaint-not-found', 'attachment-not-found'], description: 'No such complaint (or one outside the caller\'s departments), or no such file on it (or the file was erased).' },
    STORE_DAMAGED,
  )
  async attachment(
    @Param('id', ComplaintIdPipe) id: string, @Param('sha256') sha256: string, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    if (!isSha256(sha256)) throw new RequestValidationError([{ field: 'sha256', message: 'sha256 must be 64 lowercase hexadecimal digits (the href of the file in GET /complaints/{id}/attachments)' }]);
    const view = await this.queries.execute<GetComplaintQuery, ComplaintView>(new GetComplaintQuery(id, { actorId: actor.id, scope }));
    // The latest record of the file: one given again after an erasure opens, the erased one before it does not.
    const file = lastOf(attachmentsOf(id, view.events), (entry) => entry.sha256 === sha256);
    const notFound = new AttachmentRefusedError(404, 'attachment-not-found', `Complaint ${id} has no file with the SHA-256 ${sha256} (GET /complaints/${id}/attachments lists them).`);
    if (file === undefined) throw notFound;
    // Its name no longer opens: recorded under an erased customer's key (an upload that raced the erasure, docs/adr/0019).
    if (file.fileName === null) throw new AttachmentRefusedError(404, 'attachment-not-found', `The file ${sha256} of complaint ${id} was erased with its customer.`);
    let stream;
    try {
      stream = await this.blobs.get(sha256);
    } catch (error) {
      if (error instanceof BlobNotFoundError) throw new AttachmentRefusedError(404, 'attachment-not-found', `The file ${sha256} of complaint ${id} is no longer stored (erased).`);
      throw error;
    }
    const fileName = downloadName(file.fileName, file.mediaType, sha256);
    reply.header('Content-Type', file.mediaType.startsWith('text/') ? `${file.mediaType}; charset=utf-8` : file.mediaType);
    reply.header('Content-Length', String(file.size));
    reply.header('Content-Disposition', contentDisposition(fileName));
    reply.header('ETag', `"${sha256}"`);
    reply.header('X-Content-Type-Options', 'nosniff');
    // Even a browser that opened it would run nothing (sandbox: no scripts, no plugins, a unique origin).
    reply.header('Content-Security-Policy', "default-src 'none'; sandbox; frame-ancestors 'none'");
    return new StreamableFile(stream);
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
    return { ...view.state, revision: view.revision, notes: notesOf(view.events), attachments: attachmentsOf(id, view.events), clocks: clocksOf(view.state), allowedActions: await this.allowedActions(view.state, actor) };
  }

  @Get(':id/events')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'The complaint\'s stream: every event with its metadata; or as CSV' })
  @COMPLAINT_ID
  @OkResponse(ComplaintEventsDto, { description: 'Every event of the complaint, oldest first.', csv: true, headers: { ETag: ETAG_HEADER } })
  @ProblemResponses({ status: 400, description: '`format` or `bom` is invalid.' }, 406, NOT_FOUND, STORE_DAMAGED)
  @HeavyRead()
  async events(
    @Param('id', ComplaintIdPipe) id: string, @Query() query: ExportQueryDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope,
    @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const format = this.csv.formatOf(query, request, reply);
    const view = await this.queries.execute<GetComplaintQuery, ComplaintView>(new GetComplaintQuery(id, { actorId: actor.id, scope }));
    reply.header('ETag', `"${view.revision}"`);
    const events = view.events.map(({ revision, position, type, data, metadata, recordedAt }) => ({ revision, position, type, recordedAt, data, metadata }));
    return format === 'csv' ? this.csv.send(reply, 'complaint-events', STREAM_EVENT_COLUMNS, events as unknown as ComplaintEventDto[], query) : { id, revision: view.revision, events };
  }
}
