import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Clock } from '@app/complaints';
import type { Actor, DepartmentScope, Role } from '@app/domain';
import { RepairFeesQuery, RepairStatsQuery, WorkOrderListQuery } from '@app/read-models';
import { CurrentActor, CurrentScope, Roles } from '../auth/roles.decorator';
import { BOARD_COLUMNS, ENGINEER_STATS_COLUMNS, REPAIR_FEES_COLUMNS, STATION_STATS_COLUMNS, WORK_ORDER_COLUMNS } from '../export/csv-columns';
import { DirectoryCheck } from '../complaints/directory-check';
import { CsvExport } from '../export/csv-export';
import { everyRow } from '../export/csv-table';
import { RequestValidationError } from '../http/request-errors';
import { AS_OF_NOT_FOUND, OkResponse, PROJECTION_FAILED, ProblemResponses, READ_MODEL_POSITION_HEADER, type ProblemResponseSpec } from '../openapi/api-responses.decorator';
import { MAX_AT_RISK_WINDOW, atRiskWindowMs } from '../read-models/query.dto';
import { ReadModelResponder } from '../read-models/read-model-responder';
import { BoardQueryDto, EngineerStatsQueryDto, ListWorkOrdersQueryDto, RepairFeesQueryDto, StationStatsQueryDto } from './after-sales-reads.dto';
import { BoardPageDto, EngineerStatsDto, RepairFeesDto, StationStatsDto, WorkOrderPageDto } from './after-sales-views.dto';
import { HeavyRead } from '../http/heavy-read.interceptor';

/** Who reads the statistics of the after-sales side: those who read the complaint statistics. */
const READERS: Role[] = ['supervisor', 'analyst', 'auditor', 'admin'];
/** Who reads the list and the board: the readers, and the agents of the desk who dispatch and follow repairs. */
// Engineers see the orders of their stations (their tokens are narrowed to them), not the statistics.
const DESK: Role[] = ['agent', 'engineer', ...READERS];

const POSITION = { 'X-Read-Model-Position': READ_MODEL_POSITION_HEADER };
const INVALID: ProblemResponseSpec = { status: 400, codes: ['validation-failed', 'invalid-query'], description: 'A query parameter is invalid (`errors` names it), or the cursor is not one this list gave.' };
const NOT_YOUR_STATION: ProblemResponseSpec = { status: 403, codes: ['forbidden'], description: 'The token\'s role may not call this route, or `station` is not one of the token\'s departments.' };

/**
 * The read side of after-sales (issue 18): the work-order list and the dispatch board, the engineer
 * and station statistics, warranty against chargeable work and the fees. The list and the board are
 * limited to the caller's departments as the complaint list is (a station code is a department; an
 * order not dispatched yet is seen by the one who reported it); the statistics to its stations.
 */
@ApiTags('after-sales read models')
@Controller()
export class AfterSalesReadsController {
  constructor(
    private readonly responder: ReadModelResponder,
    private readonly workOrders: WorkOrderListQuery,
    private readonly stats: RepairStatsQuery,
    private readonly fees: RepairFeesQuery,
    private readonly clock: Clock,
    private readonly csv: CsvExport,
    private readonly directory: DirectoryCheck,
  ) {}

  @Get('work-orders')
  @Roles(...DESK)
  @ApiOperation({ summary: 'Work orders, newest report first, with filters (status, priority, station, engineer, customer, serial number, from, to) and cursor paging; or every page as CSV' })
  @OkResponse(WorkOrderPageDto, { description: 'A page of work orders, newest report first.', csv: true, headers: POSITION })
  @ProblemResponses(INVALID, AS_OF_NOT_FOUND, 406, PROJECTION_FAILED)
  @HeavyRead()
  list(@Query() query: ListWorkOrdersQueryDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const format = this.csv.formatOf(query, request, reply);
    const { limit, cursor, asOf, status, priority, station, engineer, customerId, serialNumber, from, to } = query;
    return this.responder.respond(query, reply, async () => {
      const filter = { status, priority, stationCode: await this.directory.unitFilter(station), engineerId: engineer, customerId, productSerial: serialNumber, from, to };
      const page = (paging: { limit: number; cursor?: string }) => this.workOrders.list(filter, paging, asOf, { actorId: actor.id, scope });
      return format === 'csv' ? this.csv.send(reply, 'work-orders', WORK_ORDER_COLUMNS, await everyRow(page, { limit, cursor }), query) : page({ limit: limit ?? 50, cursor });
    });
  }

  @Get('work-orders/board')
  @Roles(...DESK)
  @ApiOperation({
    summary: 'Dispatch board: the open work orders, soonest next deadline first, by station and engineer, with every pending deadline and markers (overdue, at risk within `within`, breached) '
      + 'measured against now (measuredAt); or as CSV',
  })
  @OkResponse(BoardPageDto, { description: 'A page of the open work orders, soonest next deadline first.', csv: true, headers: POSITION })
  @ProblemResponses(INVALID, AS_OF_NOT_FOUND, 406, PROJECTION_FAILED)
  @HeavyRead()
  board(@Query() query: BoardQueryDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const format = this.csv.formatOf(query, request, reply);
    const { limit, cursor, asOf, status, priority, station, engineer, due, within = 'PT2H' } = query;
    const withinMs = atRiskWindowMs(within);
    if (withinMs === undefined) throw new RequestValidationError([{ field: 'within', message: `within must be an ISO 8601 duration from PT0S to ${MAX_AT_RISK_WINDOW}` }]);
    return this.responder.respond(query, reply, async () => {
      // One now for every page of an export: each marker is measured against the same moment.
      const now = this.clock.now();
      const stationCode = await this.directory.unitFilter(station);
      const page = (paging: { limit: number; cursor?: string }) => this.workOrders.board({ status, priority, stationCode, engineerId: engineer, due }, paging, now, withinMs, asOf, { actorId: actor.id, scope });
      if (format === 'csv') return this.csv.send(reply, 'work-order-board', BOARD_COLUMNS, await everyRow(page, { limit, cursor }), query);
      return { ...(await page({ limit: limit ?? 50, cursor })), measuredAt: now.toISOString() };
    });
  }

  @Get('stats/engineers')
  @Roles(...READERS)
  @ApiOperation({
    summary: 'Engineer workload and performance (绩效考核) per period of report: orders, open, first-time-fix rate, repeat repairs within 30 days, times to arrive and to complete '
      + '(mean, p50, p90), on-site SLA compliance, survey response and satisfaction; or as CSV, the totals last',
  })
  @OkResponse(EngineerStatsDto, { description: 'Rows per period and engineer, and the totals.', csv: true, headers: POSITION })
  @ProblemResponses(INVALID, NOT_YOUR_STATION, AS_OF_NOT_FOUND, 406, PROJECTION_FAILED)
  @HeavyRead()
  async engineers(@Query() query: EngineerStatsQueryDto, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const format = this.csv.formatOf(query, request, reply);
    const interval = query.interval ?? 'month';
    const stations = await this.stationsAsked(scope, query.station);
    return this.responder.respond(query, reply, async () => {
      const { rows, totals } = await this.stats.engineers({ interval, from: query.from, to: query.to, stations, engineerId: await this.directory.engineerFilter(query.engineer), asOf: query.asOf, now: this.clock.now() });
      if (format === 'json') return { interval, from: query.from ?? null, to: query.to ?? null, asOf: query.asOf ?? null, rows, totals };
      return this.csv.send(reply, 'stats-engineers', ENGINEER_STATS_COLUMNS, totals ? [...rows, { period: 'totals' as const, ...totals }] : rows, query);
    });
  }

  @Get('stats/stations')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Service station statistics per period of report: the engineer figures summed per station; or as CSV, the totals last' })
  @OkResponse(StationStatsDto, { description: 'Rows per period and station, and the totals.', csv: true, headers: POSITION })
  @ProblemResponses(INVALID, NOT_YOUR_STATION, AS_OF_NOT_FOUND, 406, PROJECTION_FAILED)
  @HeavyRead()
  async stations(@Query() query: StationStatsQueryDto, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const format = this.csv.formatOf(query, request, reply);
    const interval = query.interval ?? 'month';
    const stations = await this.stationsAsked(scope, query.station);
    return this.responder.respond(query, reply, async () => {
      const { rows, totals } = await this.stats.stations({ interval, from: query.from, to: query.to, stations, asOf: query.asOf, now: this.clock.now() });
      if (format === 'json') return { interval, from: query.from ?? null, to: query.to ?? null, asOf: query.asOf ?? null, rows, totals };
      return this.csv.send(reply, 'stats-stations', STATION_STATS_COLUMNS, totals ? [...rows, { period: 'totals' as const, ...totals }] : rows, query);
    });
  }

  @Get('stats/repair-fees')
  @Roles(...READERS)
  @ApiOperation({
    summary: 'Warranty against chargeable work and the fees per period and station: repairs by class and warranty verdict on their hand-over day, fees on the day charged and confirmed quotes, '
      + 'per currency in integer minor units (with the decimal amount); or as CSV, the totals last',
  })
  @OkResponse(RepairFeesDto, { description: 'Rows per period and station, and the totals.', csv: true, headers: POSITION })
  @ProblemResponses(INVALID, NOT_YOUR_STATION, AS_OF_NOT_FOUND, 406, PROJECTION_FAILED)
  @HeavyRead()
  async repairFees(@Query() query: RepairFeesQueryDto, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const format = this.csv.formatOf(query, request, reply);
    const interval = query.interval ?? 'month';
    const stations = await this.stationsAsked(scope, query.station);
    return this.responder.respond(query, reply, async () => {
      const { rows, totals } = await this.fees.fees({ interval, from: query.from, to: query.to, stations, asOf: query.asOf, now: this.clock.now() });
      if (format === 'json') return { interval, from: query.from ?? null, to: query.to ?? null, asOf: query.asOf ?? null, rows, totals };
      return this.csv.send(reply, 'stats-repair-fees', REPAIR_FEES_COLUMNS, totals ? [...rows, { period: 'totals' as const, ...totals }] : rows, query);
    });
  }

  /**
   * The stations a statistics table may show: every one, or those of a reader limited to departments (a station code is a
   * department); one asked for must be among them (DirectoryCheck.requireWithinScope), read as dispatch reads a code
   * (`DANDONG-STATION` is dandong-station).
   */
  private async stationsAsked(scope: DepartmentScope, station: string | undefined): Promise<readonly string[] | undefined> {
    if (station === undefined) return scope === 'all' ? undefined : scope;
    return [await this.directory.requireWithinScope(scope, station, 'Station', 'filter')];
  }
}
