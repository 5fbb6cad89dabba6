import type { CustomerSegment, SlaPolicy } from '@app/domain';
import type { CommandContext } from './command-context';

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

/** What the intake knows of the customer a complaint was received for. */
export interface ReceivedCustomer {
  readonly complaintId: string;
  readonly customerId: string;
  readonly customerName?: string;
  readonly segment?: CustomerSegment;
}

/**
 * What else happens when a complaint is received, after it is stored: the customer file of an
 * unknown customer is opened (docs/adr/0013, "Intake over HTTP"). Called on every receipt, also
 * when a retry finds the complaint already stored, so it must be idempotent. It answers the log
 * position its work reached (the receipt answers the later of the two, so that read-your-writes
 * covers the file too), or null. It cannot undo the complaint: whatever it throws is logged, and
 * the receipt is answered all the same.
 */
export abstract class ComplaintIntake {
  abstract complaintReceived(customer: ReceivedCustomer, context: CommandContext): Promise<number | null>;
}

/**
 * Encrypts the personal values of an event's data (at the given paths) with the customer's data
 * key, before the executor chains and appends it (docs/adr/0019). `PersonalDataCipher` of
 * @app/key-store is the implementation; without one, events are stored as they are.
 */
export abstract class PersonalDataSealer {
  abstract seal(customerId: string, stream: string, data: Record<string, unknown>, paths: readonly (readonly string[])[]): Promise<Record<string, unknown>>;
}
