import { Controller, ForbiddenException, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Clock } from '@app/complaints';
import type { Actor, DepartmentScope } from '@app/domain';
import { RequestValidationError, ResourceNotFoundError } from '../http/request-errors';
import { ComplaintListQuery, ComplaintStatsQuery, CustomerLoyaltyQuery, SlaQuery } from '@app/read-models';
import { ALL_ROLES, CurrentActor, CurrentScope, Roles } from '../auth/roles.decorator';
import {
  AtRiskQueryDto, BreachesQueryDto, MAX_AT_RISK_WINDOW, atRiskWindowMs, ComplianceQueryDto, CustomersQueryDto, ListComplaintsQueryDto, ReadModelQueryDto, StatsQueryDto,
} from './query.dto';
import { ReadModelResponder } from './read-model-responder';

const READERS = ['supervisor', 'analyst', 'auditor', 'admin'] as const;

/** Aggregates span every department: a principal limited to some may not read them. */
function requireAllDepartments(scope: DepartmentScope): void {
  if (scope !== 'all') throw new ForbiddenException(`This view spans every department; your token is limited to ${scope.join(', ')}.`);
}

/** A department filter within the reader's scope: the one asked for (if theirs), else all of theirs. */
function departmentsWithin(scope: DepartmentScope, asked: string | undefined): string | readonly string[] | undefined {
  if (scope === 'all') return asked;
  if (asked === undefined) return scope;
  if (!scope.includes(asked)) throw new ForbiddenException(`Department ${asked} is not one of yours (${scope.join(', ')}).`);
  return asked;
}

/** Breaches and at-risk clocks are measured against now: there is no "as of" for them. */
function refuseAsOf(query: { asOf?: string }): void {
  if (query.asOf !== undefined) throw new RequestValidationError([{ field: 'asOf', message: 'asOf is not available for this view (it is measured against now); use /sla/compliance' }]);
}


@ApiTags('read models')
@ApiBearerAuth()
@Controller()
export class ReadModelsController {
  constructor(
    private readonly responder: ReadModelResponder,
    private readonly complaints: ComplaintListQuery,
    private readonly sla: SlaQuery,
    private readonly stats: ComplaintStatsQuery,
    private readonly loyalty: CustomerLoyaltyQuery,
    private readonly clock: Clock,
  ) {}

  @Get('complaints')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Complaint list, newest first, with filters and cursor paging' })
  list(@Query() query: ListComplaintsQueryDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Res({ passthrough: true }) reply: FastifyReply) {
    const { limit = 50, cursor, minPosition: _minPosition, asOf, ...filter } = query;
    return this.responder.respond(query, reply, () => this.complaints.list(filter, { limit, cursor }, asOf, { actorId: actor.id, scope }));
  }

  @Get('sla/breaches')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Breached SLA clocks: the step came late, or the deadline passed without it (open)' })
  breaches(@Query() query: BreachesQueryDto, @CurrentScope() scope: DepartmentScope, @Res({ passthrough: true }) reply: FastifyReply) {
    refuseAsOf(query);
    const { limit = 50, cursor, minPosition: _minPosition, asOf: _asOf, clock, department, ...filter } = query;
    const departments = departmentsWithin(scope, department);
    return this.responder.respond(query, reply, () => this.sla.breaches({ ...filter, ...(departments === undefined ? {} : { department: departments }), clock: clock as never }, { limit, cursor }, this.clock.now()));
  }

  @Get('sla/at-risk')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Running SLA clocks due within a duration (default PT2H), soonest first' })
  atRisk(@Query() query: AtRiskQueryDto, @CurrentScope() scope: DepartmentScope, @Res({ passthrough: true }) reply: FastifyReply) {
    refuseAsOf(query);
    const { limit = 50, cursor, within = 'PT2H', department, assignee } = query;
    // The DTO has checked it; an undefined here would be a bug, never a silent PT2H.
    const withinMs = atRiskWindowMs(within);
    if (withinMs === undefined) throw new RequestValidationError([{ field: 'within', message: `within must be an ISO 8601 duration from PT0S to ${MAX_AT_RISK_WINDOW}` }]);
    const departments = departmentsWithin(scope, department);
    return this.responder.respond(query, reply, () => this.sla.atRisk(withinMs, { limit, cursor }, this.clock.now(), { ...(departments === undefined ? {} : { department: departments }), assignee }));
  }

  @Get('sla/compliance')
  @Roles(...READERS)
  @ApiOperation({ summary: 'SLA compliance (met / breached / %) by department, assignee, cause or clock, over deadline days' })
  compliance(@Query() query: ComplianceQueryDto, @CurrentScope() scope: DepartmentScope, @Res({ passthrough: true }) reply: FastifyReply) {
    requireAllDepartments(scope);
    const by = query.by ?? 'department';
    return this.responder.respond(query, reply, async () => ({ by, from: query.from ?? null, to: query.to ?? null, asOf: query.asOf ?? null, rows: await this.sla.compliance(by, query.from, query.to, query.asOf) }));
  }

  @Get('stats/complaints')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Complaint-type statistics per period and dimension value (cohorts by day of receipt, UTC; percentiles within ±1 %)' })
  complaintStats(@Query() query: StatsQueryDto, @CurrentScope() scope: DepartmentScope, @Res({ passthrough: true }) reply: FastifyReply) {
    requireAllDepartments(scope);
    const by = query.by ?? 'cause';
    const interval = query.interval ?? 'month';
    return this.responder.respond(query, reply, async () => ({ by, interval, from: query.from ?? null, to: query.to ?? null, asOf: query.asOf ?? null, ...(await this.stats.complaints(by, interval, query.from, query.to, query.asOf)) }));
  }

  @Get('customers')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Customers by loyalty score, optionally one tier or lifecycle stage' })
  customers(@Query() query: CustomersQueryDto, @CurrentScope() scope: DepartmentScope, @Res({ passthrough: true }) reply: FastifyReply) {
    requireAllDepartments(scope);
    const { limit = 50, cursor, tier, stage, sort = '-score' } = query;
    return this.responder.respond(query, reply, () => this.loyalty.customers({ tier, stage }, sort === 'score' ? 'asc' : 'desc', { limit, cursor }, query.asOf));
  }

  @Get('customers/:id')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Customer file: profile, complaint history summary, loyalty score, tier, stage and the factors behind them' })
  async customer(@Param('id') id: string, @Query() query: ReadModelQueryDto, @CurrentScope() scope: DepartmentScope, @Res({ passthrough: true }) reply: FastifyReply) {
    requireAllDepartments(scope);
    const file = await this.responder.respond(query, reply, () => this.loyalty.customer(id, query.asOf));
    if (!file) throw new ResourceNotFoundError('customer-not-found', `No customer file for ${id}.`);
    return file;
  }
}
