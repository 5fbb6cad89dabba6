export const ROLES = ['agent', 'supervisor', 'analyst', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who acts: every event records the authenticated principal that caused it. */
export interface Actor {
  readonly id: string;
  readonly role: Role;
}
