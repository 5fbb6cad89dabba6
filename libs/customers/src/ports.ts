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
