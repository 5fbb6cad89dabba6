import { EventStore, type EventToAppend, type ExpectedRevision } from '@app/event-store';
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
    for (const body of [
      { code: 'cs-centre', kind: 'centre', name: { 'zh-CN': '客服中心', en: 'Customer service centre' }, reason: '一个中心' },
      { code: 'dandong-station', kind: 'station', name: { 'zh-CN': '丹东服务站', en: 'Dandong service station' }, parent: 'cs-centre', regions: ['210600'], reason: 'station for Dandong' },
    ]) expect((await app().request('POST', '/service-network/units', { role: 'admin', body })).status).toBe(201);
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

  /**
   * Runs `between` once, just before the first append to a stream that `streamPrefix` names, and
   * waits until it has answered (or, when it must wait for the append held here, a second).
   */
  function holdAppend(streamPrefix: string, between: () => Promise<TestResponse>): { readonly other: Promise<TestResponse | undefined>; release(): void } {
    const store = app().get(EventStore);
    // The class's own append (the app's store is wrapped for metrics; the wrapper calls the store's own property).
    const original = (Object.getPrototypeOf(store) as EventStore).append;
    let other: Promise<TestResponse> | undefined;
    let settled: (response: TestResponse | undefined) => void = () => undefined;
    const answered = new Promise<TestResponse | undefined>((resolve) => {
      settled = resolve;
    });
    store.append = async (stream: string, events: readonly EventToAppend[], options?: { expectedRevision?: ExpectedRevision }) => {
      if (other === undefined && stream.startsWith(streamPrefix)) {
        other = between();
        void other.then(settled);
        await Promise.race([other, new Promise((resolve) => setTimeout(resolve, 1_000))]);
      }
      return original.call(store, stream, events, options);
    };
    return { other: answered, release: () => { delete (store as Partial<EventStore>).append; } };
  }

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
