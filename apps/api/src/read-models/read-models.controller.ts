import { Controller, ForbiddenException, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Clock } from '@app/complaints';
import type { Actor, DepartmentScope } from '@app/domain';
import { RequestValidationError, ResourceNotFoundError } from '../http/request-errors';
import { ComplaintListQuery, ComplaintStatsQuery, CustomerLoyaltyQuery, SlaQuery } from '@app/read-models';
import { ALL_ROLES, CurrentActor, CurrentScope, Roles, SpansDepartments } from '../auth/roles.decorator';
import {
  AtRiskQueryDto, BreachesQueryDto, MAX_AT_RISK_WINDOW, atRiskWindowMs, ComplianceQueryDto, CustomersQueryDto, ListComplaintsQueryDto, ReadModelQueryDto, StatsQueryDto,
} from './query.dto';
import { ReadModelResponder } from './read-model-responder';
import { AT_RISK_COLUMNS, BREACH_COLUMNS, COMPLAINT_COLUMNS, COMPLIANCE_COLUMNS, CUSTOMER_COLUMNS, STATS_COLUMNS } from '../export/csv-columns';
import { CsvExport } from '../export/csv-export';
import { everyRow } from '../export/csv-table';
import { OkResponse, ProblemResponses, READ_MODEL_POSITION_HEADER, type ProblemResponseSpec } from '../openapi/api-responses.decorator';
import {
  ComplaintPageDto, ComplaintStatsDto, ComplianceDto, CustomerFileDto, CustomerPageDto, SlaAtRiskPageDto, SlaBreachPageDto,
} from './read-model-views.dto';

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


const POSITION = { 'X-Read-Model-Position': READ_MODEL_POSITION_HEADER };
const INVALID: ProblemResponseSpec = { status: 400, codes: ['validation-failed', 'invalid-query'], description: 'A query parameter is invalid (`errors` names it), or the cursor is not one this list gave.' };
const NO_AS_OF: ProblemResponseSpec = { status: 404, codes: ['as-of-not-found'], description: 'No read model was built as of the `asOf` name.' };
const SPANS_DEPARTMENTS: ProblemResponseSpec = { status: 403, codes: ['forbidden'], description: 'The token\'s role may not call this route, or it is limited to departments and this view spans every department.' };
const NOT_YOUR_DEPARTMENT: ProblemResponseSpec = { status: 403, codes: ['forbidden'], description: 'The token\'s role may not call this route, or `department` is not one of the token\'s departments.' };

@ApiTags('read models')
@Controller()
export class ReadModelsController {
  constructor(
    private readonly responder: ReadModelResponder,
    private readonly complaints: ComplaintListQuery,
    private readonly sla: SlaQuery,
    private readonly stats: ComplaintStatsQuery,
    private readonly loyalty: CustomerLoyaltyQuery,
    private readonly clock: Clock,
    private readonly csv: CsvExport,
  ) {}

  @Get('complaints')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Complaint list, newest first, with filters and cursor paging; format=csv (or Accept: text/csv) for every page as CSV' })
  @OkResponse(ComplaintPageDto, { description: 'A page of complaints.', csv: true, headers: POSITION })
  @ProblemResponses(INVALID, NO_AS_OF, 406)
  list(@Query() query: ListComplaintsQueryDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const format = this.csv.formatOf(query, request, reply);
    const { limit, cursor, minPosition: _minPosition, asOf, format: _format, bom: _bom, ...filter } = query;
    const page = (paging: { limit: number; cursor?: string }) => this.complaints.list(filter, paging, asOf, { actorId: actor.id, scope });
    return this.responder.respond(query, reply, async () => (format === 'csv'
      ? this.csv.send(reply, 'complaints', COMPLAINT_COLUMNS, await everyRow(page, { limit, cursor }), query)
      : page({ limit: limit ?? 50, cursor })));
  }

  @Get('sla/breaches')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Breached SLA clocks: the step came late, or the deadline passed without it (open); or as CSV' })
  @OkResponse(SlaBreachPageDto, { description: 'A page of breached clocks, latest deadline first.', csv: true, headers: POSITION })
  @ProblemResponses({ ...INVALID, description: 'A query parameter is invalid (`asOf` too: this view is measured against now), or the cursor is not one this list gave.' }, NOT_YOUR_DEPARTMENT, 406)
  breaches(@Query() query: BreachesQueryDto, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const format = this.csv.formatOf(query, request, reply);
    refuseAsOf(query);
    const { limit, cursor, minPosition: _minPosition, asOf: _asOf, format: _format, bom: _bom, clock, department, ...filter } = query;
    const departments = departmentsWithin(scope, department);
    return this.responder.respond(query, reply, async () => {
      // One now (once the read models are there) for every page of an export: each open breach is measured against the same moment.
      const now = this.clock.now();
      const page = (paging: { limit: number; cursor?: string }) => this.sla.breaches({ ...filter, ...(departments === undefined ? {} : { department: departments }), clock: clock as never }, paging, now);
      return format === 'csv' ? this.csv.send(reply, 'sla-breaches', BREACH_COLUMNS, await everyRow(page, { limit, cursor }), query) : page({ limit: limit ?? 50, cursor });
    });
  }

  @Get('sla/at-risk')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Running SLA clocks due within a duration (default PT2H), soonest first; or as CSV' })
  @OkResponse(SlaAtRiskPageDto, { description: 'A page of running clocks due within the window, soonest first.', csv: true, headers: POSITION })
  @ProblemResponses({ ...INVALID, description: 'A query parameter is invalid (`asOf` too: this view is measured against now), or the cursor is not one this list gave.' }, NOT_YOUR_DEPARTMENT, 406)
  atRisk(@Query() query: AtRiskQueryDto, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const format = this.csv.formatOf(query, request, reply);
    refuseAsOf(query);
    const { limit, cursor, within = 'PT2H', department, assignee } = query;
    // The DTO has checked it; an undefined here would be a bug, never a silent PT2H.
    const withinMs = atRiskWindowMs(within);
    if (withinMs === undefined) throw new RequestValidationError([{ field: 'within', message: `within must be an ISO 8601 duration from PT0S to ${MAX_AT_RISK_WINDOW}` }]);
    const departments = departmentsWithin(scope, department);
    return this.responder.respond(query, reply, async () => {
      const now = this.clock.now();
      const page = (paging: { limit: number; cursor?: string }) => this.sla.atRisk(withinMs, paging, now, { ...(departments === undefined ? {} : { department: departments }), assignee });
      return format === 'csv' ? this.csv.send(reply, 'sla-at-risk', AT_RISK_COLUMNS, await everyRow(page, { limit, cursor }), query) : page({ limit: limit ?? 50, cursor });
    });
  }

  @Get('sla/compliance')
  @SpansDepartments()
  @Roles(...READERS)
  @ApiOperation({ summary: 'SLA compliance (met / breached / %) by department, assignee, cause or clock, over deadline days; or its rows as CSV' })
  @OkResponse(ComplianceDto, { description: 'Met and breached clocks per value, by the day of their deadline.', csv: true, headers: POSITION })
  @ProblemResponses(INVALID, SPANS_DEPARTMENTS, NO_AS_OF, 406)
  compliance(@Query() query: ComplianceQueryDto, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const format = this.csv.formatOf(query, request, reply);
    requireAllDepartments(scope);
    const by = query.by ?? 'department';
    return this.responder.respond(query, reply, async () => {
      const rows = await this.sla.compliance(by, query.from, query.to, query.asOf);
      return format === 'csv' ? this.csv.send(reply, 'sla-compliance', COMPLIANCE_COLUMNS, rows, query) : { by, from: query.from ?? null, to: query.to ?? null, asOf: query.asOf ?? null, rows };
    });
  }

  @Get('stats/complaints')
  @SpansDepartments()
  @Roles(...READERS)
  @ApiOperation({ summary: 'Complaint-type statistics per period and dimension value (cohorts by day of receipt, UTC; percentiles within ±1 %); or as CSV, the totals last' })
  @OkResponse(ComplaintStatsDto, { description: 'One row per period and value, and the totals.', csv: true, headers: POSITION })
  @ProblemResponses(INVALID, SPANS_DEPARTMENTS, NO_AS_OF, 406)
  complaintStats(@Query() query: StatsQueryDto, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const format = this.csv.formatOf(query, request, reply);
    requireAllDepartments(scope);
    const by = query.by ?? 'cause';
    const interval = query.interval ?? 'month';
    return this.responder.respond(query, reply, async () => {
      const { rows, totals } = await this.stats.complaints(by, interval, query.from, query.to, query.asOf);
      if (format === 'json') return { by, interval, from: query.from ?? null, to: query.to ?? null, asOf: query.asOf ?? null, rows, totals };
      return this.csv.send(reply, 'stats-complaints', STATS_COLUMNS, totals ? [...rows, { period: 'totals' as const, ...totals }] : rows, query);
    });
  }

  @Get('customers')
  @SpansDepartments()
  @Roles(...READERS)
  @ApiOperation({ summary: 'Customers by loyalty score, optionally one tier or lifecycle stage; or as CSV' })
  @OkResponse(CustomerPageDto, { description: 'A page of customer files.', csv: true, headers: POSITION })
  @ProblemResponses(INVALID, SPANS_DEPARTMENTS, NO_AS_OF, 406)
  customers(@Query() query: CustomersQueryDto, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const format = this.csv.formatOf(query, request, reply);
    requireAllDepartments(scope);
    const { limit, cursor, tier, stage, sort = '-score' } = query;
    const page = (paging: { limit: number; cursor?: string }) => this.loyalty.customers({ tier, stage }, sort === 'score' ? 'asc' : 'desc', paging, query.asOf);
    return this.responder.respond(query, reply, async () => (format === 'csv'
      ? this.csv.send(reply, 'customers', CUSTOMER_COLUMNS, await everyRow(page, { limit, cursor }), query)
      : page({ limit: limit ?? 50, cursor })));
  }

  @Get('customers/:id')
  @SpansDepartments()
  @Roles(...READERS)
  @ApiOperation({ summary: 'Customer file: profile, complaint history summary, loyalty score, tier, stage and the factors behind them' })
  @ApiParam({ name: 'id', description: 'The customer id the complaints were received with.', example: 'cust-10086' })
  @OkResponse(CustomerFileDto, { description: 'The customer file.', headers: POSITION })
  @ProblemResponses(INVALID, SPANS_DEPARTMENTS, { status: 404, codes: ['customer-not-found', 'as-of-not-found'], description: 'No complaint was received for this customer id (or the `asOf` read model does not exist).' })
  async customer(@Param('id') id: string, @Query() query: ReadModelQueryDto, @CurrentScope() scope: DepartmentScope, @Res({ passthrough: true }) reply: FastifyReply) {
    requireAllDepartments(scope);
    const file = await this.responder.respond(query, reply, () => this.loyalty.customer(id, query.asOf));
    if (!file) throw new ResourceNotFoundError('customer-not-found', `No customer file for ${id}.`);
    return file;
  }
}
