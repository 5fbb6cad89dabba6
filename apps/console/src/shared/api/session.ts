import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from './client';

export type Role = 'agent' | 'supervisor' | 'engineer' | 'analyst' | 'auditor' | 'admin';

export interface Session {
  readonly principalId: string;
  readonly role: Role;
  readonly departments: readonly string[] | null;
  /** Every route this token may call, "METHOD /path": the console shows only what these allow. */
  readonly routes: readonly string[];
  /** Set when the service network has deactivated this agent or engineer: every command is refused (403 with this code), reads still answer. */
  readonly deactivation: { readonly code: string; readonly message: string; readonly deactivatedAt: string | null } | null;
}

export const sessionQueryKey = ['session'] as const;

export const fetchSession = async (token?: string): Promise<Session> =>
  (await api<Session>('/session', token === undefined ? {} : { token })).body;

/** The signed-in principal: asked once per tab (the console's start asks it beside the first screen's data, app/first-screen.ts). */
export const sessionQuery = () => queryOptions({ queryKey: sessionQueryKey, queryFn: () => fetchSession(), staleTime: Infinity, retry: false });

export function useSession(enabled: boolean) {
  return useQuery({ ...sessionQuery(), enabled });
}

export const may = (session: Session | undefined, route: string): boolean => session?.routes.includes(route) ?? false;

/**
 * Whether a unit is one this principal may assign or dispatch to: any, for a token of every department; else one of its
 * departments (the API answers 403 to another, so the pickers offer only these). Codes are compared as the directory does.
 */
export const withinDepartments = (session: Session | undefined, code: string): boolean =>
  !session?.departments || session.departments.some((department) => department.toLowerCase() === code.toLowerCase());
