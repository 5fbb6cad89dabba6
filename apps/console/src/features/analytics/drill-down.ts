import type { ListFilter } from '../complaints/api';
import { receivedIn, type Interval } from './periods';

export const DIMENSIONS = ['cause', 'behaviour', 'purpose', 'channel', 'department', 'segment'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** A complaint with no department yet: the statistics count it under this word (no unit may take it as its code). */
export const UNASSIGNED = 'unassigned';
/** A complaint's behaviour, purpose or segment not given: the statistics count it under this value. */
export const UNSPECIFIED = 'unspecified';
/** The dimensions a complaint may leave untold, whose statistics count it as `unspecified`. */
const MAY_GO_UNTOLD: ReadonlySet<Dimension> = new Set(['behaviour', 'purpose', 'segment']);

/**
 * The statistics' word for "none" a value of this dimension is, if it is one: `unassigned` for a department, `unspecified`
 * for a behaviour, purpose or segment. Elsewhere the same letters are a code (a unit may be coded `unspecified`).
 */
export function noneOf(dimension: Dimension, value: string): typeof UNASSIGNED | typeof UNSPECIFIED | undefined {
  if (dimension === 'department') return value === UNASSIGNED ? UNASSIGNED : undefined;
  return MAY_GO_UNTOLD.has(dimension) && value === UNSPECIFIED ? UNSPECIFIED : undefined;
}

/**
 * The queue's filter for the complaints behind a number: this dimension's value, received in this period; null where no
 * list filter selects them. `unassigned` is one (GET /complaints?department=unassigned lists the complaints with no
 * department yet, as the statistics count them: a complaint's current department); `unspecified` is none (the list's
 * behaviour, purpose and segment take taxonomy codes only).
 */
export function cellFilter(dimension: Dimension, value: string, period: string, interval: Interval): ListFilter | null {
  if (noneOf(dimension, value) === UNSPECIFIED) return null;
  return { [dimension]: value, ...receivedIn(period, interval) };
}
