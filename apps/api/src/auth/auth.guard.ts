import { ForbiddenException, Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@app/domain';
import { METRICS_SCRAPE_KEY, PUBLIC_KEY, ROLES_KEY } from './roles.decorator';
import { RateLimiter } from './rate-limiter';
import { AccessControl, type Principal } from '../access/access-control.service';
import type { HttpSettings } from '../config/api-config';
import { HTTP_SETTINGS } from '../health/health.controller';
import { sameSecret } from './same-secret';


@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly access: AccessControl,
    private readonly limiter: RateLimiter,
    @Inject(HTTP_SETTINGS) private readonly http: HttpSettings,
  ) {}

  private isMetricsToken(token: string): boolean {
    return this.http.metrics.token !== undefined && sameSecret(token, this.http.metrics.token);
  }

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined>; principal?: Principal; ip?: string }>();
    const header = request.headers['authorization'];
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) {
      this.limiter.take(`address:${request.ip}`);
      throw new UnauthorizedException('An Authorization: Bearer <token> header is required.');
    }
    if (this.reflector.getAllAndOverride<boolean>(METRICS_SCRAPE_KEY, targets) && this.isMetricsToken(match[1]!)) {
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
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!allowed || !(allowed as string[]).includes(actor.role)) {
      throw new ForbiddenException(`The ${actor.role} role may not do this${allowed ? `; allowed: ${allowed.join(', ')}` : ''}.`);
    }
    return true;
  }
}
