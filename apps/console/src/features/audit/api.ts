import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api/client';

export interface Words {
  readonly 'zh-CN': string;
  readonly en: string;
}

/** The verdict on one hash chain (GET /audit/verify?stream=…, and in the trail and the access history). */
export interface ChainVerdict {
  readonly ok: boolean;
  readonly stream: string;
  readonly events?: number;
  readonly head?: string;
  readonly revision?: number;
  readonly expected?: string;
  readonly found?: string | null;
  readonly reason?: string;
}

export interface LogFinding {
  readonly id: string;
  readonly kind: string;
  readonly description: string;
  readonly position?: number;
  readonly stream?: string;
  readonly revision?: number;
  readonly acknowledged: { readonly by: string; readonly sealedAt: string; readonly reason: string | null } | null;
}

/** The whole store checked (GET /audit/verify without a stream). */
export interface LogReport {
  readonly ok: boolean;
  readonly events: number;
  readonly streams: number;
  readonly head: { readonly position: number; readonly logHash: string };
  readonly seals: { readonly sealing: boolean; readonly count: number; readonly eventsAfterLastSeal: number };
  readonly findings: readonly LogFinding[];
}

export const isLogReport = (answer: ChainVerdict | LogReport): answer is LogReport => 'findings' in answer;

export interface Decision {
  readonly id: string;
  readonly position: number;
  readonly complaintId: string | null;
  readonly workOrderId: string | null;
  readonly stream: string;
  readonly revision: number;
  readonly type: string;
  readonly actorId: string;
  readonly role: string;
  readonly reason: string | null;
  readonly occurredAt: string;
  readonly decision: Words;
}

export interface DecisionFilter {
  readonly actor?: string;
  readonly role?: string;
}

export interface TrailEntry {
  /** The complaint's stream, or its notification stream. */
  readonly stream: string;
  readonly revision: number;
  readonly position: number;
  readonly type: string;
  readonly decision: Words;
  readonly actor: { readonly id: string; readonly role: string };
  readonly reason: string | null;
  readonly occurredAt: string;
  readonly policyVersion: string | null;
  readonly hash: string;
}

export interface Trail {
  readonly complaintId: string;
  readonly verification: ChainVerdict;
  readonly entries: readonly TrailEntry[];
}

export interface AccessEntry {
  readonly revision: number;
  readonly position: number;
  readonly type: 'AccessTokenIssued' | 'AccessTokenRevoked';
  readonly actor: { readonly id: string; readonly role: string };
  readonly reason: string | null;
  readonly occurredAt: string;
  readonly data: { readonly principalId?: string; readonly role?: string; readonly departments?: readonly string[]; readonly tokenId?: string } & Record<string, unknown>;
}

export interface AccessHistory {
  readonly verification: ChainVerdict;
  readonly entries: readonly AccessEntry[];
  readonly seals: { readonly ok: boolean; readonly checked: boolean; readonly findings: readonly LogFinding[] };
}

/** Verifies on demand: the whole store, or one stream when one is named. */
export function useVerify() {
  return useMutation({
    mutationFn: async (stream: string | undefined) => (await api<ChainVerdict | LogReport>('/audit/verify', { query: { stream } })).body,
  });
}

export function useDecisions(filter: DecisionFilter, cursor: string | undefined) {
  return useQuery({
    queryKey: ['audit-decisions', filter, cursor ?? null],
    queryFn: async ({ signal }) => (await api<{ items: Decision[]; nextCursor: string | null }>('/audit/decisions', { query: { ...filter, limit: 20, cursor }, signal })).body,
    placeholderData: keepPreviousData,
  });
}

export function useAuditTrail(complaintId: string | undefined) {
  return useQuery({
    queryKey: ['audit-trail', complaintId],
    queryFn: async ({ signal }) => (await api<Trail>(`/complaints/${encodeURIComponent(complaintId!)}/trail`, { signal })).body,
    enabled: complaintId !== undefined,
    retry: false,
  });
}

export function useAccessHistory() {
  return useQuery({ queryKey: ['audit-access'], queryFn: async ({ signal }) => (await api<AccessHistory>('/audit/access', { signal })).body });
}
