import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { AS_OF_NAME, AS_OF_NAME_RULE } from '@app/read-models';

export class StartAsOfDto {
  @ApiProperty({ example: '2026-06-30', description: 'The moment: an ISO 8601 date (the end of that day, UTC), a date-time with its zone (2026-06-30T08:00:00+08:00), or a log position as digits ("1200"). Two spellings of one cut ("0012" and "12"; Z and +00:00) are one: recorded, and named by default, in one spelling. Events count by their business time (occurredAt). A moment after the server\'s now is refused (as-of-in-future): give a moment that has passed, or the log\'s last position for now.' })
  @IsString({ message: 'until must be text: an ISO 8601 date (2026-06-30), a date-time with its zone (2026-06-30T08:00:00Z), or a log position as digits ("1200")' })
  until!: string;

  @ApiPropertyOptional({ example: 'end-of-june', description: `The name to query it by (asOf=NAME): ${AS_OF_NAME_RULE}. Defaults to until, made a name (2026-06-30, position-1200).` })
  @IsOptional()
  @IsString({ message: `name must be text: ${AS_OF_NAME_RULE}` })
  @Matches(AS_OF_NAME, { message: `name must be ${AS_OF_NAME_RULE}` })
  name?: string;
}

const AT = '2026-07-01T08:00:00.000Z';

/** What `until` shows: the cut in its one spelling, whichever the POST used. */
const UNTIL_SPELLING = 'until in its one spelling, whichever the POST used: a position without leading zeros ("0012" is 12), a date as given, a date-time with its '
  + 'seconds, milliseconds only when there are some, and Z for a zero offset (+00:00, -00:00); another offset is kept.';

export class AsOfGenerationDto {
  @ApiProperty({ example: 'end-of-june' })
  name!: string;

  @ApiProperty({ example: '2026-06-30', description: UNTIL_SPELLING })
  until!: string;

  @ApiProperty({ enum: ['building', 'done'], example: 'done' })
  status!: string;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: AT })
  builtAt!: string | null;

  @ApiProperty({ type: Number, nullable: true, example: 1200, description: 'The last log position it includes.' })
  position!: number | null;

  @ApiProperty({
    type: String, nullable: true, format: 'date-time', example: '2026-06-30T17:42:10.512Z',
    description: 'When the last event it holds happened (the latest business time, occurredAt, of the events it applied): for a cut at a position, the moment '
      + 'its history reaches, by which its period statistics are marked partial. Null for a generation that holds no event, one not built yet, or one built '
      + 'by an earlier version, which did not record it (a position cut is then marked by builtAt).',
  })
  eventsUntil!: string | null;

  @ApiProperty({ type: Number, nullable: true, example: 1200, description: 'Events read.' })
  events!: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 1180, description: 'Events applied (those up to until).' })
  applied!: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 3400, description: 'Documents of the read models it holds.' })
  documents!: number | null;
}

export class AsOfProgressDto {
  @ApiProperty({ example: 600 })
  events!: number;

  @ApiProperty({ example: 590 })
  applied!: number;

  @ApiProperty({ example: 600 })
  position!: number;

  @ApiProperty({ type: Number, nullable: true, example: 1200, description: 'Where the build stops reading: the log\'s head when the job started, or the cut-off when until is an earlier position.' })
  ofPosition!: number | null;

  @ApiProperty({ minimum: 0, maximum: 1, example: 0.5 })
  fraction!: number;
}

/**
 * A job of this server, or a generation from the catalogue (built here before a restart, or by
 * another process): then only name, until, status, startedAt, finishedAt and generation.
 */
export class AsOfJobDto {
  @ApiProperty({ example: 'end-of-june' })
  name!: string;

  @ApiProperty({ example: '2026-06-30', description: UNTIL_SPELLING })
  until!: string;

  @ApiProperty({ enum: ['queued', 'running', 'done', 'failed', 'cancelled'], example: 'running' })
  status!: string;

  @ApiProperty({ required: false, example: 'analyst-1' })
  requestedBy?: string;

  @ApiProperty({ required: false, format: 'date-time', example: AT })
  createdAt?: string;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: AT })
  startedAt!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: null })
  finishedAt!: string | null;

  @ApiProperty({ required: false, type: () => AsOfProgressDto })
  progress?: AsOfProgressDto;

  @ApiProperty({ required: false, example: 2500 })
  eventsPerSecond?: number;

  @ApiProperty({ required: false, type: Number, nullable: true, example: 12, description: 'Seconds left (null: not known yet).' })
  etaSeconds?: number | null;

  @ApiProperty({ required: false, type: String, nullable: true, example: null, description: 'Why it failed.' })
  error?: string | null;

  @ApiProperty({ type: () => AsOfGenerationDto, nullable: true, example: null, description: 'The generation, once built.' })
  generation!: AsOfGenerationDto | null;

  @ApiProperty({ required: false, example: 'being built by another process; its progress is shown there' })
  note?: string;
}

export class AsOfListDto {
  @ApiProperty({ type: () => [AsOfGenerationDto] })
  generations!: AsOfGenerationDto[];

  @ApiProperty({ type: () => [AsOfJobDto], description: 'The jobs of this server, newest first.' })
  jobs!: AsOfJobDto[];
}
