import multipart from '@fastify/multipart';
import { DiscoveryService, MetadataScanner, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DestinationStream } from 'pino';
import { AppModule, type AppOptions } from '../app.module';
import { AuthGuard } from '../auth/auth.guard';
import { createOpenApiDocument } from '../openapi/openapi-document';
import { createLogger, PinoNestLogger } from '../observability/logging';
import { Metrics } from '../observability/metrics';
import { CORS_ALLOWED_HEADERS, CORS_EXPOSED_HEADERS, clientErrorHandler, frameworkErrors, registerEdgeHooks, requestIdOf } from './edge';
import { BODY_LIMIT_BYTES, BODY_TOO_LARGE_DETAIL, PROBLEM_CONTENT_TYPE, problem } from './problem';
import { RequestValidationError } from './request-errors';
import { capConnections, requestTimeouts } from './server-limits';
import { serveConsole } from './console';
import { strictValidationPipe } from './strict-validation.pipe';
import { memoizeValidationMetadata } from './validation-metadata-memo';

/** The routes whose body is multipart/form-data (a file), not JSON. */
const MULTIPART_ROUTES: ReadonlySet<string> = new Set(['/complaints/:id/attachments']);

/** Builds the HTTP app exactly as `npm start` runs it; the e2e tests use the same function. */
export async function createApp(options: AppOptions & { logger?: false; logDestination?: DestinationStream }): Promise<NestFastifyApplication> {
  const { http } = options.config;
  const logger = createLogger(options.logger === false ? 'silent' : http.logLevel, options.logDestination);
  // return503OnClosing false: a request a client sent before SIGTERM, that the server reads only after it began to
  // close, is answered like any other (fastify would answer a bare 503); new connections are refused all the same.
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES, trustProxy: false, genReqId: requestIdOf, clientErrorHandler, frameworkErrors, return503OnClosing: false, ...requestTimeouts(http),
  });
  const metrics = new Metrics();
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot({ ...options, log: logger, metrics }), adapter, {
    logger: new PinoNestLogger(logger),
    bufferLogs: false,
    // A provider that refuses to start (tampered access-control history) rejects here, for main to say so in one line.
    abortOnError: false,
    // The edge registers its own strict JSON parser (UTF-8 checked, prototype keys refused).
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  capConnections(fastify.server, http);
  registerEdgeHooks(fastify, logger, metrics);
  if (http.corsOrigins.length > 0) {
    app.enableCors({
      origin: http.corsOrigins.includes('*') ? '*' : [...http.corsOrigins],
      methods: ['GET', 'POST'],
      allowedHeaders: CORS_ALLOWED_HEADERS,
      exposedHeaders: CORS_EXPOSED_HEADERS,
      maxAge: 600,
    });
  }
  // multipart/form-data for the one route that takes a file (its limits are the route's, AttachmentUploads); nothing is parsed before the handler asks.
  await app.register(multipart as never, { limits: { fileSize: options.config.attachments.maxBytes, files: 1, parts: 3 } });
  fastify.addHook('onRequest', (request, reply, done) => {
    // fastify reads no body of a GET or HEAD, but the socket still takes it in: one announced over the limit is refused before that.
    const bodyTooLarge = () => {
      const body = { ...problem(413, BODY_TOO_LARGE_DETAIL, { code: 'body-too-large' }), instance: request.url.split('?')[0], requestId: request.id };
      void reply.status(413).header('Content-Type', PROBLEM_CONTENT_TYPE).header('Connection', 'close').send(body);
    };
    const bodyless = request.method === 'GET' || request.method === 'HEAD';
    if (bodyless && Number(request.headers['content-length'] ?? 0) > BODY_LIMIT_BYTES) {
      bodyTooLarge();
      return;
    }
    // A chunked body states no length: it is counted as it comes and dropped; past the limit, 413 and not a byte more is read.
    if (bodyless && request.headers['transfer-encoding'] !== undefined && !request.raw.readableEnded) {
      const raw = request.raw;
      let received = 0;
      const onData = (chunk: Buffer) => {
        received += chunk.length;
        if (received <= BODY_LIMIT_BYTES) return;
        raw.off('data', onData).off('end', onEnd).pause();
        reply.raw.once('finish', () => raw.socket.destroy());
        bodyTooLarge();
      };
      const onEnd = () => {
        raw.off('data', onData);
        checkMediaType(request, reply, done);
      };
      raw.on('data', onData).once('end', onEnd);
      return;
    }
    checkMediaType(request, reply, done);
  });
  // After the size and media-type checks, before the body is read: a token over its rate limit is refused here (docs/adr/0009).
  // Every route is learnt now, so that a route's first request after a start is counted there too.
  const guard = app.get(AuthGuard);
  guard.learnRoutes(app.get(DiscoveryService), app.get(MetadataScanner));
  fastify.addHook('onRequest', guard.countAtTheEdge);
  memoizeValidationMetadata();
  app.useGlobalPipes(strictValidationPipe());
  // SIGTERM/SIGINT: main.ts enables Nest's shutdown hooks once the app listens (a signal during the start is its own: apps/api/src/stop-signals.ts).
  SwaggerModule.setup('docs', app, createOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
  if (options.config.consoleDir !== undefined) await serveConsole(app, options.config.consoleDir);
  return app;
}

/** Commands take JSON only (an upload multipart/form-data only); fastify would otherwise parse text/plain bodies as strings. */
function checkMediaType(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  const hasBody = request.headers['content-length'] !== undefined && request.headers['content-length'] !== '0' || request.headers['transfer-encoding'] !== undefined;
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const upload = request.method === 'POST' && MULTIPART_ROUTES.has(request.routeOptions.url ?? '');
  const json = type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
  // JSON to the upload route passes here, so the role is checked first; its handler then answers 415 (send multipart).
  const accepted = json || (upload && type === 'multipart/form-data');
  if (hasBody && !accepted) {
    const wanted = upload ? 'multipart/form-data (a file field, kind and description, as curl -F sends them)' : 'application/json';
    const body = { ...problem(415, `Send the body as ${wanted} (got ${type || 'no content type'}).`, { code: 'unsupported-media-type' }), instance: request.url.split('?')[0], requestId: request.id };
    // The body is not read at all: the connection closes once the answer is out, so neither side waits for the rest of it
    // (kept open, the server would read and drop the whole body, or wait for the request timeout if it never came).
    void reply.status(415).header('Content-Type', PROBLEM_CONTENT_TYPE).header('Connection', 'close').send(body);
    return;
  }
  done();
}
