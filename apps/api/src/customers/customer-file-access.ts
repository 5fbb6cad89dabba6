import { Injectable } from '@nestjs/common';
import { CustomerFileNotFoundError, type DepartmentScope } from '@app/domain';
import { CustomerFileRepository } from '@app/customers';
import { ComplaintListQuery } from '@app/read-models';

/**
 * Who may see a customer file when limited to departments (docs/adr/0013, "Department scope"): the
 * principal who opened it, and anyone who sees one of the customer's complaints (those of the files
 * merged into it too). Anyone else is told it does not exist. The complaints are looked up in the
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
    const { state, openedBy } = await this.files.load(customerId);
    if (openedBy?.id === actorId) return;
    // Without a file (an intake cut short), the customer's complaints decide: an erasure may reach it (docs/adr/0019).
    const customerIds = state.status === 'active' ? [customerId, ...state.absorbed] : state.status === 'erased' ? state.coveredFileIds : [customerId];
    for (const id of customerIds) {
      const page = await this.complaints.list({ customerId: id }, { limit: 1 }, undefined, { actorId, scope });
      if (page.items.length > 0) return;
    }
    throw new CustomerFileNotFoundError(customerId);
  }
}
