import type { ValidationError } from 'class-validator';
import { fieldErrorsOf } from './field-errors';
import type { ProblemCode } from './problem';

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export class RequestValidationError extends Error {
  constructor(readonly errors: FieldError[]) {
    super(`The request is invalid: ${errors.map((error) => `${error.field}: ${error.message}`).join('; ')}`);
  }

  /** One message per field that says how to fix it (see fieldErrorsOf). */
  static fromClassValidator(errors: ValidationError[]): RequestValidationError {
    return new RequestValidationError(fieldErrorsOf(errors));
  }
}

export class IdempotencyKeyReusedError extends Error {
  constructor() {
    super('This Idempotency-Key was already used with a different request; use a new key for a new request.');
  }
}

export class ResourceNotFoundError extends Error {
  constructor(readonly code: ProblemCode, message: string) {
    super(message);
  }
}

/** The resource is in a state that refuses the request (a webhook delivery still waiting, asked to be sent again): 409 with its code. */
export class ResourceConflictError extends Error {
  constructor(readonly code: ProblemCode, message: string) {
    super(message);
  }
}

/**
 * A command that must name the revision it changes came without If-Match (428): it says where the
 * ETag is read. Nothing was written.
 */
export class PreconditionRequiredError extends Error {
  constructor(message: string) {
    super(message);
  }
}

/** What an id from a header may look like (request, correlation and causation ids). */
export const HEADER_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** An optional id header: absent → undefined, malformed → 400 naming it. */
export function idHeader(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const raw = headers[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined) return undefined;
  if (!HEADER_ID.test(value)) throw new RequestValidationError([{ field: name, message: `${name} must be 1–100 letters, digits or . _ : -` }]);
  return value;
}

/** An Accept header that allows none of the representations the route has. */
export class NotAcceptableError extends Error {
  constructor(readonly accept: string, readonly available: readonly string[]) {
    super(`This route answers ${available.join(' or ')} (or add format=${available.map((type) => type.split('/')[1]).join('|')} to the query); the Accept header allows neither.`);
  }
}
