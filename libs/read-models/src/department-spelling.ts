import { principalKey } from '@app/domain';
import type { ProjectionContext } from '@app/projections';

/**
 * How the read models key a department (or station) code: as the directory reads a unit's code and as a scope compares one
 * (departmentInScope, principalKey: letter case and width aside), so that `Billing` and `billing`, recorded while the
 * directory had no unit, are one department to a filter, a token and a row of the statistics.
 */
export const departmentKey = (department: string): string => principalKey(department);

/** The collection of a projection that keeps each department's first spelling (RecordedDepartment), by departmentKey. */
export const DEPARTMENTS = 'departments';

/** A department as the assignments first recorded it (id: its departmentKey). */
export interface RecordedDepartment {
  readonly id: string;
  readonly code: string;
  readonly [key: string]: unknown;
}

/**
 * A department's spelling as the first assignment to it recorded it, recorded now if this is the first: in log order, so
 * a rebuild names it the same, and every projection that keeps one names it alike. The projection's reads() names the
 * document (DEPARTMENTS, departmentKey) for each ComplaintAssigned.
 */
export function firstSpelling(context: ProjectionContext, department: string): string {
  const key = departmentKey(department);
  const known = context.get<RecordedDepartment>(DEPARTMENTS, key);
  if (known !== undefined) return known.code;
  context.put(DEPARTMENTS, { id: key, code: department });
  return department;
}
