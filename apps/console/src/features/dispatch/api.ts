import { useQueries, useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api/client';
import { readPosition } from '../../shared/api/live';
import type { ComplaintStatus, ComplaintSummary, SlaClock } from '../complaints/api';
import type { Language } from '../../shared/i18n/catalogue';

/** The most rows a list route gives in one page: the board shows that many of each kind, and says when there are more. */
export const BOARD_LIMIT = 200;

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

/** A row of GET /complaints, with what the board sorts on. */
export type BoardComplaint = ComplaintSummary & { readonly escalationLevel: number; readonly updatedAt: string };

/** A clock of GET /sla/at-risk or /sla/breaches. */
export interface ClockRow {
  readonly id: string;
  readonly complaintId: string;
  readonly clock: SlaClock;
  readonly department: string;
  readonly assignee: string;
  readonly cause: string;
  readonly severity: string;
  readonly customerId: string;
  readonly deadline: string;
  readonly dueInMs?: number;
  readonly overdueMs?: number | null;
}

const REFRESH = 15_000;

/** The complaints in each of these statuses (a page of BOARD_LIMIT each), in the same order. */
export function useComplaintsIn(statuses: readonly ComplaintStatus[]) {
  return useQueries({
    queries: statuses.map((status) => ({
      queryKey: ['complaints', { status, board: true }],
      queryFn: async ({ signal }: { signal: AbortSignal }) => (await api<Page<BoardComplaint>>('/complaints', { query: { status, limit: BOARD_LIMIT, minPosition: readPosition() }, signal })).body,
      refetchInterval: REFRESH,
    })),
  });
}

/** The open complaints escalated at least once (GET /complaints?escalated=true), the highest level first on the board. */
export function useEscalated() {
  return useQuery({
    queryKey: ['complaints', { status: 'open', escalated: true, board: true }],
    queryFn: async ({ signal }) => (await api<Page<BoardComplaint>>('/complaints', { query: { status: 'open', escalated: 'true', limit: BOARD_LIMIT, minPosition: readPosition() }, signal })).body,
    refetchInterval: REFRESH,
  });
}

export function useAtRisk(within: string) {
  return useQuery({
    queryKey: ['sla-at-risk', within],
    queryFn: async ({ signal }) => (await api<Page<ClockRow>>('/sla/at-risk', { query: { within, limit: BOARD_LIMIT, minPosition: readPosition() }, signal })).body,
    refetchInterval: REFRESH,
  });
}

export function useOpenBreaches() {
  return useQuery({
    queryKey: ['sla-breaches', { open: true }],
    queryFn: async ({ signal }) => (await api<Page<ClockRow>>('/sla/breaches', { query: { open: 'true', limit: BOARD_LIMIT, minPosition: readPosition() }, signal })).body,
    refetchInterval: REFRESH,
  });
}

export interface ServiceUnit {
  readonly code: string;
  readonly kind: 'centre' | 'branch' | 'station' | 'department';
  readonly name: { readonly 'zh-CN': string; readonly en: string };
  /** The centre or branch it reports to; null for the centre. */
  readonly parent: string | null;
  /** The regions (administrative division codes) a service point serves: dispatch goes by region. */
  readonly regions: readonly string[];
}

/** A unit as every screen names it: its name in the language picked, with its code. */
export const unitLabel = (unit: ServiceUnit, language: Language): string => `${unit.name[language]} (${unit.code})`;

export interface Engineer {
  readonly id: string;
  readonly name: string;
  readonly station: string;
  readonly active: boolean;
  readonly deactivatedAt: string | null;
}

export interface Agent {
  readonly id: string;
  readonly name: string;
  readonly units: readonly string[];
  readonly active: boolean;
}

/** The service network's directory, for the department and handler pickers. */
export function useServiceNetwork(enabled: boolean) {
  return useQuery({
    queryKey: ['service-network'],
    queryFn: async ({ signal }) => (await api<{ units: ServiceUnit[]; engineers: Engineer[]; agents: Agent[] }>('/service-network', { signal })).body,
    enabled,
    staleTime: 60_000,
  });
}

export interface PendingDeadline {
  readonly clock: string;
  readonly deadline: string;
  readonly breached: boolean;
}

/** A row of GET /work-orders/board. */
export interface BoardWorkOrder {
  readonly id: string;
  readonly status: string;
  readonly priority: string;
  readonly customerId: string;
  readonly productSerial: string;
  readonly productModel: string;
  readonly stationCode: string | null;
  readonly stationName: { readonly 'zh-CN': string; readonly en: string } | null;
  readonly engineerId: string | null;
  readonly engineerName: string | null;
  readonly reportedAt: string;
  readonly escalationLevel: number;
  readonly nextDeadlineClock: string | null;
  readonly nextDeadlineAt: string | null;
  readonly deadlines: readonly PendingDeadline[];
  readonly dueInMs: number | null;
  readonly overdue: boolean;
  readonly atRisk: boolean;
  readonly breached: boolean;
}

export function useWorkOrderBoard() {
  return useQuery({
    queryKey: ['work-order-board'],
    queryFn: async ({ signal }) => (await api<Page<BoardWorkOrder> & { measuredAt: string }>('/work-orders/board', { query: { limit: BOARD_LIMIT, minPosition: readPosition() }, signal })).body,
    refetchInterval: REFRESH,
  });
}
