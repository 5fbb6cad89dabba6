import { ForbiddenException, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Actor, Role } from '@app/domain';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';
import { RateLimiter } from './rate-limiter';
import { TokenRegistry } from './token-registry';

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenRegistry,
    private readonly limiter: RateLimiter,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined>; actor?: Actor; ip?: string }>();
    const header = request.headers['authorization'];
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) {
      this.limiter.take(`address:${request.ip}`);
      throw new UnauthorizedException('An Authorization: Bearer <token> header is required.');
    }
    const actor = this.tokens.principalFor(match[1]!);
    // Guessing tokens is limited per address; a valid token has its own allowance.
    if (!actor) {
      this.limiter.take(`address:${request.ip}`);
      throw new UnauthorizedException('The bearer token is not valid.');
    }
    this.limiter.take(`principal:${actor.id}`);
    request.actor = actor;
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!allowed || !(allowed as string[]).includes(actor.role)) {
      throw new ForbiddenException(`The ${actor.role} role may not do this${allowed ? `; allowed: ${allowed.join(', ')}` : ''}.`);
    }
    return true;
  }
}
