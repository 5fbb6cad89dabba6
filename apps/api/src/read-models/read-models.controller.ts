import { Controller, ForbiddenException, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Clock } from '@app/complaints';
import { followMerges, type Actor, type DepartmentScope } from '@app/domain';
import { RequestValidationError, ResourceNotFoundError } from '../http/request-errors';
import {
  ComplaintListQuery, ComplaintStatsQuery, CustomerFilesQuery, CustomerLoyaltyQuery, LOYALTY_MODEL_VERSION, SEGMENT_DIMENSIONS, SlaQuery, SurveyListQuery, WorkOrderListQuery, ZERO_COUNTERS, complianceTotals,
  type CustomerDocument, type CustomerFileSummary, type SegmentDimension,
} from '@app/read-models';
import { ALL_ROLES, CurrentActor, CurrentScope, Roles, SpansDepartments } from '../auth/roles.decorator';
import {
  AtRiskQueryDto, BreachesQueryDto, ConsumptionAlertsQueryDto, CustomerFilesQueryDto, ExportableQueryDto, MAX_AT_RISK_WINDOW, atRiskWindowMs, ComplianceQueryDto,
  CustomersQueryDto, ListComplaintsQueryDto, ReadModelQueryDto, StatsQueryDto,
} from './query.dto';
import { ConsumptionAlertsPageDto, CustomerFilesPageDto, CustomerViewDto, ImportanceLoyaltyDto } from '../customers/dto/customer-responses.dto';
import { ReadModelResponder } from './read-model-responder';
import {
  AT_RISK_COLUMNS, BREACH_COLUMNS, COMPLAINT_COLUMNS, COMPLIANCE_COLUMNS, COMPLIANCE_PERIOD_COLUMNS, CONSUMPTION_ALERT_COLUMNS, CUSTOMER_COLUMNS, CUSTOMER_FILE_COLUMNS, IMPORTANCE_LOYALTY_COLUMNS,
  LOYALTY_DISTRIBUTION_COLUMNS, STATS_COLUMNS,
} from '../export/csv-columns';
import { CsvExport } from '../export/csv-export';
import { DirectoryCheck } from '../complaints/directory-check';
import { everyRow } from '../export/csv-table';
import { AS_OF_NOT_FOUND, OkResponse, PROJECTION_FAILED, ProblemResponses, READ_MODEL_POSITION_HEADER, type ProblemResponseSpec } from '../openapi/api-responses.decorator';
import {
  ComplaintPageDto, ComplaintStatsDto, ComplianceDto, CustomerPageDto, LoyaltyDistributionDto, SlaAtRiskPageDto, SlaBreachPageDto,
} from './read-model-views.dto';
import { HeavyRead } from '../http/heavy-read.interceptor';

const READERS = ['supervisor', 'analyst', 'auditor', 'admin'] as const;

/** Aggregates span every department: a principal limited to some may not read them. */
function requireAllDepartments(scope: DepartmentScope): void {
  if (scope !== 'all') throw new ForbiddenException(`This view spans every department; your token is limited to ${scope.join(', ')}.`);
}

/**
 * A department filter within the reader's scope: the one asked for (if theirs, as the directory spells it: the one check of
 * DirectoryCheck.requireWithinScope), else all of theirs.
 */
async function departmentsWithin(directory: DirectoryCheck, scope: DepartmentScope, asked: string | undefined): Promise<string | readonly string[] | undefined> {
  if (asked === undefined) return scope === 'all' ? undefined : directory.scopeAsRecorded(scope);
  return directory.requireWithinScope(scope, asked, 'Department', 'filter');
}

/** Breaches and at-risk clocks are measured against now: there is no "as of" for them. */
function refuseAsOf(query: { asOf?: string }): void {
  if (query.asOf !== undefined) throw new RequestValidationError([{ field: 'asOf', message: 'asOf is not available for this view (it is measured against now); use /sla/compliance' }]);
}


const POSITION = { 'X-Read-Model-Position': READ_MODEL_POSITION_HEADER };
const INVALID: ProblemResponseSpec = { status: 400, codes: ['validation-failed', 'invalid-query'], description: 'A query parameter is invalid (`errors` names it), or the cursor is not one this list gave.' };
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
    private readonly files: CustomerFilesQuery,
    private readonly workOrders: WorkOrderListQuery,
    private readonly surveys: SurveyListQuery,
    private readonly clock: Clock,
    private readonly csv: CsvExport,
    private readonly directory: DirectoryCheck,
  ) {}

  @Get('complaints')
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Complaint list, newest first, with filters and cursor paging; format=csv (or Accept: text/csv) for every page as CSV' })
  @OkResponse(ComplaintPageDto, { description: 'A page of complaints.', csv: true, headers: POSITION })
  @ProblemResponses(INVALID, AS_OF_NOT_FOUND, 406, PROJECTION_FAILED)
  @HeavyRead()
  list(@Query() query: ListComplaintsQueryDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const format = this.csv.formatOf(query, request, reply);
    const { limit, cursor, minPosition: _minPosition, asOf, format: _format, bom: _bom, department, ...rest } = query;
    return this.responder.respond(query, reply, async () => {
      const filter = { ...rest, department: await this.directory.unitFilter(department) };
      const page = (paging: { limit: number; cursor?: string }) => this.complaints.list(filter, paging, asOf, { actorId: actor.id, scope });
      return format === 'csv' ? this.csv.send(reply, 'complaints', COMPLAINT_COLUMNS, await everyRow(page, { limit, cursor }), query) : page({ limit: limit ?? 50, cursor });
    });
  }

  @Get('sla/breaches')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Breached SLA clocks: the step came late, or the deadline passed without it (open); or as CSV' })
  @OkResponse(SlaBreachPageDto, { description: 'A page of breached clocks, latest deadline first.', csv: true, headers: POSITION })
  @ProblemResponses({ ...INVALID, description: 'A query parameter is invalid (`asOf` too: this view is measured against now), or the cursor is not one this list gave.' }, NOT_YOUR_DEPARTMENT, 406, PROJECTION_FAILED)
  @HeavyRead()
  async breaches(@Query() query: BreachesQueryDto, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const format = this.csv.formatOf(query, request, reply);
    refuseAsOf(query);
    const { limit, cursor, minPosition: _minPosition, asOf: _asOf, format: _format, bom: _bom, clock, department, ...filter } = query;
    const departments = await departmentsWithin(this.directory, scope, department);
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
  @ProblemResponses({ ...INVALID, description: 'A query parameter is invalid (`asOf` too: this view is measured against now), or the cursor is not one this list gave.' }, NOT_YOUR_DEPARTMENT, 406, PROJECTION_FAILED)
  @HeavyRead()
  async atRisk(@Query() query: AtRiskQueryDto, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const format = this.csv.formatOf(query, request, reply);
    refuseAsOf(query);
    const { limit, cursor, within = 'PT2H', department, assignee } = query;
    // The DTO has checked it; an undefined here would be a bug, never a silent PT2H.
    const withinMs = atRiskWindowMs(within);
    if (withinMs === undefined) throw new RequestValidationError([{ field: 'within', message: `within must be an ISO 8601 duration from PT0S to ${MAX_AT_RISK_WINDOW}` }]);
    const departments = await departmentsWithin(this.directory, scope, department);
    return this.responder.respond(query, reply, async () => {
      const now = this.clock.now();
      const page = (paging: { limit: number; cursor?: string }) => this.sla.atRisk(withinMs, paging, now, { ...(departments === undefined ? {} : { department: departments }), assignee });
      return format === 'csv' ? this.csv.send(reply, 'sla-at-risk', AT_RISK_COLUMNS, await everyRow(page, { limit, cursor }), query) : page({ limit: limit ?? 50, cursor });
    });
  }

  @Get('sla/compliance')
  @SpansDepartments()
  @Roles(...READERS)
  @ApiOperation({ summary: 'SLA compliance (met / breached / %) by department, assignee, cause or clock, over deadline days, optionally per period (interval=month: department × month), with the totals; or as CSV, the totals last' })
  @OkResponse(ComplianceDto, { description: 'Met and breached clocks per value, by the day of their deadline, and the totals.', csv: true, headers: POSITION })
  @ProblemResponses(INVALID, SPANS_DEPARTMENTS, AS_OF_NOT_FOUND, 406, PROJECTION_FAILED)
  @HeavyRead()
  compliance(@Query() query: ComplianceQueryDto, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const format = this.csv.formatOf(query, request, reply);
    requireAllDepartments(scope);
    const by = query.by ?? 'department';
    return this.responder.respond(query, reply, async () => {
      const rows = await this.sla.compliance(by, query.from, query.to, query.asOf, query.interval, this.clock.now());
      const totals = complianceTotals(rows);
      if (format === 'json') return { by, interval: query.interval ?? null, from: query.from ?? null, to: query.to ?? null, asOf: query.asOf ?? null, rows, totals };
      // The totals last, as the other statistics export them: `totals` in the period column, there with or without an interval (no row when there are none).
      return this.csv.send(reply, 'sla-compliance', query.interval === undefined ? COMPLIANCE_COLUMNS : COMPLIANCE_PERIOD_COLUMNS, totals ? [...rows, { period: 'totals' as const, ...totals }] : rows, query);
    });
  }

  @Get('stats/complaints')
  @SpansDepartments()
  @Roles(...READERS)
  @ApiOperation({ summary: 'Complaint-type statistics per period and dimension value (cohorts by day of receipt, UTC; percentiles within ±1 %); or as CSV, the totals last' })
  @OkResponse(ComplaintStatsDto, { description: 'One row per period and value, and the totals.', csv: true, headers: POSITION })
  @ProblemResponses(INVALID, SPANS_DEPARTMENTS, AS_OF_NOT_FOUND, 406, PROJECTION_FAILED)
  @HeavyRead()
  complaintStats(@Query() query: StatsQueryDto, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const format = this.csv.formatOf(query, request, reply);
    requireAllDepartments(scope);
    const by = query.by ?? 'cause';
    const interval = query.interval ?? 'month';
    return this.responder.respond(query, reply, async () => {
      const { rows, periods, totals } = await this.stats.complaints(by, interval, query.from, query.to, query.asOf, this.clock.now());
      if (format === 'json') return { by, interval, from: query.from ?? null, to: query.to ?? null, asOf: query.asOf ?? null, rows, periods, totals };
      return this.csv.send(reply, 'stats-complaints', STATS_COLUMNS, totals ? [...rows, { period: 'totals' as const, ...totals }] : rows, query);
    });
  }

  @Get('stats/loyalty')
  @SpansDepartments()
  @Roles(...READERS)
  @ApiOperation({ summary: 'How many customers each loyalty tier and lifecycle stage holds, counted in full; or its rows as CSV' })
  @OkResponse(LoyaltyDistributionDto, { description: 'Every tier and stage with its count of customers, and the number of customers.', csv: true, headers: POSITION })
  @ProblemResponses(INVALID, SPANS_DEPARTMENTS, AS_OF_NOT_FOUND, 406, PROJECTION_FAILED)
  loyaltyDistribution(@Query() query: ExportableQueryDto, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const format = this.csv.formatOf(query, request, reply);
    requireAllDepartments(scope);
    return this.responder.respond(query, reply, async () => {
      const { customers, rows } = await this.loyalty.distribution(query.asOf);
      return format === 'csv' ? this.csv.send(reply, 'loyalty-distribution', LOYALTY_DISTRIBUTION_COLUMNS, rows, query) : { asOf: query.asOf ?? null, customers, rows };
    });
  }

  @Get('customers')
  @SpansDepartments()
  @Roles(...READERS)
  @ApiOperation({ summary: 'Customers by loyalty score, optionally one tier or lifecycle stage; or as CSV' })
  @OkResponse(CustomerPageDto, { description: 'A page of customer files.', csv: true, headers: POSITION })
  @ProblemResponses(INVALID, SPANS_DEPARTMENTS, AS_OF_NOT_FOUND, 406, PROJECTION_FAILED)
  @HeavyRead()
  customers(@Query() query: CustomersQueryDto, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const format = this.csv.formatOf(query, request, reply);
    requireAllDepartments(scope);
    const { limit, cursor, tier, stage, sort = '-score' } = query;
    const page = (paging: { limit: number; cursor?: string }) => this.loyalty.customers({ tier, stage }, sort === 'score' ? 'asc' : 'desc', paging, query.asOf);
    return this.responder.respond(query, reply, async () => (format === 'csv'
      ? this.csv.send(reply, 'customers', CUSTOMER_COLUMNS, await everyRow(page, { limit, cursor }), query)
      : page({ limit: limit ?? 50, cursor })));
  }

  @Get('customers/files')
  @SpansDepartments()
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Customer files (客户档案) by status, category, importance and segment dimension, newest first; dueVisitDays=N: key customers not visited in N days; or as CSV' })
  @OkResponse(CustomerFilesPageDto, { description: 'A page of customer files.', csv: true, headers: POSITION })
  @ProblemResponses(INVALID, SPANS_DEPARTMENTS, AS_OF_NOT_FOUND, 406, PROJECTION_FAILED)
  @HeavyRead()
  customerFiles(@Query() query: CustomerFilesQueryDto, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const format = this.csv.formatOf(query, request, reply);
    requireAllDepartments(scope);
    const { limit, cursor, status, category, importance, dueVisitDays, q } = query;
    const segments: Partial<Record<SegmentDimension, string>> = {};
    for (const dimension of SEGMENT_DIMENSIONS) {
      const code = query[`segment.${dimension}`];
      if (code !== undefined) segments[dimension] = code;
    }
    return this.responder.respond(query, reply, async () => {
      // One now for every page of an export: "not visited in N days" is measured against the same moment.
      const notVisitedSince = dueVisitDays === undefined ? undefined : new Date(this.clock.now().getTime() - dueVisitDays * 86_400_000).toISOString();
      const page = (paging: { limit: number; cursor?: string }) => this.files.files({ status, category, importance, segments, notVisitedSince, q }, paging, query.asOf);
      return format === 'csv' ? this.csv.send(reply, 'customer-files', CUSTOMER_FILE_COLUMNS, await everyRow(page, { limit, cursor }), query) : page({ limit: limit ?? 50, cursor });
    });
  }

  @Get('customers/alerts')
  @SpansDepartments()
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'Consumption-drop alerts of key customers (客户加油量异常), newest first; or as CSV' })
  @OkResponse(ConsumptionAlertsPageDto, { description: 'A page of consumption-drop alerts.', csv: true, headers: POSITION })
  @ProblemResponses(INVALID, SPANS_DEPARTMENTS, AS_OF_NOT_FOUND, 406, PROJECTION_FAILED)
  @HeavyRead()
  consumptionAlerts(@Query() query: ConsumptionAlertsQueryDto, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const format = this.csv.formatOf(query, request, reply);
    requireAllDepartments(scope);
    const { limit, cursor, customerId, period } = query;
    const page = (paging: { limit: number; cursor?: string }) => this.files.alerts({ customerId, period }, paging, query.asOf);
    return this.responder.respond(query, reply, async () => (format === 'csv'
      ? this.csv.send(reply, 'customer-alerts', CONSUMPTION_ALERT_COLUMNS, await everyRow(page, { limit, cursor }), query)
      : page({ limit: limit ?? 50, cursor })));
  }

  @Get('customers/importance-loyalty')
  @SpansDepartments()
  @Roles(...READERS)
  @ApiOperation({ summary: 'Importance × loyalty: the files on record by importance level and loyalty tier, every cell listed; or its rows as CSV' })
  @OkResponse(ImportanceLoyaltyDto, { description: 'Every importance level × loyalty tier.', csv: true, headers: POSITION })
  @ProblemResponses(INVALID, SPANS_DEPARTMENTS, AS_OF_NOT_FOUND, 406, PROJECTION_FAILED)
  @HeavyRead()
  importanceLoyalty(@Query() query: ExportableQueryDto, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const format = this.csv.formatOf(query, request, reply);
    requireAllDepartments(scope);
    return this.responder.respond(query, reply, async () => {
      const { rows, totals } = await this.files.importanceByLoyalty(query.asOf);
      return format === 'csv' ? this.csv.send(reply, 'customer-importance-loyalty', IMPORTANCE_LOYALTY_COLUMNS, rows, query) : { asOf: query.asOf ?? null, rows, totals };
    });
  }

  @Get('customers/:id')
  @SpansDepartments()
  @Roles(...READERS)
  @ApiOperation({ summary: 'The customer view: loyalty score, tier, stage and the factors behind them, the file\'s basic facts, segments and importance, the customer\'s complaints, repairs and satisfaction surveys' })
  @ApiParam({ name: 'id', description: 'The customer id (of the complaints received for it, or of its file).', example: 'cust-10086' })
  @OkResponse(CustomerViewDto, { description: 'The customer view.', headers: POSITION })
  @ProblemResponses(INVALID, SPANS_DEPARTMENTS, { status: 404, codes: ['customer-not-found', 'as-of-not-found'], description: `customer-not-found: no complaint or repair was received for this customer id and it has no file. as-of-not-found: ${AS_OF_NOT_FOUND.description}` }, PROJECTION_FAILED)
  @HeavyRead()
  async customer(@Param('id') id: string, @Query() query: ReadModelQueryDto, @CurrentScope() scope: DepartmentScope, @Res({ passthrough: true }) reply: FastifyReply) {
    requireAllDepartments(scope);
    const { loyalty, file } = await this.responder.respond(query, reply, async () => {
      const [loyalty, file] = await Promise.all([this.loyalty.customer(id, query.asOf), this.files.file(id, query.asOf)]);
      return { loyalty, file };
    });
    // The files merged into it at any depth (A into B, then B into C), as the read model (at asOf) records them.
    const ids = [id, ...(await followMerges(file?.absorbed ?? [], async (merged) => (await this.files.file(merged, query.asOf))?.absorbed ?? []))];
    const [complaintList, repairList, surveyList] = await Promise.all([this.complaintsOf(ids, query.asOf), this.repairsOf(ids, query.asOf), this.surveysOf(ids, query.asOf)]);
    if (!loyalty && !file && repairList.length === 0) throw new ResourceNotFoundError('customer-not-found', `No complaint, repair or customer file for ${id}.`);
    return { ...(loyalty ?? withoutComplaints(id)), file: file ? fileFacts(file) : null, complaintList, repairList, surveyList };
  }

  /** The customer's satisfaction surveys, newest first (at most 50), with those sent under the ids of the files merged into it. */
  private async surveysOf(customerIds: readonly string[], asOf: string | undefined) {
    const now = this.clock.now();
    const pages = await Promise.all(customerIds.map((customerId) => this.surveys.list({ customerId }, { limit: CUSTOMER_VIEW_COMPLAINTS }, now, asOf)));
    return pages.flatMap((page) => page.items)
      .sort((a, b) => (a.sentAt === b.sentAt ? (a.id < b.id ? 1 : -1) : a.sentAt < b.sentAt ? 1 : -1))
      .slice(0, CUSTOMER_VIEW_COMPLAINTS)
      .map(({ id, source, customerId, status, expired, subjectKind, subjectId, sentAt, answeredAt, scores, meanScore }) =>
        ({ id, source, customerId, status, expired, subjectKind, subjectId, sentAt, answeredAt, scores, meanScore }));
  }

  /** The customer's repair work orders, newest first (at most 50), with those reported under the ids of the files merged into it. */
  private async repairsOf(customerIds: readonly string[], asOf: string | undefined) {
    const pages = await Promise.all(customerIds.map((customerId) => this.workOrders.list({ customerId }, { limit: CUSTOMER_VIEW_COMPLAINTS }, asOf)));
    return pages.flatMap((page) => page.items)
      .sort((a, b) => (a.reportedAt === b.reportedAt ? (a.id < b.id ? 1 : -1) : a.reportedAt < b.reportedAt ? 1 : -1))
      .slice(0, CUSTOMER_VIEW_COMPLAINTS)
      .map(({ id, customerId, status, reportedAt, productSerial, productModel, stationCode, warrantyVerdict, cycle, satisfaction }) =>
        ({ id, customerId, status, reportedAt, productSerial, productModel, stationCode, warrantyVerdict, cycle, satisfaction }));
  }

  /** The customer's complaints, newest first (at most 50), with those received under the ids of the files merged into it. */
  private async complaintsOf(customerIds: readonly string[], asOf: string | undefined) {
    const pages = await Promise.all(customerIds.map((customerId) => this.complaints.list({ customerId }, { limit: CUSTOMER_VIEW_COMPLAINTS }, asOf)));
    return pages.flatMap((page) => page.items)
      .sort((a, b) => (a.receivedAt === b.receivedAt ? (a.id < b.id ? 1 : -1) : a.receivedAt < b.receivedAt ? 1 : -1))
      .slice(0, CUSTOMER_VIEW_COMPLAINTS)
      .map(({ id, customerId, status, receivedAt, cause, severity, department }) => ({ id, customerId, status, receivedAt, cause, severity, department }));
  }
}

const CUSTOMER_VIEW_COMPLAINTS = 50;

/** The loyalty part of a customer with a file and no complaint yet: every field there, nothing scored, zero counts. */
function withoutComplaints(id: string): { readonly [field in keyof CustomerDocument]: unknown } {
  return {
    id, name: null, segment: null, counters: ZERO_COUNTERS, causes: [], receipts: [], complaints: { total: 0, open: 0, bySeverity: {}, reopened: 0, escalated: 0 },
    firstComplaintAt: null, lastComplaintAt: null, factors: [], score: null, tier: null, tierLabels: null, stage: null, stageLabels: null, recentScores: [],
    modelVersion: LOYALTY_MODEL_VERSION,
  };
}

/** What the customer view shows of the file: its basic facts, importance and segments (the whole file: GET /customers/{id}/file). */
function fileFacts(file: CustomerFileSummary) {
  const { status, category, name, address, customerType, creditRating, importance, segments, openedAt, lastVisitAt, alertPeriods, survivorId, absorbed, revision } = file;
  return { status, category, name, address, customerType, creditRating, importance, segments, openedAt, lastVisitAt, alertPeriods, survivorId, absorbed, revision };
}
