import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api/client';
import { readPosition } from '../../shared/api/live';
import { complaintPageParams, queueRefetchInterval } from './queue-filter';

export type ComplaintStatus = 'received' | 'validated' | 'rejected' | 'assigned' | 'resolved' | 'follow-up-required' | 'closed';
export const STATUSES: readonly ComplaintStatus[] = ['received', 'validated', 'rejected', 'assigned', 'resolved', 'follow-up-required', 'closed'];
export type SlaClock = 'first-reply' | 'answer' | 'on-site' | 'callback';
export type ComplaintAction = 'apologise' | 'validate' | 'reject' | 'assign' | 'escalate' | 'resolve' | 'callback' | 'reopen' | 'visit' | 'notes' | 'contact' | 'correct' | 'attachments' | 'tags' | 'related' | 'unrelate';

/** One entry of the complaint's thread: an internal note or a reply sent to the customer. */
export interface Note {
  readonly revision: number;
  readonly addedAt: string;
  readonly by: { readonly id: string; readonly role: string };
  readonly visibility: 'internal' | 'customer';
  readonly channel: string | null;
  /** Null once a text marked personal was erased with the customer. */
  readonly text: string | null;
  /** Sent with personal: true (sealed with the customer's key, erased with it). */
  readonly personal: boolean;
  readonly firstReply: boolean;
}

/** A file attached to the complaint (GET /complaints/{id} lists them). */
export interface Attachment {
  readonly sha256: string;
  readonly size: number;
  readonly mediaType: string;
  readonly fileName: string | null;
  readonly kind: string;
  readonly description: string | null;
  readonly addedAt: string;
  readonly by: { readonly id: string; readonly role: string };
  readonly revision: number;
  readonly href: string;
}

/** A row of GET /complaints. */
export interface ComplaintSummary {
  readonly id: string;
  readonly status: ComplaintStatus;
  readonly customerId: string;
  readonly customerName: string | null;
  /** Null once a description marked personal was erased with the customer. */
  readonly description: string | null;
  readonly descriptionIsPersonal: boolean;
  readonly channel: string;
  readonly cause: string;
  readonly severity: string;
  readonly department: string | null;
  readonly assignee: string | null;
  readonly receivedAt: string;
  readonly breaches: readonly SlaClock[];
  /** The soonest deadline whose step is still missing, and its clock (null when nothing is due). */
  readonly nextDueAt: string | null;
  readonly nextDueClock: SlaClock | null;
  readonly revision: number;
}

export interface ComplaintPage {
  readonly items: readonly ComplaintSummary[];
  readonly nextCursor: string | null;
}

export interface Clock {
  readonly clock: SlaClock;
  readonly deadline: string;
  readonly met: boolean;
  readonly breachRecorded: boolean;
}

export interface AllowedAction {
  readonly action: ComplaintAction;
  readonly allowed: boolean;
  readonly reason: { readonly code: string; readonly message: string } | null;
}

/** A link to another complaint (POST /complaints/{id}/related). */
export interface ComplaintLink {
  readonly complaintId: string;
  readonly relation: 'duplicate-of' | 'related';
  readonly at: string;
  readonly by: { readonly id: string; readonly role: string };
}

/** GET /complaints/{id}: the state folded from the events, its SLA clocks and what this principal may do now. */
export interface Complaint {
  readonly id: string;
  readonly status: ComplaintStatus;
  readonly revision: number;
  readonly customer: { readonly id: string; readonly name: string | null; readonly segment: string | null };
  readonly channel: string;
  readonly cause: string;
  readonly behaviour: string | null;
  readonly purpose: string | null;
  readonly severity: string;
  /** Null once a description marked personal was erased with the customer. */
  readonly description: string | null;
  readonly descriptionIsPersonal: boolean;
  readonly desiredOutcome: string | null;
  readonly receivedAt: string;
  readonly receivedBy: { readonly id: string; readonly role: string };
  readonly assignment?: { readonly department: string; readonly assignee: string };
  readonly clocks: readonly Clock[];
  readonly allowedActions: readonly AllowedAction[];
  readonly notes: readonly Note[];
  readonly attachments: readonly Attachment[];
  /** Its tags, in the order they were added (POST /complaints/{id}/tags). */
  readonly tags: readonly string[];
  /** Its links to other complaints: the original it duplicates, and related ones. */
  readonly related: readonly ComplaintLink[];
  /** The complaints marked as duplicates of this one (it is their original), in the order they were marked. */
  readonly duplicates: ReadonlyArray<{ readonly complaintId: string; readonly at: string; readonly by: { readonly id: string; readonly role: string } }>;
  readonly contact: { readonly phone: string | null; readonly email: string | null; readonly address: string | null; readonly preferredChannel: string | null; readonly preferredTime: string | null; readonly language: string | null };
}

export interface StoredEvent {
  readonly revision: number;
  readonly position: number;
  readonly type: string;
  readonly recordedAt: string;
  readonly data: Record<string, unknown>;
  readonly metadata: { readonly actor?: { readonly id: string; readonly role: string }; readonly reason?: string; readonly occurredAt?: string } & Record<string, unknown>;
}

export interface ListFilter {
  readonly status?: string;
  readonly cause?: string;
  readonly behaviour?: string;
  readonly purpose?: string;
  readonly channel?: string;
  /** The customer segment the complaint was received with. */
  readonly segment?: string;
  /** 'true': escalated at least once; 'false': never. */
  readonly escalated?: string;
  readonly department?: string;
  readonly assignee?: string;
  readonly customerId?: string;
  readonly from?: string;
  readonly to?: string;
  /** Text of the description, the customer's name or id, or the start of the complaint's id (GET /complaints?q=). */
  readonly q?: string;
  /** The read model built with replay --into to read (GET /complaints?asOf=): the complaints as they stood then, not today's. */
  readonly asOf?: string;
  /** nextDueAt: the soonest deadline due first, across every page (the queue); newest first without it. */
  readonly sort?: 'nextDueAt';
}

/** A page of GET /complaints: the queue asks the first one as the console starts (app/first-screen.ts), with the same key. */
export const complaintPageQuery = (filter: ListFilter, cursor: string | undefined) => queryOptions({
  queryKey: ['complaints', filter, cursor ?? null],
  queryFn: async ({ signal }) => (await api<ComplaintPage>('/complaints', { query: complaintPageParams(filter, cursor, readPosition()), signal })).body,
});

export function useComplaintPage(filter: ListFilter, cursor: string | undefined) {
  return useQuery({ ...complaintPageQuery(filter, cursor), placeholderData: keepPreviousData, refetchInterval: queueRefetchInterval(filter) });
}

export const complaintKey = (id: string) => ['complaint', id] as const;

export async function fetchComplaint(id: string, signal?: AbortSignal): Promise<Complaint> {
  return (await api<Complaint>(`/complaints/${encodeURIComponent(id)}`, { signal })).body;
}

export function useComplaint(id: string) {
  return useQuery({ queryKey: complaintKey(id), queryFn: ({ signal }) => fetchComplaint(id, signal), refetchInterval: 15_000 });
}

export async function fetchEvents(id: string, signal?: AbortSignal): Promise<readonly StoredEvent[]> {
  return (await api<{ events: StoredEvent[] }>(`/complaints/${encodeURIComponent(id)}/events`, { signal })).body.events;
}

export function useEvents(id: string) {
  return useQuery({ queryKey: ['complaint-events', id], queryFn: ({ signal }) => fetchEvents(id, signal), refetchInterval: 15_000 });
}

export interface TrailEntry {
  /** The complaint's stream, or its notification stream (what the customer and staff were told). */
  readonly stream: string;
  readonly revision: number;
  readonly decision: { readonly 'zh-CN': string; readonly en: string };
}

/** The auditor's trail: each decision in plain words (only where the role may read it). */
export function useTrail(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ['complaint-trail', id],
    // The words of the complaint's own events, matched to them by revision (the notifications have revisions of their own stream).
    queryFn: async ({ signal }) => (await api<{ entries: TrailEntry[] }>(`/complaints/${encodeURIComponent(id)}/trail`, { signal })).body.entries
      .filter((entry) => entry.stream === `complaint-${id}`),
    enabled,
  });
}

export interface CommandAccepted {
  readonly id: string;
  readonly revision: number;
  readonly position: number;
}

export async function runAction(id: string, action: ComplaintAction, body: Record<string, unknown>, ifMatch: number): Promise<CommandAccepted> {
  return (await api<CommandAccepted>(`/complaints/${encodeURIComponent(id)}/${action}`, { method: 'POST', body, ifMatch })).body;
}

/** Attaches a file (multipart/form-data): the file, its kind and an optional description. */
export async function uploadAttachment(id: string, input: { file: Blob & { name?: string }; kind: string; description?: string }, ifMatch: number): Promise<CommandAccepted> {
  const form = new FormData();
  form.append('file', input.file, input.file.name ?? 'file');
  form.append('kind', input.kind);
  if (input.description !== undefined && input.description.trim() !== '') form.append('description', input.description);
  return (await api<CommandAccepted>(`/complaints/${encodeURIComponent(id)}/attachments`, { method: 'POST', form, ifMatch })).body;
}

/** Adds and removes tags in one decision (POST /complaints/{id}/tags), on the revision decided on. */
export async function tagComplaint(id: string, body: { add?: string[]; remove?: string[] }, ifMatch: number): Promise<CommandAccepted> {
  return (await api<CommandAccepted>(`/complaints/${encodeURIComponent(id)}/tags`, { method: 'POST', body, ifMatch })).body;
}
