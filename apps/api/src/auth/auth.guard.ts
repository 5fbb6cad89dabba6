import { ForbiddenException, Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@app/domain';
import { METRICS_SCRAPE_KEY, PUBLIC_KEY, ROLES_KEY } from './roles.decorator';
import { RateLimiter } from './rate-limiter';
import { AccessControl, type Principal } from '../access/access-control.service';
import type { HttpSettings } from '../config/api-config';
import { HTTP_SETTINGS } from '../health/health.controller';
import { sameSecret } from './same-secret';


/** What a route asks of its caller, from its decorators: the same on every request, so read once (RouteAccess). */
interface RouteAccess {
  readonly owner: object;
  readonly isPublic: boolean;
  readonly metricsScrape: boolean;
  readonly allowed: readonly Role[] | undefined;
}

@Injectable()
export class AuthGuard implements CanActivate {
  /**
   * Per handler, with the class it was read for (a method inherited by two controllers is read again for the other):
   * three reflector reads per request were a fifth of the guard (docs/adr/0003).
   */
  private readonly routes = new WeakMap<object, RouteAccess>();

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
    const handler = context.getHandler();
    const owner = context.getClass();
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
    if (route.isPublic) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined>; principal?: Principal; ip?: string }>();
    const header = request.headers['authorization'];
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) {
      this.limiter.take(`address:${request.ip}`);
      throw new UnauthorizedException('An Authorization: Bearer <token> header is required.');
    }
    if (route.metricsScrape && this.isMetricsToken(match[1]!)) {
      this.limiter.take('metrics-token');
      return true;
    }
    const principal = this.access.authenticate(match[1]!);
    // Guessing tokens is limited per address; a valid token has its own allowance.
    if (!principal) {
      this.limiter.take(`address:${request.ip}`);
      throw new UnauthorizedException('The bearer token is not valid (unknown, revoked or expired).');
    }
    this.limiter.take(principal.tokenKey);
    request.principal = principal;
    const { actor } = principal;
    const { allowed } = route;
    if (!allowed || !(allowed as string[]).includes(actor.role)) {
      throw new ForbiddenException(`The ${actor.role} role may not do this${allowed ? `; allowed: ${allowed.join(', ')}` : ''}.`);
    }
    return true;
  }
}
