import { ForbiddenException, Inject, Injectable, RequestMethod, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector, type DiscoveryService, type MetadataScanner } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '@app/domain';
import { METRICS_SCRAPE_KEY, PUBLIC_KEY, ROLES_KEY } from './roles.decorator';
import { controllerRoutes } from './controller-routes';
import { RateLimitedError, RateLimiter } from './rate-limiter';
import { AccessControl, INVALID_TOKEN, type Principal } from '../access/access-control.service';
import type { HttpSettings } from '../config/api-config';
import { HTTP_SETTINGS } from '../health/health.controller';
import { sameSecret } from './same-secret';
import { PROBLEM_CONTENT_TYPE, problem } from '../http/problem';


/** What a route asks of its caller, from its decorators: the same on every request, so read once (RouteAccess). */
interface RouteAccess {
  readonly owner: object;
  readonly isPublic: boolean;
  readonly metricsScrape: boolean;
  readonly allowed: readonly Role[] | undefined;
}

/** Who asks, as the guard and the edge tell it from the request, and the rate limiter's key for it. */
type Caller =
  | { readonly kind: 'no-token'; readonly key: string }
  | { readonly kind: 'unknown-token'; readonly key: string }
  | { readonly kind: 'metrics-token'; readonly key: string }
  | { readonly kind: 'principal'; readonly key: string; readonly principal: Principal };

/** Set by countAtTheEdge on a request it counted and let through: the guard does not count it again (it authenticates it again). */
const COUNTED = Symbol('counted at the edge');

interface GuardedRequest {
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
  ip?: string;
  method?: string;
  routeOptions?: { url?: string };
  [COUNTED]?: true;
}

@Injectable()
export class AuthGuard implements CanActivate {
  /**
   * Per handler, with the class it was read for (a method inherited by two controllers is read again for the other):
   * three reflector reads per request were a fifth of the guard (docs/adr/0003).
   */
  private readonly routes = new WeakMap<object, RouteAccess>();
  /** `METHOD /pattern` → null for a public route, else what countAtTheEdge needs to count it; learnt at start (learnRoutes). */
  private readonly counted = new Map<string, { readonly metricsScrape: boolean } | null>();
  private readonly refusalHeads = new Map<number, string>();

  constructor(
    private readonly reflector: Reflector,
    private readonly access: AccessControl,
    private readonly limiter: RateLimiter,
    @Inject(HTTP_SETTINGS) private readonly http: HttpSettings,
  ) {}

  private isMetricsToken(token: string): boolean {
    return this.http.metrics.token !== undefined && sameSecret(token, this.http.metrics.token);
  }

  private routeOf(context: ExecutionContext): RouteAccess {
    return this.accessOf(context.getHandler(), context.getClass());
  }

  private accessOf(handler: ReturnType<ExecutionContext['getHandler']>, owner: ReturnType<ExecutionContext['getClass']>): RouteAccess {
    const known = this.routes.get(handler);
    if (known?.owner === owner) return known;
    const targets = [handler, owner];
    const route: RouteAccess = {
      owner,
      isPublic: this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) === true,
      metricsScrape: this.reflector.getAllAndOverride<boolean>(METRICS_SCRAPE_KEY, targets) === true,
      allowed: this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets),
    };
    this.routes.set(handler, route);
    return route;
  }

  canActivate(context: ExecutionContext): boolean {
    const route = this.routeOf(context);
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    this.learn(request, route);
    if (route.isPublic) return true;
    // Counted at the edge already (countAtTheEdge) when the route was known there: not counted twice. The token is looked
    // up again all the same (a map lookup): one revoked or run out while the body was arriving is refused here, as before.
    const caller = this.callerOf(request, route.metricsScrape);
    if (request[COUNTED] !== true) this.count(caller.key, context);
    switch (caller.kind) {
      case 'no-token':
        throw new UnauthorizedException('An Authorization: Bearer <token> header is required.');
      case 'unknown-token':
        throw new UnauthorizedException(INVALID_TOKEN);
      case 'metrics-token':
        return true;
      case 'principal':
        break;
      default: {
        const never: never = caller;
        return never;
      }
    }
    const { principal } = caller;
    request.principal = principal;
    const { actor } = principal;
    const { allowed } = route;
    if (!allowed || !(allowed as string[]).includes(actor.role)) {
      throw new ForbiddenException(`The ${actor.role} role may not do this${allowed ? `; allowed: ${allowed.join(', ')}` : ''}.`);
    }
    return true;
  }

  /** Counts a request the edge did not (a route learnRoutes missed), telling its answer the limit as the edge does. */
  private count(key: string, context: ExecutionContext): void {
    if (!this.limiter.enabled) return;
    const retryAfterSeconds = this.limiter.tryTake(key);
    this.tellLimit(context.switchToHttp().getResponse<FastifyReply>());
    if (retryAfterSeconds !== undefined) throw new RateLimitedError(retryAfterSeconds);
  }

  /**
   * RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset (draft-ietf-httpapi-ratelimit-headers, the three-field form;
   * docs/adr/0009) from the numbers the limiter's last tryTake left: strings made once, no allocation per answer.
   */
  private tellLimit(reply: FastifyReply): void {
    // In lower case, as fastify keeps and sends every header name: its toLowerCase then makes no new string.
    void reply.header('ratelimit-limit', this.numeral(this.limiter.limit)).header('ratelimit-remaining', this.numeral(this.limiter.remaining))
      .header('ratelimit-reset', this.numeral(this.limiter.resetSeconds));
  }

  /** "0" … the burst (the reset is at most 2 s, within it): made once, so the headers cost no string per answer. */
  private numerals: readonly string[] | undefined;

  private numeral(value: number): string {
    this.numerals ??= Array.from({ length: Math.min(this.limiter.limit, 10_000) + 1 }, (_, index) => String(index));
    return this.numerals[value] ?? String(value);
  }

  /**
   * For a handler that reads its body itself (a multipart upload streams after the guard ran): the token is looked up again
   * once the body is in, so one revoked or run out while the file arrived writes nothing, as canActivate does for a parsed body.
   */
  requireStillAuthenticated(request: { headers: Record<string, string | string[] | undefined>; ip?: string }): void {
    const caller = this.callerOf(request as GuardedRequest, false);
    if (caller.kind !== 'principal') throw new UnauthorizedException(INVALID_TOKEN);
  }

  /** Who asks, and under which key the rate limiter counts it: guessing tokens is limited per address; a valid token has its own allowance. */
  private callerOf(request: GuardedRequest, metricsScrape: boolean): Caller {
    const header = request.headers['authorization'];
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) return { kind: 'no-token', key: `address:${request.ip}` };
    if (metricsScrape && this.isMetricsToken(match[1]!)) return { kind: 'metrics-token', key: 'metrics-token' };
    const principal = this.access.authenticate(match[1]!);
    return principal ? { kind: 'principal', key: principal.tokenKey, principal } : { kind: 'unknown-token', key: `address:${request.ip}` };
  }

  /** What the edge needs of a route to count its requests, kept under the route fastify matched (its method and pattern). */
  private learn(request: GuardedRequest, route: RouteAccess): void {
    const pattern = request.routeOptions?.url;
    if (pattern === undefined || request.method === undefined) return;
    this.remember(request.method, pattern, route);
  }

  private remember(method: string, pattern: string, route: RouteAccess): void {
    const key = `${method} ${pattern}`;
    if (!this.counted.has(key)) this.counted.set(key, route.isPublic ? null : { metricsScrape: route.metricsScrape });
  }

  /**
   * Learns every controller route at start, from the same decorators canActivate reads, under the `METHOD /pattern` Nest
   * registers with fastify (controller path + method path, as session.controller.ts spells them; a GET also answers HEAD), so
   * that the edge counts a route's first request too. A route this misses is still learnt by canActivate on its first request.
   */
  learnRoutes(discovery: DiscoveryService, scanner: MetadataScanner): void {
    for (const { handler, controller, method, path } of controllerRoutes(discovery, scanner, this.reflector)) {
      if (method === RequestMethod.ALL) continue;
      const route = this.accessOf(handler, controller);
      for (const verb of method === RequestMethod.GET ? ['GET', 'HEAD'] : [RequestMethod[method]]) this.remember(verb, path, route);
    }
  }

  /** The routes counted at the edge, as `METHOD /pattern` (for tests and diagnosis: what learnRoutes and the requests since taught it). */
  countedRoutes(): string[] {
    return [...this.counted].filter(([, route]) => route !== null).map(([key]) => key).sort();
  }

  /**
   * A fastify onRequest hook (create-app.ts): counts a request to a route the guard has seen, and refuses one over the
   * limit there and then, before its body is read and before Nest's router, pipes, guards and exception filter, with
   * the answer the filter would give (a cached problem body; no error made). An abusive token gets thousands of these
   * a second, and each took the CPU that other callers were waiting for (docs/adr/0009). Every controller route is learnt
   * at start (learnRoutes); one that was not passes to the guard, which counts it and learns the route.
   */
  readonly countAtTheEdge = (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    if (!this.limiter.enabled) return done();
    const guarded = request as unknown as GuardedRequest;
    const route = this.counted.get(`${request.method} ${request.routeOptions.url}`);
    if (!route) return done();
    const caller = this.callerOf(guarded, route.metricsScrape);
    const retryAfterSeconds = this.limiter.tryTake(caller.key);
    this.tellLimit(reply);
    if (retryAfterSeconds === undefined) {
      guarded[COUNTED] = true;
      return done();
    }
    // A body announced is not read: the connection closes once the answer is out (as the 415 does), rather than reading it to drop it.
    if (request.headers['content-length'] !== undefined && request.headers['content-length'] !== '0' || request.headers['transfer-encoding'] !== undefined) void reply.header('Connection', 'close');
    void reply.status(429).header('Retry-After', String(retryAfterSeconds)).header('Content-Type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`)
      .send(this.refusalBody(retryAfterSeconds, request.url, request.id));
  };

  /** The filter's body for a RateLimitedError (problem.filter.ts), made once per Retry-After; the instance and request id are added. */
  private refusalBody(retryAfterSeconds: number, url: string, requestId: string): string {
    let head = this.refusalHeads.get(retryAfterSeconds);
    if (head === undefined) {
      const body = JSON.stringify(problem(429, new RateLimitedError(retryAfterSeconds).message, { code: 'rate-limited' }));
      head = body.slice(0, -1);
      if (this.refusalHeads.size < 64) this.refusalHeads.set(retryAfterSeconds, head);
    }
    const query = url.indexOf('?');
    return `${head},"instance":${JSON.stringify(query < 0 ? url : url.slice(0, query))},"requestId":${JSON.stringify(requestId)}}`;
  }
}
