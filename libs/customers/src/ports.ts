import { DEFAULT_CONSUMPTION_ALERT_POLICY, type ConsumptionAlertPolicy } from '@app/domain';

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
 * The attachments hook of an erasure (docs/adr/0019): deletes the stored files (receipts, photos,
 * forms) of the customer's complaints and file from the blob store. None is provided until the
 * blob store exists; an app that has one provides this, and the erasure calls it per covered file.
 */
export abstract class ErasedAttachments {
  abstract deleteOf(customerId: string): Promise<void>;
}
