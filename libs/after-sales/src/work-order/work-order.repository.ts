import { Injectable } from '@nestjs/common';
import { evolveWorkOrder, initialWorkOrderState, upcastWorkOrderEvent, workOrderStreamName, type WorkOrderState } from '@app/domain';
import type { LoadedStream } from '@app/complaints';
import { EventStore } from '@app/event-store';
import { loadStream } from '../stream-loader';

/** Reads a work order's stream (work-order-<id>) and folds it. */
@Injectable()
export class WorkOrderRepository {
  constructor(private readonly eventStore: EventStore) {}

  load(workOrderId: string): Promise<LoadedStream<WorkOrderState>> {
    return loadStream(this.eventStore, workOrderStreamName(workOrderId), { initialState: initialWorkOrderState, evolve: evolveWorkOrder, upcast: upcastWorkOrderEvent });
  }
}
