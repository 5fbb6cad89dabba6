import type { ServiceUnitKind } from '../after-sales-taxonomy';
import type { Label } from '../taxonomy';

export interface ServiceUnit {
  readonly code: string;
  readonly kind: ServiceUnitKind;
  readonly name: Label;
  readonly parent: string | null;
  readonly regions: readonly string[];
  readonly registeredAt: string;
}

export interface Engineer {
  readonly id: string;
  readonly name: string;
  readonly station: string;
  readonly skills: readonly string[];
  readonly active: boolean;
  readonly addedAt: string;
  readonly deactivatedAt: string | null;
}

export interface Agent {
  readonly id: string;
  readonly name: string;
  readonly units: readonly string[];
  readonly active: boolean;
  readonly addedAt: string;
  readonly deactivatedAt: string | null;
}

/**
 * The directory as its history says. Maps, not objects: codes come from people, and a code such as
 * `constructor` must not find something on Object.prototype.
 */
export interface ServiceNetworkState {
  readonly units: ReadonlyMap<string, ServiceUnit>;
  readonly engineers: ReadonlyMap<string, Engineer>;
  readonly agents: ReadonlyMap<string, Agent>;
}

export const initialServiceNetworkState: ServiceNetworkState = { units: new Map(), engineers: new Map(), agents: new Map() };

/** Where a work order may be dispatched: branches and stations (服务网点), not the centre, which coordinates. */
export const isServicePoint = (unit: ServiceUnit): boolean => unit.kind === 'branch' || unit.kind === 'station';

/**
 * The service points that serve a region, stations before branches (seed 002: 派工到所属区域服务网点),
 * each in registration order: the dispatcher's first suggestions.
 */
export function servicePointsFor(state: ServiceNetworkState, region: string): ServiceUnit[] {
  const serving = [...state.units.values()].filter((unit) => isServicePoint(unit) && unit.regions.includes(region));
  return [...serving.filter((unit) => unit.kind === 'station'), ...serving.filter((unit) => unit.kind === 'branch')];
}

/** The active engineers of a unit, in the order they were added. */
export function activeEngineersOf(state: ServiceNetworkState, station: string): Engineer[] {
  return [...state.engineers.values()].filter((engineer) => engineer.station === station && engineer.active);
}
