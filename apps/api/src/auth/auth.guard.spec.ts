import { createHash } from 'node:crypto';
import { ForbiddenException, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { MetricsScrape, Public, Roles } from './roles.decorator';
import { RateLimitedError, RateLimiter } from './rate-limiter';
import { hashToken, type AccessControl, type Principal } from '../access/access-control.service';
import { DEFAULT_HTTP_SETTINGS } from '../config/api-config';

class Routes {
  @Roles('supervisor')
  assign(): void {}

  @Public()
  health(): void {}

  @MetricsScrape()
  @Roles('admin')
  metrics(): void {}
}

const supervisor: Principal = { actor: { id: 'sup-1', role: 'supervisor' }, scope: 'all', tokenKey: 'token:sup' };

/** A reply that records the headers set on it. */
function replyRecorder(): { header(name: string, value: string): unknown; readonly headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  const reply = { headers, header: (name: string, value: string) => ((headers[name] = value), reply) };
  return reply;
}

function contextOf(handler: keyof Routes, authorization?: string) {
  const request = { headers: authorization === undefined ? {} : { authorization }, ip: '127.0.0.1' } as { headers: Record<string, string>; principal?: Principal; ip: string };
  const reply = replyRecorder();
  const context = {
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }),
  } as unknown as ExecutionContext;
  return { context, request, reply };
}

describe('AuthGuard', () => {
  const setup = () => {
    const reflector = new Reflector();
    const lookups = jest.spyOn(reflector, 'getAllAndOverride');
    const access = { authenticate: (token: string) => (token === 'sup-token' ? supervisor : undefined) } as unknown as AccessControl;
    const taken: string[] = [];
    const limiter = { enabled: true, limit: 6, remaining: 5, resetSeconds: 1, tryTake: (key: string) => void taken.push(key) } as unknown as RateLimiter;
    const guard = new AuthGuard(reflector, access, limiter, { ...DEFAULT_HTTP_SETTINGS, metrics: { ...DEFAULT_HTTP_SETTINGS.metrics, token: 'scrape-token' } });
    return { guard, lookups, taken };
  };

  it('lets a token of an allowed role in with its principal, and answers 401 without a token, 403 to another role', () => {
    const { guard, taken } = setup();
    const allowed = contextOf('assign', 'Bearer sup-token');
    expect(guard.canActivate(allowed.context)).toBe(true);
    expect(allowed.request.principal).toBe(supervisor);
    expect(() => guard.canActivate(contextOf('assign').context)).toThrow(UnauthorizedException);
    expect(() => guard.canActivate(contextOf('assign', 'Bearer wrong').context)).toThrow(UnauthorizedException);
    expect(() => guard.canActivate(contextOf('metrics', 'Bearer sup-token').context)).toThrow(ForbiddenException);
    expect(guard.canActivate(contextOf('metrics', 'Bearer scrape-token').context)).toBe(true);
    expect(guard.canActivate(contextOf('health').context)).toBe(true);
    expect(taken).toEqual(['token:sup', 'address:127.0.0.1', 'address:127.0.0.1', 'token:sup', 'metrics-token']);
  });

  it('authenticates again after the body: a token revoked while its request was counted at the edge is refused 401, not counted twice', () => {
    let revoked = false;
    const access = { authenticate: (token: string) => (token === 'sup-token' && !revoked ? supervisor : undefined) } as unknown as AccessControl;
    const taken: string[] = [];
    let edge = false;
    const limiter = { enabled: true, tryTake: (key: string) => void taken.push(edge ? `edge:${key}` : key) } as unknown as RateLimiter;
    const guard = new AuthGuard(new Reflector(), access, limiter, DEFAULT_HTTP_SETTINGS);
    const onRoute = (authorization: string) => {
      const made = contextOf('assign', authorization);
      Object.assign(made.request, { method: 'POST', routeOptions: { url: '/complaints/:id/assign' } });
      return made;
    };
    // The first request teaches the guard the route; the next is counted at the edge, before its body arrives.
    expect(guard.canActivate(onRoute('Bearer sup-token').context)).toBe(true);
    const slow = onRoute('Bearer sup-token');
    let passed = false;
    edge = true;
    guard.countAtTheEdge(slow.request as never, replyRecorder() as never, () => (passed = true));
    expect(passed).toBe(true);
    revoked = true; // revoked while the body was still arriving
    expect(() => guard.canActivate(slow.context)).toThrow(UnauthorizedException);
    expect(slow.request.principal).toBeUndefined();
    expect(taken).toEqual(['token:sup', 'edge:token:sup']);
  });

  it('authenticates a streamed upload again once it is read: a token revoked while its file arrived is refused 401 (found by an attacker on attachments)', () => {
    let revoked = false;
    const access = { authenticate: (token: string) => (token === 'sup-token' && !revoked ? supervisor : undefined) } as unknown as AccessControl;
    const guard = new AuthGuard(new Reflector(), access, { take: () => undefined } as unknown as RateLimiter, DEFAULT_HTTP_SETTINGS);
    const upload = contextOf('assign', 'Bearer sup-token');
    expect(guard.canActivate(upload.context)).toBe(true);
    expect(() => guard.requireStillAuthenticated(upload.request)).not.toThrow();
    revoked = true; // revoked while the multipart body, read by the handler, was still arriving
    expect(() => guard.requireStillAuthenticated(upload.request)).toThrow(UnauthorizedException);
  });

  it('tells the answer of a request it counts itself the limit, what remains and the reset, and refuses one over it 429 with them', () => {
    const access = { authenticate: (token: string) => (token === 'sup-token' ? supervisor : undefined) } as unknown as AccessControl;
    let now = 0;
    const guard = new AuthGuard(new Reflector(), access, new RateLimiter(1, () => now), DEFAULT_HTTP_SETTINGS);
    const answers = [1, 2, 3].map(() => contextOf('assign', 'Bearer sup-token'));
    expect(guard.canActivate(answers[0]!.context)).toBe(true);
    expect(guard.canActivate(answers[1]!.context)).toBe(true);
    let refusal: unknown;
    try {
      guard.canActivate(answers[2]!.context);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(RateLimitedError);
    expect((refusal as RateLimitedError).retryAfterSeconds).toBe(1);
    expect(answers.map(({ reply }) => reply.headers)).toEqual([
      { 'ratelimit-limit': '2', 'ratelimit-remaining': '1', 'ratelimit-reset': '1' },
      { 'ratelimit-limit': '2', 'ratelimit-remaining': '0', 'ratelimit-reset': '2' },
      { 'ratelimit-limit': '2', 'ratelimit-remaining': '0', 'ratelimit-reset': '2' },
    ]);
    now = 0.5; // half a request back: still none whole
    const later = contextOf('assign', 'Bearer sup-token');
    expect(() => guard.canActivate(later.context)).toThrow(RateLimitedError);
    expect(later.reply.headers['ratelimit-reset']).toBe('2');
  });

  it("reads a route's roles and marks once, not on every request to it", () => {
    const { guard, lookups } = setup();
    for (let request = 0; request < 10; request += 1) {
      expect(guard.canActivate(contextOf('assign', 'Bearer sup-token').context)).toBe(true);
      expect(guard.canActivate(contextOf('health').context)).toBe(true);
    }
    // Public, metrics scrape and roles: three marks for each of the two routes, each read once (40 reads before).
    expect(lookups.mock.calls.length).toBeLessThanOrEqual(6);
  });

  it('finds a token by the same hash as the grants stored before (SHA-256 of its UTF-8 bytes, hex)', () => {
    for (const token of ['cdt_abc', 'bench-supervisor-token-0123456789abcdef', 'tökén-ü', '']) {
      expect(hashToken(token)).toBe(createHash('sha256').update(token).digest('hex'));
    }
  });
});
