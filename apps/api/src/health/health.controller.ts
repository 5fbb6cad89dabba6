import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { EventStore } from '@app/event-store';
import { TamperEvidence } from '../audit/tamper-evidence';
import type { ProjectionFailure } from '@app/projections';
import { MetricsScrape, Public, Roles } from '../auth/roles.decorator';
import type { HttpSettings } from '../config/api-config';
import { PROBLEM_CONTENT_TYPE, problem } from '../http/problem';
import { IgnoresQuery } from '../http/query-parameters.guard';
import { Metrics } from '../observability/metrics';
import { ReadSideStatus, type ProjectionStatusRow } from '../observability/read-side-status';
import type { ProjectorState } from '../read-models/projection-worker';
import { OkResponse, TextResponse } from '../openapi/api-responses.decorator';
import { HealthDto, LiveDto, NOT_READY_SCHEMA, ReadyChecksDto, ReadyDto } from './health.dto';

export const HTTP_SETTINGS = Symbol('HttpSettings');
const CHECK_TIMEOUT_MS = 2000;

type Check<T> = { status: 'up'; value: T } | { status: 'down'; error: string };

async function check<T>(probe: () => Promise<T>): Promise<Check<T>> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const value = await Promise.race([
      probe(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { status: 'up', value };
  } catch (error) {
    return { status: 'down', error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(
    private readonly eventStore: EventStore,
    private readonly readSide: ReadSideStatus,
    private readonly metrics: Metrics,
    private readonly evidence: TamperEvidence,
    @Inject(HTTP_SETTINGS) private readonly http: HttpSettings,
  ) {}

  @Get('health')
  @Public()
  @IgnoresQuery()
  @ApiOperation({ summary: 'The head position of the event log, how the projections run, the failing ones and those that stopped moving, and whether sealing works (kept for scripts; probes use /health/live and /health/ready)' })
  @OkResponse(HealthDto, { description: 'The log\'s head, how the projections run and how sealing goes; `degraded` (still 200) while a projection or sealing is failing.' })
  async health() {
    const headPosition = await this.eventStore.headPosition();
    const failing = await this.failing();
    const projector = this.readSide.projector();
    const sealing = this.evidence.sealing();
    const background = await check(() => this.readSide.background());
    const elsewhere = await check(() => this.readSide.elsewhere(new Set(failing.map((failure) => failure.projection))));
    // Waiting while another process holds the projector lease is fine; projections that do not move here while nobody else moves them are not.
    const problems = [
      ...projectorProblems(projector),
      ...failing.map((failure) => `projection ${failure.projection} is stopped at position ${failure.position}: ${failure.error}`),
      ...(sealing.status === 'failing' ? [`sealing fails: ${sealing.error ?? 'see sealing'}`] : []),
      // Notifications, webhook delivery, the SLA monitors, the merge completion: each retries by itself, and is named here while it keeps failing.
      // With PROJECTIONS=external (or while another process holds the lease) as their holder recorded them in the read store.
      ...(background.status === 'up' ? background.value : []),
      // A projector elsewhere that cannot record its trouble (a full read store, hung, dead): its read models stand still while the log grows.
      ...(elsewhere.status === 'up' ? elsewhere.value : []),
    ];
    return { status: problems.length > 0 ? 'degraded' : 'ok', eventStore: { headPosition }, projector, lease: this.readSide.lease(), problems, failingProjections: failing, sealing };
  }

  /** The failing projections as /health shows them; none if the read store cannot say (/health/ready reports the store). */
  private async failing() {
    const failures = await check(() => this.readSide.failing());
    return failures.status === 'up' ? failures.value.map(describeFailure) : [];
  }

  @Get('health/live')
  @Public()
  @IgnoresQuery()
  @ApiOperation({ summary: 'Liveness: the process answers (no store is touched)' })
  @OkResponse(LiveDto, { description: 'The process answers.' })
  live() {
    return { status: 'live' };
  }

  @Get('health/ready')
  @Public()
  @IgnoresQuery()
  @ApiOperation({ summary: 'Readiness: the event store answers, the read store answers, and no read model is further behind than READY_MAX_LAG_MS; 503 problem+json otherwise' })
  @OkResponse(ReadyDto, { description: 'Ready: every check passed.' })
  @ApiExtraModels(ReadyChecksDto)
  @ApiResponse({
    status: 503, description: 'Not ready: the checks say which failed. Code: `not-ready`.',
    content: { [PROBLEM_CONTENT_TYPE]: { schema: NOT_READY_SCHEMA } },
  })
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const [eventStore, readModels, failing] = await Promise.all([check(() => this.eventStore.headPosition()), check(() => this.readSide.projections()), this.failing()]);
    // A failing projection is reported as such, not as lagging: the others are current, and it is retried (a restart would not mend a bug).
    const stuck = new Set(failing.map((failure) => failure.projection));
    const lagging = readModels.status === 'up' ? readModels.value.filter((row) => !stuck.has(row.projection) && row.lagSeconds * 1000 > this.http.readyMaxLagMs) : [];
    const projector = this.readSide.projector();
    // A crashed worker is being restarted: the read models do not move until it is back.
    const restarting = projector.state === 'restarting';
    const checks = {
      eventStore: eventStore.status === 'up' ? { status: 'up', headPosition: eventStore.value } : eventStore,
      readModels: readModels.status === 'up'
        ? {
          status: restarting ? 'restarting' : lagging.length > 0 ? 'lagging' : failing.length > 0 ? 'degraded' : 'up', maxLagMs: this.http.readyMaxLagMs, projections: readModels.value.map(describe),
          ...(failing.length > 0 ? { failing } : {}), projector,
        }
        : { ...readModels, projector },
    };
    if (eventStore.status === 'up' && readModels.status === 'up' && lagging.length === 0 && !restarting) return { status: 'ready', checks };
    const reasons = [
      ...(eventStore.status === 'down' ? [`the event store does not answer (${eventStore.error})`] : []),
      ...(readModels.status === 'down' ? [`the read store does not answer (${readModels.error})`] : []),
      ...(restarting ? [`the projection worker crashed and is being restarted (${projector.restarts} restart(s); last: ${projector.lastCrash?.message.split('\n')[0] ?? 'unknown'})`] : []),
      ...lagging.map((row) => `${row.projection} is ${row.lagSeconds.toFixed(1)} s behind`),
    ];
    void reply.status(503).header('Content-Type', PROBLEM_CONTENT_TYPE);
    return { ...problem(503, `Not ready: ${reasons.join('; ')}.`, { code: 'not-ready' }), instance: '/health/ready', checks };
  }

  @Get('metrics')
  @Roles('admin')
  @MetricsScrape()
  @TextResponse('text/plain', 'The metrics in the Prometheus text format (version 0.0.4).', '# HELP complaint_desk_http_requests_total HTTP requests by method, route and status\n# TYPE complaint_desk_http_requests_total counter\n')
  @ApiOperation({ summary: 'Prometheus metrics: requests and commands by outcome with latency, events appended, projection position and lag, open SLA breaches. Needs an admin token or METRICS_TOKEN (or use METRICS_PORT)' })
  async prometheus(@Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('Content-Type', this.metrics.contentType);
    return this.metrics.text();
  }
}

/** What is wrong with the projections of this process, in words; nothing while they run here or wait for another process. */
function projectorProblems(projector: ProjectorState): string[] {
  const cause = projector.lastCrash ? `: ${projector.lastCrash.message.split('\n')[0]}` : '';
  if (projector.state === 'stopped') return [`the projections are stopped in this process and no other process holds the projector lease${cause}`];
  if (projector.state === 'restarting') return [`the projection worker crashed and is being restarted (${projector.restarts} restart(s))${cause}`];
  return [];
}

const describeFailure = (failure: ProjectionFailure) => ({
  projection: failure.projection, position: failure.position, failedPosition: failure.failedPosition, eventType: failure.eventType, error: failure.error,
  since: failure.since, attempts: failure.attempts, nextRetryAt: failure.nextRetryAt,
});

const describe = (row: ProjectionStatusRow) => ({ projection: row.projection, position: row.position, behind: row.behind, behindAtLeast: row.behindAtLeast, lagMs: Math.round(row.lagSeconds * 1000) });
