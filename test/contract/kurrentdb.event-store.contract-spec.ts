import { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { KurrentDbEventStore } from '@app/event-store';
import { describeEventStoreContract } from '@app/event-store/testing';
import { withEngine } from './support/engine';

// The same suite as the embedded store's, unchanged; stream names are fresh per test, so a shared server works.
withEngine('EVENTSTORE_URL', 'KurrentDB', (url) => {
  jest.setTimeout(30_000);
  // An operator's own client: the port deletes nothing, so the suite deletes through the server's API.
  let operator: KurrentDBClient | undefined;
  afterAll(async () => operator?.dispose());
  describeEventStoreContract(`KurrentDB (${url.replace(/\/\/[^@]*@/, '//')})`, async () => {
    const store = await KurrentDbEventStore.connect({ connectionString: url });
    return { store, dispose: () => store.close() };
  }, {
    deleteStream: async (stream, how) => {
      operator ??= KurrentDBClient.connectionString(url.replace(/^esdb(\+discover)?:\/\//, 'kurrentdb$1://'));
      await (how === 'soft' ? operator.deleteStream(stream) : operator.tombstoneStream(stream));
    },
  });
});
