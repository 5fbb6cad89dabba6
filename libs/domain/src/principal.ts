/**
 * Who may hold a token. An engineer works in the field for a service point of the service network
 * (its token is limited to that station's code, as an agent's is to departments).
 */
export const ROLES = ['agent', 'supervisor', 'engineer', 'analyst', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The service itself (the SLA monitor): never a token's role. */
export type ActorRole = Role | 'system';

/** Who acts: every event records the authenticated principal that caused it. */
export interface Actor {
  readonly id: string;
  readonly role: ActorRole;
}

/**
 * How principal ids are told apart, everywhere: a token's principal, a complaint's receiver, a work
 * order's reporter, an assignee or engineer, a survey's sender, a file's opener, and the directory's
 * people and unit names. NFKC (full-width ｌｉ.ｎａ → li.na), invisible characters removed, dashes as -,
 * spaces collapsed, trimmed, lower case: `Li.Na`, `li.na` and `ｌｉ.ｎａ` are one principal. The directory
 * refuses a second person whose id has the key of another's (409 person-id-taken), so a key names one
 * person. Read models store this key where a query filters by a principal (visibleTo, assigneeKey …).
 */
export const principalKey = (id: string): string => principalIdForm(id).toLowerCase();

/**
 * principalKey without the letter case: the form a principal id typed in another width takes
 * (ｅｎｇ－ｗａｎｇ → eng-wang, Ｌｉ.Ｎａ → Li.Na). Every principal-id query parameter (?assignee=,
 * ?actor=, ?engineer=) is folded so before it is checked as an id; the queries then compare by principalKey.
 */
export const principalIdForm = (id: string): string => (VISIBLE_ASCII.test(id) ? id : id.normalize('NFKC').replace(/\p{Default_Ignorable_Code_Point}/gu, '')
  .replace(/\p{Pd}/gu, '-').replace(/\s+/g, ' ').trim());
/** Visible ASCII without spaces, what every token's id is: NFKC leaves it as it is, and it holds no invisible character or other dash (a projection folds one per event). */
const VISIBLE_ASCII = /^[!-~]*$/;

/** Whether two ids name the same principal (principalKey): the only comparison of principal ids. */
export const samePrincipal = (a: string, b: string): boolean => a === b || principalKey(a) === principalKey(b);

export const SLA_MONITOR: Actor = { id: 'system:sla-monitor', role: 'system' };
