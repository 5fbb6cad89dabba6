import { randomUUID } from 'node:crypto';
import { SERVICE_NETWORK_EVENT_SCHEMA_VERSIONS, SERVICE_NETWORK_STREAM, initialServiceNetworkState, type ServiceNetworkEvent } from '@app/domain';
import { branchRegistered, centreRegistered, engineerAdded, secondEngineerAdded, stationRegistered } from '@app/domain/service-network/testing/service-network.fixtures';
import { EventStore, SqliteEventStore, StreamNotFoundError, type ReadStreamOptions, type RecordedEvent } from '@app/event-store';
import { ServiceNetworkRepository } from './service-network.repository';

const stored = (event: ServiceNetworkEvent) => ({ eventId: randomUUID(), type: event.type, data: event.data as unknown as Record<string, unknown>, metadata: { schemaVersion: SERVICE_NETWORK_EVENT_SCHEMA_VERSIONS[event.type] } });
const deactivated: ServiceNetworkEvent = {
  type: 'EngineerDeactivated', data: { engineerId: 'eng-wang', station: 'dandong-station', deactivatedAt: '2026-03-02T05:00:00.000Z', by: { id: 'admin-zhao', role: 'admin' }, reason: 'left' },
};

describe('the service network as it stands now (current), read incrementally', () => {
  let store: SqliteEventStore;
  beforeEach(() => {
    store = new SqliteEventStore({ filename: ':memory:' });
  });
  afterEach(() => store.close());

  it('folds what load() folds, also what another process wrote since, reading only from the last event it read on', async () => {
    const repository = new ServiceNetworkRepository(store);
    expect(await repository.current()).toEqual(initialServiceNetworkState);
    await store.append(SERVICE_NETWORK_STREAM, [centreRegistered, stationRegistered, engineerAdded].map(stored));
    expect(await repository.current()).toEqual((await repository.load()).state);

    const reads = jest.spyOn(store, 'readStream');
    // Written by another instance of the API: the next call sees it.
    await store.append(SERVICE_NETWORK_STREAM, [secondEngineerAdded, deactivated].map(stored));
    const now = await repository.current();
    expect(now).toEqual((await new ServiceNetworkRepository(store).load()).state);
    expect(now.engineers.get('eng-wang')).toMatchObject({ active: false, deactivatedAt: '2026-03-02T05:00:00.000Z' });
    expect(reads.mock.calls[0]).toEqual([SERVICE_NETWORK_STREAM, { fromRevision: 2 }]);
    // Nothing new: the same state, from a read of nothing.
    expect(await repository.current()).toBe(now);
    expect(reads.mock.calls.at(-1)).toEqual([SERVICE_NETWORK_STREAM, { fromRevision: 4 }]);
  });

  /** A store whose stream is what the test says: soft-deleted and written again, or deleted. */
  class ScriptedStore {
    events: RecordedEvent[] = [];
    gone = false;
    async readStream(_stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
      if (this.gone) throw new StreamNotFoundError(SERVICE_NETWORK_STREAM);
      return this.events.filter((event) => event.revision >= (options.fromRevision ?? 0));
    }
  }
  const recorded = (event: ServiceNetworkEvent, revision: number): RecordedEvent =>
    ({ ...stored(event), stream: SERVICE_NETWORK_STREAM, revision, position: revision + 1, recordedAt: '2026-03-02T05:00:00.000Z' }) as RecordedEvent;

  it('reads the stream again from its start when it was deleted on the server and written again (its revisions go on), and starts over when it is gone', async () => {
    const scripted = new ScriptedStore();
    const repository = new ServiceNetworkRepository(scripted as unknown as EventStore);
    scripted.events = [recorded(centreRegistered, 0), recorded(stationRegistered, 1), recorded(engineerAdded, 2)];
    expect([...(await repository.current()).engineers.keys()]).toEqual(['eng-wang']);
    // Soft-deleted after revision 2, then written again from revision 3 on: eng-wang is no longer in it.
    scripted.events = [recorded(centreRegistered, 3), recorded(branchRegistered, 4), recorded(secondEngineerAdded, 5)];
    expect([...(await repository.current()).engineers.keys()]).toEqual(['eng-liu']);
    scripted.gone = true;
    expect(await repository.current()).toEqual(initialServiceNetworkState);
});
});
