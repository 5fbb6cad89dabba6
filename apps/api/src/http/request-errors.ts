import type { ValidationError } from 'class-validator';
import { fieldErrorsOf } from './field-errors';
import type { ProblemCode } from './problem';
import { MEANINGFUL_TEXT_CONSTRAINT } from '../complaints/dto/fields';

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export class RequestValidationError extends Error {
  constructor(readonly errors: FieldError[], readonly code: ProblemCode = 'validation-failed') {
    super(`The request is invalid: ${errors.map((error) => `${error.field}: ${error.message}`).join('; ')}`);
  }

  /** One message per field that says how to fix it (see fieldErrorsOf); the code of a blank text where that is the only fault. */
  static fromClassValidator(errors: ValidationError[]): RequestValidationError {
    return new RequestValidationError(fieldErrorsOf(errors), blankCodeOf(errors) ?? 'validation-failed');
  }
}

/**
 * A field whose command answered a blank text with a code of its own before the DTO refused it
 * (Text's blankCode: `reason-required`, `blank-text` …) keeps that code, so clients that switch on it
 * see no change; only when every fault of the request is such a blank, and they agree on the code.
 */
function blankCodeOf(errors: readonly ValidationError[]): ProblemCode | undefined {
  const leaves = (list: readonly ValidationError[]): ValidationError[] => list.flatMap((error) => [
    ...(Object.keys(error.constraints ?? {}).length > 0 ? [error] : []), ...leaves(error.children ?? []),
  ]);
  const codes = new Set(leaves(errors).map((error) => {
    const failed = Object.keys(error.constraints ?? {});
    const code = (error.contexts?.[MEANINGFUL_TEXT_CONSTRAINT] as { problemCode?: ProblemCode } | undefined)?.problemCode;
    return failed.length === 1 && failed[0] === MEANINGFUL_TEXT_CONSTRAINT ? code : undefined;
  }));
  const [only] = codes;
  return codes.size === 1 ? only : undefined;
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
  /**
   * `formatParameter`: the route also takes `format=` in the query (the CSV exports, the feed); a JSON-only route does not.
   * `why`: what in the Accept cannot be met and what to send instead (a CSV with `header=absent`, a parameter repeated …),
   * in place of "allows neither" when the header names a type the route answers.
   */
  constructor(readonly accept: string, readonly available: readonly string[], formatParameter = true, why?: string) {
    const formats = `This route answers ${available.join(' or ')} (or add format=${available.map((type) => type.split('/')[1]).join('|')} to the query)`;
    super(!formatParameter
      ? why === undefined ? `This route answers ${available.join(' or ')} only, not CSV (the lists and statistics do); send Accept: ${available[0]} or leave Accept out.`
        : `This route answers ${available.join(' or ')} only, but ${why}`
      : why === undefined ? `${formats}; the Accept header allows neither.` : `${formats}, but ${why}`);
  }
}
