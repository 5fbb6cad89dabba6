import type { Actor, CustomerSegment, SlaPolicy } from '@app/domain';
import type { CommandContext } from './command-context';
import type { AppendPart } from './stream-command-executor';

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
 * What else is written when a complaint is received: the customer file of an unknown customer is
 * opened (docs/adr/0013, "Intake over HTTP"), in the same atomic append as the complaint. Asked on
 * every receipt, also when a retry finds the complaint already stored, so its part must be
 * idempotent (and completes a receipt that an older version left half done). A part whose decision
 * fails is left out: the complaint is still stored, and the failure logged.
 */
export abstract class ComplaintIntake {
  abstract receiptPart(customer: ReceivedCustomer, context: CommandContext): AppendPart;
}

/** The person a complaint is given to whose duty stream fences the giving: an agent, or an engineer of the complaint's department. */
export interface DutyHolder {
  readonly role: 'agent' | 'engineer';
  readonly id: string;
}

/**
 * The fence between a complaint given to a person of the directory (an assignment or reassignment to
 * an agent or an engineer, an escalation to a named agent) and that person's deactivation (docs/adr/0012,
 * "An assignment and an agent's deactivation at one moment", "An assignment to an engineer and their
 * deactivation"): a part of the same atomic append as the complaint's event, on the person's duty
 * stream, which the deactivation writes too. A deactivation stored between the caller's directory
 * check and the append moves the stream: the append conflicts, the part is decided again and refuses
 * (AgentStoodDownError, EngineerStoodDownError), nothing written. The after-sales module's
 * AssigneeDutyFence is the implementation; without one, the complaint is appended alone.
 */
export abstract class AssigneeFence {
  abstract takePart(holder: DutyHolder, complaintId: string, context: CommandContext): AppendPart;
}

/**
 * Encrypts the personal values of an event's data (at the given paths) with the customer's data
 * key, before the executor chains and appends it (docs/adr/0019). `PersonalDataCipher` of
 * @app/key-store is the implementation; without one, events are stored as they are.
 */
export abstract class PersonalDataSealer {
  abstract seal(customerId: string, stream: string, data: Record<string, unknown>, paths: readonly (readonly string[])[]): Promise<Record<string, unknown>>;
  /**
   * A digest of a request about the customer's records (CommandContext.request), keyed by the
   * customer's live data key, naming the key: a plain hash of a request that holds a phone number
   * would let anyone who reads the log guess the number back once the customer is erased. Null when
   * the customer has no live key (none is made for it).
   */
  abstract digest(customerId: string, text: string): Promise<string | null>;
  /** Whether the text gives this digest; null when its key was destroyed (erased): it can no longer be told. */
  abstract digestMatches(digest: string, text: string): Promise<boolean | null>;
  /**
   * Whether every one of these keys can still be read (none closed or destroyed by an erasure, in
   * any process): a state kept with values decrypted by them may be decided on only while it is so.
   */
  abstract readable(keyIds: readonly string[]): Promise<boolean>;
}

/**
 * Whether the actor may act now at all (an agent the service network has deactivated may not):
 * asked by the complaint executor before the department check of every command, and by the HTTP
 * edge before it answers a retry from its Idempotency-Key store. The after-sales module provides it;
 * without one, every principal may act.
 */
export abstract class ActingCheck {
  abstract requireActing(actor: Actor): Promise<void>;
}
