import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth, ApiBody, ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor, DepartmentScope, Role } from '@app/domain';
import type { CommandContext, CommandOutcome } from '@app/complaints';
import {
  AddCustomerContactCommand, ChangeCustomerContactCommand, EraseCustomerPersonalDataCommand, GetCustomerFileQuery, LogCustomerVisitCommand,
  MergeCustomerFilesCommand, OpenCustomerFileCommand, ReclassifyCustomerCommand, RecordCustomerConsumptionCommand, RecordCustomerEvaluationCommand,
  RemoveCustomerContactCommand, UpdateCustomerBasicsCommand, UpdateCustomerConsumptionProfileCommand, UpdateCustomerContractCommand,
  UpdateCustomerFacilitiesCommand, UpdateCustomerImportanceCommand, UpdateCustomerOtherChannelsCommand, UpdateCustomerSegmentsCommand,
  type CustomerFileView,
} from '@app/customers';
import { ALL_ROLES, CurrentActor, CurrentScope, Roles } from '../auth/roles.decorator';
import { CommandRunner } from '../http/command-runner';
import { CustomerFileAccess } from './customer-file-access';
import { CustomerIdPipe } from './customer-id.pipe';
import {
  AddCustomerContactDto, ChangeCustomerContactDto, EraseCustomerPersonalDataDto, LogCustomerVisitDto, MergeCustomerFileDto, OpenCustomerFileDto,
  ReclassifyCustomerDto, RecordCustomerConsumptionDto, RecordCustomerEvaluationDto, RemoveCustomerContactDto, UpdateCustomerBasicsDto,
  UpdateCustomerConsumptionProfileDto, UpdateCustomerContractDto, UpdateCustomerFacilitiesDto, UpdateCustomerImportanceDto, UpdateCustomerOtherChannelsDto,
  UpdateCustomerSegmentsDto,
} from './dto/customer-commands.dto';
import { CustomerCommandAcceptedDto, CustomerFileDto, CustomerFileEventsDto } from './dto/customer-responses.dto';

/** Agents, supervisors and admins edit files; merges need a supervisor; erasure an admin (docs/adr/0013). */
const EDITORS: Role[] = ['agent', 'supervisor', 'admin'];

const commandHeaders = [
  ApiHeader({ name: 'If-Match', required: false, description: 'The revision (ETag) of the file you decided on; 412 if it has changed since.' }),
  ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retry safely: the same key and body return the first response and write nothing.' }),
  ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'Recorded in the metadata of the events.' }),
];

/** OpenAPI of a command on a file: what it records, its answer, its refusals, and an example body. */
function CustomerCommandDocs(summary: string, type: new () => object, example: object) {
  return (target: object, key: string | symbol, descriptor: PropertyDescriptor) => {
    for (const decorator of [
      ApiOperation({ summary }),
      ApiParam({ name: 'id', description: 'The customer id (1–100 letters, digits or . _ - @ :).', example: 'cust-20001' }),
      ApiBody({ type, examples: { example: { value: example } } }),
      ApiOkResponse({ type: CustomerCommandAcceptedDto, description: 'Recorded; the events are on disk. ETag: the file\'s revision.' }),
      ApiNotFoundResponse({ description: 'No such file (or not visible to a token limited to departments): customer-file-not-found.' }),
      ApiConflictResponse({ description: 'Does not fit the file as it stands (problem+json with a code): nothing-changed, customer-file-merged (with survivorId), customer-file-erased, …' }),
      ...commandHeaders,
    ]) decorator(target, key, descriptor);
  };
}

/**
 * The fields the body gives, as the command's data: class-transformer leaves every declared field on
 * the instance, those not sent as undefined. The DTO has checked shapes and sizes; the decider checks
 * the values (codes, a null that may not clear a field) and names the field it refuses.
 */
function given<T>(body: object): T {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined)) as T;
}

@ApiTags('customer files')
@ApiBearerAuth()
@Controller('customers')
export class CustomersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly runner: CommandRunner,
    private readonly access: CustomerFileAccess,
  ) {}

  /** A command on an existing file: a token limited to departments must see it (else 404), now and when an answer is replayed. */
  private run(request: FastifyRequest, reply: FastifyReply, actor: Actor, scope: DepartmentScope, id: string, message: (context: CommandContext) => object | Promise<object>) {
    return this.runner.run(request, reply, actor, async (context) => {
      await this.access.requireVisible(id, actor.id, scope);
      return this.commands.execute(await message(context)) as Promise<CommandOutcome>;
    }, { status: 200, requireInScope: (customerId, { id: actorId }, limited) => this.access.requireVisible(customerId, actorId, limited) });
  }

  @Post()
  @HttpCode(201)
  @Roles(...EDITORS)
  @ApiOperation({ summary: 'Open a customer file (建立客户档案): a fixed customer, or a potential one within the supply radius' })
  @ApiBody({ type: OpenCustomerFileDto, examples: { fixed: { value: {
    customerId: 'cust-20001', category: 'fixed', reason: 'Signed a supply agreement for the fleet.', name: '顺达物流有限公司', customerType: 'organisation',
    address: '北京市朝阳区建国路 88 号', contacts: [{ name: '王立', role: '车队长', phone: '138 0013 8000' }], segments: { consumerKind: 'vehicle', driverType: 'fleet' },
  } } } })
  @ApiCreatedResponse({ type: CustomerCommandAcceptedDto, headers: { Location: { description: '/customers/{id}/file' }, ETag: { description: 'the revision' } } })
  @ApiConflictResponse({ description: 'The id already has a file: customer-file-already-exists.' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retry safely: the same key and body return the same file.' })
  open(@Body() body: OpenCustomerFileDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const { customerId, ...data } = given<OpenCustomerFileDto>(body);
    // Who opens a file sees it, whatever their departments; a file of that id already there is a 409, not shown.
    return this.runner.run(request, reply, actor, (context) => this.commands.execute(new OpenCustomerFileCommand(customerId ?? undefined, data as unknown as OpenCustomerFileCommand['data'], context)) as Promise<CommandOutcome>, {
      status: 201, location: (id) => `/customers/${id}/file`, requireInScope: (id, { id: actorId }) => this.access.requireVisible(id, actorId, scope),
    });
  }

  @Post(':id/reclassify')
  @HttpCode(200)
  @Roles(...EDITORS)
  @CustomerCommandDocs('Reclassify: potential → fixed or floating, floating ↔ fixed', ReclassifyCustomerDto, { category: 'fixed', reason: 'Signed a supply contract.' })
  reclassify(@Param('id', CustomerIdPipe) id: string, @Body() body: ReclassifyCustomerDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, id, (context) => new ReclassifyCustomerCommand(id, given(body), context));
  }

  @Post(':id/basics')
  @HttpCode(200)
  @Roles(...EDITORS)
  @CustomerCommandDocs('Update the basic facts (客户基本情况): name, address, customer type, credit rating; left out stays, null clears', UpdateCustomerBasicsDto, { reason: 'Moved to a new depot.', address: '北京市海淀区中关村大街 1 号', creditRating: 'b' })
  basics(@Param('id', CustomerIdPipe) id: string, @Body() body: UpdateCustomerBasicsDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, id, (context) => new UpdateCustomerBasicsCommand(id, given(body), context));
  }

  @Post(':id/consumption-profile')
  @HttpCode(200)
  @Roles(...EDITORS)
  @CustomerCommandDocs('Update the consumption profile (油品消费情况): monthly volume, refuelling cycle, habits, quality and metering requirements, other needs', UpdateCustomerConsumptionProfileDto, {
    reason: 'Fleet manager interview.', monthlyVolume: { amount: 30000, unit: 'litre' }, refuellingCycleDays: 7, meteringRequirements: '每车单独打印小票',
  })
  consumptionProfile(@Param('id', CustomerIdPipe) id: string, @Body() body: UpdateCustomerConsumptionProfileDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, id, (context) => new UpdateCustomerConsumptionProfileCommand(id, given(body), context));
  }

  @Post(':id/contract')
  @HttpCode(200)
  @Roles(...EDITORS)
  @CustomerCommandDocs('Update the supply contract (供油合同情况); amendedOn records a change of the contract itself (合同变更)', UpdateCustomerContractDto, {
    reason: 'Contract signed at the regional office.', signed: true, signedOn: '2026-01-05', validFrom: '2026-01-01', validUntil: '2026-12-31',
  })
  contract(@Param('id', CustomerIdPipe) id: string, @Body() body: UpdateCustomerContractDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, id, (context) => new UpdateCustomerContractCommand(id, given(body), context));
  }

  @Post(':id/facilities')
  @HttpCode(200)
  @Roles(...EDITORS)
  @CustomerCommandDocs('Update the storage and transport facilities (储运设施情况)', UpdateCustomerFacilitiesDto, { reason: 'Site visit.', storageTanks: 2, storageCapacity: { amount: 40, unit: 'tonne' }, tankerVehicles: 1 })
  facilities(@Param('id', CustomerIdPipe) id: string, @Body() body: UpdateCustomerFacilitiesDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, id, (context) => new UpdateCustomerFacilitiesCommand(id, given(body), context));
  }

  @Post(':id/other-channels')
  @HttpCode(200)
  @Roles(...EDITORS)
  @CustomerCommandDocs('Replace the list of purchases from other channels (其他渠道进货情况)', UpdateCustomerOtherChannelsDto, { reason: 'Fleet manager interview.', channels: [{ supplier: '中石化朝阳站', products: '0 号柴油', share: 0.3 }] })
  otherChannels(@Param('id', CustomerIdPipe) id: string, @Body() body: UpdateCustomerOtherChannelsDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, id, (context) => new UpdateCustomerOtherChannelsCommand(id, given(body), context));
  }

  @Post(':id/importance')
  @HttpCode(200)
  @Roles(...EDITORS)
  @CustomerCommandDocs('Update the importance (客户的重要程度): a key customer, and its level', UpdateCustomerImportanceDto, { reason: 'Largest fleet in the district.', key: true, level: 'a' })
  importance(@Param('id', CustomerIdPipe) id: string, @Body() body: UpdateCustomerImportanceDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, id, (context) => new UpdateCustomerImportanceCommand(id, given(body), context));
  }

  @Post(':id/segments')
  @HttpCode(200)
  @Roles(...EDITORS)
  @CustomerCommandDocs('Update the segment dimensions (市场细分): consumer kind, usage, driver type, locality, settlement', UpdateCustomerSegmentsDto, { reason: 'Pays by fuel card.', locality: 'local', settlement: 'ic-card' })
  segments(@Param('id', CustomerIdPipe) id: string, @Body() body: UpdateCustomerSegmentsDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, id, (context) => new UpdateCustomerSegmentsCommand(id, given(body), context));
  }

  @Post(':id/contacts')
  @HttpCode(200)
  @Roles(...EDITORS)
  @CustomerCommandDocs('Add a contact person (联系人): a name, and a phone or an e-mail', AddCustomerContactDto, { reason: 'New fleet manager.', name: '张三', role: '车队长', phone: '139 0013 9000' })
  addContact(@Param('id', CustomerIdPipe) id: string, @Body() body: AddCustomerContactDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, id, (context) => new AddCustomerContactCommand(id, given(body), context));
  }

  @Post(':id/contacts/change')
  @HttpCode(200)
  @Roles(...EDITORS)
  @CustomerCommandDocs('Change a contact person; left out stays, null clears (the name cannot be cleared)', ChangeCustomerContactDto, { contactId: 'contact-1', reason: 'New mobile number.', phone: '139 0013 9001' })
  changeContact(@Param('id', CustomerIdPipe) id: string, @Body() body: ChangeCustomerContactDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, id, (context) => new ChangeCustomerContactCommand(id, given(body), context));
  }

  @Post(':id/contacts/remove')
  @HttpCode(200)
  @Roles(...EDITORS)
  @CustomerCommandDocs('Remove a contact person (its id is never given again)', RemoveCustomerContactDto, { contactId: 'contact-1', reason: 'Left the company.' })
  removeContact(@Param('id', CustomerIdPipe) id: string, @Body() body: RemoveCustomerContactDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, id, (context) => new RemoveCustomerContactCommand(id, given(body), context));
  }

  @Post(':id/visits')
  @HttpCode(200)
  @Roles(...EDITORS)
  @CustomerCommandDocs('Log a visit or a conversation (客户拜访与沟通)', LogCustomerVisitDto, {
    visitedAt: '2026-03-02T10:00:00+08:00', channel: 'in-person', summary: '了解下季度用油计划，客户希望增加夜间加油服务。', nextStep: '报送夜间服务方案', nextStepDue: '2026-03-16',
  })
  visit(@Param('id', CustomerIdPipe) id: string, @Body() body: LogCustomerVisitDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, id, (context) => new LogCustomerVisitCommand(id, given(body), context));
  }

  @Post(':id/evaluations')
  @HttpCode(200)
  @Roles(...EDITORS)
  @CustomerCommandDocs('Record the customer\'s own evaluation of the station (客户对加油站的评价)', RecordCustomerEvaluationDto, { rating: 4, comment: '服务态度好，但高峰期排队时间长。' })
  evaluation(@Param('id', CustomerIdPipe) id: string, @Body() body: RecordCustomerEvaluationDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, id, (context) => new RecordCustomerEvaluationCommand(id, given(body), context));
  }

  @Post(':id/consumption')
  @HttpCode(200)
  @Roles(...EDITORS)
  @CustomerCommandDocs('Record a month\'s volume (月消费量); a key customer\'s drop below the recent average raises an alert (GET /customers/alerts)', RecordCustomerConsumptionDto, { period: '2026-02', volume: { amount: 28000, unit: 'litre' } })
  consumption(@Param('id', CustomerIdPipe) id: string, @Body() body: RecordCustomerConsumptionDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, id, (context) => new RecordCustomerConsumptionCommand(id, given(body), context));
  }

  @Post(':id/merge')
  @HttpCode(200)
  @Roles('supervisor', 'admin')
  @CustomerCommandDocs('Merge this file into another (the survivor) that turns out to be the same customer; this file is closed and points to it', MergeCustomerFileDto, { survivorId: 'cust-20001', reason: 'Same company: opened at intake under the driver\'s phone number.' })
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
  @CustomerCommandDocs('Erase the customer\'s personal data (PIPL art. 47 / GDPR art. 17): records the erasure and closes the file; the key is destroyed by a later slice', EraseCustomerPersonalDataDto, {
    ground: 'consent-withdrawn', reason: 'Written request received at the Pudong station.', requestReference: 'PIPL-2026-007',
  })
  erase(@Param('id', CustomerIdPipe) id: string, @Body() body: EraseCustomerPersonalDataDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, id, (context) => new EraseCustomerPersonalDataCommand(id, given(body), context));
  }

  @Get(':id/file')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'The customer file folded from its events, personal fields included; ETag: its revision' })
  @ApiParam({ name: 'id', example: 'cust-20001' })
  @ApiOkResponse({ type: CustomerFileDto })
  async file(@Param('id', CustomerIdPipe) id: string, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Res({ passthrough: true }) reply: FastifyReply) {
    const view = await this.load(id, actor, scope);
    reply.header('ETag', `"${view.revision}"`);
    return { ...view.state, revision: view.revision };
  }

  @Get(':id/events')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'The customer file\'s stream: every event with its metadata' })
  @ApiParam({ name: 'id', example: 'cust-20001' })
  @ApiOkResponse({ type: CustomerFileEventsDto })
  async events(@Param('id', CustomerIdPipe) id: string, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Res({ passthrough: true }) reply: FastifyReply) {
    const view = await this.load(id, actor, scope);
    reply.header('ETag', `"${view.revision}"`);
    return {
      id,
      revision: view.revision,
      events: view.events.map(({ revision, position, type, data, metadata, recordedAt }) => ({ revision, position, type, recordedAt, data, metadata })),
    };
  }

  private async load(id: string, actor: Actor, scope: DepartmentScope): Promise<CustomerFileView> {
    await this.access.requireVisible(id, actor.id, scope);
    return this.queries.execute<GetCustomerFileQuery, CustomerFileView>(new GetCustomerFileQuery(id));
  }
}
