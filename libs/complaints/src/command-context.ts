import type { Actor, DepartmentScope } from '@app/domain';

/** Technical context of one command, recorded in the metadata of every event it produces. */
export interface CommandContext {
  /** UUID; the event ids derive from it, so a retried command is recognised. */
  readonly commandId: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly actor: Actor;
  /**
   * The revision the caller saw (If-Match), or the revisions it accepts (an If-Match list: any of
   * them matches); a mismatch is a PreconditionFailedError.
   */
  readonly expectedRevision?: ExpectedRevisions;
  /** Departments the actor may act in; a complaint outside them is "not found". Absent: every department. */
  readonly scope?: DepartmentScope;
  /**
   * The request the command id stands for, as its caller fingerprints it (HTTP: method, path and
   * canonical body, as the Idempotency-Key store keeps it). Its digest is recorded with the events;
   * the command id found again in the stream answers as before only for the same request, another
   * is refused as a reused key (StreamCommandExecutor). Absent: a command no request asked (a
   * process manager's, whose id derives from its cause), answered by its command id alone.
   */
  readonly request?: string;
}

/** What If-Match asks: one revision, or a list of which any will do. */
export type ExpectedRevisions = number | readonly number[];

/** Whether a revision (null: the aggregate has none yet) is one that If-Match accepts. */
export function revisionMatches(expected: ExpectedRevisions, actual: number | null): boolean {
  return actual !== null && (typeof expected === 'number' ? expected === actual : expected.includes(actual));
}

export interface CommandOutcome {
  readonly id: string;
  readonly revision: number;
  readonly position: number;
}

/**
 * A command id (an Idempotency-Key) seen before with another request: what it recorded does not
 * match this one. The HTTP edge answers 422 idempotency-key-reused, as for a stored answer.
 */
export class CommandIdReusedError extends Error {
  constructor(detail = 'This Idempotency-Key was already used with a different request; use a new key for a new request.') {
    super(detail);
  }
}

/**
 * An intake (a complaint's receipt, a fault report) whose Idempotency-Key already recorded one for
 * another customer, under an earlier request whose stored answer has expired: refused as reused,
 * rather than answered with that record while this request's customer gets a file opened for it.
 */
export function refuseIntakeKeyOfAnotherCustomer(kind: string, recordedCustomerId: string | null, customerId: string): void {
  if (recordedCustomerId === null || recordedCustomerId === customerId) return;
  throw new CommandIdReusedError(`This Idempotency-Key already recorded a ${kind} for another customer (an earlier request whose stored answer has expired). Nothing was recorded; send this request with a new Idempotency-Key.`);
}

export class PreconditionFailedError extends Error {
  readonly code = 'revision-mismatch';
  /** `detail`: what happened, when it is more than a revision that moved on (another writer that came first at the same one). */
  constructor(readonly complaintId: string, readonly expected: ExpectedRevisions, readonly actual: number | null, kind = 'complaint', detail?: string) {
    super(detail ?? `The ${kind} is at revision ${actual ?? 'none'}, not ${typeof expected === 'number' ? expected : expected.join(' or ')}: reload it and decide again.`);
  }
}

/** Other writers kept changing the aggregate (a complaint, a work order …) while this command was retried. */
export class ConcurrentModificationError extends Error {
  readonly code = 'concurrent-modification';
  constructor(readonly complaintId: string, kind = 'complaint') {
    super(`The ${kind} ${complaintId} changed concurrently too often; try again.`);
  }
}

/**
 * One request's outcome from the commands it had decided together: the request's own aggregate
 * (the first) with the highest position, which a reader that waits for the request waits for.
 */
export function outcomeOfRequest(outcomes: readonly CommandOutcome[]): CommandOutcome {
  return { ...outcomes[0]!, position: Math.max(...outcomes.map((outcome) => outcome.position)) };
}
