import { ServiceNetworkRepository, WorkOrderCommandExecutor, WorkOrderRepository } from '@app/after-sales';
import { Clock, ComplaintCommandExecutor, ComplaintRepository } from '@app/complaints';
import { CustomerFileCommandExecutor, CustomerFileMergeCompletion, CustomerFileRepository } from '@app/customers';
import type { EventStore } from '@app/event-store';
import { ProjectionRunner } from '@app/projections';
import { ALL_PROJECTIONS, erasesPersonalData, projectionGroups, ReadModelReader } from '@app/read-models';
import type { ReadStore } from '@app/read-store';
import type { ApiConfig } from '../../api/src/config/api-config';
import { LeasedProjector, type ProjectorLog } from '../../api/src/read-models/leased-projector';
import { ProjectionWorker } from '../../api/src/read-models/projection-worker';
import { storeSettingsOf } from '../../api/src/workers/worker-thread';

/**
 * The work of apps/projector on these stores, under the `projector` lease: every projection (on
 * `threads` worker threads, or with `inline` on this thread, for tests), the SLA monitors, the merge
 * completion, the notifier and webhook delivery. Not started: `begin()` it.
 */
export function createProjector(
  config: ApiConfig, engines: { readonly eventStore: EventStore; readonly readStore: ReadStore }, clock: Clock, log: ProjectorLog,
  run: { readonly threads: number } | 'inline',
): LeasedProjector {
  const { eventStore: events, readStore } = engines;
  const reader = new ReadModelReader(readStore, ALL_PROJECTIONS);
  return new LeasedProjector({
    config, events, readStore, clock, reader, mode: run === 'inline' ? 'inline' : 'worker',
    complaints: new ComplaintCommandExecutor(events, new ComplaintRepository(events), clock),
    workOrders: new WorkOrderCommandExecutor(events, new WorkOrderRepository(events), new ServiceNetworkRepository(events), clock),
    merges: new CustomerFileMergeCompletion(new CustomerFileCommandExecutor(events, new CustomerFileRepository(events), clock)),
    runner: run === 'inline'
      ? () => new ProjectionRunner(events, readStore, ALL_PROJECTIONS, { forgetDeletedAfter: erasesPersonalData, onError: (projection, error) => log('projections', 'error', `projection ${projection} stopped: ${String(error)}`) })
      : () => new ProjectionWorker(storeSettingsOf(config), { log: (level, message) => log('projections', level, message) }, projectionGroups(run.threads)),
    log,
  });
}
