import { Body, Controller, Delete, ForbiddenException, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor, DepartmentScope } from '@app/domain';
import { Clock } from '@app/complaints';
import { AS_OF_NAME, AS_OF_NAME_RULE, asOfUntilSpelling, defaultAsOfName, missingDayProblem, parseAsOfUntil, untilStillToCome } from '@app/read-models';
import { CurrentActor, CurrentScope, Roles, SpansDepartments } from '../auth/roles.decorator';
import { RequestValidationError } from '../http/request-errors';
import { RefusesIdempotencyKey } from '../http/no-idempotency-key.guard';
import { AS_OF_READERS, AsOfJobs } from './as-of-jobs';
import { AsOfJobDto, AsOfListDto, StartAsOfDto } from './as-of.dto';
import { AS_OF_COLUMNS, type AsOfCsvRow } from '../export/csv-columns';
import { CsvExport } from '../export/csv-export';
import { ExportQueryDto } from '../read-models/query.dto';
import { LOCATION_HEADER, NoContentResponse, OkResponse, ProblemResponses, type ProblemResponseSpec } from '../openapi/api-responses.decorator';

const READERS = AS_OF_READERS;
const BUILDERS = ['analyst', 'admin'] as const;

/** An as-of generation spans every department, like the statistics. */
function requireAllDepartments(scope: DepartmentScope): void {
  if (scope !== 'all') throw new ForbiddenException(`This view spans every department (as-of generations hold every department); your token is limited to ${scope.join(', ')}.`);
}

function nameOf(value: string): string {
  if (!AS_OF_NAME.test(value)) throw new RequestValidationError([{ field: 'name', message: `name must be ${AS_OF_NAME_RULE}` }]);
  return value;
}

const NAME = ApiParam({ name: 'name', example: 'end-of-june', description: 'The as-of generation or job.' });
const BAD_NAME: ProblemResponseSpec = { status: 400, description: 'The name is not a valid as-of name.' };
const NOT_FOUND: ProblemResponseSpec = { status: 404, codes: ['as-of-not-found'], description: 'No as-of generation or job has this name.' };
const SPANS_DEPARTMENTS: ProblemResponseSpec = { status: 403, codes: ['forbidden'], description: 'The token\'s role may not call this route, or it is limited to departments (as-of generations hold every department).' };

@ApiTags('analytics')
@Controller('analytics/as-of')
export class AsOfController {
  constructor(
    private readonly jobs: AsOfJobs,
    private readonly csv: CsvExport,
    private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(202)
  @Roles(...BUILDERS)
  @ApiOperation({ summary: 'Start a job that builds every read model as it stood at a moment (query it with asOf=NAME); 202 with its Location. One job runs at a time per server, the others wait' })
  @OkResponse(AsOfJobDto, { status: 202, description: 'The job, queued or running.', headers: { Location: LOCATION_HEADER('/analytics/as-of/end-of-june') } })
  @ProblemResponses(
    {
      status: 400, codes: ['validation-failed', 'malformed-json', 'as-of-in-future'],
      description: 'An `Idempotency-Key` was sent (this route takes none: a repeat is a 409), or until is not a date, a date-time or a position, names a day that does not exist, or is a position past the end of the log (the message names its last position); or the name is not a valid as-of name; `as-of-in-future`: until is a moment after the server\'s now (a date means the end of that day), whose generation would never hold what its name says (the message gives the server\'s time and the log\'s last position, to build "now" by). Nothing was built.',
    },
    { status: 409, codes: ['as-of-exists'], description: 'A generation or job of this name exists already.' },
    { status: 429, codes: ['as-of-queue-full', 'rate-limited'], description: 'Too many jobs wait already, or too many requests from this token.' }, 413, 415,
  )
  @RefusesIdempotencyKey(StartAsOfDto, 'POST /analytics/as-of', 'a repeat of a name or of a cut is answered 409 as-of-exists and starts nothing more')
  async start(@Body() body: StartAsOfDto, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const until = parseAsOfUntil(body.until);
    // The words a read with asOf of that day gets (one function): which day does not exist, and why.
    const missingDay = until === undefined ? missingDayProblem('until', body.until) : undefined;
    if (missingDay !== undefined) throw new RequestValidationError([{ field: 'until', message: missingDay }]);
    if (until === undefined) {
      const fraction = /^(.*T\d{2}:\d{2}:\d{2}\.\d{3})\d+(.*)$/.exec(body.until);
      // Microseconds or finer: the log's times are milliseconds; say so, and give the same moment written to the millisecond.
      if (fraction && parseAsOfUntil(`${fraction[1]}${fraction[2]}`) !== undefined) {
        throw new RequestValidationError([{ field: 'until', message: `until has more than three digits after the seconds: the log's times are milliseconds, so a time has at most three (write ${fraction[1]}${fraction[2]}, the same moment to the millisecond)` }]);
      }
      throw new RequestValidationError([{ field: 'until', message: `until must be an ISO 8601 date that exists (2026-06-30: the end of that day, UTC), a date-time with its zone (Z, or an offset from -12:00 to +14:00) and at most milliseconds (2026-06-30T08:00:00.123Z), in the years 0000-9999 once in UTC, or a log position as digits (got ${JSON.stringify(body.until.slice(0, 60))}${body.until.length > 60 ? '…' : ''})` }]);
    }
    // One spelling per cut ("00" is "0", +00:00 is Z), recorded and named after: two spellings built two generations of one cut.
    const untilText = asOfUntilSpelling(body.until)!;
    const name = body.name ?? defaultAsOfName(untilText);
    if (!AS_OF_NAME.test(name)) throw new RequestValidationError([{ field: 'name', message: `name must be ${AS_OF_NAME_RULE}` }]);
    // As the CLI's replay --until: a position past the end was never given out (another store's, or a typo), and would build "now" under a wrong name.
    const head = await this.jobs.headPosition();
    if (until.position !== undefined && until.position > head) {
      throw new RequestValidationError([{ field: 'until', message: `until ${until.position} is past the end of the log (its last position is ${head}): give a position the log has (a command's answer tells its position), or a date or time` }]);
    }
    // A moment still to come would be built as it stands now and never grow: refused, as the CLI's replay --until (docs/adr/0005).
    const toCome = untilStillToCome('until', until, body.until, this.clock.now(), head);
    if (toCome !== undefined) throw new RequestValidationError([{ field: 'until', message: toCome }], 'as-of-in-future');
    await this.jobs.submit(untilText, until, name, actor.id);
    void reply.header('Location', `/analytics/as-of/${name}`);
    return this.jobs.describe(name);
  }

  @Get()
  @SpansDepartments()
  @Roles(...READERS)
  @ApiOperation({ summary: 'The as-of generations that exist (name, until, built at, size), and the jobs of this server' })
  @OkResponse(AsOfListDto, { description: 'The generations in the catalogue and the jobs of this server (the CSV: a row each, `kind` generation or job; a job\'s generation is the generation row of its name).', csv: true })
  @ProblemResponses({ status: 400, description: '`format` or `bom` is invalid.' }, 406, SPANS_DEPARTMENTS)
  async list(@Query() query: ExportQueryDto, @CurrentScope() scope: DepartmentScope, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    requireAllDepartments(scope);
    const format = this.csv.formatOf(query, request, reply);
    const { generations, jobs } = await this.jobs.list();
    if (format === 'json') return { generations, jobs };
    const rows: AsOfCsvRow[] = [
      ...generations.map((generation) => ({ kind: 'generation' as const, ...generation })),
      ...jobs.map(({ generation: _generation, ...job }) => ({ kind: 'job' as const, ...job })),
    ];
    return this.csv.send(reply, 'as-of', AS_OF_COLUMNS, rows, query);
  }

  @Get(':name')
  @SpansDepartments()
  @Roles(...READERS)
  @ApiOperation({ summary: 'One job or generation: status (queued, running, done, failed, cancelled), progress, events/s and ETA' })
  @NAME
  @OkResponse(AsOfJobDto, { description: 'The job (or the generation, when this server has no job of that name).' })
  @ProblemResponses(BAD_NAME, SPANS_DEPARTMENTS, NOT_FOUND)
  one(@Param('name') name: string, @CurrentScope() scope: DepartmentScope) {
    requireAllDepartments(scope);
    return this.jobs.describe(nameOf(name));
  }

  @Delete(':name')
  @HttpCode(204)
  @Roles(...BUILDERS)
  @ApiOperation({ summary: 'Delete a generation; a job still queued or running is cancelled and what it built dropped' })
  @NAME
  @NoContentResponse('Deleted (a queued or running job cancelled first).')
  @ProblemResponses(
    { ...BAD_NAME, codes: ['validation-failed', 'malformed-json'], description: 'The name is not a valid as-of name (or a body was sent that is not JSON).' }, NOT_FOUND,
    { status: 409, codes: ['as-of-built-elsewhere'], description: 'Another process is building it: delete it there, or once it has finished.' }, 413,
  )
  async remove(@Param('name') name: string): Promise<void> {
    await this.jobs.delete(nameOf(name));
  }
}
