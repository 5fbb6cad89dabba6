import { DEPARTMENT_CODE_RULE, isDepartmentCode, isReservedCode, reservedCodeMessage } from './department';
import { ROLES, principalKey, samePrincipal, type Actor, type Role } from './principal';

/**
 * Who may use the API is itself event-sourced: every token issued and revoked is an event of the
 * `access-control` stream, with who decided it, when and why (docs/adr/0009). The store keeps a
 * SHA-256 of each token, never the token.
 */
export const ACCESS_CONTROL_STREAM = 'access-control';

/**
 * Which complaints and work orders a principal sees and acts on: every one, or those of some
 * departments (a service point's code is the department of its work orders).
 */
export type DepartmentScope = 'all' | readonly string[];

/** Roles that may be limited to departments (an engineer to its station); the others read or govern everything. */
export const SCOPABLE_ROLES: readonly Role[] = ['agent', 'supervisor', 'engineer'];

export interface AccessTokenIssued {
  readonly type: 'AccessTokenIssued';
  readonly data: {
    readonly tokenId: string;
    readonly principalId: string;
    readonly role: Role;
    /** null: every department. */
    readonly departments: readonly string[] | null;
    /** SHA-256 (hex) of the token. */
    readonly tokenHash: string;
    readonly issuedAt: string;
    readonly expiresAt: string | null;
  };
}

export interface AccessTokenRevoked {
  readonly type: 'AccessTokenRevoked';
  readonly data: { readonly tokenId: string; readonly principalId: string; readonly revokedAt: string };
}

export type AccessEvent = AccessTokenIssued | AccessTokenRevoked;
export const ACCESS_EVENT_TYPES: ReadonlySet<string> = new Set(['AccessTokenIssued', 'AccessTokenRevoked']);

/** One token as the history says: who holds it, with which role and scope, and whether it still works. */
export type AccessGrant = AccessTokenIssued['data'] & { readonly revokedAt: string | null };

export type AccessState = ReadonlyMap<string, AccessGrant>;
export const NO_ACCESS: AccessState = new Map();

export function evolveAccess(state: AccessState, event: AccessEvent): AccessState {
  const next = new Map(state);
  if (event.type === 'AccessTokenIssued') {
    next.set(event.data.tokenId, { ...event.data, revokedAt: null });
  } else {
    const grant = state.get(event.data.tokenId);
    if (grant) next.set(grant.tokenId, { ...grant, revokedAt: event.data.revokedAt });
  }
  return next;
}

/** The `code` of every refusal of the access-control decider (the API's enum of codes lists them). */
export const ACCESS_ERROR_CODES = ['invalid-access-command', 'token-not-found', 'token-already-revoked'] as const;

export class InvalidAccessCommandError extends Error {
  readonly code = 'invalid-access-command';
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

export class AccessTokenNotFoundError extends Error {
  readonly code = 'token-not-found';
  constructor(readonly tokenId: string) {
    super(`There is no managed token ${tokenId}.`);
  }
}

export class AccessTokenAlreadyRevokedError extends Error {
  readonly code = 'token-already-revoked';
  constructor(readonly tokenId: string, readonly revokedAt: string) {
    super(`Token ${tokenId} was already revoked at ${revokedAt}.`);
  }
}

export interface IssueAccessToken {
  readonly tokenId: string;
  readonly principalId: string;
  readonly role: string;
  readonly departments?: readonly string[] | null;
  readonly tokenHash: string;
  readonly at: string;
  readonly expiresAt?: string | null;
  readonly actor: Actor;
}

const IDENTIFIER = /^[A-Za-z0-9._@:-]{1,100}$/;

/**
 * What is wrong with a principal id, or undefined: the rule for every principal id, whether issued
 * through the API or configured (tokens.json, API_TOKENS).
 */
export function principalIdProblem(principalId: string): string | undefined {
  if (!IDENTIFIER.test(principalId)) return 'principalId must be 1–100 letters, digits or . _ - @ :';
  // Ids compare letter case aside (Li.Na is li.na), so SYSTEM: and Cli: are the reserved prefixes too.
  const folded = principalId.toLowerCase();
  if (folded.startsWith('system:')) return 'principalId must not start with system: (reserved for the service itself).';
  // cli:<login> is how the server's shell is recorded: a token of that name would pass for it in the audit trail.
  if (folded.startsWith('cli:')) return 'principalId must not start with cli: (reserved for commands run on the server).';
  return undefined;
}

/**
 * Two departments of a token's list that differ only in letter case (`Billing`, `billing`), named; undefined when there are
 * none. The directory reads them as one code (unitByCode), and so does a scope (departmentInScope), so the list names one
 * department twice: refused, so that the list says what the token is for, once. Checked on the list as given, before the
 * directory spells it, so the API and the CLI refuse the same lists whatever the directory holds.
 */
export function caseTwinDepartments(departments: readonly string[]): string | undefined {
  const seen = new Map<string, string>();
  for (const department of departments) {
    const key = department.toLowerCase();
    const earlier = seen.get(key);
    if (earlier !== undefined && earlier !== department) {
      return `departments ${JSON.stringify(earlier)} and ${JSON.stringify(department)} differ only in letter case: department codes are one code letter case aside, `
        + 'so the token would be for one department under two spellings: list it once, as its complaints are assigned (GET /service-network lists the units). Nothing was written.';
    }
    seen.set(key, department);
  }
  return undefined;
}

/** Only an admin issues tokens; departments narrow agents, supervisors and engineers only. */
export function decideIssue(command: IssueAccessToken, state: AccessState): AccessEvent[] {
  if (command.actor.role !== 'admin') throw new InvalidAccessCommandError('actor', 'Only an admin may issue tokens.');
  if (state.has(command.tokenId)) throw new InvalidAccessCommandError('tokenId', `Token ${command.tokenId} exists already.`);
  const principalProblem = principalIdProblem(command.principalId);
  if (principalProblem !== undefined) throw new InvalidAccessCommandError('principalId', principalProblem);
  if (!(ROLES as readonly string[]).includes(command.role)) throw new InvalidAccessCommandError('role', `role must be one of ${ROLES.join(', ')}.`);
  const role = command.role as Role;
  const departments = command.departments ?? null;
  if (departments !== null) {
    if (!SCOPABLE_ROLES.includes(role)) throw new InvalidAccessCommandError('departments', `Only ${SCOPABLE_ROLES.slice(0, -1).join(', ')} and ${SCOPABLE_ROLES.at(-1)!} tokens can be limited to departments; ${role}s see every department.`);
    if (departments.length === 0 || departments.length > 50) throw new InvalidAccessCommandError('departments', 'departments must list 1–50 departments (leave it out for every department).');
    for (const department of departments) {
      if (!isDepartmentCode(department)) throw new InvalidAccessCommandError('departments', `each department must be ${DEPARTMENT_CODE_RULE}.`);
      // A scope of the statistics' word for "no department yet" would read the unassigned row as a department's.
      if (isReservedCode(department)) throw new InvalidAccessCommandError('departments', reservedCodeMessage('departments', department, 'name the departments (or station) the token is for'));
    }
    const twins = caseTwinDepartments(departments);
    if (twins !== undefined) throw new InvalidAccessCommandError('departments', twins);
  }
  const expiresAt = command.expiresAt ?? null;
  if (expiresAt !== null && !(Date.parse(expiresAt) > Date.parse(command.at))) throw new InvalidAccessCommandError('expiresAt', 'A token must expire after it is issued.');
  if (!/^[0-9a-f]{64}$/.test(command.tokenHash)) throw new InvalidAccessCommandError('tokenHash', 'tokenHash must be a SHA-256 in hex.');
  return [{
    type: 'AccessTokenIssued',
    data: {
      tokenId: command.tokenId, principalId: command.principalId, role,
      departments: departments === null ? null : [...new Set(departments)].sort(), tokenHash: command.tokenHash, issuedAt: command.at, expiresAt,
    },
  }];
}

export function decideRevoke(command: { readonly tokenId: string; readonly at: string; readonly actor: Actor }, state: AccessState): AccessEvent[] {
  if (command.actor.role !== 'admin') throw new InvalidAccessCommandError('actor', 'Only an admin may revoke tokens.');
  const grant = state.get(command.tokenId);
  if (!grant) throw new AccessTokenNotFoundError(command.tokenId);
  if (grant.revokedAt !== null) throw new AccessTokenAlreadyRevokedError(command.tokenId, grant.revokedAt);
  return [{ type: 'AccessTokenRevoked', data: { tokenId: grant.tokenId, principalId: grant.principalId, revokedAt: command.at } }];
}

/** Whether a grant lets its holder in at `now`. */
export function grantIsActive(grant: AccessGrant, now: Date): boolean {
  return grant.revokedAt === null && (grant.expiresAt === null || Date.parse(grant.expiresAt) > now.getTime());
}

/**
 * Whether a department (or station) code recorded on a complaint, work order or survey is one of a scope's: compared as the
 * directory reads a unit's code (unitByCode, principalKey: letter case and width aside), so that one department is one thing
 * whatever its spelling. While the directory holds no unit, a complaint's department was recorded as typed (`Billing`), and a
 * token for `billing` was told it did not exist (404).
 */
export function departmentInScope(scope: DepartmentScope, code: string): boolean {
  if (scope === 'all') return true;
  if (scope.includes(code)) return true;
  const key = principalKey(code);
  return scope.some((department) => principalKey(department) === key);
}

/**
 * Whether a principal limited to departments sees and acts on a complaint: one assigned to one of
 * its departments, or one not assigned to any department that it received itself.
 */
export function complaintInScope(complaint: { readonly receivedBy: Actor; readonly department: string | null }, actorId: string, scope: DepartmentScope): boolean {
  if (scope === 'all') return true;
  if (complaint.department !== null) return departmentInScope(scope, complaint.department);
  return samePrincipal(complaint.receivedBy.id, actorId);
}

/** The department a complaint is assigned to, if any. */
export function departmentOf(complaint: object): string | null {
  return 'assignment' in complaint ? ((complaint.assignment as { department?: string | null }).department ?? null) : null;
}

/** A grant or revocation in plain words (zh-CN and en), for the audit trail. */
export function accessDecisionWords(event: AccessEvent): { readonly 'zh-CN': string; readonly en: string } {
  if (event.type === 'AccessTokenRevoked') {
    return { 'zh-CN': `撤销 ${event.data.principalId} 的访问令牌`, en: `Revoked the access token of ${event.data.principalId}` };
  }
  const scope = event.data.departments === null ? { zh: '全部部门', en: 'every department' } : { zh: event.data.departments.join('、'), en: event.data.departments.join(', ') };
  return {
    'zh-CN': `授予 ${event.data.principalId} ${event.data.role} 角色（${scope.zh}）`,
    en: `Granted ${event.data.principalId} the ${event.data.role} role (${scope.en})`,
  };
}
