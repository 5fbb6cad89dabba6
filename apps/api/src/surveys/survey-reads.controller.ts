import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Clock } from '@app/complaints';
import type { Actor, DepartmentScope, Role } from '@app/domain';
import { SurveyListQuery } from '@app/read-models';
import { ALL_ROLES, CurrentActor, CurrentScope, Roles } from '../auth/roles.decorator';
import { DirectoryCheck } from '../complaints/directory-check';
import { SURVEY_COLUMNS, SURVEY_STATS_COLUMNS } from '../export/csv-columns';
import { CsvExport } from '../export/csv-export';
import { everyRow } from '../export/csv-table';
import { AS_OF_NOT_FOUND, OkResponse, PROJECTION_FAILED, ProblemResponses, READ_MODEL_POSITION_HEADER, type ProblemResponseSpec } from '../openapi/api-responses.decorator';
import { ReadModelResponder } from '../read-models/read-model-responder';
import { ListSurveysQueryDto, SurveyPageDto, SurveyStatsDto, SurveyStatsQueryDto } from './survey-reads.dto';

/** Who reads the statistics: those who read the complaint and repair statistics. */
const READERS: Role[] = ['supervisor', 'analyst', 'auditor', 'admin'];

const POSITION = { 'X-Read-Model-Position': READ_MODEL_POSITION_HEADER };
const INVALID: ProblemResponseSpec = { status: 400, codes: ['validation-failed', 'invalid-query'], description: 'A query parameter is invalid (`errors` names it), or the cursor is not one this list gave.' };
const NOT_YOUR_DEPARTMENT: ProblemResponseSpec = { status: 403, codes: ['forbidden'], description: 'The token\'s role may not call this route, or `department` is not one of the token\'s departments.' };

/**
 * The departments a statistics table may show: every one, or a limited reader's; one asked for must be among them (the one check
 * of DirectoryCheck.requireWithinScope), as the directory spells it.
 */
async function departmentsWithin(directory: DirectoryCheck, scope: DepartmentScope, asked: string | undefined): Promise<readonly string[] | undefined> {
  if (asked === undefined) return scope === 'all' ? undefined : directory.scopeAsRecorded(scope);
  return [await directory.requireWithinScope(scope, asked, 'Department', 'filter')];
}

/**
 * The read side of satisfaction surveys (issue 18): the list, limited to the caller's departments as
 * the complaint and work-order lists are (a survey's department is its subject's department or
 * service point; one without is seen by its sender), and the satisfaction statistics.
 */
@ApiTags('surveys')
@Controller()
export class SurveyReadsController {
  constructor(
    private readonly responder: ReadModelResponder,
    private readonly surveys: SurveyListQuery,
    private readonly clock: Clock,
    private readonly csv: CsvExport,
    private readonly directory: DirectoryCheck,
  ) {}

  @Get('surveys')
  @Roles(...ALL_ROLES)
  @ApiOperation({
    summary: 'Satisfaction surveys, newest first, with filters (status incl. open/expired, subject kind and id, customer, department, station, engineer, cause, from, to) and cursor paging; '
      + 'or every page as CSV',
  })
  @OkResponse(SurveyPageDto, { description: 'A page of surveys, newest first.', csv: true, headers: POSITION })
  @ProblemResponses(INVALID, AS_OF_NOT_FOUND, 406, PROJECTION_FAILED)
  list(@Query() query: ListSurveysQueryDto, @CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const format = this.csv.formatOf(query, request, reply);
    const { limit, cursor, asOf, status, subjectKind, subjectId, customerId, department, station, engineer, cause, campaignId, from, to } = query;
    return this.responder.respond(query, reply, async () => {
      const filter = { status, subjectKind, subjectId, customerId, department: await this.directory.unitFilter(department), stationCode: await this.directory.unitFilter(station), engineerId: await this.directory.engineerFilter(engineer), cause, campaignId, from, to };
      // One now for every page of an export: open and expired are measured against the same moment.
      const now = this.clock.now();
      const page = (paging: { limit: number; cursor?: string }) => this.surveys.list(filter, paging, now, asOf, { actorId: actor.id, scope });
      if (format === 'csv') return this.csv.send(reply, 'surveys', SURVEY_COLUMNS, await everyRow(page, { limit, cursor }), query);
      return { ...(await page({ limit: limit ?? 50, cursor })), measuredAt: now.toISOString() };
    });
  }

  @Get('stats/surveys')
  @Roles(...READERS)
  @ApiOperation({
    summary: 'Satisfaction statistics per period of sending and department, station, engineer, cause or subject kind: surveys sent, answered and cancelled, the response rate, '
      + 'the mean score overall and per question; or as CSV, the totals last',
  })
  @OkResponse(SurveyStatsDto, { description: 'Rows per period and value, and the totals.', csv: true, headers: POSITION })
  @ProblemResponses(INVALID, NOT_YOUR_DEPARTMENT, AS_OF_NOT_FOUND, 406, PROJECTION_FAILED)
  async stats(@Query() query: SurveyStatsQueryDto, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const format = this.csv.formatOf(query, request, reply);
    const by = query.by ?? 'department';
    const interval = query.interval ?? 'month';
    const departments = await departmentsWithin(this.directory, scope, query.department);
    return this.responder.respond(query, reply, async () => {
      const { rows, totals } = await this.surveys.stats({ by, interval, from: query.from, to: query.to, kind: query.kind, campaignId: query.campaignId, departments, asOf: query.asOf, now: this.clock.now() });
      if (format === 'json') return { by, interval, from: query.from ?? null, to: query.to ?? null, asOf: query.asOf ?? null, rows, totals };
      return this.csv.send(reply, 'stats-surveys', SURVEY_STATS_COLUMNS, totals ? [...rows, { period: 'totals' as const, ...totals }] : rows, query);
    });
  }
}
