import { ApiProperty } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger';
import { PROBLEM_PROPERTIES } from '../openapi/problem.schema';

/** What the health routes answer. */

export class CrashDto {
  @ApiProperty({ format: 'date-time', example: '2026-03-01T09:30:00.000Z' })
  at!: string;

  @ApiProperty({ example: 'Error: out of memory' })
  message!: string;
}

export class ProjectorStateDto {
  @ApiProperty({ enum: ['worker', 'inline', 'external'], example: 'worker', description: 'Where the projections run: a worker thread, the main thread, or apps/projector.' })
  mode!: string;

  @ApiProperty({
    enum: ['starting', 'running', 'restarting', 'stopped', 'elsewhere', 'waiting'], example: 'running',
    description: '`waiting`: another process holds the projector lease and projects (fine); `stopped`: nobody projects from here (see `problems`); `elsewhere`: PROJECTIONS=external.',
  })
  state!: string;

  @ApiProperty({ example: 0, description: 'Crashes of the worker since the process started.' })
  restarts!: number;

  @ApiProperty({ type: () => CrashDto, nullable: true, example: null })
  lastCrash!: CrashDto | null;
}

export class ProjectorLeaseDto {
  @ApiProperty({ example: 'projector' })
  name!: string;

  @ApiProperty({ enum: ['active', 'waiting'], example: 'active', description: '`active`: this process holds the lease and projects; `waiting`: another process does, and this one takes over within LEASE_TTL_MS if it stops.' })
  state!: string;

  @ApiProperty({ example: 'desk-1:4242:9f3a2c1b:5e0b91c4', description: 'This process\'s name in the lease (host:pid:random:space).' })
  holder!: string;

  @ApiProperty({ type: String, nullable: true, maxLength: 93, example: 'desk-1:4242:9f3a2c1b:5e0b91c4', description: 'Who holds the lease now (host:pid:random:space, or an older version\'s host:pid:random); `unrecognised` when the name in the store has another shape (edited by hand: it is not echoed); null: nobody.' })
  heldBy!: string | null;

  @ApiProperty({
    example: false,
    description: 'true: the holder in `heldBy` ran on this host and its process is gone (killed with -9, it could not give the lease up); this process takes the lease over at its next try, within about a second. '
      + 'false: it runs, or runs on another host (which this process cannot see), or `heldBy` is this process or null.',
  })
  heldByGone!: boolean;
}

export class ProjectionFailureDto {
  @ApiProperty({ example: 'survey-list', description: 'The projection (and read model) that fails.' })
  projection!: string;

  @ApiProperty({ example: 40, description: 'The position its read model holds: its last checkpoint, where it stays until it gets past the failure.' })
  position!: number;

  @ApiProperty({ example: 42, description: 'The position of the event it failed on (of the last event of the batch, if the batch\'s commit failed).' })
  failedPosition!: number;

  @ApiProperty({ type: String, nullable: true, example: 'SurveyAnswered', description: 'The type of that event; null when the commit of the batch failed.' })
  eventType!: string | null;

  @ApiProperty({ example: 'TypeError: Cannot read properties of undefined (reading \'score\')' })
  error!: string;

  @ApiProperty({ format: 'date-time', example: '2026-03-01T09:30:00.000Z', description: 'When it first failed there.' })
  since!: string;

  @ApiProperty({ example: 3, description: 'Failures in a row (a restart continues the count).' })
  attempts!: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-03-01T09:30:08.000Z', description: 'When it is tried again (the delay doubles up to 60 s); null once its runner has stopped.' })
  nextRetryAt!: string | null;
}

export class HeadPositionDto {
  @ApiProperty({ example: 42 })
  headPosition!: number;
}

export class SealingHealthDto {
  @ApiProperty({ enum: ['ok', 'failing', 'off'], example: 'ok', description: '`failing`: the last seal could not be written, or the seal key file no longer holds the key (`error` says which and what to do); `off`: SEALS=off or no place for the key.' })
  status!: string;

  @ApiProperty({ required: false, type: String, format: 'date-time', nullable: true, example: '2026-03-01T09:30:00.000Z', description: 'When sealing last succeeded (ok and failing).' })
  lastSealAt?: string | null;

  @ApiProperty({ required: false, example: 'sealing failed: ENOENT: no such file or directory, open \'/srv/complaint-desk-seals/seals-3f2a.ndjson\'', description: 'What fails, and how to mend it (failing only).' })
  error?: string;

  @ApiProperty({ required: false, format: 'date-time', example: '2026-03-01T09:30:05.000Z', description: 'Since when it fails (failing only).' })
  since?: string;

  @ApiProperty({ required: false, example: 3, description: 'Runs of the sealer that failed in a row (failing only; 0 when only the key file is wrong).' })
  attempts?: number;

  @ApiProperty({ required: false, example: 'SEALS=off', description: 'Why sealing is off (off only).' })
  reason?: string;
}

export class HealthDto {
  @ApiProperty({ enum: ['ok', 'degraded'], example: 'ok', description: '`degraded`: a projection is failing (see `failingProjections`; a read store that fails twice in a row stops them all), the projections are stopped or restarting in this process while no other projects, sealing fails (see `sealing`), or work beside the projections keeps failing (notifications, webhook delivery, the SLA monitors, the merge completion: with PROJECTIONS=external as the projector that holds the lease records them in the read store, about a second late), or following the access-control stream keeps failing, or (projector in another process) read models have stood still behind the log\'s head for PROJECTION_STALL_MS or no projector holds the lease (PROJECTIONS=external); each is named in `problems`; the answer is still 200. Waiting for another process that holds the projector lease is `ok`.' })
  status!: string;

  @ApiProperty({ type: () => HeadPositionDto })
  eventStore!: HeadPositionDto;

  @ApiProperty({ type: () => ProjectorStateDto })
  projector!: ProjectorStateDto;

  @ApiProperty({ type: () => ProjectorLeaseDto, nullable: true, description: 'The projector lease this process takes part in; null with PROJECTIONS=external.' })
  lease!: ProjectorLeaseDto | null;

  @ApiProperty({ type: [String], example: [], description: 'What makes the status `degraded`, in words: which projection, worker or background work (notifications, webhooks, monitors, the merge completion, wherever they run; the access control\'s following of its stream: failing twice or more in a row, since when, the next try, the last error) is stopped, and why; with the projector in another process also the read models that have not moved for PROJECTION_STALL_MS (measured by this process) while the log\'s head moved, which is all this process sees when that projector cannot write to the read store, and, with PROJECTIONS=external, that no projector holds the lease; a line goes once its work goes through again. Empty when `ok`.' })
  problems!: string[];

  @ApiProperty({ type: () => [ProjectionFailureDto], description: 'Every failing projection: its read model stays at `position` while the others go on; it is retried with back-off (and at once when the process restarts).' })
  failingProjections!: ProjectionFailureDto[];

  @ApiProperty({ type: () => SealingHealthDto, description: 'Whether the log is being sealed (docs/adr/0010): a failing sealer leaves removed events unseen.' })
  sealing!: SealingHealthDto;
}

export class LiveDto {
  @ApiProperty({ enum: ['live'], example: 'live' })
  status!: string;
}

export class ProjectionLagDto {
  @ApiProperty({ example: 'complaint-list' })
  projection!: string;

  @ApiProperty({ example: 42 })
  position!: number;

  @ApiProperty({ example: 0, description: 'Events after its position, counted up to 1,000 (`behindAtLeast` says when more follow); 0 when caught up.' })
  behind!: number;

  @ApiProperty({ example: false, description: '`true`: more than 1,000 events follow its position and `behind` (1,000) is a lower bound, at least that many; `false`: `behind` is the exact count.' })
  behindAtLeast!: boolean;

  @ApiProperty({ example: 0 })
  lagMs!: number;
}

export class EventStoreCheckDto {
  @ApiProperty({ enum: ['up', 'down'], example: 'up' })
  status!: string;

  @ApiProperty({ required: false, example: 42 })
  headPosition?: number;

  @ApiProperty({ required: false, example: 'no answer within 2000 ms' })
  error?: string;
}

export class ReadModelsCheckDto {
  @ApiProperty({ enum: ['up', 'degraded', 'lagging', 'restarting', 'down'], example: 'up', description: '`degraded`: a projection is failing (`failing`); the others are current, so the process stays ready.' })
  status!: string;

  @ApiProperty({ required: false, example: 30000, description: 'READY_MAX_LAG_MS.' })
  maxLagMs?: number;

  @ApiProperty({ required: false, type: () => [ProjectionLagDto] })
  projections?: ProjectionLagDto[];

  @ApiProperty({ required: false, type: () => [ProjectionFailureDto], description: 'The failing projections (not counted as lagging: they are retried, and a restart of this process would not mend them).' })
  failing?: ProjectionFailureDto[];

  @ApiProperty({ required: false, example: 'no answer within 2000 ms' })
  error?: string;

  @ApiProperty({ type: () => ProjectorStateDto })
  projector!: ProjectorStateDto;
}

export class ReadyChecksDto {
  @ApiProperty({ type: () => EventStoreCheckDto })
  eventStore!: EventStoreCheckDto;

  @ApiProperty({ type: () => ReadModelsCheckDto })
  readModels!: ReadModelsCheckDto;
}

export class ReadyDto {
  @ApiProperty({ enum: ['ready'], example: 'ready' })
  status!: string;

  @ApiProperty({ type: () => ReadyChecksDto })
  checks!: ReadyChecksDto;
}

/** The 503 of /health/ready: a problem with the checks that failed. */
export const NOT_READY_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code', 'checks'],
  properties: { ...PROBLEM_PROPERTIES, checks: { $ref: '#/components/schemas/ReadyChecksDto' } },
};
