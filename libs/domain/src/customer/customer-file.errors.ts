import { DomainError } from '../domain-error';
import { asciiShown } from '../visible-text';
import type { CustomerFileTaxonomyName } from './customer-file.taxonomy';

/** Every rule the file as it stands can break (409, nothing written), by its stable code. */
export const CUSTOMER_FILE_CONFLICT_CODES = ['too-many-contacts', 'survivor-merged', 'survivor-erased'] as const;
export type CustomerFileConflict = (typeof CUSTOMER_FILE_CONFLICT_CODES)[number];

/**
 * Every rule a command can break whatever the file holds (400), by its stable code; a value missing
 * from one of the file's tables is `unknown-<table>`.
 */
export const INVALID_CUSTOMER_FILE_COMMAND_CODES = [
  'invalid-customer-id', 'invalid-text', 'blank-text', 'text-too-long', 'required', 'invalid-phone', 'invalid-email', 'invalid-date', 'date-in-future', 'date-too-far-ahead',
  'invalid-period', 'period-in-future', 'invalid-count', 'invalid-share', 'invalid-volume', 'invalid-rating', 'invalid-flag', 'invalid-category',
  'invalid-contacts', 'too-many-contacts', 'contact-unreachable', 'unknown-contact', 'invalid-channels', 'too-many-channels', 'duplicate-channel',
  'shares-above-whole', 'segments-disagree', 'unsigned-contract-dated', 'term-ends-before-it-starts', 'invalid-policy', 'volume-unit-mismatch',
  'reason-required', 'merge-into-itself', 'unknown-survivor', 'unknown-channel', 'unknown-customerSegment',
  'unknown-category', 'unknown-customerType', 'unknown-creditRating', 'unknown-importanceLevel', 'unknown-consumerKind', 'unknown-usage',
  'unknown-driverType', 'unknown-locality', 'unknown-settlement', 'unknown-volumeUnit', 'unknown-erasureGround',
] as const;
export type InvalidCustomerFileCommand = (typeof INVALID_CUSTOMER_FILE_COMMAND_CODES)[number];
/** The code of a value missing from one of the file's tables (a table added without its code above does not compile). */
export const unknownCodeOf = (table: CustomerFileTaxonomyName): InvalidCustomerFileCommand => `unknown-${table}`;

/** Every code a customer-file refusal carries: the ones above and those of the error classes below. */
export const CUSTOMER_FILE_ERROR_CODES = [
  'customer-file-not-found', 'customer-file-already-exists', 'customer-file-merged', 'customer-file-erased', 'nothing-changed',
  ...CUSTOMER_FILE_CONFLICT_CODES, ...INVALID_CUSTOMER_FILE_COMMAND_CODES,
] as const;

/**
 * The closed set of refusals the customer-file decider may throw. `code` is machine-readable and
 * stable; `kind` (DomainError) lets the HTTP edge map the whole family with one rule; an invalid
 * command's `field` names the input to fix.
 */
export abstract class CustomerFileDomainError extends DomainError {}

export class CustomerFileNotFoundError extends CustomerFileDomainError {
  readonly code = 'customer-file-not-found';
  readonly kind = 'not-found';
  /** `hidden`: asked by a caller limited to departments, for whom a file may exist that it does not see (nothing tells which). */
  constructor(readonly customerId: string, hidden = false) {
    // Escaped: the id may be a path's segment as typed (a zero-width space in it is not seen otherwise); a valid id is ASCII already.
    super(hidden
      ? `There is no customer file ${asciiShown(customerId)} that you may see: a token limited to departments sees the files it opened and those of customers whose complaints it sees; ask a colleague who sees all departments.`
      : `There is no customer file ${asciiShown(customerId)}; open it first.`);
  }
}

export class CustomerFileAlreadyExistsError extends CustomerFileDomainError {
  readonly code = 'customer-file-already-exists';
  readonly kind = 'conflict';
  constructor(readonly customerId: string) {
    super(`Customer file ${customerId} is already open; update its sections instead of opening it again.`);
  }
}

/**
 * The file was absorbed by another, `survivorId`: the caller should send the command to
 * `lastSurvivorId`, the end of the chain when the survivor was merged on too (followSurvivors; the
 * decider knows only the direct survivor, so the executor tells it with `followedTo`).
 */
export class CustomerFileMergedError extends CustomerFileDomainError {
  readonly code = 'customer-file-merged';
  readonly kind = 'conflict';
  constructor(readonly customerId: string, readonly survivorId: string, readonly mergedAt: string, readonly lastSurvivorId = survivorId) {
    super(lastSurvivorId === survivorId
      ? `Customer file ${customerId} was merged into ${survivorId} at ${mergedAt} and is closed; send this to ${survivorId} instead.`
      : `Customer file ${customerId} was merged into ${survivorId} at ${mergedAt} and is closed; ${survivorId} was since merged on, `
        + `and the file that stays for it now is ${lastSurvivorId}: send this to ${lastSurvivorId} instead.`);
  }

  /** The same refusal, naming the file at the end of the survivor's chain of merges. */
  followedTo(lastSurvivorId: string): CustomerFileMergedError {
    return new CustomerFileMergedError(this.customerId, this.survivorId, this.mergedAt, lastSurvivorId);
  }
}

export class CustomerFileErasedError extends CustomerFileDomainError {
  readonly code = 'customer-file-erased';
  readonly kind = 'conflict';
  /** `nothing-left`: a repeated erasure found nothing recorded since the last one (no live data key, no stored file). */
  constructor(readonly customerId: string, readonly erasedAt: string, reason: 'closed' | 'nothing-left' = 'closed') {
    super(reason === 'nothing-left'
      ? `The personal data of customer file ${customerId} were erased at ${erasedAt}, and nothing personal was recorded for it since `
        + '(no data key, no stored file): there is nothing left to erase. Ask again if the customer is recorded again later.'
      : `The personal data of customer file ${customerId} were erased at ${erasedAt}; the file takes no more changes. `
        + 'If the customer agrees to be recorded again, open a new file under a new id.');
  }
}

/** The command is well-formed but does not fit the file as it stands. */
export class CustomerFileConflictError extends CustomerFileDomainError {
  readonly kind = 'conflict';
  constructor(readonly code: CustomerFileConflict, readonly command: string, message: string) {
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
  constructor(readonly code: InvalidCustomerFileCommand, readonly field: string, message: string) {
    super(message);
  }
}
