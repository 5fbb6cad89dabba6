import type { SlaPolicy } from '@app/domain';

/** The time source of command handling; tests pass a fixed one. */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  override now(): Date {
    return new Date();
  }
}

/** The SLA policy in force when a complaint is received (looked up, then passed into decide()). */
export abstract class SlaPolicySource {
  abstract current(): SlaPolicy;
}

export class FixedSlaPolicySource extends SlaPolicySource {
  constructor(private readonly policy: SlaPolicy) {
    super();
  }
  override current(): SlaPolicy {
    return this.policy;
  }
}
