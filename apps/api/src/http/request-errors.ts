import type { ValidationError } from 'class-validator';

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export class RequestValidationError extends Error {
  constructor(readonly errors: FieldError[]) {
    super(`The request is invalid: ${errors.map((error) => `${error.field}: ${error.message}`).join('; ')}`);
  }

  static fromClassValidator(errors: ValidationError[], prefix = ''): RequestValidationError {
    const flat: FieldError[] = [];
    const walk = (list: ValidationError[], path: string) => {
      for (const error of list) {
        const field = path ? `${path}.${error.property}` : error.property;
        for (const message of Object.values(error.constraints ?? {})) flat.push({ field, message });
        if (error.children?.length) walk(error.children, field);
      }
    };
    walk(errors, prefix);
    return new RequestValidationError(flat);
  }
}

export class IdempotencyKeyReusedError extends Error {
  constructor() {
    super('This Idempotency-Key was already used with a different request; use a new key for a new request.');
  }
}

export class ResourceNotFoundError extends Error {
  constructor(readonly code: string, message: string) {
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
