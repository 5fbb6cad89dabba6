import { assertNever } from '../assert-never';
import { MEANINGFUL_TEXT_RULE, isMeaningfulText } from '../visible-text';
import { DEPARTMENT_CODE_RULE, isDepartmentCode, isReservedCode, reservedCodeMessage } from '../department';
import type { Label } from '../taxonomy';
import type { RegisterServiceUnit, ServiceNetworkCommand } from './service-network.commands';
import {
  AgentNotFoundError, EngineerNotFoundError, InvalidServiceNetworkCommandError, ServiceNetworkConflictError, ServiceUnitNotFoundError,
} from './service-network.errors';
import { didYouMean, normaliseDirectoryName, personById, unitByCode } from './directory';
import type { ServiceNetworkEvent } from './service-network.events';
import type { ServiceNetworkState, ServiceUnit } from './service-network.state';

/**
 * decide(command, directory) → events. Unit codes follow the department-code rule because a station
 * may become the department scope of a token; regions, engineer ids and skills follow it too, so that
 * every key of the directory is a plain code.
 */
export function decideServiceNetwork(command: ServiceNetworkCommand, state: ServiceNetworkState): ServiceNetworkEvent[] {
  const base = { by: command.actor, reason: command.data.reason };
  switch (command.type) {
    case 'RegisterServiceUnit': {
      const { code, kind, name } = command.data;
      plainCode(code, 'code', 'invalid-code', 'A unit code');
      notReserved(code, 'code');
      if (state.units.has(code)) throw new ServiceNetworkConflictError('unit-already-registered', command.type, `Service unit ${code} is already registered; rename it or change its regions instead.`);
      requireReason(command.data.reason);
      requireName(name);
      const parent = parentOf(command, state);
      const regions = regionsOf(command.data.regions, kind === 'station');
      requireUniqueName(state, code, name, command.type);
      return [{ type: 'ServiceUnitRegistered', data: { code, kind, name, parent, regions, registeredAt: command.at, ...base } }];
    }

    case 'RenameServiceUnit': {
      const unit = unitOf(state, command.data.code);
      requireReason(command.data.reason);
      requireName(command.data.name);
      if (sameName(unit.name, command.data.name)) {
        throw new ServiceNetworkConflictError('no-change', command.type, `Service unit ${unit.code} already has this name.`);
      }
      requireUniqueName(state, unit.code, command.data.name, command.type);
      return [{ type: 'ServiceUnitRenamed', data: { code: unit.code, name: command.data.name, previousName: unit.name, renamedAt: command.at, ...base } }];
    }

    case 'ChangeServiceUnitRegions': {
      const unit = unitOf(state, command.data.code);
      requireReason(command.data.reason);
      const regions = regionsOf(command.data.regions, unit.kind === 'station');
      if (regions.length === unit.regions.length && regions.every((region) => unit.regions.includes(region))) {
        throw new ServiceNetworkConflictError('no-change', command.type, `Service unit ${unit.code} already serves exactly these regions.`);
      }
      return [{ type: 'ServiceUnitRegionsChanged', data: { code: unit.code, regions, previousRegions: unit.regions, changedAt: command.at, ...base } }];
    }

    case 'AddEngineer': {
      const { engineerId, name, station } = command.data;
      plainCode(engineerId, 'engineerId', 'invalid-code', 'An engineer id');
      notReserved(engineerId, 'engineerId');
      // Ids are never reused, not even an inactive engineer's: the history of each id is one person's.
      const engineer = state.engineers.get(engineerId);
      if (engineer) throw new ServiceNetworkConflictError('engineer-already-added', command.type, alreadyAdded('Engineer', engineer));
      // An assignment names its handler by id alone: an id held by an agent and an engineer would be two people.
      if (state.agents.has(engineerId)) throw personIdTaken(command.type, engineerId, 'agent', 'engineer');
      requireDistinctId(state, engineerId, 'engineer', command.type);
      requireReason(command.data.reason);
      if (!isMeaningfulText(name)) throw new InvalidServiceNetworkCommandError('name-required', 'name', 'An engineer needs a name.');
      // Read as dispatch reads a station code (DANDONG-STATION is dandong-station); the event records the directory's code.
      const unit = unitByCode(state.units, station);
      // Orders are dispatched to stations (and a branch or the centre doing repairs); a department (业务部门) is a desk, not a workshop.
      const workshops = () => [...state.units.values()].filter((each) => each.kind !== 'department').map((each) => each.code);
      if (!unit) {
        throw new InvalidServiceNetworkCommandError('unknown-station', 'station', `No service unit with code ${station}${didYouMean(station, workshops())}; register it first, or GET /service-network lists the units.`);
      }
      if (unit.kind === 'department') {
        throw new InvalidServiceNetworkCommandError('station-is-a-department', 'station',
          `${unit.code} is a department, and engineers work at a service station, a branch or the centre${workshops().length > 0 ? ` (${workshops().join(', ')})` : ''}: name one of those; people of a department are added as agents (POST /service-network/agents).`);
      }
      const skills = distinct(command.data.skills);
      skills.forEach((skill, index) => plainCode(skill, `skills[${index}]`, 'invalid-skill', 'A skill'));
      return [{ type: 'EngineerAdded', data: { engineerId, name, station: unit.code, skills, addedAt: command.at, ...base } }];
    }

    case 'DeactivateEngineer': {
      const engineer = personById(state.engineers, command.data.engineerId);
      if (!engineer) throw new EngineerNotFoundError(command.data.engineerId);
      if (!engineer.active) throw new ServiceNetworkConflictError('engineer-inactive', command.type, `Engineer ${engineer.id} was already deactivated at ${engineer.deactivatedAt}.`);
      requireReason(command.data.reason);
      return [{ type: 'EngineerDeactivated', data: { engineerId: engineer.id, station: engineer.station, deactivatedAt: command.at, ...base } }];
    }

    case 'AddAgent': {
      const { agentId, name } = command.data;
      plainCode(agentId, 'agentId', 'invalid-code', 'An agent id');
      notReserved(agentId, 'agentId');
      // As for engineers: an id is one person's for good, so the trail of each id is one person's.
      const agent = state.agents.get(agentId);
      if (agent) throw new ServiceNetworkConflictError('agent-already-added', command.type, alreadyAdded('Agent', agent));
      if (state.engineers.has(agentId)) throw personIdTaken(command.type, agentId, 'engineer', 'agent');
      requireDistinctId(state, agentId, 'agent', command.type);
      requireReason(command.data.reason);
      if (!isMeaningfulText(name)) throw new InvalidServiceNetworkCommandError('name-required', 'name', 'An agent needs a name.');
      const units = distinct(command.data.units);
      if (units.length === 0) throw new InvalidServiceNetworkCommandError('units-required', 'units', 'An agent works for at least one unit: name its code (GET /service-network lists them).');
      units.forEach((unit, index) => {
        if (!state.units.has(unit)) throw new InvalidServiceNetworkCommandError('unknown-unit', `units[${index}]`, `No unit with code ${unit} in the directory; register it first.`);
      });
      return [{ type: 'AgentAdded', data: { agentId, name: name.trim(), units, addedAt: command.at, ...base } }];
    }

    case 'DeactivateAgent': {
      const agent = personById(state.agents, command.data.agentId);
      if (!agent) throw new AgentNotFoundError(command.data.agentId);
      if (!agent.active) throw new ServiceNetworkConflictError('agent-inactive', command.type, `Agent ${agent.id} was already deactivated at ${agent.deactivatedAt}.`);
      requireReason(command.data.reason);
      return [{ type: 'AgentDeactivated', data: { agentId: agent.id, deactivatedAt: command.at, ...base } }];
    }

    default:
      return assertNever(command);
  }
}

function unitOf(state: ServiceNetworkState, code: string): ServiceUnit {
  const unit = state.units.get(code);
  if (!unit) throw new ServiceUnitNotFoundError(code);
  return unit;
}

/** Seed 002's structure: one centre; branches report to it; stations to it or to a branch. */
function parentOf(command: RegisterServiceUnit, state: ServiceNetworkState): string | null {
  const { kind, parent } = command.data;
  if (kind === 'centre') {
    if (parent !== undefined) throw new InvalidServiceNetworkCommandError('parent-not-allowed', 'parent', 'The customer service centre reports to no other unit.');
    const centre = [...state.units.values()].find((unit) => unit.kind === 'centre');
    if (centre) throw new ServiceNetworkConflictError('centre-already-registered', command.type, `The network already has its centre, ${centre.code}; there is one centre.`);
    return null;
  }
  if (parent === undefined) throw new InvalidServiceNetworkCommandError('parent-required', 'parent', `A ${kind} reports to a unit: name its parent.`);
  const parentUnit = state.units.get(parent);
  if (!parentUnit) throw new InvalidServiceNetworkCommandError('unknown-parent', 'parent', `No service unit with code ${parent}; register it first.`);
  // A department (业务部门: quality, metering, the hotline …) belongs to the centre or a branch, as a station does.
  const allowed = kind === 'branch' ? ['centre'] : ['centre', 'branch'];
  if (!allowed.includes(parentUnit.kind)) {
    throw new InvalidServiceNetworkCommandError('invalid-parent', 'parent', `A ${kind} reports to ${kind === 'branch' ? 'the centre' : 'the centre or a branch'}, not to a ${parentUnit.kind} (${parent}).`);
  }
  return parent;
}

/** Regions as plain codes, each once, in the order given; a station serves at least one. */
function regionsOf(regions: readonly string[], required: boolean): string[] {
  const unique = distinct(regions);
  unique.forEach((region, index) => plainCode(region, `regions[${index}]`, 'invalid-region', 'A region'));
  if (required && unique.length === 0) throw new InvalidServiceNetworkCommandError('regions-required', 'regions', 'A service station serves at least one region: dispatch goes by region.');
  return unique;
}

function plainCode(value: string, field: string, code: 'invalid-code' | 'invalid-region' | 'invalid-skill', what: string): void {
  if (!isDepartmentCode(value)) throw new InvalidServiceNetworkCommandError(code, field, `${what} must be ${DEPARTMENT_CODE_RULE}; got ${JSON.stringify(value)}.`);
}

/** The statistics' word for "not yet assigned / dispatched" (UNASSIGNED_ROW) is no unit's code and no person's id: their figures would merge with that row. */
function notReserved(value: string, field: string): void {
  if (isReservedCode(value)) throw new InvalidServiceNetworkCommandError('reserved-code', field, reservedCodeMessage(field, value, field === 'code' ? undefined : 'give the person another id, e.g. their staff number'));
}

function requireReason(reason: string): void {
  if (!isMeaningfulText(reason)) throw new InvalidServiceNetworkCommandError('reason-required', 'reason', `Every change to the service network states its reason: reason ${MEANINGFUL_TEXT_RULE}.`);
}

function requireName(name: Label): void {
  if (!isMeaningfulText(name['zh-CN']) || !isMeaningfulText(name.en)) {
    throw new InvalidServiceNetworkCommandError('name-required', 'name', 'A service unit has a name in Chinese (zh-CN) and in English (en).');
  }
}

/** The id is a person's already; a deactivated one's too, for good: the history of an id is one person's. */
function alreadyAdded(what: 'Agent' | 'Engineer', person: { readonly id: string; readonly active: boolean; readonly deactivatedAt: string | null }): string {
  if (person.active) return `${what} ${person.id} is already in the directory (GET /service-network lists the people).`;
  return `${what} ${person.id} was deactivated${person.deactivatedAt === null ? '' : ` at ${person.deactivatedAt}`}, and an id is never reused (its history stays one person's): `
    + `add them under a new id, e.g. ${person.id}-2.`;
}

function personIdTaken(command: ServiceNetworkCommand['type'], id: string, holder: 'agent' | 'engineer', wanted: 'agent' | 'engineer'): ServiceNetworkConflictError {
  return new ServiceNetworkConflictError('person-id-taken', command,
    `The id ${id} belongs to ${holder} ${id} (ids are never reused, also after a deactivation): give the ${wanted} another id, e.g. ${id}-${wanted === 'engineer' ? 'eng' : 'agent'}.`);
}

/**
 * A unit's names (in Chinese and in English) are no other unit's name in either language, nor its
 * code, case and width aside: an escalation may name a unit, and a name must lead to one unit.
 */
function requireUniqueName(state: ServiceNetworkState, code: string, name: Label, command: ServiceNetworkCommand['type']): void {
  // The unit's own code too: a code another unit is called by would make an escalation by that name ambiguous.
  const wanted = new Set([code, name['zh-CN'], name.en].map(normaliseName));
  for (const unit of state.units.values()) {
    if (unit.code === code) continue;
    const taken = [unit.code, unit.name['zh-CN'], unit.name.en].find((each) => wanted.has(normaliseName(each)));
    if (taken !== undefined) {
      throw new ServiceNetworkConflictError('unit-name-taken', command,
        `${JSON.stringify(taken.trim())} already names unit ${unit.code} (${unit.name['zh-CN']} / ${unit.name.en}): give this unit another name, e.g. with its town or district, so that an escalation by name finds one unit.`);
    }
  }
  // Nor a person's id: an escalation names a unit or an agent, and one word must lead to one of them.
  for (const [kind, ids] of [['agent', state.agents.keys()], ['engineer', state.engineers.keys()]] as const) {
    const person = [...ids].find((id) => wanted.has(normaliseName(id)));
    if (person !== undefined) {
      throw new ServiceNetworkConflictError('unit-name-taken', command,
        `${person} is the id of ${kind} ${person}: give this unit a code and names no person's id reads as, so that an escalation finds one unit or one person.`);
    }
  }
}

/**
 * A new person's id is nobody's and no unit's, case and width aside: an escalation finds its target
 * that way, and two ids that read the same would make it ambiguous (an exact id could no longer be named).
 */
function requireDistinctId(state: ServiceNetworkState, id: string, wanted: 'agent' | 'engineer', command: ServiceNetworkCommand['type']): void {
  const key = normaliseName(id);
  const agent = [...state.agents.keys()].find((each) => normaliseName(each) === key);
  if (agent !== undefined) throw personIdTaken(command, agent, 'agent', wanted);
  const engineer = [...state.engineers.keys()].find((each) => normaliseName(each) === key);
  if (engineer !== undefined) throw personIdTaken(command, engineer, 'engineer', wanted);
  const unit = [...state.units.values()].find((each) => [each.code, each.name['zh-CN'], each.name.en].some((label) => normaliseName(label) === key));
  if (unit !== undefined) {
    throw new ServiceNetworkConflictError('person-id-taken', command,
      `${id} reads as unit ${unit.code} (${unit.name['zh-CN']} / ${unit.name.en}), and an escalation could not tell the ${wanted} from the unit: give the ${wanted} another id, e.g. ${id}-${wanted === 'engineer' ? 'eng' : 'agent'}.`);
  }
}

const normaliseName = normaliseDirectoryName;
const sameName = (a: Label, b: Label): boolean => a['zh-CN'] === b['zh-CN'] && a.en === b.en;
const distinct = (values: readonly string[]): string[] => [...new Set(values)];
