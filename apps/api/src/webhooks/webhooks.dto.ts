import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { MAX_SECRET_GRACE_HOURS, closeMatches } from '@app/domain';
import { Identifier, Text } from '../complaints/dto/fields';
import { FEED_STREAM_TYPES } from '../feed/feed-selection';
import { FEED_EVENT_TYPES } from '../feed/feed.dto';
import { DELIVERY_STATUSES, type DeliveryStatus } from './webhook-store';
import { CursorField } from '../http/cursor-field';
import { ExportQueryDto } from '../read-models/query.dto';

/** Which of the types sent the API does not record, each with the close ones it does, and where the whole list is. */
function unknownEventTypes(value: unknown): string {
  const unknown = (Array.isArray(value) ? value : [value]).filter((type) => !FEED_EVENT_TYPES.includes(type as string)).slice(0, 5);
  const named = unknown.map((type) => {
    const text = JSON.stringify(typeof type === 'string' ? type.slice(0, 60) : type);
    const matches = typeof type === 'string' ? closeMatches(type, FEED_EVENT_TYPES, 3) : [];
    return matches.length > 0 ? `${text} (did you mean ${matches.join(', ')}?)` : text;
  });
  return `each of eventTypes must be an event type the API records (as GET /feed?type= takes), e.g. ComplaintReceived, WorkOrderDispatched; not so: ${named.join(', ')}. `
    + 'The whole list is the enum of RegisterWebhookDto.eventTypes in the OpenAPI document (GET /docs-json).';
}

const NEXT_CURSOR = { type: String, nullable: true, example: null, description: 'Pass it back as cursor for the next page (same filters); null on the last page.' } as const;

export class RegisterWebhookDto {
  @ApiProperty({ example: 'https://crm.example.com/hooks/complaint-desk', minLength: 1, maxLength: 2000, description: 'http or https, no user name or password; it must lead to a public address (unless the operator lists the host in WEBHOOK_ALLOW_HOSTS).' })
  @IsString()
  @Length(1, 2000, { message: 'url must be 1–2000 characters' })
  @Matches(/^[\x21-\x7e]+$/, { message: 'url must be written in printable ASCII without spaces or line breaks (percent-encode anything else, e.g. %20)' })
  url!: string;

  @ApiPropertyOptional({
    type: [String], enum: FEED_EVENT_TYPES, maxItems: 100, example: ['ComplaintReceived', 'SlaBreached'],
    description: 'Only these event types, each one that GET /feed sends (the same catalogue as its type filter); none or empty: every type.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  // The feed's catalogue: a type nobody records would match nothing, silently.
  @IsIn(FEED_EVENT_TYPES, { each: true, message: ({ value }) => unknownEventTypes(value) })
  eventTypes?: string[];

  @ApiPropertyOptional({ type: [String], enum: FEED_STREAM_TYPES, example: ['complaint'], description: 'Only events of these kinds of stream (as GET /feed); none or empty: every kind.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(FEED_STREAM_TYPES.length)
  @IsIn(FEED_STREAM_TYPES, { each: true, message: `each of streamTypes must be one of ${FEED_STREAM_TYPES.join(', ')}` })
  streamTypes?: string[];

  @Identifier({ optional: true, example: '0c8f3f0e-5a7d-5b1e-9c4e-2f1a3b4c5d6e', description: 'Only this complaint\'s events.' })
  complaintId?: string;

  @Identifier({ optional: true, example: 'cust-10086', description: 'Only this customer\'s complaints, work orders and file.' })
  customerId?: string;

  @ApiProperty({ minLength: 32, maxLength: 256, example: 'whsec-9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822c', description: 'The key of the HMAC-SHA256 signature: 32–256 visible ASCII characters. Kept apart from the event log and never answered; the log keeps its SHA-256.' })
  @IsString()
  @Matches(/^[\x21-\x7e]{32,256}$/, { message: 'secret must be 32–256 visible ASCII characters (no spaces), e.g. from: openssl rand -hex 32' })
  secret!: string;

  @Text(200, { optional: true, example: 'CRM: complaints and SLA breaches' })
  description?: string;

  @Text(2000, { example: 'The CRM follows complaints.' })
  reason!: string;
}

export class RotateWebhookSecretDto {
  @ApiProperty({ minLength: 32, maxLength: 256, example: 'whsec-3c59dc048e8850243be8079a5c74d079b1f0b8f1d3e6a2c4', description: 'The new key of the HMAC-SHA256 signature: 32–256 visible ASCII characters, not the one in use. Kept apart from the event log and never answered; the log keeps its SHA-256.' })
  @IsString()
  @Matches(/^[\x21-\x7e]{32,256}$/, { message: 'secret must be 32–256 visible ASCII characters (no spaces), e.g. from: openssl rand -hex 32' })
  secret!: string;

  @ApiPropertyOptional({ minimum: 0, maximum: MAX_SECRET_GRACE_HOURS, default: 24, example: 24, description: 'Hours during which the old secret still signs every delivery beside the new one (a second v1 in Complaint-Desk-Signature), so that receivers can switch; 0: the old secret stops at once.' })
  @IsOptional()
  @IsInt({ message: 'graceHours must be a whole number of hours' })
  @Min(0, { message: `graceHours must be from 0 to ${MAX_SECRET_GRACE_HOURS}` })
  @Max(MAX_SECRET_GRACE_HOURS, { message: `graceHours must be from 0 to ${MAX_SECRET_GRACE_HOURS}` })
  graceHours?: number;

  @Text(2000, { example: 'Yearly key rotation.' })
  reason!: string;
}

export class WebhookChangeDto {
  @Text(2000, { example: 'The CRM is down for maintenance.' })
  reason!: string;
}

/** format and bom: the delivery log answers CSV too, every page of it (README "Export as CSV"). */
export class DeliveriesQueryDto extends ExportQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES, description: 'pending: waiting to be sent or retried; delivered; dead: the retry window ran out (dead letters); dropped: given up unsent, its webhook deleted while it waited.' })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES, { message: `status must be one of ${DELIVERY_STATUSES.join(', ')}` })
  status?: DeliveryStatus;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50, description: 'Deliveries per page, newest first; with format=csv, the most rows in all (default: every delivery).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @CursorField()
  cursor?: string;
}

export class WebhookFilterDto {
  @ApiProperty({ type: [String], example: ['ComplaintReceived', 'SlaBreached'], description: 'Empty: every type.' }) eventTypes!: string[];
  @ApiProperty({ type: [String], example: ['complaint'], description: 'Empty: every kind.' }) streamTypes!: string[];
  @ApiProperty({ type: String, nullable: true, example: null }) complaintId!: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) customerId!: string | null;
}

export class WebhookCircuitDto {
  @ApiProperty({ enum: ['closed', 'open'], example: 'closed', description: 'open: the endpoint failed too often in a row and is left alone until openUntil.' }) state!: string;
  @ApiProperty({ example: 0 }) consecutiveFailures!: number;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: null }) openUntil!: string | null;
}

export class WebhookPreviousSecretDto {
  @ApiProperty({ example: '2c26b46b68ffc68f', description: 'The start of the old secret\'s SHA-256.' }) fingerprint!: string;
  @ApiProperty({ format: 'date-time', example: '2026-03-02T01:00:00.000Z', description: 'Until then each delivery carries a second v1 signed with it.' }) until!: string;
  @ApiProperty({ example: true, description: 'Whether it still signs now.' }) signing!: boolean;
}

export class WebhookViewDto {
  @ApiProperty({ format: 'uuid', example: '5b0f3c1e-8d2a-5f4b-9c6e-1a2b3c4d5e6f' }) id!: string;
  @ApiProperty({ example: 'https://crm.example.com/hooks/complaint-desk' }) url!: string;
  @ApiProperty({ type: WebhookFilterDto }) filter!: WebhookFilterDto;
  @ApiProperty({ example: '9f86d081884c7d65', description: 'The start of the secret\'s SHA-256, to tell which secret is in use (the secret itself is never answered).' }) secretFingerprint!: string;
  @ApiProperty({ type: WebhookPreviousSecretDto, nullable: true, description: 'The secret the last rotation replaced, which signs beside the new one until `until`; null: never rotated.' }) previousSecret!: WebhookPreviousSecretDto | null;
  @ApiProperty({ type: String, nullable: true, example: 'CRM: complaints and SLA breaches' }) description!: string | null;
  @ApiProperty({ enum: ['active', 'paused', 'deleted'], example: 'active' }) status!: string;
  @ApiProperty({ format: 'date-time', example: '2026-03-01T01:00:00.000Z' }) registeredAt!: string;
  @ApiProperty({ format: 'date-time', example: '2026-03-01T01:00:00.000Z' }) changedAt!: string;
  @ApiProperty({ example: 0, description: 'Deliveries waiting to be sent or retried (recorded by the delivery process; 0 before it has seen the registration).' }) pendingDeliveries!: number;
  @ApiProperty({ type: WebhookCircuitDto }) circuit!: WebhookCircuitDto;
}

export class WebhookListDto {
  @ApiProperty({ example: 3, description: 'Revision of the webhooks stream (-1 while empty); send it back as If-Match on a change.' }) revision!: number;
  @ApiProperty({ type: [WebhookViewDto], description: 'Every webhook ever registered, deleted ones too, in registration order.' }) items!: WebhookViewDto[];
}

export class WebhookDeliveryDto {
  @ApiProperty({ format: 'uuid', example: '7d1e2f3a-4b5c-5d6e-8f70-8192a3b4c5d6', description: 'Sent as Complaint-Desk-Delivery and Idempotency-Key; the same on every retry.' }) id!: string;
  @ApiProperty({ format: 'uuid', example: '5b0f3c1e-8d2a-5f4b-9c6e-1a2b3c4d5e6f' }) webhookId!: string;
  @ApiProperty({ enum: DELIVERY_STATUSES, example: 'delivered' }) status!: string;
  @ApiProperty({ example: 42, description: 'The log position of the event sent.' }) eventPosition!: number;
  @ApiProperty({ format: 'uuid', example: '2f8a3c4d-5e6f-5a7b-8c9d-0e1f2a3b4c5d' }) eventId!: string;
  @ApiProperty({ example: 'ComplaintReceived' }) eventType!: string;
  @ApiProperty({ example: 'complaint-0c8f3f0e-5a7d-5b1e-9c4e-2f1a3b4c5d6e' }) stream!: string;
  @ApiProperty({ example: 1 }) attempts!: number;
  @ApiProperty({ format: 'date-time', example: '2026-03-01T01:00:00.000Z' }) queuedAt!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: '2026-03-01T01:00:00.120Z' }) firstAttemptAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: '2026-03-01T01:00:00.120Z' }) lastAttemptAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: null, description: 'When it is tried next (pending only).' }) nextAttemptAt!: string | null;
  @ApiProperty({ type: Number, nullable: true, example: 204, description: 'The receiver\'s HTTP status at the last attempt; null when there was no answer.' }) lastStatusCode!: number | null;
  @ApiProperty({ type: String, nullable: true, example: null, description: 'What went wrong at the last attempt.' }) lastError!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: '2026-03-01T01:00:00.140Z' }) deliveredAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: null, description: 'When the retry window ran out (a dead letter).' }) deadAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', example: null, description: 'The delivery this one repeats (manual redelivery).' }) redeliveryOf!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', example: null, description: 'When it was given up unsent (dropped).' }) droppedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['webhook-deleted'], example: null, description: 'Why it was dropped: webhook-deleted, its webhook was deleted while it waited (an attempt in flight then is dropped after it).' }) dropReason!: string | null;
}

export class WebhookDeliveryListDto {
  @ApiProperty({ type: [WebhookDeliveryDto], description: 'Newest first.' }) items!: WebhookDeliveryDto[];
  @ApiProperty(NEXT_CURSOR) nextCursor!: string | null;
}
