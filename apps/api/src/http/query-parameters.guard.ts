import { Injectable, SetMetadata, applyDecorators, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { RequestValidationError } from './request-errors';

const IGNORES_QUERY_KEY = 'ignoresQuery';
/** Marks an operation of the OpenAPI document that ignores its query (finishDocument lists no 400 for one, and removes the mark). */
export const IGNORES_QUERY_EXTENSION = 'x-ignores-query';

/**
 * A route that answers the same whatever query it is given: the health routes, which load balancers and probes
 * call with cache-busting parameters (`/health?_=1733390000000`); refused, they took the instance for down.
 */
export const IgnoresQuery = () => applyDecorators(SetMetadata(IGNORES_QUERY_KEY, true), ApiExtension(IGNORES_QUERY_EXTENSION, true));

/**
 * A route that declares no query DTO takes no query parameter: `GET /webhooks?cursor=x` is refused
 * like an unknown parameter of a list, not answered as if it were not there (a caller who meant a
 * filter or a page would take the whole list for its answer). Routes with a query DTO are left to
 * the validation pipe, which names their parameters; a route marked IgnoresQuery takes any. Runs after the AuthGuard (401/403 first);
 * synchronous, and whether a handler takes a query is worked out once per handler.
 */
@Injectable()
export class QueryParametersGuard implements CanActivate {
  private readonly takesQuery = new WeakMap<object, boolean>();

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const handler = context.getHandler();
    let takes = this.takesQuery.get(handler);
    if (takes === undefined) {
      const args = Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), handler.name) as Record<string, unknown> | undefined;
      takes = Object.keys(args ?? {}).some((key) => key.startsWith(`${RouteParamtypes.QUERY}:`)) || Reflect.getMetadata(IGNORES_QUERY_KEY, handler) === true;
      this.takesQuery.set(handler, takes);
    }
    if (takes) return true;
    const query = context.switchToHttp().getRequest<{ query?: unknown }>().query;
    const keys = query !== null && typeof query === 'object' ? Object.keys(query) : [];
    if (keys.length === 0) return true;
    throw new RequestValidationError(keys.map((field) => ({ field, message: `property ${field} should not exist; this route takes no query parameters (leave out ?${field}=…)` })));
  }
}
