import { EventStore, type ReadAllOptions } from '@app/event-store';
import { generationFor } from '@app/projections';
import { ALL_PROJECTIONS, AsOfCatalogue, asOfPrefix, buildAsOfGeneration } from '@app/read-models';
import { ReadStore, generationCollection } from '@app/read-store';
import { buildAsOf, holdingAt } from './support/as-of';
import { filesHolding, newComplaint, useApp } from './support/test-app';

/**
 * As-of generations and an erasure (issue 19, docs/adr/0019 "Amendment: as-of generations"): a
 * generation still being built while an erasure completes was skipped by the completion (it cleans the
 * finished ones) and kept the erased name once finished; and tables of an earlier version of a read
 * model, left by a generation built before an upgrade, stayed on disk after a delete and an erasure.
 */
const REQUEST = { ground: 'consent-withdrawn', reason: 'Written request received at the station.', requestReference: 'PIPL-2026-119' };

describe('an erasure reaches every table of the as-of generations', () => {
  jest.setTimeout(120_000);
  const current = useApp();

  const receive = async (customerId: string, customerName: string) => {
    const received = await current().request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, customerId, customerName } });
    expect(received.status).toBe(201);
    return received.body as { id: string; position: number };
  };
  const erase = async (customerId: string) => {
    expect((await current().request('POST', `/customers/${customerId}/erase`, { role: 'admin', body: REQUEST })).status).toBe(200);
  };

  it('a generation whose build an erasure overtakes shows, once finished, none of the erased values, in no route and in no file', async () => {
    const customerId = 'cust-asof-building';
    const complaint = await receive(customerId, 'Brindlewaite');
    const store = current().get(ReadStore);
    // The build's first commits wait until the erasure has run: it has read the name (the keys were open), and the completion finds it building.
    const { held, reached, open } = holdingAt(store, 'commit', ([checkpoint]) => String(checkpoint).startsWith('asof_'));
    const building = buildAsOfGeneration(current().get(EventStore), held, { position: complaint.position }, String(complaint.position), 'overtaken');
    await reached;
    await erase(customerId);
    open();
    const entry = await building;
    expect(entry).toMatchObject({ status: 'done' });

    const list = await current().request('GET', `/complaints?asOf=overtaken&customerId=${customerId}`, { role: 'analyst' });
    expect(list.body.items).toEqual([expect.objectContaining({ id: complaint.id, customerName: null })]);
    const files = await current().request('GET', '/customers/files?asOf=overtaken', { role: 'analyst' });
    expect(files.body.items).toEqual([expect.objectContaining({ id: customerId, status: 'erased', name: null })]);
    expect(filesHolding(current().dataDir, 'Brindlewaite')).toEqual([]);
  });

  it('an erasure that completes while the build cleans itself cleans the generation too, before the build has read the log', async () => {
    const customerId = 'cust-asof-finishing';
    const complaint = await receive(customerId, 'Thistlemoor');
    const events = current().get(EventStore);
    // The build is held at its read of the erasures, after it has marked itself finishing.
    const { held, reached, open } = holdingAt(events, 'readAll', ([options]) => (options as ReadAllOptions | undefined)?.filter?.eventTypes?.includes('CustomerFilePersonalDataErased') === true);
    const building = buildAsOfGeneration(held, current().get(ReadStore), { position: complaint.position }, String(complaint.position), 'finishing');
    await reached;
    expect(await (await AsOfCatalogue.open(current().get(ReadStore))).get('finishing')).toMatchObject({ status: 'building', finishing: true });
    await erase(customerId);
    // Cleaned by the completion while the build waits. Read from its table: the API does not serve a generation still
    // building (a read with asOf answers 404 until the catalogue says done).
    const complaintList = ALL_PROJECTIONS.find((projection) => projection.name === 'complaint-list')!;
    const table = generationCollection(generationFor(complaintList, asOfPrefix('finishing')), 'complaints');
    expect(await current().get(ReadStore).get(table, complaint.id)).toEqual(expect.objectContaining({ id: complaint.id, customerName: null }));
    expect((await current().request('GET', `/complaints?asOf=finishing&customerId=${customerId}`, { role: 'analyst' })).status).toBe(404);
    expect(filesHolding(current().dataDir, 'Thistlemoor')).toEqual([]);
    open();
    expect(await building).toMatchObject({ status: 'done' });
    expect(filesHolding(current().dataDir, 'Thistlemoor')).toEqual([]);
  });

  /** A table of complaint-list's previous version inside the generation `name`, holding `customerName` (as a build before an upgrade left it). */
  const leaveOldVersionTable = async (name: string, complaintId: string, customerName: string) => {
    const store = current().get(ReadStore);
    const projection = ALL_PROJECTIONS.find((candidate) => candidate.name === 'complaint-list')!;
    const generation = generationFor({ name: projection.name, version: projection.version - 1 }, asOfPrefix(name));
    const collection = generationCollection(generation, 'complaints');
    await store.ensureCollections([{ name: collection }]);
    await store.commit(generation, [{ kind: 'put', collection, document: { id: complaintId, customerName } }], 1);
  };

  it('deleting a generation drops its tables of every version of the read models', async () => {
    const complaint = await receive('cust-asof-old-1', 'Corvandel');
    await buildAsOf(current(), 'upgraded', complaint.position);
    await leaveOldVersionTable('upgraded', complaint.id, 'Ossingham');
    expect(filesHolding(current().dataDir, 'Ossingham')).not.toEqual([]);

    expect((await current().request('DELETE', '/analytics/as-of/upgraded', { role: 'analyst' })).status).toBe(204);
    await current().get(ReadStore).forgetDeleted();
    expect(filesHolding(current().dataDir, 'Ossingham')).toEqual([]);
  });

  it('an erasure leaves no erased value in the tables of an earlier version of a generation', async () => {
    const customerId = 'cust-asof-old-2';
    const complaint = await receive(customerId, 'Pellucidar');
    await buildAsOf(current(), 'before-upgrade', complaint.position);
    await leaveOldVersionTable('before-upgrade', complaint.id, 'Pellucidar');

    await erase(customerId);
    expect(filesHolding(current().dataDir, 'Pellucidar')).toEqual([]);
    // The generation of the current versions is still there and answers.
    expect((await (await AsOfCatalogue.open(current().get(ReadStore))).get('before-upgrade'))).toMatchObject({ status: 'done' });
    const list = await current().request('GET', `/complaints?asOf=before-upgrade&customerId=${customerId}`, { role: 'analyst' });
    expect(list.body.items).toEqual([expect.objectContaining({ id: complaint.id, customerName: null })]);
  });
});
