import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceNetworkRepository, WorkOrderCommandExecutor, WorkOrderRepository } from '@app/after-sales';
import { ComplaintCommandExecutor, ComplaintRepository, SystemClock } from '@app/complaints';
import { CustomerFileCommandExecutor, CustomerFileMergeCompletion, CustomerFileRepository } from '@app/customers';
import type { EventStore } from '@app/event-store';
import { ALL_PROJECTIONS, ReadModelReader } from '@app/read-models';
import type { ReadStore } from '@app/read-store';
import { loadApiConfig, type ApiConfig } from '../../../apps/api/src/config/api-config';
import { openEngines } from '../../../apps/api/src/config/engines';
import { LeasedProjector, type LeasedProjectorParts } from '../../../apps/api/src/read-models/leased-projector';

export interface DataDirStores {
  readonly config: ApiConfig;
  readonly events: EventStore;
  readonly readStore: ReadStore;
}

/** A data dir of the describe block's own, its embedded stores opened as the API opens them (`env` added to DATA_DIR); closed and removed after the block, by an afterAll that runs after those declared before this call (declare there what must close while the stores are open). */
export function useDataDirStores(prefix: string, env: Record<string, string>): () => DataDirStores {
  let dir: string | undefined;
  let stores: DataDirStores | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    const config = loadApiConfig({ DATA_DIR: dir, ...env });
    const { eventStore, readStore } = await openEngines(config);
    stores = { config, events: eventStore, readStore };
  });
  afterAll(async () => {
    await stores?.events.close();
    await stores?.readStore.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    if (!stores) throw new Error('the stores are opened in beforeAll');
    return stores;
  };
}

/** A LeasedProjector on those stores, as the API builds it, with the runner and log given. */
export function leasedProjectorOn(stores: DataDirStores, mode: LeasedProjectorParts['mode'], runner: LeasedProjectorParts['runner'], log: LeasedProjectorParts['log']): LeasedProjector {
  const { config, events, readStore } = stores;
  const clock = new SystemClock();
  return new LeasedProjector({
    config, events, readStore, clock, mode, runner, log, reader: new ReadModelReader(readStore, ALL_PROJECTIONS),
    complaints: new ComplaintCommandExecutor(events, new ComplaintRepository(events), clock),
    workOrders: new WorkOrderCommandExecutor(events, new WorkOrderRepository(events), new ServiceNetworkRepository(events), clock),
    merges: new CustomerFileMergeCompletion(new CustomerFileCommandExecutor(events, new CustomerFileRepository(events), clock)),
  });
}
