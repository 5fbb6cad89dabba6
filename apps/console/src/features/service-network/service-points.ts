import type { Engineer, ServiceUnit } from '../dispatch/api';

/** A unit where engineers work (the centre, a branch, a station; a department is a desk of agents), with its engineers. */
export interface ServicePoint {
  readonly unit: ServiceUnit;
  readonly engineers: readonly Engineer[];
}

/**
 * The service network as seed 002 draws it: the centre, then each branch followed by the stations under it, then the
 * stations under the centre, each in registration order; a unit whose parent is not listed comes last rather than not
 * at all. Each with its engineers, active or not, in the order they were added.
 */
export function servicePoints(units: readonly ServiceUnit[], engineers: readonly Engineer[]): ServicePoint[] {
  const points = units.filter((unit) => unit.kind !== 'department');
  const ordered: ServiceUnit[] = [];
  const visit = (unit: ServiceUnit) => {
    if (ordered.includes(unit)) return;
    ordered.push(unit);
    const children = points.filter((child) => child.parent === unit.code);
    for (const child of [...children.filter((child) => child.kind === 'branch'), ...children.filter((child) => child.kind !== 'branch')]) visit(child);
  };
  for (const unit of points.filter((unit) => unit.parent === null)) visit(unit);
  for (const unit of points) visit(unit);
  return ordered.map((unit) => ({ unit, engineers: engineers.filter((engineer) => engineer.station === unit.code) }));
}
