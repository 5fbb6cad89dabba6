import { Injectable } from '@nestjs/common';
import { absorbedBy, CustomerFileNotFoundError, samePrincipal, type DepartmentScope } from '@app/domain';
import { CustomerFileRepository, type LoadedCustomerFile } from '@app/customers';
import { ComplaintListQuery } from '@app/read-models';

/**
 * Who may see a customer file when limited to departments (docs/adr/0013, "Department scope"): the
 * principal who opened it, and anyone who sees one of the customer's complaints (those of the files
 * merged into it too, at any depth). Anyone else is told there is no file it may see, also when it
 * opens a file under an id already taken (requireNotHidden). The complaints are looked up in the
 * complaint list read model, so a file becomes visible to a department once the projection has
 * applied the assignment (milliseconds in one process).
 */
@Injectable()
export class CustomerFileAccess {
  constructor(
    private readonly files: CustomerFileRepository,
    private readonly complaints: ComplaintListQuery,
  ) {}

  async requireVisible(customerId: string, actorId: string, scope: DepartmentScope): Promise<void> {
    if (scope === 'all') return;
    await this.requireSeen(await this.files.load(customerId), customerId, actorId, scope);
  }

  /**
   * For opening a file under a given id: a file there that the caller may not see is answered as on
   * a read (404), so that a 409 naming it, or its survivor, does not tell that it exists.
   */
  async requireNotHidden(customerId: string, actorId: string, scope: DepartmentScope): Promise<void> {
    if (scope === 'all') return;
    const loaded = await this.files.load(customerId);
    if (loaded.state.status !== 'none') await this.requireSeen(loaded, customerId, actorId, scope);
  }

  private async requireSeen({ state, openedBy }: LoadedCustomerFile, customerId: string, actorId: string, scope: Exclude<DepartmentScope, 'all'>): Promise<void> {
    if (openedBy !== null && samePrincipal(openedBy.id, actorId)) return;
    // Without a file (an intake cut short), the customer's complaints decide: an erasure may reach it (docs/adr/0019).
    // The files merged into it count at any depth (A into B, then B into C: A's complaints are B's and C's customer's).
    const customerIds = state.status === 'erased' ? state.coveredFileIds : [customerId, ...(await this.files.filesMergedInto(absorbedBy(state)))];
    for (const id of customerIds) {
      const page = await this.complaints.list({ customerId: id }, { limit: 1 }, undefined, { actorId, scope });
      if (page.items.length > 0) return;
    }
    throw new CustomerFileNotFoundError(customerId, true);
  }
}
