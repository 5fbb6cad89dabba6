import { Body, Controller, ForbiddenException, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccessTokenAlreadyRevokedError, principalKey, samePrincipal, type Actor, type DepartmentScope } from '@app/domain';
import {
  AddAgentCommand, AddEngineerCommand, EngineerOpenWorkOrders, ChangeServiceUnitRegionsCommand, DeactivateAgentCommand, DeactivateEngineerCommand, GetServiceNetworkQuery, RegisterServiceUnitCommand, RenameServiceUnitCommand,
  type ServiceNetworkView,
} from '@app/after-sales';
import type { CommandContext, CommandOutcome } from '@app/complaints';
import { ALL_ROLES, CurrentActor, CurrentPrincipal, CurrentScope, Roles } from '../auth/roles.decorator';
import { CommandRunner, type PathIds } from '../http/command-runner';
import { AgentIdPipe, EngineerIdPipe, ServiceUnitCodePipe } from './after-sales-params';
import { AfterSalesCommandDocs } from './command-docs';
import { OkResponse, ProblemResponses, STORE_DAMAGED, TURN_WRITE, etagHeader } from '../openapi/api-responses.decorator';
import { EngineerDeactivatedDto, PersonDeactivatedDto, ServiceNetworkViewDto } from './dto/after-sales-views.dto';
import { AccessControl, MAX_WAITING_DECISIONS_PER_TOKEN, type DecisionMetadata, type Principal } from '../access/access-control.service';
import { AddAgentDto, AddEngineerDto, ChangeServiceUnitRegionsDto, DeactivateAgentDto, DeactivateEngineerDto, RegisterServiceUnitDto, RenameServiceUnitDto } from './dto/service-network.dto';
import { requireEveryDepartment } from './scope';

const NETWORK = 'The service network';
const NETWORK_DOCS = { subject: 'service network', deletable: true, spansDepartments: 'supervisor, admin' } as const;
/** With revokeTokens the deactivation takes a turn of the access-control queue, capped per token like any decision on tokens. */
const DEACTIVATION_429 = {
  status: 429, codes: ['rate-limited', 'too-many-in-flight'],
  description: `\`rate-limited\`: too many requests from this token. \`too-many-in-flight\` (only with \`revokeTokens: true\`): this token already has ${MAX_WAITING_DECISIONS_PER_TOKEN} access-control decisions waiting in this process; nothing was written. \`Retry-After\` says when to try again.`,
} as const;
const DEACTIVATION_DOCS = { ...NETWORK_DOCS, forbiddenAlso: ', or a supervisor sent revokeTokens: true (only an admin revokes tokens)' } as const;

/** The service network (一个中心、分支机构、服务站 and their engineers): one stream, changed by supervisors and admins of every department. */

/** The people's ids of the network's paths, as the directory reads them (principalKey). */
const PERSON_PATH_IDS: PathIds = { agentId: principalKey, engineerId: principalKey };
@ApiTags('service network')
@Controller('service-network')
export class ServiceNetworkController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly runner: CommandRunner,
    private readonly openWorkOrders: EngineerOpenWorkOrders,
    private readonly access: AccessControl,
  ) {}

  /**
   * Records the deactivation (`deactivate`), then, with revokeTokens, revokes the person's active
   * managed tokens of that role, the whole as one turn of the access-control queue for the caller
   * (AccessControl.asCaller): a revocation of the caller's own token runs before it (401, nothing
   * written) or after it. In this order so that a refused deactivation revokes nothing; a
   * revocation that fails part-way is finished by sending the request again with its Idempotency-Key
   * (the deactivation is answered from its record, the tokens still active are revoked).
   */
  private deactivation<O extends CommandOutcome>(
    request: FastifyRequest, reply: FastifyReply, { actor, scope, tokenKey }: Principal,
    person: { readonly id: string; readonly role: 'agent' | 'engineer'; readonly reason: string; readonly revokeTokens: boolean | undefined },
    deactivate: (context: CommandContext) => Promise<O>,
  ): Promise<O & { revokedTokens: string[] }> {
    if (person.revokeTokens === true && actor.role !== 'admin') {
      throw new ForbiddenException(`Only an admin revokes tokens (revokeTokens: true); nothing was written. Deactivate ${person.id} without revokeTokens and ask an admin to revoke their tokens (POST /access/tokens/{tokenId}/revoke), or have an admin send this request.`);
    }
    return this.run(request, reply, actor, scope, async (context) => {
      if (person.revokeTokens !== true) return { ...(await deactivate(context)), revokedTokens: [] };
      // One turn of the access-control queue for the caller: its token is checked first (revoked meanwhile: 401, nothing
      // written), then the deactivation and its revocations are decided before any revocation of the caller that came later.
      return this.access.asCaller(tokenKey, actor, (revoke) => this.deactivateAndRevoke(person, actor, context, deactivate, revoke));
    }) as Promise<O & { revokedTokens: string[] }>;
  }

  private async deactivateAndRevoke<O extends CommandOutcome>(
    person: { readonly id: string; readonly role: 'agent' | 'engineer'; readonly reason: string }, actor: Actor, context: CommandContext,
    deactivate: (context: CommandContext) => Promise<O>, revoke: (tokenId: string, decision: DecisionMetadata) => Promise<unknown>,
  ): Promise<O & { revokedTokens: string[] }> {
    const outcome = await deactivate(context);
    const theirs = this.access.list().filter((token) => token.source === 'managed' && token.status === 'active' && token.role === person.role && samePrincipal(token.principalId, person.id));
    const revokedTokens: string[] = [];
    for (const { tokenId } of theirs) {
      try {
        await revoke(tokenId, { actor, reason: `Deactivated in the service network: ${person.reason}`, correlationId: context.correlationId });
        revokedTokens.push(tokenId);
      } catch (error) {
        // Revoked meanwhile by another admin: what was asked for holds.
        if (!(error instanceof AccessTokenAlreadyRevokedError)) throw error;
      }
    }
    return { ...outcome, revokedTokens };
  }

  private run(request: FastifyRequest, reply: FastifyReply, actor: Actor, scope: DepartmentScope, dispatch: (context: CommandContext) => unknown, status: 200 | 201 = 200) {
    requireEveryDepartment(scope, NETWORK);
    // A person's id is read as principalKey reads it (the directory finds them so): ENG-WANG, ｅｎｇ-ｗａｎｇ and eng\u200b-wang are one request.
    return this.runner.run(request, reply, actor, (context) => dispatch(context) as Promise<CommandOutcome>, { status, location: () => '/service-network', pathIds: PERSON_PATH_IDS });
  }

  @Get()
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'The service network and directory: centre, branches, stations and departments with their regions, the engineers with their station and skills, and the complaint-desk agents with their units (each with whether it is active)' })
  @OkResponse(ServiceNetworkViewDto, { description: 'The directory as of the service-network stream\'s last event.', headers: { ETag: etagHeader('service network', 'as of its last event (-1 while empty)') } })
  @ProblemResponses(STORE_DAMAGED)
  async directory(@Res({ passthrough: true }) reply: FastifyReply) {
    const view = await this.queries.execute<GetServiceNetworkQuery, ServiceNetworkView>(new GetServiceNetworkQuery());
    reply.header('ETag', `"${view.revision}"`);
    return view;
  }

  @Post('units')
  @HttpCode(201)
  @Roles('supervisor', 'admin')
  @AfterSalesCommandDocs('Register a unit: the centre (one), a branch under it, or a service station or department (业务部门) under either, with the regions it serves; complaints are assigned to units', { ...NETWORK_DOCS, command: 'RegisterServiceUnit', created: '/service-network', illegal: ['unit-already-registered', 'centre-already-registered', 'unit-name-taken'], invalid: ['invalid-code', 'reserved-code', 'name-required', 'invalid-region', 'regions-required', 'parent-not-allowed', 'parent-required', 'unknown-parent', 'invalid-parent', 'reason-required'] })
  register(@Body() body: RegisterServiceUnitDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const { regions, ...rest } = body;
    return this.run(request, reply, actor, scope, (context) => this.commands.execute(new RegisterServiceUnitCommand({ ...rest, regions: regions ?? [] }, context)), 201);
  }

  @Post('units/:code/rename')
  @HttpCode(200)
  @Roles('supervisor', 'admin')
  @ApiParam({ name: 'code', example: 'dandong-station', description: 'The unit\'s code (one that cannot be a code: 404).' })
  @AfterSalesCommandDocs('Rename a service unit (zh-CN and en)', { ...NETWORK_DOCS, command: 'RenameServiceUnit', illegal: ['no-change', 'unit-name-taken'], invalid: ['name-required', 'reason-required'] })
  rename(@Param('code', ServiceUnitCodePipe) code: string, @Body() body: RenameServiceUnitDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, (context) => this.commands.execute(new RenameServiceUnitCommand({ code, ...body }, context)));
  }

  @Post('units/:code/regions')
  @HttpCode(200)
  @Roles('supervisor', 'admin')
  @ApiParam({ name: 'code', example: 'dandong-station', description: 'The unit\'s code (one that cannot be a code: 404).' })
  @AfterSalesCommandDocs('Change the regions a service unit serves (dispatch goes by region)', { ...NETWORK_DOCS, command: 'ChangeServiceUnitRegions', illegal: ['no-change'], invalid: ['invalid-region', 'regions-required', 'reason-required'] })
  regions(@Param('code', ServiceUnitCodePipe) code: string, @Body() body: ChangeServiceUnitRegionsDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, (context) => this.commands.execute(new ChangeServiceUnitRegionsCommand({ code, ...body }, context)));
  }

  @Post('engineers')
  @HttpCode(201)
  @Roles('supervisor', 'admin')
  @AfterSalesCommandDocs('Add an engineer to a unit, with skills (an id is never reused)', { ...NETWORK_DOCS, command: 'AddEngineer', created: '/service-network', illegal: ['engineer-already-added', 'person-id-taken'], invalid: ['invalid-code', 'reserved-code', 'name-required', 'unknown-station', 'station-is-a-department', 'invalid-skill', 'reason-required'] })
  addEngineer(@Body() body: AddEngineerDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const { skills, ...rest } = body;
    return this.run(request, reply, actor, scope, (context) => this.commands.execute(new AddEngineerCommand({ ...rest, skills: skills ?? [] }, context)), 201);
  }

  @Post('engineers/:engineerId/deactivate')
  @HttpCode(200)
  @Roles('supervisor', 'admin')
  @ApiParam({ name: 'engineerId', example: 'eng-wang', description: 'The engineer\'s id (one that cannot be an id: 404).' })
  @AfterSalesCommandDocs('Deactivate an engineer: no dispatch to them, and no work-order command of theirs, from now on (403 engineer-deactivated); their history stays; the answer lists the open work orders they still hold, to redispatch; with revokeTokens (admins), their engineer tokens are revoked too', {
    ...DEACTIVATION_DOCS, command: 'DeactivateEngineer', answer: EngineerDeactivatedDto, notFound: { status: 404, description: 'No engineer with this id in the service network.', codes: ['engineer-not-found'] }, illegal: ['engineer-inactive'], invalid: ['reason-required'],
  })
  @ProblemResponses(TURN_WRITE, DEACTIVATION_429)
  async deactivate(@Param('engineerId', EngineerIdPipe) engineerId: string, @Body() body: DeactivateEngineerDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    // Accepted, not refused: someone who has left must stop receiving dispatches now, whatever they still hold; the supervisor then redispatches what is listed.
    const { revokeTokens, ...data } = body;
    return this.deactivation(request, reply, principal, { id: engineerId, role: 'engineer', reason: data.reason, revokeTokens }, async (context) => {
      const outcome = await this.commands.execute<DeactivateEngineerCommand, CommandOutcome>(new DeactivateEngineerCommand({ engineerId, ...data }, context));
      // From the log, not the dispatch board: whole once the deactivation is stored, however far behind the projections are (docs/adr/0012).
      // Part of the answer the Idempotency-Key stores: a retry answers the list the first answer gave, not the orders as they stand since.
      return { ...outcome, openWorkOrders: await this.openWorkOrders.of(engineerId) };
    });
  }

  @Post('agents')
  @HttpCode(201)
  @Roles('supervisor', 'admin')
  @AfterSalesCommandDocs('Add a complaint-desk agent to the directory, with the units whose complaints they handle (assign is checked against it; an id is never reused)', { ...NETWORK_DOCS, command: 'AddAgent', created: '/service-network', illegal: ['agent-already-added', 'person-id-taken'], invalid: ['invalid-code', 'reserved-code', 'name-required', 'units-required', 'unknown-unit', 'reason-required'] })
  addAgent(@Body() body: AddAgentDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(request, reply, actor, scope, (context) => this.commands.execute(new AddAgentCommand({ ...body }, context)), 201);
  }

  @Post('agents/:agentId/deactivate')
  @HttpCode(200)
  @Roles('supervisor', 'admin')
  @ApiParam({ name: 'agentId', example: 'li.na', description: 'The agent\'s id (one that cannot be an id: 404).' })
  @AfterSalesCommandDocs('Deactivate an agent: no assignment to them, and no complaint, work-order or survey command of theirs, from now on (403 agent-deactivated); their history stays; with revokeTokens (admins), their agent tokens are revoked too', { ...DEACTIVATION_DOCS, command: 'DeactivateAgent', answer: PersonDeactivatedDto, notFound: { status: 404, description: 'No agent with this id in the directory.', codes: ['agent-not-found'] }, illegal: ['agent-inactive'], invalid: ['reason-required'] })
  @ProblemResponses(DEACTIVATION_429)
  deactivateAgent(@Param('agentId', AgentIdPipe) agentId: string, @Body() body: DeactivateAgentDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const { revokeTokens, ...data } = body;
    return this.deactivation(request, reply, principal, { id: agentId, role: 'agent', reason: data.reason, revokeTokens },
      (context) => this.commands.execute(new DeactivateAgentCommand({ agentId, ...data }, context)));
  }
}
