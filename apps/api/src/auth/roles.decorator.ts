import { SetMetadata, applyDecorators, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ROLES, type Actor, type DepartmentScope, type Role } from '@app/domain';
import { DefaultProblemResponses, ProblemResponses } from '../openapi/api-responses.decorator';
import { BEARER_SCHEME } from '../openapi/openapi-document';
import type { ProblemCode } from '../http/problem';
import type { Principal } from '../access/access-control.service';

export const ROLES_KEY = 'complaint-desk:roles';
export const PUBLIC_KEY = 'complaint-desk:public';

/**
 * The roles allowed on a route; every route without @Public() needs a token. It also documents the
 * route as needing a bearer token, with the 401, 403 and 429 the guard answers.
 */
export const Roles = (...roles: Role[]) => applyDecorators(
  SetMetadata(ROLES_KEY, roles),
  ApiBearerAuth(BEARER_SCHEME),
  // Open to every role: the guard never answers 403 (a route that does for other reasons says so itself).
  DefaultProblemResponses(401, ...(ROLES.every((role) => roles.includes(role)) ? [] : [{ status: 403, description: `The token's role may not call this route (allowed: ${roles.join(', ')}).`, codes: ['forbidden'] } as const]), 429),
);
/**
 * The roles of a command that principals of the service network may send (engineers, agents): it
 * also answers 403 `engineer-deactivated` / `agent-deactivated` to one of those roles whom the service
 * network has deactivated, their token still valid (libs/domain, acting-principal.ts); `whose` says
 * whose token that is and what to do.
 */
export const ActingRoles = (roles: Role[], whose: string, more: { readonly codes: ProblemCode[]; readonly description: string } = { codes: [], description: '' }) => applyDecorators(Roles(...roles), ProblemResponses({
  status: 403, codes: ['forbidden', ...(roles.includes('engineer') ? ['engineer-deactivated' as const] : []), ...(roles.includes('agent') ? ['agent-deactivated' as const] : []), ...more.codes],
  description: `The token's role may not call this route (allowed: ${roles.join(', ')}), or the token is ${whose}${more.description}. Nothing was written.`,
}));
/** ActingRoles for the routes an agent may call: the token of an agent the service network has deactivated gets 403 `agent-deactivated`. */
export const AgentActingRoles = (roles: Role[], remedy = 'another agent of the desk records it; the admin revokes the token') => ActingRoles(roles,
  `an agent's whom the service network has deactivated (${remedy})`);
/** No token needed (the document says `security: []`). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
export const METRICS_SCRAPE_KEY = 'complaint-desk:metrics-scrape';
/** The route also opens to METRICS_TOKEN (when set): Prometheus scrapes without any role. */
export const MetricsScrape = () => SetMetadata(METRICS_SCRAPE_KEY, true);

export const ALL_ROLES: Role[] = [...ROLES];

/** The authenticated principal of the request (set by AuthGuard). */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const request = context.switchToHttp().getRequest<{ principal?: { actor: Actor } }>();
  if (!request.principal) throw new Error('CurrentActor used on a route without authentication');
  return request.principal.actor;
});

/** The whole authenticated principal of the request, its tokenKey included (set by AuthGuard). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const request = context.switchToHttp().getRequest<{ principal?: Principal }>();
  if (!request.principal) throw new Error('CurrentPrincipal used on a route without authentication');
  return request.principal;
});

/** The department scope of the request's principal ('all' or departments; set by AuthGuard). */
export const CurrentScope = createParamDecorator((_data: unknown, context: ExecutionContext): DepartmentScope => {
  const request = context.switchToHttp().getRequest<{ principal?: { scope: DepartmentScope } }>();
  if (!request.principal) throw new Error('CurrentScope used on a route without authentication');
  return request.principal.scope;
});

export const SPANS_DEPARTMENTS_KEY = 'complaint-desk:spans-departments';
/**
 * The route answers for every department at once, so a principal limited to departments gets 403
 * (the handler checks it); GET /session leaves such routes out of that principal's list.
 */
export const SpansDepartments = () => SetMetadata(SPANS_DEPARTMENTS_KEY, true);
