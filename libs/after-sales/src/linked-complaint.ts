import { DomainError, complaintInScope, departmentOf, type DepartmentScope } from '@app/domain';
import type { ComplaintRepository } from '@app/complaints';

/** A work order names a complaint that does not exist, or that the actor may not see (the same answer, so nothing leaks). */
export class UnknownComplaintError extends DomainError {
  readonly code = 'unknown-complaint';
  readonly kind = 'invalid' as const;
  constructor(readonly complaintId: string, readonly field: string) {
    super(`No complaint ${complaintId} that you can see: link a complaint by the id it was received under.`);
  }
}

/** A link is checked when it is made: both trails then name something that exists. */
export async function requireLinkableComplaint(complaints: ComplaintRepository, complaintId: string, field: string, actorId: string, scope: DepartmentScope | undefined): Promise<void> {
  const { state } = await complaints.load(complaintId);
  if (state.status === 'none') throw new UnknownComplaintError(complaintId, field);
  if (scope !== undefined && !complaintInScope({ receivedBy: state.receivedBy, department: departmentOf(state) }, actorId, scope)) {
    throw new UnknownComplaintError(complaintId, field);
  }
}
