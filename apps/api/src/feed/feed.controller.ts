import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { EventStore } from '@app/event-store';
import type { Principal } from '../access/access-control.service';
import { ALL_ROLES, Roles } from '../auth/roles.decorator';
import type { HttpSettings } from '../config/api-config';
import { HTTP_SETTINGS } from '../health/health.controller';
import { TooManyInFlightError } from '../http/heavy-reads';
import { RequestValidationError } from '../http/request-errors';
import { OkResponse, ProblemResponses } from '../openapi/api-responses.decorator';
import { negotiateFeedFormat } from './feed-format';
import { FeedHub } from './feed-hub';
import { FeedSelection, type FeedFilter, type FeedStreamType } from './feed-selection';
import { FeedSession } from './feed-session';
import { PageSink, SseSink } from './feed-sinks';
import { FeedVisibility } from './feed-visibility';
import { FEED_PAGE_LIMIT, FEED_POSITION, FeedPageDto, FeedQueryDto, listOf } from './feed.dto';
import { logPositionRule, parseLogPosition } from '../read-models/query.dto';

/** Pages of the log a long poll reads at most before it answers (with the position it got to). */
const LONG_POLL_PAGES = 25;

const SSE_EXAMPLE = [
  'retry: 2000', '', 'id: 42', 'event: ComplaintReceived',
  'data: {"position":42,"stream":"complaint-0c8f3f0e-5a7d-5b1e-9c4e-2f1a3b4c5d6e","streamType":"complaint","revision":0,"type":"ComplaintReceived","recordedAt":"2026-03-01T08:00:00.000Z","data":{},"metadata":{}}',
  '', 'event: caught-up', 'data: {"position":42}', '', ': heartbeat', '', '',
].join('\n');

/** A feed connection beyond what one token may hold. */
export class TooManyFeedsError extends TooManyInFlightError {
  constructor(limit: number) {
    super(limit);
    this.message = `This token already holds ${limit} feed connections (FEED_CONNECTIONS_PER_TOKEN); close one, or try again in 1 s.`;
  }
}

/**
 * GET /feed: the events of the log a principal may see, live (docs/adr/0014-change-feed.md). One route, two
 * answers: Server-Sent Events for a client that keeps a connection open, and a long poll (JSON) for
 * one that cannot. Both resume from a log position.
 */
@ApiTags('feed')
@Controller('feed')
export class FeedController {
  private readonly connections = new Map<string, number>();

  constructor(
    private readonly store: EventStore,
    private readonly hub: FeedHub,
    private readonly visibility: FeedVisibility,
    @Inject(HTTP_SETTINGS) private readonly http: HttpSettings,
  ) {}

  @Get()
  @Roles(...ALL_ROLES)
  @ApiOperation({
    summary: 'The change feed: the events this principal may see, in log order, as Server-Sent Events (Accept: text/event-stream) or a long poll (JSON); resume with Last-Event-ID or after',
    description: 'Narrowed like the lists: complaints and work orders of the caller\'s departments, customer files it may see; access and audit streams for admins and auditors. '
      + 'A stream sends `caught-up` once the stored log is sent, heartbeat comments when quiet, and `reconnect` (with the position) before the server closes it, '
      + 'e.g. when the reader falls more than FEED_BUFFER_EVENTS behind. Delivery is at least once by position: resume after the last id you handled.',
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this log position (an EventSource sends it when it reconnects); wins over `after`.', schema: { type: 'string', pattern: '^[0-9]{1,16}$', example: '42' } })
  @OkResponse(FeedPageDto, {
    description: 'JSON: the events after the position (at most `limit`), or an empty page when none came within `wait`, with the position to resume from. '
      + 'text/event-stream: one message per event (`id` = position, `event` = type, `data` = the event as in the JSON page), until the client closes it.',
    eventStream: { example: SSE_EXAMPLE },
  })
  @ProblemResponses(
    { status: 400, codes: ['validation-failed'], description: 'A query parameter or Last-Event-ID is invalid (each is named in `errors`).' },
    { status: 406, codes: ['not-acceptable'], description: 'The Accept header allows neither JSON nor text/event-stream as the feed writes them (UTF-8); `detail` says why and what to send, as on the lists and the single documents (JSON refused, CSV asked for, `application/problem+json;q=0`).' },
    { status: 429, codes: ['rate-limited', 'too-many-in-flight'], description: 'Too many requests from this token, or it already holds FEED_CONNECTIONS_PER_TOKEN feed connections; `Retry-After` says when to try again.' },
    { status: 503, codes: ['store-damaged', 'store-unavailable'], description: 'A stored event cannot be read back (the event store\'s file was damaged outside it), or the server is shutting down.' },
  )
  async feed(@Query() query: FeedQueryDto, @Req() request: FastifyRequest & { principal?: Principal }, @Res() reply: FastifyReply): Promise<void> {
    const principal = request.principal!;
    const settings = this.http.feed;
    const after = this.resumeFrom(request, query);
    // A position past the end of the log was never given out by this store (another store's, or made up):
    // resuming there would skip whatever the log writes up to it.
    const head = await this.store.headPosition();
    if (after > head) {
      const field = request.headers['last-event-id'] === undefined ? 'after' : 'Last-Event-ID';
      throw new RequestValidationError([{ field, message: `${field} ${after} is past the end of the log (its last position is ${head}): resume from a position the feed gave you, or leave it out to start from the beginning` }]);
    }
    if (query.wait !== undefined && query.wait > settings.maxWaitSeconds) {
      throw new RequestValidationError([{ field: 'wait', message: `wait must be a whole number of seconds from 0 to ${settings.maxWaitSeconds} (FEED_MAX_WAIT_S)` }]);
    }
    const format = negotiateFeedFormat(query.format, request.headers['accept']);
    const filter: FeedFilter = {
      ...(query.streamType !== undefined ? { streamTypes: listOf(query.streamType) as FeedStreamType[] } : {}),
      ...(query.type !== undefined ? { eventTypes: listOf(query.type)! } : {}),
      ...(query.complaintId !== undefined ? { complaintId: query.complaintId.toLowerCase() } : {}),
      ...(query.customerId !== undefined ? { customerId: query.customerId } : {}),
    };
    const selection = new FeedSelection(filter, { actor: principal.actor, scope: principal.scope }, this.visibility);
    const release = this.admit(principal.tokenKey, settings.connectionsPerToken);
    if (format === 'event-stream') {
      // However the stream ends (the server ends it, the client goes away and fastify destroys it), the
      // session stops reading and leaves the hub, and the token gets its place back.
      let session: FeedSession | undefined;
      const sink = new SseSink(settings.heartbeatMs, () => {
        release();
        session?.close();
      });
      session = new FeedSession(this.store, this.hub, selection, sink, { bufferEvents: settings.bufferEvents }, after);
      reply.raw.on('close', () => sink.stream.destroy());
      void reply.header('Content-Type', 'text/event-stream; charset=utf-8').header('X-Accel-Buffering', 'no').send(sink.stream);
      const running = session;
      void running.run().then(() => sink.end(), () => sink.close(running.position, 'unavailable', 'The event store stopped answering; reconnect later with Last-Event-ID (or after) set to position.'));
      return;
    }
    const sink = new PageSink(query.limit ?? FEED_PAGE_LIMIT, (query.wait ?? 0) > 0);
    const session = new FeedSession(this.store, this.hub, selection, sink, { bufferEvents: settings.bufferEvents, maxPages: LONG_POLL_PAGES }, after);
    const timer = setTimeout(() => sink.finish(), (query.wait ?? 0) * 1000);
    // The client went away while it waited: its connection closed under the response.
    const gone = () => sink.finish();
    reply.raw.on('close', gone);
    const running = session.run();
    // Once the page is answered, a late failure of the session has nobody left to tell.
    running.catch(() => undefined);
    try {
      // A read of the store that fails first is the store's error (503), as on the other reads.
      await Promise.race([running, sink.done]);
    } finally {
      session.close();
      clearTimeout(timer);
      reply.raw.off('close', gone);
      release();
    }
    void reply.header('Content-Type', 'application/json; charset=utf-8').send(`{"events":[${sink.events.join(',')}],"position":${session.position}}`);
  }

  /** Last-Event-ID wins over `after`: an EventSource sends it on reconnect, with the URL it first opened. */
  private resumeFrom(request: FastifyRequest, query: FeedQueryDto): number {
    const header = request.headers['last-event-id'];
    if (header === undefined) return query.after ?? 0;
    const value = Array.isArray(header) ? header[0]! : header;
    // The same text as `after` (one parser): a reader may send back what it was given either way.
    const position = parseLogPosition(value);
    if (position === undefined) throw new RequestValidationError([{ field: 'Last-Event-ID', message: logPositionRule('Last-Event-ID', FEED_POSITION) }]);
    return position;
  }

  /** A place among the token's feed connections, or 429; the function gives it back (once). */
  private admit(tokenKey: string, limit: number): () => void {
    const held = this.connections.get(tokenKey) ?? 0;
    if (held >= limit) throw new TooManyFeedsError(limit);
    this.connections.set(tokenKey, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const now = (this.connections.get(tokenKey) ?? 1) - 1;
      if (now <= 0) this.connections.delete(tokenKey);
      else this.connections.set(tokenKey, now);
    };
  }
}
