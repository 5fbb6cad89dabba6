import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { WorkOrderNotFoundError, servicePointOf, workOrderInScope, type DepartmentScope, type ExistingWorkOrder } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { WorkOrderRepository } from '../../work-order/work-order.repository';

export class GetWorkOrderQuery {
  /** `reader`: what the reader may see; an order outside it is "not found". */
  constructor(readonly workOrderId: string, readonly reader?: { readonly actorId: string; readonly scope: DepartmentScope }) {}
}

export interface WorkOrderView {
  readonly state: ExistingWorkOrder;
  readonly revision: number;
  readonly events: readonly RecordedEvent[];
}

/** The order folded from its stream: always up to date, whatever the read models say. */
@QueryHandler(GetWorkOrderQuery)
export class GetWorkOrderHandler implements IQueryHandler<GetWorkOrderQuery, WorkOrderView> {
  constructor(private readonly repository: WorkOrderRepository) {}

  async execute({ workOrderId, reader }: GetWorkOrderQuery): Promise<WorkOrderView> {
    const { state, revision, events } = await this.repository.load(workOrderId);
    if (state.status === 'none') throw new WorkOrderNotFoundError(workOrderId);
    if (reader && !workOrderInScope({ reportedBy: state.reportedBy, servicePoint: servicePointOf(state) }, reader.actorId, reader.scope)) {
      throw new WorkOrderNotFoundError(workOrderId);
    }
    return { state, revision, events };
  }
}
