import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor, DepartmentScope, Role } from '@app/domain';
import { ActingCheck, type CommandContext, type CommandOutcome } from '@app/complaints';
import { STREAM_EVENT_COLUMNS } from '../export/csv-columns';
import { CsvExport } from '../export/csv-export';
import type { ComplaintEventDto } from '../complaints/dto/complaint-views.dto';
import { ExportQueryDto } from '../read-models/query.dto';
import {
  AddCustomerContactCommand, ChangeCustomerContactCommand, EraseCustomerPersonalDataCommand, GetCustomerFileQuery, LogCustomerVisitCommand,
  MergeCustomerFilesCommand, OpenCustomerFileCommand, ReclassifyCustomerCommand, SetNotificationOptOutCommand, RecordCustomerConsumptionCommand, RecordCustomerEvaluationCommand,
  RemoveCustomerContactCommand, UpdateCustomerBasicsCommand, UpdateCustomerConsumptionProfileCommand, UpdateCustomerContractCommand,
  UpdateCustomerFacilitiesCommand, UpdateCustomerImportanceCommand, UpdateCustomerOtherChannelsCommand, UpdateCustomerSegmentsCommand,
  CustomerFileAudit, type CustomerFileView,
} from '@app/customers';
import { ALL_ROLES, AgentActingRoles, CurrentActor, CurrentScope, Roles } from '../auth/roles.decorator';
import { CommandRunner } from '../http/command-runner';
import { CustomerFileAccess } from './customer-file-access';
import { CustomerIdPipe } from './customer-id.pipe';
import {
  AddCustomerContactDto, ChangeCustomerContactDto, EraseCustomerPersonalDataDto, LogCustomerVisitDto, MergeCustomerFileDto, OpenCustomerFileDto,
  ReclassifyCustomerDto, SetNotificationOptOutDto, RecordCustomerConsumptionDto, RecordCustomerEvaluationDto, RemoveCustomerContactDto, UpdateCustomerBasicsDto,
  UpdateCustomerConsumptionProfileDto, UpdateCustomerContractDto, UpdateCustomerFacilitiesDto, UpdateCustomerImportanceDto, UpdateCustomerOtherChannelsDto,
  UpdateCustomerSegmentsDto,
} from './dto/customer-commands.dto';
import { ActiveCustomerFileDto, CustomerFileEventsDto, ErasedCustomerFileDto, MergedCustomerFileDto } from './dto/customer-responses.dto';
import { CUSTOMER_FILE_NOT_FOUND, CUSTOMER_ID_PARAM, CustomerCommandDocs } from './customer-command-docs';
import { OkResponse, ProblemResponses, STORE_DAMAGED, TURN_WRITE, etagHeader } from '../openapi/api-responses.decorator';
import { CustomerTrailDto } from '../audit/audit.dto';
import { HeavyRead } from '../http/heavy-read.interceptor';

/** Agents, supervisors and admins edit files; merges need a supervisor; erasure an admin (docs/adr/0013). */
const EDITORS: Role[] = ['agent', 'supervisor', 'admin'];
/** The roles that edit a file: also 403 `agent-deactivated` for an agent the service network has deactivated (ActingRoles). */
const EditorRoles = () => AgentActingRoles(EDITORS);

/**
 * The fields the body gives, as the command's data: class-transformer leaves every declared field on
 * the instance, those not sent as undefined. The DTO has checked shapes and sizes; the decider checks
 * the values (codes, a null that may not clear a field) and names the field it refuses.
 */
function given<T>(body: object): T {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined)) as T;
}

@ApiTags('customer files')
@Controller('customers')
export class CustomersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly runner: CommandRunner,
    private readonly access: CustomerFileAccess,
    private readonly audit: CustomerFileAudit,
    private readonly acting: ActingCheck,
    private readonly csv: CsvExport,
  ) {}

  /** A command on an existing file: a token limited to departments must see it (else 404), now and when an answer is replayed. */
  private run(request: FastifyRequest, reply: FastifyReply, actor: Actor, scope: DepartmentScope, id: string, message: (context: CommandContext) => object | Promise<object>) {
    return this.runner.run(request, reply, actor, async (context) => {
      // A deactivated agent first, whatever the file: the refusal says nothing about it.
      await this.acting.requireActing(actor);
      await this.access.requireVisible(id, actor.id, scope);
      return this.commands.execute(await message(context)) as Promise<CommandOutcome>;
    }, {
      status: 200, requireInScope: (customerId, { id: actorId }, limited) => this.access.requireVisible(customerId, actorId, limited),
      // A retry answered from the Idempotency-Key store runs no command: a deactivated agent is refused there too.
      requireActing: (acting) => this.acting.requireActing(acting),
    });
  }

  @Post()
  @HttpCode(201)
  @EditorRoles()
  @CustomerCommandDocs('Open a customer file (建立客户档案): a fixed customer, or a potential one within the supply radius', {
    command: 'OpenCustomerFile', created: '/customers/cust-20001/file', illegal: ['customer-file-already-exists'],
    invalid: ['invalid-customer-id', 'invalid-category', 'too-many-contacts', 'contact-unreachable', 'invalid-phone', 'invalid-email', 'segments-disagree'],
  })
  open(@Body() body: OpenCustomerFileDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const { customerId, ...data } = given<OpenCustomerFileDto>(body);
    // Who opens a file sees it, whatever their departments; a file of that id already there is a 409 to
    // whoever may see it, and to anyone else the 404 of a read (its merges and its existence stay hidden).
    return this.runner.run(request, reply, actor, async (context) => {
      await this.acting.requireActing(actor);
      if (customerId) await this.access.requireNotHidden(customerId, actor.id, scope);
      return this.commands.execute(new OpenCustomerFileCommand(customerId ?? undefined, data as unknown as OpenCustomerFileCommand['data'], context)) as Promise<CommandOutcome>;
    }, {
      status: 201, location: (id) => `/customers/${id}/file`, requireInScope: (id, { id: actorId }) => this.access.requireVisible(id, actorId, scope),
      requireActing: (acting) => this.acting.requireActing(acting),
    });
  }

  @Post(':id/reclassify')
  @HttpCode(200)
  @EditorRoles()
  @CustomerCommandDocs('Reclassify: potential → fixed or floating, floating ↔ fixed', { command: 'ReclassifyCustomer', illegal: ['nothing-changed'], invalid: ['invalid-category'] })
  reclassify(@Param('id', CustomerIdPipe) id: string, @Body() body: ReclassifyCustomerDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, id, (context) => new ReclassifyCustomerCommand(id, given(body), context));
  }

  @Post(':id/notification-opt-out')
  @HttpCode(200)
  @EditorRoles()
  @CustomerCommandDocs('Opt the customer out of the desk\'s notifications (acknowledgements, answers, survey invitations) by a channel or all of them, or back in (optedOut false); each send they are spared is recorded as skipped (opted-out)', {
    command: 'SetNotificationOptOut', illegal: ['nothing-changed'], invalid: ['unknown-channel'],
  })
  notificationOptOut(@Param('id', CustomerIdPipe) id: string, @Body() body: SetNotificationOptOutDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, id, (context) => new SetNotificationOptOutCommand(id, given(body), context));
  }

  @Post(':id/basics')
  @HttpCode(200)
  @EditorRoles()
  @CustomerCommandDocs('Update the basic facts (客户基本情况): name, address, customer type, credit rating; left out stays, null clears', { command: 'UpdateCustomerBasics', illegal: ['nothing-changed'], invalid: ['required'] })
  basics(@Param('id', CustomerIdPipe) id: string, @Body() body: UpdateCustomerBasicsDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, id, (context) => new UpdateCustomerBasicsCommand(id, given(body), context));
  }

  @Post(':id/consumption-profile')
  @HttpCode(200)
  @EditorRoles()
  @CustomerCommandDocs('Update the consumption profile (油品消费情况): monthly volume, refuelling cycle, habits, quality and metering requirements, other needs', { command: 'UpdateCustomerConsumptionProfile', illegal: ['nothing-changed'], invalid: ['invalid-volume', 'invalid-count'] })
  consumptionProfile(@Param('id', CustomerIdPipe) id: string, @Body() body: UpdateCustomerConsumptionProfileDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, id, (context) => new UpdateCustomerConsumptionProfileCommand(id, given(body), context));
  }

  @Post(':id/contract')
  @HttpCode(200)
  @EditorRoles()
  @CustomerCommandDocs('Update the supply contract (供油合同情况); amendedOn records a change of the contract itself (合同变更)', {
    command: 'UpdateCustomerContract', illegal: ['nothing-changed'], invalid: ['invalid-date', 'date-in-future', 'date-too-far-ahead', 'unsigned-contract-dated', 'term-ends-before-it-starts'],
  })
  contract(@Param('id', CustomerIdPipe) id: string, @Body() body: UpdateCustomerContractDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, id, (context) => new UpdateCustomerContractCommand(id, given(body), context));
  }

  @Post(':id/facilities')
  @HttpCode(200)
  @EditorRoles()
  @CustomerCommandDocs('Update the storage and transport facilities (储运设施情况)', { command: 'UpdateCustomerFacilities', illegal: ['nothing-changed'], invalid: ['invalid-volume', 'invalid-count'] })
  facilities(@Param('id', CustomerIdPipe) id: string, @Body() body: UpdateCustomerFacilitiesDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, id, (context) => new UpdateCustomerFacilitiesCommand(id, given(body), context));
  }

  @Post(':id/other-channels')
  @HttpCode(200)
  @EditorRoles()
  @CustomerCommandDocs('Replace the list of purchases from other channels (其他渠道进货情况)', { command: 'UpdateCustomerOtherChannels', illegal: ['nothing-changed'], invalid: ['duplicate-channel', 'shares-above-whole'] })
  otherChannels(@Param('id', CustomerIdPipe) id: string, @Body() body: UpdateCustomerOtherChannelsDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, id, (context) => new UpdateCustomerOtherChannelsCommand(id, given(body), context));
  }

  @Post(':id/importance')
  @HttpCode(200)
  @EditorRoles()
  @CustomerCommandDocs('Update the importance (客户的重要程度): a key customer, and its level', { command: 'UpdateCustomerImportance', illegal: ['nothing-changed'], invalid: ['required'] })
  importance(@Param('id', CustomerIdPipe) id: string, @Body() body: UpdateCustomerImportanceDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, id, (context) => new UpdateCustomerImportanceCommand(id, given(body), context));
  }

  @Post(':id/segments')
  @HttpCode(200)
  @EditorRoles()
  @CustomerCommandDocs('Update the segment dimensions (市场细分): consumer kind, usage, driver type, locality, settlement', { command: 'UpdateCustomerSegments', illegal: ['nothing-changed'], invalid: ['segments-disagree'] })
  segments(@Param('id', CustomerIdPipe) id: string, @Body() body: UpdateCustomerSegmentsDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, id, (context) => new UpdateCustomerSegmentsCommand(id, given(body), context));
  }

  @Post(':id/contacts')
  @HttpCode(200)
  @EditorRoles()
  @CustomerCommandDocs('Add a contact person (联系人): a name, and a phone or an e-mail', { command: 'AddCustomerContact', illegal: ['too-many-contacts'], invalid: ['contact-unreachable', 'invalid-phone', 'invalid-email'] })
  addContact(@Param('id', CustomerIdPipe) id: string, @Body() body: AddCustomerContactDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, id, (context) => new AddCustomerContactCommand(id, given(body), context));
  }

  @Post(':id/contacts/change')
  @HttpCode(200)
  @EditorRoles()
  @CustomerCommandDocs('Change a contact person; left out stays, null clears (the name cannot be cleared)', {
    command: 'ChangeCustomerContact', illegal: ['nothing-changed'], invalid: ['unknown-contact', 'contact-unreachable', 'invalid-phone', 'invalid-email', 'required'],
  })
  changeContact(@Param('id', CustomerIdPipe) id: string, @Body() body: ChangeCustomerContactDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, id, (context) => new ChangeCustomerContactCommand(id, given(body), context));
  }

  @Post(':id/contacts/remove')
  @HttpCode(200)
  @EditorRoles()
  @CustomerCommandDocs('Remove a contact person (its id is never given again)', { command: 'RemoveCustomerContact', invalid: ['unknown-contact'] })
  removeContact(@Param('id', CustomerIdPipe) id: string, @Body() body: RemoveCustomerContactDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, id, (context) => new RemoveCustomerContactCommand(id, given(body), context));
  }

  @Post(':id/visits')
  @HttpCode(200)
  @EditorRoles()
  @CustomerCommandDocs('Log a visit or a conversation (客户拜访与沟通)', { command: 'LogCustomerVisit', invalid: ['invalid-date', 'date-in-future', 'date-too-far-ahead', 'unknown-contact'] })
  visit(@Param('id', CustomerIdPipe) id: string, @Body() body: LogCustomerVisitDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, id, (context) => new LogCustomerVisitCommand(id, given(body), context));
  }

  @Post(':id/evaluations')
  @HttpCode(200)
  @EditorRoles()
  @CustomerCommandDocs('Record the customer\'s own evaluation of the station (客户对加油站的评价)', { command: 'RecordCustomerEvaluation', invalid: ['invalid-rating'] })
  evaluation(@Param('id', CustomerIdPipe) id: string, @Body() body: RecordCustomerEvaluationDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, id, (context) => new RecordCustomerEvaluationCommand(id, given(body), context));
  }

  @Post(':id/consumption')
  @HttpCode(200)
  @EditorRoles()
  @CustomerCommandDocs('Record a month\'s volume (月消费量); a key customer\'s drop below the recent average raises an alert (GET /customers/alerts)', {
    command: 'RecordCustomerConsumption', illegal: ['nothing-changed'], invalid: ['invalid-period', 'period-in-future', 'invalid-volume', 'volume-unit-mismatch', 'reason-required'],
  })
  consumption(@Param('id', CustomerIdPipe) id: string, @Body() body: RecordCustomerConsumptionDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, id, (context) => new RecordCustomerConsumptionCommand(id, given(body), context));
  }

  @Post(':id/merge')
  @HttpCode(200)
  @Roles('supervisor', 'admin')
  @CustomerCommandDocs('Merge this file into another (the survivor) that turns out to be the same customer; this file is closed and points to it', {
    command: 'MergeCustomerFile', illegal: ['survivor-merged', 'survivor-erased'], invalid: ['invalid-customer-id', 'merge-into-itself', 'unknown-survivor'],
  })
  merge(@Param('id', CustomerIdPipe) id: string, @Body() body: MergeCustomerFileDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, id, async (context) => {
      // A token limited to departments must see both files.
      await this.access.requireVisible(body.survivorId, actor.id, scope);
      return new MergeCustomerFilesCommand(id, { survivorId: body.survivorId, reason: body.reason }, context);
    });
  }

  @Post(':id/erase')
  @HttpCode(200)
  @Roles('admin')
  @CustomerCommandDocs(
    'Erase the customer\'s personal data (PIPL art. 47 / GDPR art. 17): records the erasure, closes the file, deletes the stored files only erased customers\' complaints name and destroys '
    + 'the customer\'s data keys, so the personal values of its events can no longer be read while the events and their hash chain stay. Repeatable: what was recorded since '
    + '(a new complaint, an attachment) goes with the next request; with nothing since, 409 `customer-file-erased`. A customer id that complaints or repairs name without a file is erased too',
    { command: 'EraseCustomerPersonalData' },
  )
  @ProblemResponses(TURN_WRITE)
  erase(@Param('id', CustomerIdPipe) id: string, @Body() body: EraseCustomerPersonalDataDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, id, (context) => new EraseCustomerPersonalDataCommand(id, given(body), context));
  }

  @Get(':id/file')
  @Roles(...ALL_ROLES)
  @CUSTOMER_ID_PARAM
  @ApiOperation({ summary: 'The customer file folded from its events, personal fields included: on record (active), merged into another, or erased' })
  @OkResponse([ActiveCustomerFileDto, MergedCustomerFileDto, ErasedCustomerFileDto], { description: 'The file as its events tell it.', headers: { ETag: etagHeader('customer file', 'as of its last event') } })
  @ProblemResponses(CUSTOMER_FILE_NOT_FOUND, STORE_DAMAGED)
  async file(@Param('id', CustomerIdPipe) id: string, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Res({ passthrough: true }) reply: FastifyReply) {
    const view = await this.load(id, actor, scope);
    reply.header('ETag', `"${view.revision}"`);
    return { ...view.state, revision: view.revision };
  }

  @Get(':id/events')
  @Roles(...ALL_ROLES)
  @CUSTOMER_ID_PARAM
  @ApiOperation({ summary: 'The customer file\'s stream: every event with its metadata (personal values under data.personal)' })
  @OkResponse(CustomerFileEventsDto, { description: 'The events, oldest first.', csv: true, headers: { ETag: etagHeader('customer file', 'as of its last event') } })
  @ProblemResponses({ status: 400, description: '`format` or `bom` is invalid.' }, 406, CUSTOMER_FILE_NOT_FOUND, STORE_DAMAGED)
  @HeavyRead()
  async events(
    @Param('id', CustomerIdPipe) id: string, @Query() query: ExportQueryDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope,
    @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const format = this.csv.formatOf(query, request, reply);
    const view = await this.load(id, actor, scope);
    reply.header('ETag', `"${view.revision}"`);
    const events = view.events.map(({ revision, position, type, data, metadata, recordedAt }) => ({ revision, position, type, recordedAt, data, metadata }));
    return format === 'csv' ? this.csv.send(reply, 'customer-file-events', STREAM_EVENT_COLUMNS, events as unknown as ComplaintEventDto[], query) : { id, revision: view.revision, events };
  }

  @Get(':id/trail')
  @Roles('auditor', 'admin')
  @CUSTOMER_ID_PARAM
  @ApiOperation({ summary: 'Every decision on a customer file in order, in zh-CN and English words: who, when, why, caused by what, with its hash; and whether the chain is intact. With the files merged into it (opening, contacts, merges, erasure …); personal values left out' })
  @OkResponse(CustomerTrailDto, { description: 'The decisions on the file and on the files merged into it, oldest first, and the verdict on each hash chain.' })
  @ProblemResponses(CUSTOMER_FILE_NOT_FOUND, STORE_DAMAGED)
  async trail(@Param('id', CustomerIdPipe) id: string, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope) {
    await this.access.requireVisible(id, actor.id, scope);
    return this.audit.trail(id);
  }

  private async load(id: string, actor: Actor, scope: DepartmentScope): Promise<CustomerFileView> {
    await this.access.requireVisible(id, actor.id, scope);
    return this.queries.execute<GetCustomerFileQuery, CustomerFileView>(new GetCustomerFileQuery(id));
  }
}
