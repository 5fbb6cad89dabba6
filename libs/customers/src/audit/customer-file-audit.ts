import { Injectable } from '@nestjs/common';
import {
  CustomerFileNotFoundError, customerFileDecisionWords, customerFileStreamName, followMerges, upcastCustomerFileEvent, type CustomerFileEvent, type Words,
} from '@app/domain';
import { trailFacts, verifyChain, type ChainVerdict } from '@app/event-sourcing';
import { EventStore, readStreamOrEmpty, type RecordedEvent } from '@app/event-store';

export interface CustomerTrailEntry {
  /** The file's stream (`customer-<id>`), or that of a file merged into it. */
  readonly stream: string;
  readonly customerId: string;
  readonly revision: number;
  readonly position: number;
  readonly type: string;
  readonly decision: Words;
  readonly actor: unknown;
  readonly reason: string | null;
  readonly occurredAt: unknown;
  readonly recordedAt: string;
  /** The consumption-alert policy an alert was raised under; null for any other decision. */
  readonly policyVersion: string | null;
  readonly commandId: unknown;
  readonly correlationId: unknown;
  readonly causationId: unknown;
  /** The event of this trail the causation id names, when it names one (the merge behind an absorption). */
  readonly causedBy: { readonly stream: string; readonly revision: number; readonly type: string } | null;
  readonly hash: unknown;
  /** The event's facts without its personal values (`data.personal`); the decision's words name the personal fields it changed. */
  readonly data: Record<string, unknown>;
}

export interface CustomerTrail {
  readonly customerId: string;
  readonly verification: ChainVerdict;
  /** The files merged into this one, each with the verdict on its own chain. */
  readonly absorbed: readonly { readonly customerId: string; readonly verification: ChainVerdict }[];
  readonly entries: readonly CustomerTrailEntry[];
}

/**
 * What an auditor reads of a customer file: every decision on it in zh-CN and English words, with
 * who, when, why and its hash, and whether its chain is intact; with the files merged into it (the
 * same customer) at any depth, whose histories are this customer's too. Personal values are left out: the
 * words name personal fields and never quote them (docs/adr/0013), so the trail reads the same
 * before and after an erasure; GET /customers/{id}/events shows them to whoever may read the file.
 */
@Injectable()
export class CustomerFileAudit {
  constructor(private readonly eventStore: EventStore) {}

  async trail(customerId: string): Promise<CustomerTrail> {
    const stream = customerFileStreamName(customerId);
    const events = await this.read(stream);
    if (events === undefined) throw new CustomerFileNotFoundError(customerId);
    const absorbedOf = (recorded: readonly RecordedEvent[]) => [...new Set(recorded.filter((event) => event.type === 'CustomerFileAbsorbed').map((event) => String(event.data['absorbedId'])))];
    const absorbed: { customerId: string; verification: ChainVerdict; events: RecordedEvent[] }[] = [];
    // At any depth: a file merged into one that was merged into this one is this customer too.
    await followMerges(absorbedOf(events), async (absorbedId) => {
      const absorbedStream = customerFileStreamName(absorbedId);
      const absorbedEvents = await this.read(absorbedStream);
      if (absorbedEvents === undefined) return [];
      absorbed.push({ customerId: absorbedId, verification: verifyChain(absorbedStream, absorbedEvents), events: absorbedEvents });
      return absorbedOf(absorbedEvents);
    });
    const all = [...events, ...absorbed.flatMap((each) => each.events)];
    // A causation id names an event, or the command that recorded one (a merge's second half names the merge's command).
    const byId = new Map(all.map((event) => [event.eventId, event]));
    for (const event of all) if (typeof event.metadata['commandId'] === 'string' && !byId.has(event.metadata['commandId'])) byId.set(event.metadata['commandId'], event);
    const entries = all.map((event): CustomerTrailEntry => {
      const metadata = event.metadata;
      const upcast = upcastCustomerFileEvent(event.type, event.data, () => metadata['schemaVersion']) as CustomerFileEvent;
      const cause = typeof metadata['causationId'] === 'string' && metadata['causationId'] !== metadata['commandId'] ? byId.get(metadata['causationId']) : undefined;
      const { personal: _personal, ...data } = event.data;
      const policy = upcast.type === 'CustomerFileConsumptionDropDetected' ? upcast.data.policy.version : upcast.type === 'CustomerFileConsumptionDropCleared' ? upcast.data.policyVersion : null;
      return {
        ...trailFacts(event), customerId: String(event.data['customerId'] ?? event.stream.slice('customer-'.length)),
        decision: customerFileDecisionWords(upcast), policyVersion: policy,
        causedBy: cause ? { stream: cause.stream, revision: cause.revision, type: cause.type } : null, data,
      };
    }).sort((a, b) => a.position - b.position);
    return { customerId, verification: verifyChain(stream, events), absorbed: absorbed.map(({ customerId: id, verification }) => ({ customerId: id, verification })), entries };
  }

  /** A file's events, or undefined when it has none (never opened). */
  private async read(stream: string): Promise<RecordedEvent[] | undefined> {
    // Verified on what is stored now, not on a copy the store kept (docs/adr/0003).
    const events = await readStreamOrEmpty(this.eventStore, stream, { fromStorage: true });
    return events.length > 0 ? events : undefined;
  }
}
