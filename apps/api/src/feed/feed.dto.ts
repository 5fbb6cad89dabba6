import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min, ValidateBy } from 'class-validator';
import {
  ACCESS_EVENT_TYPES, COMPLAINT_EVENT_TYPES, CUSTOMER_FILE_EVENT_TYPES, PRODUCT_EVENT_TYPES, SERVICE_NETWORK_EVENT_TYPES, TAMPER_EVENT_TYPES, WORK_ORDER_EVENT_TYPES,
} from '@app/domain';
import { isUuid } from '@app/event-sourcing';
import { Identifier } from '../complaints/dto/fields';
import { LogPosition } from '../read-models/query.dto';

/** Which position `after` and Last-Event-ID take (both read by parseLogPosition, so both take the same text). */
/** One message for every way wait can be wrong (a word, below 0, a fraction, too long): the range it takes. */
const WAIT_RULE = 'wait must be a whole number of seconds from 0 to FEED_MAX_WAIT_S (30 unless the server sets another)';
export const FEED_POSITION = 'the feed gave you (the id of the last event received)';
import { FEED_STREAM_TYPES } from './feed-selection';

/** Every event type the feed can send. */
export const FEED_EVENT_TYPES: readonly string[] = [...new Set([
  ...COMPLAINT_EVENT_TYPES, ...WORK_ORDER_EVENT_TYPES, ...CUSTOMER_FILE_EVENT_TYPES, ...PRODUCT_EVENT_TYPES, ...SERVICE_NETWORK_EVENT_TYPES, ...ACCESS_EVENT_TYPES, ...TAMPER_EVENT_TYPES,
])];
const KNOWN_EVENT_TYPES: ReadonlySet<string> = new Set(FEED_EVENT_TYPES);

export const FEED_FORMATS = ['json', 'event-stream'] as const;
/** A long poll's page: 100 events unless `limit` says otherwise. */
export const FEED_PAGE_LIMIT = 100;

/** The items of a comma-separated list (empty items refused by the validators below). */
export const listOf = (value: string | undefined): string[] | undefined => (value === undefined ? undefined : value.split(','));

/** A comma-separated list whose every item is one of `allowed`; at most `max` items. */
function CommaList(allowed: (item: string) => boolean, max: number, message: string) {
  return ValidateBy({
    name: 'commaList',
    validator: { validate: (value: unknown) => typeof value === 'string' && value.length <= 4000 && value.split(',').length <= max && value.split(',').every(allowed) },
  }, { message });
}

export class FeedQueryDto {
  @LogPosition(
    'Send the events after this log position (the `id` of the last event received, or `position` of the last page). The `Last-Event-ID` header wins over it (an EventSource sends it when it reconnects). Default 0: from the start of the log.',
    FEED_POSITION,
  )
  after?: number;

  @ApiPropertyOptional({ description: `Only streams of these kinds, separated by commas: ${FEED_STREAM_TYPES.join(', ')} (access and audit: admins and auditors only).`, example: 'complaint,work-order' })
  @IsOptional()
  @CommaList((item) => (FEED_STREAM_TYPES as readonly string[]).includes(item), FEED_STREAM_TYPES.length, `streamType must be kinds of stream separated by commas, each one of ${FEED_STREAM_TYPES.join(', ')}`)
  streamType?: string;

  @ApiPropertyOptional({ description: 'Only events of these types, separated by commas (e.g. ComplaintReceived,ComplaintAssigned); at most 50.', example: 'ComplaintReceived,ComplaintAssigned' })
  @IsOptional()
  @CommaList((item) => KNOWN_EVENT_TYPES.has(item), 50, 'type must be event types separated by commas (at most 50), each one the API records, e.g. ComplaintReceived,ComplaintAssigned,WorkOrderDispatched')
  type?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only the events of this complaint.', example: '0c8f3f0e-5a7d-5b1e-9c4e-2f1a3b4c5d6e' })
  @IsOptional()
  @ValidateBy({ name: 'isComplaintId', validator: { validate: (value: unknown) => typeof value === 'string' && isUuid(value) } }, { message: 'complaintId must be the UUID of a complaint' })
  complaintId?: string;

  @Identifier({ optional: true, description: 'Only the events of this customer: its complaints, its work orders and its customer file.', example: 'cust-10086' })
  customerId?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 300, default: 0, description: 'Long poll (JSON) only: when no event is there yet, wait up to this many seconds for one (at most FEED_MAX_WAIT_S, 30 by default) before answering an empty page.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: WAIT_RULE })
  @Min(0, { message: WAIT_RULE })
  @Max(300, { message: WAIT_RULE })
  wait?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: FEED_PAGE_LIMIT, description: 'Long poll (JSON) only: events per page at most.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number from 1 to 200' })
  @Min(1, { message: 'limit must be a whole number from 1 to 200' })
  @Max(200, { message: 'limit must be a whole number from 1 to 200' })
  limit?: number;

  @ApiPropertyOptional({ enum: FEED_FORMATS, description: 'event-stream: Server-Sent Events; json: a long poll. Without it, the Accept header decides (text/event-stream, else JSON).' })
  @IsOptional()
  @IsIn(FEED_FORMATS, { message: `format must be one of ${FEED_FORMATS.join(', ')}` })
  format?: (typeof FEED_FORMATS)[number];
}

const AT = '2026-03-01T08:00:00.000Z';

export class FeedEventDto {
  @ApiProperty({ example: 42, description: 'The event\'s position in the global log: its SSE id, and the place to resume after it.' })
  position!: number;

  @ApiProperty({ example: 'complaint-0c8f3f0e-5a7d-5b1e-9c4e-2f1a3b4c5d6e' })
  stream!: string;

  @ApiProperty({ enum: FEED_STREAM_TYPES, example: 'complaint' })
  streamType!: string;

  @ApiProperty({ example: 0, description: 'The event\'s revision in its stream (from 0).' })
  revision!: number;

  @ApiProperty({ enum: FEED_EVENT_TYPES, example: 'ComplaintReceived' })
  type!: string;

  @ApiProperty({ format: 'date-time', example: AT, description: 'When the store recorded it (the domain\'s times are in data and metadata).' })
  recordedAt!: string;

  @ApiProperty({
    type: 'object', additionalProperties: true, example: { complaintId: '0c8f3f0e-5a7d-5b1e-9c4e-2f1a3b4c5d6e', receivedAt: AT },
    description: 'The event\'s facts, as the stream\'s own events route shows them, except: personal values (`personal`, of customer files and a complaint\'s contact details; `contact` and `address` of a repair report) are null, and an access event has no `tokenHash`.',
  })
  data!: Record<string, unknown>;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { actor: { id: 'agent-1', role: 'agent' }, occurredAt: AT }, description: 'Who, when, why and the hash chain (docs/adr/0002).' })
  metadata!: Record<string, unknown>;
}

export class FeedPageDto {
  @ApiProperty({ type: () => [FeedEventDto], description: 'In log order; empty when nothing came within `wait`.' })
  events!: FeedEventDto[];

  @ApiProperty({ example: 42, description: 'Send it back as `after` for the next page: the last position this answer covers (it moves past events this caller does not see).' })
  position!: number;
}

