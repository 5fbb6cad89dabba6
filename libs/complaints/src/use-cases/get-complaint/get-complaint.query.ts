import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ComplaintNotFoundError, complaintInScope, departmentOf, type DepartmentScope, type ExistingComplaint } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { ComplaintRepository } from '../../complaint-repository';

export class GetComplaintQuery {
  /** `scope`: what the reader may see; a complaint outside it is "not found". */
  constructor(readonly complaintId: string, readonly reader?: { readonly actorId: string; readonly scope: DepartmentScope }) {}
}

export interface ComplaintView {
  readonly state: ExistingComplaint;
  readonly revision: number;
  readonly events: readonly RecordedEvent[];
}

/** The current state folded from the stream: always up to date, whatever the read models say. */
@QueryHandler(GetComplaintQuery)
export class GetComplaintHandler implements IQueryHandler<GetComplaintQuery, ComplaintView> {
  constructor(private readonly repository: ComplaintRepository) {}

  async execute({ complaintId, reader }: GetComplaintQuery): Promise<ComplaintView> {
    const { state, revision, events } = await this.repository.load(complaintId);
    if (state.status === 'none') throw new ComplaintNotFoundError(complaintId);
    if (reader && !complaintInScope({ receivedBy: state.receivedBy, department: departmentOf(state) }, reader.actorId, reader.scope)) throw new ComplaintNotFoundError(complaintId);
    return { state, revision, events };
  }
}
