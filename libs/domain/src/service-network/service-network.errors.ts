import { DomainError } from '../domain-error';
import { asciiShown } from '../visible-text';
import type { ServiceNetworkCommandType } from './service-network.commands';

/** The closed set of refusals of the service network's decider. */
export abstract class ServiceNetworkDomainError extends DomainError {}

export class ServiceUnitNotFoundError extends ServiceNetworkDomainError {
  readonly code = 'service-unit-not-found';
  readonly kind = 'not-found' as const;
  constructor(readonly unitCode: string) {
    super(`No service unit with code ${unitCode}.`);
  }
}

export class EngineerNotFoundError extends ServiceNetworkDomainError {
  readonly code = 'engineer-not-found';
  readonly kind = 'not-found' as const;
  constructor(readonly engineerId: string) {
    super(`No engineer with id ${asciiShown(engineerId)}.`);
  }
}

export class AgentNotFoundError extends ServiceNetworkDomainError {
  readonly code = 'agent-not-found';
  readonly kind = 'not-found' as const;
  constructor(readonly agentId: string) {
    super(`No agent with id ${asciiShown(agentId)}.`);
  }
}

export const SERVICE_NETWORK_CONFLICT_CODES = [
  'unit-already-registered', 'centre-already-registered', 'engineer-already-added', 'engineer-inactive', 'agent-already-added', 'agent-inactive', 'no-change',
  // Collisions: one id for an agent and an engineer; one name for two units.
  'person-id-taken', 'unit-name-taken',
] as const;
export type ServiceNetworkConflict = (typeof SERVICE_NETWORK_CONFLICT_CODES)[number];

/** The change does not fit the directory as it stands (nothing is written). */
export class ServiceNetworkConflictError extends ServiceNetworkDomainError {
  readonly kind = 'conflict' as const;
  constructor(
    readonly code: ServiceNetworkConflict,
    readonly command: ServiceNetworkCommandType,
    message: string,
  ) {
    super(message);
  }
}

export const INVALID_SERVICE_NETWORK_COMMAND_CODES = [
  'reason-required', 'invalid-code', 'name-required', 'invalid-region', 'regions-required', 'parent-not-allowed', 'parent-required', 'unknown-parent', 'invalid-parent', 'unknown-station', 'invalid-skill',
  'unknown-unit', 'units-required', 'station-is-a-department',
  // The statistics' word for "not yet assigned" (UNASSIGNED_ROW in department.ts).
  'reserved-code',
] as const;
export type InvalidServiceNetworkCommand = (typeof INVALID_SERVICE_NETWORK_COMMAND_CODES)[number];

/** The command itself breaks a rule of the directory (a value, or a reference to a unit that does not exist). */
export class InvalidServiceNetworkCommandError extends ServiceNetworkDomainError {
  readonly kind = 'invalid' as const;
  constructor(
    readonly code: InvalidServiceNetworkCommand,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
