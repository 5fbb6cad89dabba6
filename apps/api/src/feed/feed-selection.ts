import {
  ACCESS_CONTROL_STREAM, LOG_SEALS_STREAM, SERVICE_NETWORK_STREAM, complaintInScope, complaintStreamName, customerFileStreamName, workOrderInScope,
  type Actor, type DepartmentScope, type Role,
} from '@app/domain';
import type { EventFilter, RecordedEvent } from '@app/event-store';

/**
 * The kinds of stream the feed follows, by the prefix of their names. A stream of any other kind
 * (one a later slice adds) is never sent until it is listed here with a decision about who sees it.
 */
export const FEED_STREAM_TYPES = ['complaint', 'work-order', 'customer-file', 'product', 'service-network', 'access', 'audit'] as const;
export type FeedStreamType = (typeof FEED_STREAM_TYPES)[number];

const PREFIXES: ReadonlyArray<readonly [FeedStreamType, string, 'prefix' | 'exact']> = [
  ['complaint', 'complaint-', 'prefix'],
  ['work-order', 'work-order-', 'prefix'],
  ['customer-file', 'customer-', 'prefix'],
  ['product', 'product-', 'prefix'],
  ['service-network', SERVICE_NETWORK_STREAM, 'exact'],
  ['access', ACCESS_CONTROL_STREAM, 'exact'],
  ['audit', LOG_SEALS_STREAM, 'exact'],
];

export function streamTypeOf(stream: string): FeedStreamType | undefined {
  for (const [type, name, match] of PREFIXES) if (match === 'exact' ? stream === name : stream.startsWith(name)) return type;
  return undefined;
}

/** Who governs tokens and the log's seals: only they follow the access-control and log-seals streams (as GET /access/tokens). */
const GOVERNORS: readonly Role[] = ['admin', 'auditor'];
export const isGovernedStream = (type: FeedStreamType): boolean => type === 'access' || type === 'audit';

/** What a client asked to follow (each filter narrows; none: everything the principal may see). */
export interface FeedFilter {
  readonly streamTypes?: readonly FeedStreamType[];
  readonly eventTypes?: readonly string[];
  readonly complaintId?: string;
  readonly customerId?: string;
}

/** The filter the store can apply itself, so that a narrow feed does not read the whole log. */
export function storeFilterOf(filter: FeedFilter): EventFilter | undefined {
  const streamPrefixes = filter.complaintId !== undefined ? [complaintStreamName(filter.complaintId)]
    : filter.streamTypes?.map((type) => PREFIXES.find(([kind]) => kind === type)![1]);
  const eventTypes = filter.eventTypes;
  if (!streamPrefixes && !eventTypes) return undefined;
  return { ...(streamPrefixes ? { streamPrefixes } : {}), ...(eventTypes ? { eventTypes } : {}) };
}

/** The facts of a complaint or a work order that decide who sees it and whose it is, as of a revision of its stream. */
export interface ScopeFacts {
  readonly revision: number;
  /** Complaint: who received it; work order: who reported it. */
  readonly openedBy: Actor;
  /** Complaint: its department; work order: its service point. Null before there is one. */
  readonly department: string | null;
  readonly customerId: string;
}

/** Looks things up for the async part of the decision (FeedVisibility implements it over the event store and read models). */
export interface FeedLookups {
  /** The current facts of a complaint or work-order stream (at least as recent as `revision`); undefined if it cannot be read. */
  facts(stream: string, kind: 'complaint' | 'work-order', revision: number): Promise<ScopeFacts | undefined>;
  /** Whether a principal limited to departments sees this customer file (docs/adr/0013, "Department scope"). */
  customerFileVisible(customerId: string, actorId: string, scope: DepartmentScope): Promise<boolean>;
}

export interface FeedReader {
  readonly actor: Actor;
  readonly scope: DepartmentScope;
}

/**
 * Which events of the log one connection sends: those the client's filter selects and its principal
 * may see. `selects` is the cheap part, decided on the event alone (it runs for every event of the
 * log as it arrives); `sees` may look up the complaint's or work order's current department and
 * the customer, as the lists and GET /complaints/{id}/events do.
 */
export class FeedSelection {
  private readonly streamTypes: ReadonlySet<FeedStreamType> | undefined;
  private readonly eventTypes: ReadonlySet<string> | undefined;

  constructor(readonly filter: FeedFilter, private readonly reader: FeedReader, private readonly lookups: FeedLookups) {
    this.streamTypes = filter.streamTypes ? new Set(filter.streamTypes) : undefined;
    this.eventTypes = filter.eventTypes ? new Set(filter.eventTypes) : undefined;
  }

  selects(event: RecordedEvent): boolean {
    const type = streamTypeOf(event.stream);
    if (type === undefined) return false;
    if (isGovernedStream(type) && !GOVERNORS.includes(this.reader.actor.role as Role)) return false;
    if (this.streamTypes && !this.streamTypes.has(type)) return false;
    if (this.eventTypes && !this.eventTypes.has(event.type)) return false;
    if (this.filter.complaintId !== undefined && event.stream !== complaintStreamName(this.filter.complaintId)) return false;
    if (this.filter.customerId !== undefined) {
      if (type === 'customer-file') return event.stream === customerFileStreamName(this.filter.customerId);
      return type === 'complaint' || type === 'work-order';
    }
    return true;
  }

  async sees(event: RecordedEvent): Promise<boolean> {
    const type = streamTypeOf(event.stream);
    const { actor, scope } = this.reader;
    if (type === 'complaint' || type === 'work-order') {
      if (scope === 'all' && this.filter.customerId === undefined) return true;
      const facts = await this.lookups.facts(event.stream, type, event.revision);
      if (!facts) return false;
      if (this.filter.customerId !== undefined && facts.customerId !== this.filter.customerId) return false;
      return type === 'complaint'
        ? complaintInScope({ receivedBy: facts.openedBy, department: facts.department }, actor.id, scope)
        : workOrderInScope({ reportedBy: facts.openedBy, servicePoint: facts.department }, actor.id, scope);
    }
    if (type === 'customer-file') return scope === 'all' || this.lookups.customerFileVisible(event.stream.slice('customer-'.length), actor.id, scope);
    // Products, the service network: reference data every role reads (GET /products/{serial}, GET /service-network).
    // Access and seals: selects() kept them to admins and auditors, who see every department.
    return type !== undefined;
  }
}

/** Event types whose personal values are fields of their own (not under `personal`): the reporter's contact and address of a repair. */
const PERSONAL_FIELDS_OUTSIDE: Readonly<Record<string, readonly string[]>> = { WorkOrderReported: ['contact', 'address'] };

/**
 * The event as the feed sends it. Personal values (`data.personal`: of customer files, docs/adr/0013,
 * and a complaint's contact details) are left out (null, as a reader that cannot decrypt them sees
 * them): a feed goes to other systems, and after an erasure it must not have spread them; the
 * stream's own events route shows them to those who may see it. A token's SHA-256 is left out of access events: nothing needs it outside.
 */
export function feedEventOf(event: RecordedEvent): Record<string, unknown> {
  const streamType = streamTypeOf(event.stream);
  let data = event.data;
  if ('personal' in data) data = { ...data, personal: null };
  // Personal values kept outside `personal` by events written before that convention: left out the same way.
  for (const field of PERSONAL_FIELDS_OUTSIDE[event.type] ?? []) if (field in data) data = { ...data, [field]: null };
  // The name a complaint was received with (encrypted in the log, docs/adr/0019): the customer's id stays, the name does not travel.
  const customer = data['customer'];
  if (customer !== null && typeof customer === 'object' && 'name' in customer) data = { ...data, customer: { ...(customer as Record<string, unknown>), name: null } };
  if (streamType === 'access' && 'tokenHash' in data) {
    const { tokenHash: _hash, ...rest } = data;
    data = rest;
  }
  return {
    position: event.position, stream: event.stream, streamType, revision: event.revision, type: event.type, recordedAt: event.recordedAt, data, metadata: event.metadata,
  };
}
