import { newComplaint, removeDataDir, startApp, type RunningApp } from './support/test-app';

/**
 * Two API instances on one data dir, both with the projections in the process (here inline): they
 * take the same projector lease, so one projects and the other waits — answering reads from the
 * checkpoints, and saying so in /health — until the first stops and gives the lease up.
 */
describe('the projector lease shared by two API instances on one data dir', () => {
  jest.setTimeout(60_000);
  let first: RunningApp | undefined;
  let second: RunningApp | undefined;
  afterAll(async () => {
    await second?.stop();
    await first?.stop().catch(() => undefined);
    if (first) removeDataDir(first.dataDir);
  });

  const listed = async (app: RunningApp, customerId: string, position: number) => {
    const list = await app.request('GET', `/complaints?customerId=${customerId}&minPosition=${position}`);
    expect(list.status).toBe(200);
    return (list.body.items as Array<{ id: string }>).map((item) => item.id);
  };

  it('lets one instance project while the other waits (ok), reads through both, and hands over when the first stops', async () => {
    first = await startApp();
    second = await startApp(first.dataDir);
    const [projecting, waiting] = [(await first.request('GET', '/health', { role: null })).body, (await second.request('GET', '/health', { role: null })).body];
    expect(projecting).toMatchObject({ status: 'ok', problems: [], projector: { mode: 'inline', state: 'running' }, lease: { name: 'projector', state: 'active', heldByGone: false } });
    expect(projecting.lease.heldBy).toBe(projecting.lease.holder);
    expect(waiting).toMatchObject({ status: 'ok', problems: [], projector: { mode: 'inline', state: 'waiting' }, lease: { name: 'projector', state: 'waiting', heldBy: projecting.lease.holder, heldByGone: false } });

    // A write through the waiting instance is read there with minPosition: it waits on the checkpoints the first one commits.
    const created = await second.request('POST', '/complaints', { body: { ...newComplaint, customerId: 'cust-lease' }, role: 'agent' });
    expect(created.status).toBe(201);
    expect(await listed(second, 'cust-lease', created.body.position)).toEqual([created.body.id]);

    await first.stop();
    const after = await second.request('POST', '/complaints', { body: { ...newComplaint, customerId: 'cust-lease' }, role: 'agent' });
    const stoppedAt = Date.now();
    let ids: string[] = [];
    while (!ids.includes(after.body.id)) {
      if (Date.now() - stoppedAt > 5_000) throw new Error('the second instance did not take the projections over within 5 s of the first one stopping');
      ids = await listed(second, 'cust-lease', after.body.position);
    }
    expect(ids.sort()).toEqual([created.body.id, after.body.id].sort());
    const taken = (await second.request('GET', '/health', { role: null })).body;
    expect(taken).toMatchObject({ status: 'ok', projector: { state: 'running' }, lease: { state: 'active' } });
    expect(taken.lease.heldBy).toBe(taken.lease.holder);
  });
});
