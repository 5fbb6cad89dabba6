import { ForbiddenException } from '@nestjs/common';
import type { DepartmentScope } from '@app/domain';

/** The service network and the product registry belong to no department: a token limited to some may read them, not change them. */
export function requireEveryDepartment(scope: DepartmentScope, what: string): void {
  if (scope !== 'all') throw new ForbiddenException(`${what} spans every department; your token is limited to ${scope.join(', ')}.`);
}
