import { DomainError } from '../domain-error';

/**
 * The closed set of refusals the customer-file decider may throw. `code` is machine-readable and
 * stable; `kind` (DomainError) lets the HTTP edge map the whole family with one rule; an invalid
 * command's `field` names the input to fix.
 */
export abstract class CustomerFileDomainError extends DomainError {}

export class CustomerFileNotFoundError extends CustomerFileDomainError {
  readonly code = 'customer-file-not-found';
  readonly kind = 'not-found';
  constructor(readonly customerId: string) {
    super(`There is no customer file ${customerId}; open it first.`);
  }
}

export class CustomerFileAlreadyExistsError extends CustomerFileDomainError {
  readonly code = 'customer-file-already-exists';
  readonly kind = 'conflict';
  constructor(readonly customerId: string) {
    super(`Customer file ${customerId} is already open; update its sections instead of opening it again.`);
  }
}

/** The file was absorbed by another: the caller should send the command to `survivorId`. */
export class CustomerFileMergedError extends CustomerFileDomainError {
  readonly code = 'customer-file-merged';
  readonly kind = 'conflict';
  constructor(readonly customerId: string, readonly survivorId: string, readonly mergedAt: string) {
    super(`Customer file ${customerId} was merged into ${survivorId} at ${mergedAt} and is closed; send this to ${survivorId} instead.`);
  }
}

export class CustomerFileErasedError extends CustomerFileDomainError {
  readonly code = 'customer-file-erased';
  readonly kind = 'conflict';
  constructor(readonly customerId: string, readonly erasedAt: string) {
    super(
      `The personal data of customer file ${customerId} were erased at ${erasedAt}; the file takes no more changes. `
      + 'If the customer agrees to be recorded again, open a new file under a new id.',
    );
  }
}

/** The command is well-formed but does not fit the file as it stands. */
export class CustomerFileConflictError extends CustomerFileDomainError {
  readonly kind = 'conflict';
  constructor(readonly code: string, readonly command: string, message: string) {
    super(message);
  }
}

/**
 * The update would leave the file as it is. Refused rather than recorded, so that the history
 * holds only changes; a retried command is recognised by its command id before deciding, so a
 * retry is never refused by this.
 */
export class NothingToChangeError extends CustomerFileDomainError {
  readonly code = 'nothing-changed';
  readonly kind = 'conflict';
  constructor(readonly customerId: string, readonly what: string) {
    super(`Nothing to change: the ${what} of customer file ${customerId} already says this. Send only the fields that differ.`);
  }
}

/** The command itself breaks a rule, whatever the file holds. */
export class InvalidCustomerFileCommandError extends CustomerFileDomainError {
  readonly kind = 'invalid';
  constructor(readonly code: string, readonly field: string, message: string) {
    super(message);
  }
}
