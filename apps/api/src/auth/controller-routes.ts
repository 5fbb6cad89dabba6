import { RequestMethod, type ExecutionContext } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import type { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';

/** One route of a controller: its handler and class (for their decorators), its method and its path as Nest gives it to fastify. */
export interface ControllerRoute {
  readonly handler: ReturnType<ExecutionContext['getHandler']>;
  readonly controller: ReturnType<ExecutionContext['getClass']>;
  readonly method: RequestMethod;
  /** `/complaints/:id/assign`: the controller's path and the handler's, joined. */
  readonly path: string;
}

/**
 * Every route of the app's controllers, one per path of a handler (and per path of its controller): what GET /session
 * lists to a token and what the AuthGuard learns at start to count requests at the edge, read from the same metadata.
 */
export function* controllerRoutes(discovery: DiscoveryService, scanner: MetadataScanner, reflector: Reflector): Generator<ControllerRoute> {
  for (const { instance, metatype } of discovery.getControllers()) {
    if (!instance || !metatype) continue;
    const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
    const bases = [reflector.get<string | string[] | undefined>(PATH_METADATA, metatype) ?? ''].flat();
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name] as ControllerRoute['handler'];
      const paths = reflector.get<string | string[] | undefined>(PATH_METADATA, handler);
      const method = reflector.get<RequestMethod | undefined>(METHOD_METADATA, handler);
      if (paths === undefined || method === undefined) continue;
      for (const base of bases) {
        for (const path of [paths].flat()) {
          yield { handler, controller: metatype as ControllerRoute['controller'], method, path: `/${[base, path].map((part) => part.replace(/^\/+|\/+$/g, '')).filter((part) => part !== '').join('/')}` };
        }
      }
    }
  }
}
