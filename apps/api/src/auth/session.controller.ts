import { Controller, Get, RequestMethod } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { OkResponse } from '../openapi/api-responses.decorator';
import { actorDeactivation, type Actor, type DepartmentScope, type Role } from '@app/domain';
import { ServiceNetworkRepository } from '@app/after-sales';
import { ALL_ROLES, CurrentActor, CurrentScope, PUBLIC_KEY, ROLES_KEY, Roles, SPANS_DEPARTMENTS_KEY } from './roles.decorator';
import { controllerRoutes } from './controller-routes';

export class SessionDeactivationDto {
  @ApiProperty({ enum: ['agent-deactivated', 'engineer-deactivated'], example: 'agent-deactivated', description: 'The code of the 403 every command of this token answers.' })
  code!: string;

  @ApiProperty({ example: 'Agent li.na was deactivated in the service network at 2026-03-02T05:00:00.000Z and may no longer act on complaints, work orders, surveys or customer files; nothing was written. To go on with a complaint: a supervisor reassigns it to an active agent (POST /complaints/{id}/assign), and another agent of the desk takes on a work order; the admin revokes the token (POST /access/tokens/{tokenId}/revoke).', description: 'The words of that 403 (its detail), to show the person.' })
  message!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-03-02T05:00:00.000Z', description: 'When the service network deactivated them (null when it did not record it).' })
  deactivatedAt!: string | null;
}

export class SessionDto {
  @ApiProperty({ example: 'li.na' })
  principalId!: string;

  @ApiProperty({ enum: ALL_ROLES, example: 'agent' })
  role!: Role;

  @ApiProperty({ type: [String], nullable: true, example: ['station-ops'], description: 'The departments the token is limited to; null for every department.' })
  departments!: string[] | null;

  @ApiProperty({ type: [String], example: ['GET /complaints', 'POST /complaints', 'POST /complaints/:id/apologise'], description: 'Every route this token may call, as "METHOD /path" (public routes left out).' })
  routes!: string[];

  @ApiProperty({
    type: () => SessionDeactivationDto, nullable: true,
    description: 'Set when the token stands for an agent or engineer the service network has deactivated: every command it sends is refused (403 with this code), reads still answer until an admin revokes the token; null otherwise. The routes are still those of the role.',
  })
  deactivation!: SessionDeactivationDto | null;
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
    private readonly network: ServiceNetworkRepository,
  ) {}

  @Get()
  @Roles(...ALL_ROLES)
  @ApiOperation({ summary: 'The principal of the bearer token: id, role, departments, the routes it may call, and whether the service network has deactivated it' })
  @OkResponse(SessionDto, { description: 'Who the token stands for, and what it may call.' })
  async session(@CurrentActor() actor: Actor, @CurrentScope() scope: DepartmentScope): Promise<SessionDto> {
    this.access ??= this.routeAccess();
    const routes = this.access
      .filter((entry) => entry.roles.includes(actor.role) && (scope === 'all' || !entry.spansDepartments))
      .map((entry) => entry.route);
    // Only an agent's or engineer's session reads the directory, and then only what was written since the last read.
    const deactivated = actor.role === 'agent' || actor.role === 'engineer' ? actorDeactivation(await this.network.current(), actor) : null;
    const deactivation = deactivated === null ? null : { code: deactivated.code, message: deactivated.message, deactivatedAt: deactivated.deactivatedAt };
    return { principalId: actor.id, role: actor.role as Role, departments: scope === 'all' ? null : [...scope], routes, deactivation };
  }

  private routeAccess(): RouteAccess[] {
    const found: RouteAccess[] = [];
    for (const { handler, controller, method, path } of controllerRoutes(this.discovery, this.scanner, this.reflector)) {
      if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, [handler, controller])) continue;
      const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [handler, controller]) ?? [];
      const spansDepartments = this.reflector.get<boolean | undefined>(SPANS_DEPARTMENTS_KEY, handler) === true;
      found.push({ route: `${RequestMethod[method]} ${path}`, roles, spansDepartments });
    }
    return found.sort((a, b) => a.route.localeCompare(b.route));
  }
}
