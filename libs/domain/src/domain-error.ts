/**
 * What kind of refusal a domain error is, so that the HTTP edge can map a whole family of errors
 * with one rule: `not-found` → 404, `conflict` → 409 (the command does not fit the aggregate's
 * state; nothing is written), `invalid` → 400 (the command itself breaks a rule, whatever the state),
 * `forbidden` → 403 (the principal may not act at all now, whatever the command and the aggregate).
 */
export type RefusalKind = 'not-found' | 'conflict' | 'invalid' | 'forbidden';

/**
 * Base of the domain errors of the after-sales aggregates (work orders, products, the service
 * network). Each aggregate keeps its own small closed set of subclasses; `code` is stable and
 * machine-readable.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly kind: RefusalKind;
}
