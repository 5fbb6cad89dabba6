import { Injectable } from '@nestjs/common';
import { CustomerFileNotFoundError, departmentOf, servicePointOf, type DepartmentScope } from '@app/domain';
import { WorkOrderRepository } from '@app/after-sales';
import { ComplaintRepository } from '@app/complaints';
import { CustomerFileAccess } from '../customers/customer-file-access';
import type { FeedLookups, ScopeFacts } from './feed-selection';

/** Streams whose facts are kept at once; past that the oldest are forgotten (and read again when needed). */
const MAX_FACTS = 10_000;
/** How long a customer file's visibility to one principal is taken as known (it changes when a complaint is assigned). */
const CUSTOMER_FILE_TTL_MS = 5_000;

/**
 * The lookups behind the feed's department narrowing, shared by every connection: the current
 * facts of a complaint or work order (folded from its stream, as GET /complaints/{id} does, and kept
 * while no later event of the stream has been seen), and the customer-file rule of ADR 0013.
 */
@Injectable()
export class FeedVisibility implements FeedLookups {
  private readonly known = new Map<string, Promise<ScopeFacts | undefined>>();
  private readonly revisions = new Map<string, number>();
  private readonly files = new Map<string, { readonly visible: boolean; readonly until: number }>();

  constructor(
    private readonly complaints: ComplaintRepository,
    private readonly workOrders: WorkOrderRepository,
    private readonly customerFiles: CustomerFileAccess,
  ) {}

  facts(stream: string, kind: 'complaint' | 'work-order', revision: number): Promise<ScopeFacts | undefined> {
    const cached = this.known.get(stream);
    // A fold that has seen this event (or a later one) tells the current facts as well as a new one would.
    if (cached && (this.revisions.get(stream) ?? -1) >= revision) return cached;
    const loading = this.load(stream, kind).then((facts) => {
      if (facts) this.revisions.set(stream, facts.revision);
      else this.forget(stream);
      return facts;
    }, () => {
      this.forget(stream);
      return undefined;
    });
    this.known.delete(stream);
    this.known.set(stream, loading);
    this.revisions.set(stream, revision);
    while (this.known.size > MAX_FACTS) this.forget(this.known.keys().next().value!);
    return loading;
  }

  async customerFileVisible(customerId: string, actorId: string, scope: DepartmentScope): Promise<boolean> {
    const key = `${actorId}\u0000${typeof scope === 'string' ? scope : scope.join(',')}\u0000${customerId}`;
    const now = Date.now();
    const cached = this.files.get(key);
    if (cached && cached.until > now) return cached.visible;
    let visible = true;
    try {
      await this.customerFiles.requireVisible(customerId, actorId, scope);
    } catch (error) {
      if (!(error instanceof CustomerFileNotFoundError)) throw error;
      visible = false;
    }
    this.files.delete(key);
    this.files.set(key, { visible, until: now + CUSTOMER_FILE_TTL_MS });
    while (this.files.size > MAX_FACTS) this.files.delete(this.files.keys().next().value!);
    return visible;
  }

  private forget(stream: string): void {
    this.known.delete(stream);
    this.revisions.delete(stream);
  }

  private async load(stream: string, kind: 'complaint' | 'work-order'): Promise<ScopeFacts | undefined> {
    if (kind === 'complaint') {
      const { state, revision } = await this.complaints.load(stream.slice('complaint-'.length));
      if (state.status === 'none') return undefined;
      return { revision, openedBy: state.receivedBy, department: departmentOf(state), customerId: state.customer.id };
    }
    const { state, revision } = await this.workOrders.load(stream.slice('work-order-'.length));
    if (state.status === 'none') return undefined;
    return { revision, openedBy: state.reportedBy, department: servicePointOf(state), customerId: state.customerId };
  }
}
