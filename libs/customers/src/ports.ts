import { DEFAULT_CONSUMPTION_ALERT_POLICY, type ConsumptionAlertPolicy } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';

/** The consumption alert policy in force when a monthly figure is recorded (looked up, then passed into decide()). */
export abstract class ConsumptionAlertPolicySource {
  abstract current(): ConsumptionAlertPolicy;
}

export class FixedConsumptionAlertPolicySource extends ConsumptionAlertPolicySource {
  constructor(private readonly policy: ConsumptionAlertPolicy = DEFAULT_CONSUMPTION_ALERT_POLICY) {
    super();
  }
  override current(): ConsumptionAlertPolicy {
    return this.policy;
  }
}

/**
 * The attachments hook of an erasure (docs/adr/0019): the stored files (receipts, photos, forms) of
 * the complaints of erased customers. A file is stored once for every complaint that attached the
 * same bytes, so it is kept while a complaint of a customer NOT erased since the attachment names
 * it, and goes once every complaint that names it belongs to an erased customer (an erasure recorded
 * after the attachment). An app with a blob store provides this; without one there is nothing to delete.
 */
export abstract class ErasedAttachments {
  /** The stored files an erasure of these customers would delete now (attached to their complaints, still stored, named by no one else's). */
  abstract storedOf(customerIds: readonly string[]): Promise<readonly string[]>;
  /** Deletes every stored file that only erased customers' complaints name; answers how many it deleted. May be called again (0). */
  abstract deleteErased(): Promise<number>;
}

/**
 * The as-of hook of an erasure (docs/adr/0019): the read models built as of a moment before it, which
 * never see its event. An app whose read store holds as-of generations provides this.
 */
export abstract class ErasedAsOfGenerations {
  /** Does to every as-of generation what these erasure events did to the live read models. Idempotent: may be called again. */
  abstract forget(erasures: readonly RecordedEvent[]): Promise<void>;
}
