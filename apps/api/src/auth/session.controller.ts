import { Controller, Get, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { OkResponse } from '../openapi/api-responses.decorator';
import type { Actor, DepartmentScope, Role } from '@app/domain';
import { ALL_ROLES, CurrentActor, CurrentScope, PUBLIC_KEY, ROLES_KEY, Roles, SPANS_DEPARTMENTS_KEY } from './roles.decorator';

export class SessionDto {
  @ApiProperty({ example: 'li.na' })
  principalId!: string;

  @ApiProperty({ enum: ALL_ROLES, example: 'agent' })
  role!: Role;

  @ApiProperty({ type: [String], nullable: true, example: ['station-ops'], description: 'The departments the token is limited to; null for every department.' })
  departments!: string[] | null;

  @ApiProperty({ type: [String], example: ['GET /complaints', 'POST /complaints', 'POST /complaints/:id/apologise'], description: 'Every route this token may call, as "METHOD /path" (public routes left out).' })
  routes!: string[];
}

interface RouteAccess {
  readonly route: string;
  readonly roles: readonly string[];
  readonly spansDepartments: boolean;
}

/**
 * Who the bearer token stands for and what it may call, read from the same @Roles metadata the
 * AuthGuard enforces, so a front-end shows only what the server would allow and never keeps a copy
 * of the role matrix.
 */
@ApiTags('access')
@Controller('session')
export class SessionController {
  private access: readonly RouteAccess[] | undefined;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  @Get()
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'The principal of the bearer token: id, role, departments, and the routes it may call' })
  @OkResponse(SessionDto, { description: 'Who the token stands for, and what it may call.' })
  session(@CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope): SessionDto {
    this.access ??= this.routeAccess();
    const routes = this.access
      .filter((entry) => entry.roles.includes(actor.role) && (scope === 'all' || !entry.spansDepartments))
      .map((entry) => entry.route);
    return { principalId: actor.id, role: actor.role as Role, departments: scope === 'all' ? null : [...scope], routes };
  }

  private routeAccess(): RouteAccess[] {
    const found: RouteAccess[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const { instance, metatype } = wrapper;
      if (!instance || !metatype) continue;
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      const base = this.reflector.get<string | undefined>(PATH_METADATA, metatype) ?? '';
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name] as (...args: unknown[]) => unknown;
        const path = this.reflector.get<string | string[] | undefined>(PATH_METADATA, handler);
        const method = this.reflector.get<RequestMethod | undefined>(METHOD_METADATA, handler);
        if (path === undefined || method === undefined) continue;
        if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, [handler, metatype])) continue;
        const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [handler, metatype]) ?? [];
        const spansDepartments = this.reflector.get<boolean | undefined>(SPANS_DEPARTMENTS_KEY, handler) === true;
        for (const each of [path].flat()) {
          const full = `/${[base, each].map((part) => part.replace(/^\/+|\/+$/g, '')).filter((part) => part !== '').join('/')}`;
          found.push({ route: `${RequestMethod[method]} ${full}`, roles, spansDepartments });
        }
      }
    }
    return found.sort((a, b) => a.route.localeCompare(b.route));
  }
}
