import type { ServiceUnitKind } from '../after-sales-taxonomy';
import type { Actor } from '../principal';
import type { Label } from '../taxonomy';

/**
 * The service network is reference data with one stream: every change names its reason (it goes
 * into the event and its metadata), and the time and the actor come in with the command.
 */
interface CommandBase<Type extends string, Data> {
  readonly type: Type;
  readonly at: string;
  readonly actor: Actor;
  readonly data: Data & { readonly reason: string };
}

export type RegisterServiceUnit = CommandBase<'RegisterServiceUnit', {
  /** A plain code (it may become a department scope of tokens), e.g. dandong-station. */
  readonly code: string;
  readonly kind: ServiceUnitKind;
  readonly name: Label;
  /** The unit it reports to: none for the centre, the centre for a branch, the centre or a branch for a station. */
  readonly parent?: string;
  /** Codes of the regions it serves (administrative division codes such as 210600, or names such as dandong). */
  readonly regions: readonly string[];
}>;
export type RenameServiceUnit = CommandBase<'RenameServiceUnit', { readonly code: string; readonly name: Label }>;
export type ChangeServiceUnitRegions = CommandBase<'ChangeServiceUnitRegions', { readonly code: string; readonly regions: readonly string[] }>;
export type AddEngineer = CommandBase<'AddEngineer', {
  readonly engineerId: string;
  readonly name: string;
  /** The unit the engineer works from: usually a station; the centre's technical support diagnoses remotely. */
  readonly station: string;
  readonly skills: readonly string[];
}>;
export type DeactivateEngineer = CommandBase<'DeactivateEngineer', { readonly engineerId: string }>;

/** A complaint-desk agent (or supervisor) and the units whose complaints they handle: the directory `assign` is checked against. */
export type AddAgent = CommandBase<'AddAgent', {
  readonly agentId: string;
  readonly name: string;
  /** Codes of the units (departments, stations, branches, the centre) the agent works for: at least one. */
  readonly units: readonly string[];
}>;
export type DeactivateAgent = CommandBase<'DeactivateAgent', { readonly agentId: string }>;

export type ServiceNetworkCommand = RegisterServiceUnit | RenameServiceUnit | ChangeServiceUnitRegions | AddEngineer | DeactivateEngineer | AddAgent | DeactivateAgent;
export type ServiceNetworkCommandType = ServiceNetworkCommand['type'];
