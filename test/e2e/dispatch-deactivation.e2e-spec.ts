import { EventStore } from '@app/event-store';
import { WorkOrderListQuery } from '@app/read-models';
import { DANDONG_UNITS } from './support/dandong-units';
import { holdAppend as holdAppendOf } from './support/hold-append';
import { newWorkOrder, useApp, type TestResponse } from './support/test-app';

/**
 * A dispatch checks the engineer against the service network, then appends to the order's stream; a
 * deactivation of that engineer may come at any moment in between (issue 18, found by the attacker).
 * The hook runs the other request between one request's decision and its append, and lets it go as
 * far as it can before the append goes on: whichever comes first, the dispatch must either land
 * before the deactivation (and be listed in its answer, to redispatch) or be refused.
 */
describe('a dispatch and the deactivation of its engineer at one moment', () => {
  const app = useApp();
  let engineers = 0;

  beforeAll(async () => {
    for (const body of DANDONG_UNITS) expect((await app().request('POST', '/service-network/units', { role: 'admin', body })).status).toBe(201);
  });

  const report = async (): Promise<string> => {
    const response = await app().request('POST', '/work-orders', { role: 'agent', body: newWorkOrder });
    expect(response.status).toBe(201);
    return response.body.id;
  };
  const addEngineer = async (): Promise<string> => {
    const engineerId = `eng-r${(engineers += 1)}`;
    const added = await app().request('POST', '/service-network/engineers', { role: 'admin', body: { engineerId, name: `新工 ${engineers}`, station: 'dandong-station', skills: ['pump'], reason: 'hired' } });
    expect({ status: added.status, problem: added.status >= 300 ? added.body : undefined }).toEqual({ status: 201, problem: undefined });
    return engineerId;
  };
  const dispatch = (id: string, engineerId: string): Promise<TestResponse> =>
    app().request('POST', `/work-orders/${id}/dispatch`, { role: 'agent', body: { stationCode: 'dandong-station', engineerId } });
  const deactivate = (engineerId: string): Promise<TestResponse> =>
    app().request('POST', `/service-network/engineers/${engineerId}/deactivate`, { role: 'supervisor', body: { reason: 'left' } });

  const holdAppend = (streamPrefix: string, between: () => Promise<TestResponse>) => holdAppendOf(app().get(EventStore), streamPrefix, between);

  it('a dispatch decided before the deactivation is stored lands before it, and the deactivation lists the order', async () => {
    const engineerId = await addEngineer();
    const id = await report();
    const hold = holdAppend('work-order-', () => deactivate(engineerId));
    try {
      const dispatched = await dispatch(id, engineerId);
      const left = await hold.other;
      expect({ dispatch: dispatched.status, deactivation: left?.status, openWorkOrders: left?.body.openWorkOrders }).toEqual({ dispatch: 200, deactivation: 200, openWorkOrders: [{ id, status: 'dispatched' }] });
    } finally {
      hold.release();
    }
  });

  it('a dispatch sent while the deactivation is being stored is refused once it is (400 engineer-inactive), nothing written', async () => {
    const engineerId = await addEngineer();
    const id = await report();
    const hold = holdAppend('service-network', () => dispatch(id, engineerId));
    try {
      const left = await deactivate(engineerId);
      const dispatched = await hold.other;
      expect({ deactivation: left.status, openWorkOrders: left.body.openWorkOrders }).toEqual({ deactivation: 200, openWorkOrders: [] });
      expect({ status: dispatched?.status, code: dispatched?.body.code }).toEqual({ status: 400, code: 'engineer-inactive' });
      expect((await app().request('GET', `/work-orders/${id}`)).body).toMatchObject({ status: 'reported' });
    } finally {
      hold.release();
    }
  });

  it('lists the open orders the engineer still holds from the log, whatever the dispatch board has reached (a projecting instance frozen behind)', async () => {
    const [engineerId, other] = [await addEngineer(), await addEngineer()];
    const ids = [await report(), await report(), await report()];
    for (const id of ids) expect((await dispatch(id, engineerId)).status).toBe(200);
    // Given to someone else since: no longer theirs to redispatch.
    expect((await app().request('POST', `/work-orders/${ids[1]}/redispatch`, { role: 'supervisor', body: { stationCode: 'dandong-station', engineerId: other, reason: 'nearer' } })).status).toBe(200);
    const board = app().get(WorkOrderListQuery);
    const asProjected = board.board.bind(board);
    // The board as a projector frozen before these dispatches leaves it (the attacker's 14 of 22).
    board.board = async () => ({ items: [], nextCursor: null });
    try {
      const left = await deactivate(engineerId);
      expect({ status: left.status, openWorkOrders: left.body.openWorkOrders }).toEqual({ status: 200, openWorkOrders: [ids[0], ids[2]].map((id) => ({ id, status: 'dispatched' })) });
    } finally {
      board.board = asProjected;
    }
  });

  it('a retried deactivation (same Idempotency-Key) answers the open orders its first answer listed, though they were redispatched in between', async () => {
    const [engineerId, other] = [await addEngineer(), await addEngineer()];
    const id = await report();
    expect((await dispatch(id, engineerId)).status).toBe(200);
    const deactivateOnce = (): Promise<TestResponse> =>
      app().request('POST', `/service-network/engineers/${engineerId}/deactivate`, { role: 'supervisor', body: { reason: 'left' }, headers: { 'Idempotency-Key': `leave-${engineerId}` } });
    const first = await deactivateOnce();
    expect({ status: first.status, openWorkOrders: first.body.openWorkOrders }).toEqual({ status: 200, openWorkOrders: [{ id, status: 'dispatched' }] });
    // The supervisor redispatches what was listed, then the first request's retry arrives (its answer was lost on the way).
    expect((await app().request('POST', `/work-orders/${id}/redispatch`, { role: 'supervisor', body: { stationCode: 'dandong-station', engineerId: other, reason: 'eng left' } })).status).toBe(200);
    const retried = await deactivateOnce();
    expect({ status: retried.status, replayed: retried.headers.get('idempotent-replayed'), body: retried.body }).toEqual({ status: 200, replayed: 'true', body: first.body });
  });

  it.each(['engineer', 'agent'] as const)('a retried deactivation of an %s that spells the id otherwise (case, full width, a zero-width space) is the same request, answered as the first', async (role) => {
    const personId = role === 'engineer' ? await addEngineer() : `agent-r${(engineers += 1)}`;
    if (role === 'agent') {
      const added = await app().request('POST', '/service-network/agents', { role: 'admin', body: { agentId: personId, name: '坐席', units: ['dandong-station'], reason: 'hired' } });
      expect(added.status).toBe(201);
    }
    const deactivateAs = (spelt: string): Promise<TestResponse> =>
      app().request('POST', `/service-network/${role}s/${encodeURIComponent(spelt)}/deactivate`, { role: 'supervisor', body: { reason: 'left' }, headers: { 'Idempotency-Key': `leave-${personId}` } });
    const first = await deactivateAs(personId.toUpperCase());
    expect(first.status).toBe(200);
    const fullWidth = [...personId].map((character) => String.fromCodePoint(character.codePointAt(0)! + 0xfee0)).join('');
    for (const spelt of [personId, fullWidth, `${personId.slice(0, 3)}\u200b${personId.slice(3)}`]) {
      const retried = await deactivateAs(spelt);
      expect({ spelt, status: retried.status, replayed: retried.headers.get('idempotent-replayed'), body: retried.body }).toEqual({ spelt, status: 200, replayed: 'true', body: first.body });
    }
  });

  it('the attacker\'s burst: a deactivation and four dispatches to that engineer at once leave no dispatch unlisted', async () => {
    const engineerId = await addEngineer();
    const ids = await Promise.all([1, 2, 3, 4].map(() => report()));
    const [left, ...dispatched] = await Promise.all([deactivate(engineerId), ...ids.map((id) => dispatch(id, engineerId))]);
    expect(left!.status).toBe(200);
    const accepted = ids.filter((_id, index) => dispatched[index]!.status === 200);
    expect(dispatched.filter((response) => response.status !== 200).map((response) => response.body.code)).toEqual(Array(4 - accepted.length).fill('engineer-inactive'));
    expect((left!.body.openWorkOrders as Array<{ id: string }>).map((each) => each.id).sort()).toEqual([...accepted].sort());
  });
});
