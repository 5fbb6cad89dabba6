/**
 * The closed set of refusals decide() may throw. The HTTP edge maps each class to one status;
 * `code` is machine-readable and stable.
 */
export abstract class ComplaintDomainError extends Error {
  abstract readonly code: string;
}

export class ComplaintNotFoundError extends ComplaintDomainError {
  readonly code = 'complaint-not-found';
  constructor(readonly complaintId: string) {
    super(`No complaint with id ${complaintId}.`);
  }
}

export class ComplaintAlreadyExistsError extends ComplaintDomainError {
  readonly code = 'complaint-already-exists';
  constructor(readonly complaintId: string) {
    super(`Complaint ${complaintId} has already been received.`);
  }
}

/** The command is not allowed in the complaint's current status. */
export class IllegalTransitionError extends ComplaintDomainError {
  constructor(
    readonly code: string,
    readonly command: string,
    readonly currentStatus: string,
    message: string,
  ) {
    super(message);
  }
}

/** The command itself breaks a domain rule whatever the status (a value out of range). */
export class InvalidComplaintCommandError extends ComplaintDomainError {
  constructor(
    readonly code: string,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
