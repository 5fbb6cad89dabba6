import { InvalidQueryError, type FieldFilter, type ReadDocument, type Scalar } from './read-store.port';

/**
 * What every read-store adapter checks and encodes the same way: field names, filter values and
 * the keyset cursor, so a cursor or a refusal means the same on SQLite and MongoDB.
 */
const FIELD = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
export const MAX_LIMIT = 1000;

/** Only plain (dotted) names pass: no operators, quotes or JSON-path syntax. */
export function checkField(field: string): string {
  if (typeof field !== 'string' || !FIELD.test(field)) throw new InvalidQueryError(`invalid field name: ${String(field)}`);
  return field;
}

export function pageLimit(limit: number | undefined): number {
  return Math.min(Math.max(1, limit ?? 100), MAX_LIMIT);
}

export function isScalar(value: unknown): value is Scalar {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

export type CheckedCondition =
  | { readonly kind: 'eq'; readonly value: Scalar }
  | { readonly kind: 'in'; readonly values: readonly Scalar[] }
  | { readonly kind: 'range'; readonly bounds: ReadonlyArray<readonly ['gte' | 'gt' | 'lte' | 'lt', string | number]> };

/** A filter condition checked against the port's shapes (anything else is an InvalidQueryError). */
export function checkCondition(field: string, condition: FieldFilter): CheckedCondition {
  if (isScalar(condition)) return { kind: 'eq', value: condition };
  if (typeof condition !== 'object' || Array.isArray(condition)) throw new InvalidQueryError(`invalid condition for ${field}`);
  if ('in' in condition) {
    if (!Array.isArray(condition.in) || !condition.in.every(isScalar)) throw new InvalidQueryError(`${field}.in must be a list of strings, numbers, booleans or null`);
    return { kind: 'in', values: condition.in };
  }
  const bounds: Array<readonly ['gte' | 'gt' | 'lte' | 'lt', string | number]> = [];
  for (const key of ['gte', 'gt', 'lte', 'lt'] as const) {
    const value = (condition as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' && (typeof value !== 'number' || !Number.isFinite(value))) throw new InvalidQueryError(`range bound ${field}.${key} must be a string or number`);
    bounds.push([key, value]);
  }
  if (bounds.length === 0) throw new InvalidQueryError(`empty condition for ${field}`);
  return { kind: 'range', bounds };
}

export function valueAt(document: ReadDocument, field: string): unknown {
  return field.split('.').reduce<unknown>((value, key) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), document);
}

/** A cursor is the sort values and the id of the last document of a page. */
export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string, length: number): Array<string | number> {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidQueryError('invalid cursor');
  }
  if (!Array.isArray(values) || values.length !== length || !values.every((value) => typeof value === 'string' || typeof value === 'number')) {
    throw new InvalidQueryError('invalid cursor');
  }
  return values as Array<string | number>;
}
