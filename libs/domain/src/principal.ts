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

export const SLA_MONITOR: Actor = { id: 'system:sla-monitor', role: 'system' };
