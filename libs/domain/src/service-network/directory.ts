import { isReservedCode, RESERVED_ADVICE, reservedCodeMessage } from '../department';
import { principalKey } from '../principal';
import type { Agent, ServiceNetworkState, ServiceUnit } from './service-network.state';

/**
 * The directory as `assign`, escalation and token scopes see it: the units of the service network
 * (centre, branches, stations, departments) and the people in it (agents and engineers). A
 * directory with no unit yet checks nothing: a new installation works before anyone has set it up.
 */
export type DirectoryVerdict =
  | { readonly ok: true; readonly unit?: ServiceUnit; readonly agentId?: string; readonly assignee?: string }
  | { readonly ok: false; readonly code: 'unknown-department' | 'unknown-assignee' | 'assignee-not-in-department' | 'reserved-code' | 'unknown-escalation-target' | 'ambiguous-escalation-target' | 'agent-inactive'; readonly field: string; readonly message: string };

/**
 * The person of the directory a principal id names, as ids are told apart (principalKey: case and
 * width aside; a second person with such an id is refused, so there is at most one). The exact id first.
 */
export function personById<P>(people: ReadonlyMap<string, P>, id: string): P | undefined {
  const exact = people.get(id);
  if (exact !== undefined) return exact;
  const key = principalKey(id);
  for (const [each, person] of people) if (principalKey(each) === key) return person;
  return undefined;
}

/**
 * The unit a code names, as a dispatch reads it: the exact code first, else the one unit whose code is
 * the same as principalKey tells ids apart (DANDONG-STATION is dandong-station; codes differing only
 * so are refused at registration, so there is at most one); the event records the directory's spelling.
 */
export function unitByCode(units: ReadonlyMap<string, ServiceUnit>, code: string): ServiceUnit | undefined {
  return personById(units, code);
}

export const isDirectoryInUse = (state: ServiceNetworkState): boolean => state.units.size > 0;

/**
 * A department for `assign` or a token scope: a unit's code, read as a dispatch reads a station's (unitByCode: `DEPT-A`
 * is dept-a), so that the scope check, the assignment and the dispatch agree; the verdict's unit has the spelling to record.
 */
export function checkDepartment(state: ServiceNetworkState, department: string, field = 'department'): DirectoryVerdict {
  if (!isDirectoryInUse(state)) return { ok: true };
  // No unit has that code (the network refuses it): the answer says why, as the decider's own refusal does while the directory is empty.
  if (isReservedCode(department)) return { ok: false, code: 'reserved-code', field, message: reservedCodeMessage(field, department, RESERVED_ADVICE.department) };
  const unit = unitByCode(state.units, department);
  if (unit) return { ok: true, unit };
  return {
    ok: false, code: 'unknown-department', field,
    message: `No department or unit with code ${JSON.stringify(department)} in the directory${didYouMean(department, [...state.units.keys()])}. GET /service-network lists the units; an admin registers a new one with POST /service-network/units.`,
  };
}


/**
 * The handler of an assignment: an active agent of that unit, or an active engineer of it, named by
 * their id as the directory tells ids apart (`Li.Na` is agent li.na); the verdict's `assignee` is the
 * directory's own spelling, the one recorded.
 */
export function checkAssignee(state: ServiceNetworkState, department: string, assignee: string): DirectoryVerdict {
  if (!isDirectoryInUse(state)) return { ok: true };
  if (isReservedCode(assignee)) return { ok: false, code: 'reserved-code', field: 'assignee', message: reservedCodeMessage('assignee', assignee, RESERVED_ADVICE.assignee) };
  const agent = personById(state.agents, assignee);
  const engineer = personById(state.engineers, assignee);
  const person = agent?.active ? { id: agent.id, units: agent.units } : engineer?.active ? { id: engineer.id, units: [engineer.station] } : undefined;
  if (!person) {
    const active = [...[...state.agents.values()].filter((each) => each.active).map((each) => each.id), ...[...state.engineers.values()].filter((each) => each.active).map((each) => each.id)];
    const inactive = agent || engineer ? ' (deactivated)' : '';
    return {
      ok: false, code: 'unknown-assignee', field: 'assignee',
      message: `No active agent or engineer with id ${JSON.stringify(assignee)}${inactive} in the directory${didYouMean(assignee, active)}. An admin adds agents with POST /service-network/agents.`,
    };
  }
  if (!person.units.includes(department)) {
    return {
      ok: false, code: 'assignee-not-in-department', field: 'assignee',
      message: `${assignee} works for ${person.units.join(', ')}, not for ${department}: assign the complaint to one of those units, or to someone of ${department}.`,
    };
  }
  return { ok: true, assignee: person.id };
}

/**
 * An escalation target: a unit named by its code or by its name in Chinese or English (上级：丹东服务站),
 * or an active agent by id or name. A unit's exact code is that unit, and an agent's id that agent (over
 * any name, so that escalating by id always works); a name that several units or
 * agents answer to is refused with each candidate (names recorded before they had to be unique, an
 * agent named as a unit, or two agents of one name: agents' names need not be unique, so the way out
 * there is the agent's id), never one of them picked. A name only a deactivated agent answers to is
 * refused as that (agent-inactive, as the network refuses deactivating them twice), not as unknown: the
 * agent exists, and the answer says since when and where to escalate instead.
 */
export function checkEscalationTarget(state: ServiceNetworkState, target: string): DirectoryVerdict {
  if (!isDirectoryInUse(state)) return { ok: true };
  const exact = state.units.get(target);
  if (exact) return { ok: true, unit: exact };
  const wanted = normalise(target);
  // An agent's id is theirs alone (ids may not differ only in case or width): it wins over names, as a unit's exact code does,
  // so the advice to escalate by id always works; a deactivated agent's id is refused as that, never handed to a namesake.
  const byId = [...state.agents.values()].find((agent) => normalise(agent.id) === wanted);
  if (byId?.active) return { ok: true, agentId: byId.id };
  if (byId) return inactiveAgents([byId]);
  const names: string[] = [];
  const units: ServiceUnit[] = [];
  const agents: { id: string; name: string }[] = [];
  for (const unit of state.units.values()) {
    if ([unit.code, unit.name['zh-CN'], unit.name.en].some((name) => normalise(name) === wanted)) units.push(unit);
    names.push(unit.code, unit.name['zh-CN'], unit.name.en);
  }
  for (const agent of state.agents.values()) {
    if (!agent.active) continue;
    if (normalise(agent.id) === wanted || normalise(agent.name) === wanted) agents.push(agent);
    names.push(agent.id, agent.name);
  }
  if (units.length + agents.length > 1) {
    const candidates = [...units.map((unit) => `${unit.code} (${unit.name['zh-CN']} / ${unit.name.en})`), ...agents.map((agent) => `agent ${agent.id} (${agent.name})`)];
    // Agents may share a name (only ids are theirs alone): the way out is the id. Renaming a unit mends only a clash of units.
    const to = (value: string) => `"to": ${JSON.stringify(value)}`;
    const byUnit = units.length === 1 ? `the unit by its code (${to(units[0]!.code)})` : 'a unit by its code';
    // Of two or more agents any id listed is the way out: the first is shown as an example, not as the one.
    const agentId = agents.length === 1 ? to(agents[0]!.id) : `e.g. ${to(agents[0]?.id ?? '')}`;
    const byAgent = agents.length === 1 ? `the agent by id (${agentId})` : `an agent by id (${agentId})`;
    const how = agents.length === 0 ? 'Escalate to one of them by its code'
      : units.length === 0 ? `Agents may share a name, so escalate by the agent's id (${agentId}); GET /service-network lists the agents with their units`
        : `Escalate to ${byUnit} or to ${byAgent}`;
    const rename = units.length > 1 ? '; an admin may rename a unit (POST /service-network/units/{code}/rename) so that its name is its own' : '';
    return {
      ok: false, code: 'ambiguous-escalation-target', field: 'to',
      message: `${JSON.stringify(target)} names more than one unit or agent in the directory: ${candidates.join('; ')}. ${how}${rename}.`,
    };
  }
  const [unit] = units;
  if (unit) return { ok: true, unit };
  const [agent] = agents;
  if (agent) return { ok: true, agentId: agent.id };
  const inactive = [...state.agents.values()].filter((each) => !each.active && (normalise(each.id) === wanted || normalise(each.name) === wanted));
  if (inactive.length > 0) return inactiveAgents(inactive);
  return {
    ok: false, code: 'unknown-escalation-target', field: 'to',
    message: `No unit or agent called ${JSON.stringify(target)} in the directory${didYouMean(target, names)}. Escalate to a unit's code or name (in Chinese or English), or to an agent.`,
  };
}

/** The refusal of an escalation to deactivated agents (agent-inactive): who, since when, where they worked, and where to escalate instead. */
function inactiveAgents(inactive: readonly Agent[]): DirectoryVerdict {
  const who = inactive.map((each) => `${each.id} (${each.name}) was deactivated${each.deactivatedAt === null ? '' : ` at ${each.deactivatedAt}`}`).join('; ');
  const worked = inactive.map((each) => `${each.id} worked for ${each.units.join(', ')}`).join('; ');
  return {
    ok: false, code: 'agent-inactive', field: 'to',
    message: `Agent ${who}, so ${inactive.length === 1 ? 'takes' : 'they take'} no escalation; nothing was written. Escalate to an active agent or to a unit (${worked}); GET /service-network lists who is active. `
      + 'An id stays its person\'s, so there is no reactivation: an admin adds someone who returns under a new id (POST /service-network/agents).',
  };
}

/** The known values closest to `value` (case and width aside): at most five, nearest first. */
export function closeMatches(value: string, candidates: readonly string[], limit = 5): string[] {
  const wanted = normalise(value);
  const scored = [...new Set(candidates)].map((candidate) => {
    const name = normalise(candidate);
    const distance = name.includes(wanted) || wanted.includes(name) ? Math.abs(name.length - wanted.length) / 100 : editDistance(wanted, name);
    return { candidate, distance };
  });
  const tolerance = Math.max(2, Math.floor([...wanted].length / 3));
  return scored.filter((entry) => entry.distance <= tolerance).sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate)).slice(0, limit).map((entry) => entry.candidate);
}

/** " (did you mean a, b?)" when some candidates are close to `value`, else nothing. */
export const didYouMean = (value: string, candidates: readonly string[]): string => {
  const matches = closeMatches(value, candidates);
  return matches.length > 0 ? ` (did you mean ${matches.join(', ')}?)` : '';
};

/**
 * How the directory compares ids and names, at registration and at escalation alike: the key principal
 * ids are compared by everywhere (principalKey), since a unit's name must not read as a person's id.
 */
export const normaliseDirectoryName = principalKey;
const normalise = normaliseDirectoryName;

/** Levenshtein distance over code points (a Chinese character counts once). */
function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let previous = Array.from({ length: y.length + 1 }, (_, index) => index);
  for (let i = 1; i <= x.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= y.length; j += 1) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[y.length]!;
}
