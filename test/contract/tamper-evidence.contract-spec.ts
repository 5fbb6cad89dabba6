import { KurrentDbEventStore, SqliteEventStore } from '@app/event-store';
import { describeTamperEvidenceContract } from '@app/complaints/testing';
import { withEngine } from './support/engine';

describeTamperEvidenceContract('SQLite', async () => {
  const store = new SqliteEventStore({ filename: ':memory:' });
  return { store, dispose: () => store.close() };
});

withEngine('EVENTSTORE_URL', 'KurrentDB (tamper evidence)', (url) => {
  jest.setTimeout(60_000);
  describeTamperEvidenceContract('KurrentDB', async () => {
    const store = await KurrentDbEventStore.connect({ connectionString: url });
    return { store, dispose: () => store.close() };
  });
});
