import { EventStore } from '@app/event-store';
import { ReadStore } from '@app/read-store';
import { replayLive } from '../../apps/cli/src/commands';
import { QUIET_HTTP, newComplaint, removeDataDir, startApp, useApp, type RunningApp } from './support/test-app';
import { editReadStore, liveTable, liveTextIndex } from './support/read-store-edit';

/** Drops the live complaint list's table from read.sqlite, as an operator's hand or a tool gone wrong would. */
const dropComplaintListTable = (dataDir: string) => editReadStore(dataDir, `DROP TABLE "${liveTable(dataDir, 'complaint-list', 'complaints')}"`);
/** Drops the text index (FTS5 table) of the live complaint list's complaints, the same way. */
const dropComplaintListTextIndex = (dataDir: string) => editReadStore(dataDir, `DROP TABLE "${liveTextIndex(dataDir, 'complaint-list', 'complaints')}"`);

/**
 * A read-model table dropped while the projection thread runs (by hand, or a tool gone wrong): the
 * thread's next commit into it is refused (unknown collection), the projection restarts, and the
 * restart made the table again, empty, under the checkpoint it had: the list then held only what
 * came after, /health said ok, and nothing said the rows were gone (an attacker's MEDIUM). The restart
 * now sees a collection missing under a checkpoint past zero and builds the read model again from the log. With no event
 * after the drop, every read of it was a 400 invalid-query "unknown collection" until the next event (22 s in an attack) and
 * /health said ok: the projector now looks at every poll, and until the table is back a read is a 503 read-model-rebuilding.
 */

describe('a read-model table dropped under a running projection thread', () => {
  jest.setTimeout(90_000);
  const app = useApp(undefined, { projections: 'in-process' });

  const listed = async (customerId: string, minPosition: number) => {
    const list = await app().request('GET', `/complaints?customerId=${customerId}&minPosition=${minPosition}&limit=50`, { role: 'admin' });
    return list.status === 200 ? (list.body.items as Array<{ id: string }>).map((item) => item.id).sort() : [];
  };
  const fileThree = async (customerId: string) => {
    const ids: string[] = [];
    let position = 0;
    for (let n = 0; n < 3; n += 1) {
      const created = await app().request('POST', '/complaints', { body: { ...newComplaint, customerId }, role: 'agent' });
      expect(created.status).toBe(201);
      ids.push(created.body.id as string);
      position = created.body.position as number;
    }
    return { ids, position };
  };
  const waitUntil = async (check: () => Promise<boolean>) => {
    const started = Date.now();
    while (!(await check())) {
      if (Date.now() - started > 30_000) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  it('is built again from the log: every row back, none twice, and /health ok', async () => {
    const customerId = 'cust-dropped-table';
    const { ids, position } = await fileThree(customerId);
    expect(await listed(customerId, position)).toEqual([...ids].sort());

    dropComplaintListTable(app().dataDir);

    const after = await app().request('POST', '/complaints', { body: { ...newComplaint, customerId }, role: 'agent' });
    expect(after.status).toBe(201);
    ids.push(after.body.id as string);
    const expected = [...ids].sort();
    await waitUntil(async () => JSON.stringify(await listed(customerId, after.body.position as number)) === JSON.stringify(expected)
      && (await app().request('GET', '/health', { role: null })).body.status === 'ok');
    expect(await listed(customerId, after.body.position as number)).toEqual(expected);
    const health = await app().request('GET', '/health', { role: null });
    expect({ status: health.body.status, problems: health.body.problems }).toEqual({ status: 'ok', problems: [] });
  });

  it('with no event after it: each read says the read model is being rebuilt (503, Retry-After), /health names it, and it is whole again without an event', async () => {
    const customerId = 'cust-dropped-quiet';
    const { ids, position } = await fileThree(customerId);
    expect(await listed(customerId, position)).toEqual([...ids].sort());
    dropComplaintListTable(app().dataDir);
    // Until the rows are back, a read is whole (200), or a 503 that says why and when to ask again: never a 400 blaming the query.
    const answers: string[] = [];
    const healths: Array<{ status: string; problems: string[] }> = [];
    let whole = false;
    for (const started = Date.now(); !whole && Date.now() - started < 30_000; await new Promise((resolve) => setTimeout(resolve, 100))) {
      // /health first: a read not yet whole after it means the rebuild had not caught up when /health answered.
      const health = await app().request('GET', '/health', { role: null });
      const list = await app().request('GET', `/complaints?customerId=${customerId}&limit=50`, { role: 'admin' });
      if (list.status === 503) {
        expect(list.body).toMatchObject({ status: 503, code: 'read-model-rebuilding' });
        expect(list.body.detail).toMatch(/complaint-list .*rebuilt from the event log.*try again/);
        expect(Number(list.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      }
      answers.push(String(list.status));
      const listWhole = list.status === 200 && JSON.stringify((list.body.items as Array<{ id: string }>).map((item) => item.id).sort()) === JSON.stringify([...ids].sort());
      whole = listWhole && health.body.status === 'ok';
      if (!listWhole) healths.push({ status: health.body.status as string, problems: health.body.problems as string[] });
    }
    expect(whole).toBe(true);
    expect(answers.filter((status) => status !== '200' && status !== '503')).toEqual([]);
    // Every /health asked before a read that was not yet whole said so, naming the read model.
    for (const health of healths) {
      expect(health.status).toBe('degraded');
      expect(health.problems.join('\n')).toMatch(/read model complaint-list/);
    }
  });

  // The text index of the live list dropped by hand (an attacker's MEDIUM): every `?q=` answered 500, /health said ok, and
  // nothing rebuilt it. The documents are intact: the projector makes the index again from them at its next poll, without
  // building the read model again from the log. Only searches answer 503 meanwhile, saying so (they said the read model was
  // rebuilt from the event log); a list without a search answers whole, and a search with a bad cursor is the 400 it always is
  // (it answered the 503, which no retry mends).
  it('with its text index dropped: each search says its text index is being made again from the stored rows (503, Retry-After) from the first, a search with a bad cursor stays a 400, /health names the index, a list answers whole meanwhile, and the search finds what it found before', async () => {
    const customerId = 'cust-dropped-text-index';
    const { ids, position } = await fileThree(customerId);
    const searched = (body: { items?: unknown }) => JSON.stringify(((body.items ?? []) as Array<{ id: string }>).map((item) => item.id).sort());
    const before = await app().request('GET', `/complaints?q=${customerId}&minPosition=${position}&limit=50`, { role: 'admin' });
    expect(before.status).toBe(200);
    expect(searched(before.body)).toBe(JSON.stringify([...ids].sort()));
    dropComplaintListTextIndex(app().dataDir);
    const answers: string[] = [];
    const forgedAnswers: string[] = [];
    // Text a cursor can be (the DTO lets it through) that is no page's cursor: the store refuses it.
    const forged = Buffer.from(JSON.stringify(['forged', 'AAAAAAAAAAAAAAAA'])).toString('base64url');
    const lists: string[] = [];
    const found: string[] = [];
    const healths: Array<{ status: string; problems: string[] }> = [];
    let whole = false;
    for (const started = Date.now(); !whole && Date.now() - started < 30_000; await new Promise((resolve) => setTimeout(resolve, 100))) {
      // /health first: a search refused after it means the index was still lost when /health answered (it is made again
      // once, never lost again), so that answer must say so; a /health asked after the search may find it made again.
      const health = await app().request('GET', '/health', { role: null });
      const search = await app().request('GET', `/complaints?q=${customerId}&limit=50`, { role: 'admin' });
      const list = await app().request('GET', `/complaints?customerId=${customerId}&limit=50`, { role: 'admin' });
      const forgedSearch = await app().request('GET', `/complaints?q=${customerId}&cursor=${forged}&limit=50`, { role: 'admin' });
      forgedAnswers.push(`${forgedSearch.status} ${String(forgedSearch.body.code)}`);
      if (search.status === 503) {
        expect(search.body).toMatchObject({ status: 503, code: 'read-model-rebuilding', readModel: 'complaint-list' });
        // What happens: the index is made again from the rows kept (a list without a search answers whole), not a rebuild from the log.
        expect(search.body.detail).toMatch(/text index of .*complaint_list.* \(read model complaint-list\) is being made again from its stored rows.*without a search \(no q\) answers whole.*try the search again in a few seconds/);
        expect(search.body.detail).not.toMatch(/event log/);
        expect(Number(search.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      }
      answers.push(String(search.status));
      if (search.status === 200) found.push(searched(search.body));
      lists.push(`${list.status} ${list.status === 200 ? searched(list.body) : ''}`);
      whole = search.status === 200 && searched(search.body) === JSON.stringify([...ids].sort()) && health.body.status === 'ok';
      if (search.status === 503) healths.push({ status: health.body.status as string, problems: health.body.problems as string[] });
    }
    // The drop is synchronous: the API notices at its first search.
    expect(answers[0]).toBe('503');
    expect(answers.filter((status) => status !== '200' && status !== '503')).toEqual([]);
    expect(whole).toBe(true);
    // The bad cursor is told as such in every round, the index lost or made again.
    expect(new Set(forgedAnswers)).toEqual(new Set(['400 invalid-query']));
    // A search answers 503 or every complaint, never part of them (the index is made again in one transaction).
    expect(new Set(found)).toEqual(new Set([JSON.stringify([...ids].sort())]));
    // The rows were never gone: a list without a search answers every complaint all along.
    expect(new Set(lists)).toEqual(new Set([`200 ${JSON.stringify([...ids].sort())}`]));
    expect(healths.length).toBeGreaterThan(0);
    for (const health of healths) {
      expect(health.status).toBe('degraded');
      // It says what is gone: the text index, which is made again from the rows, not the read model rebuilt from the log.
      expect(health.problems.join('\n')).toMatch(/read model complaint-list lost the text index of .* \(dropped outside the projector\): its searches answer 503/);
      expect(health.problems.join('\n')).not.toMatch(/being rebuilt from the event log/);
    }
    // The list without a search answers as before.
    expect(await listed(customerId, position)).toEqual([...ids].sort());
  });
});

/**
 * Two API instances on one data dir (both with the projections inline): only the holder of the projector lease runs the
 * projections, so only it rebuilds; the other's reads say the read model is being rebuilt and its /health names it, from the store.
 */
describe('a read-model table dropped with two instances on one data dir', () => {
  jest.setTimeout(90_000);
  let first: RunningApp | undefined;
  let second: RunningApp | undefined;
  afterAll(async () => {
    await second?.stop();
    await first?.stop();
    if (first) removeDataDir(first.dataDir);
  });

  it('is rebuilt once, by the lease holder (the one running the projections); the other instance answers 503 read-model-rebuilding until the rows are back', async () => {
    const logs: Record<'first' | 'second', string[]> = { first: [], second: [] };
    const logged = (into: string[]) => ({ write: (line: string) => into.push(String((JSON.parse(line) as { msg?: unknown }).msg)) });
    first = await startApp(undefined, { http: { ...QUIET_HTTP, logLevel: 'info' } }, { logDestination: logged(logs.first) });
    second = await startApp(first.dataDir, { http: { ...QUIET_HTTP, logLevel: 'info' } }, { logDestination: logged(logs.second) });
    expect((await second.request('GET', '/health', { role: null })).body).toMatchObject({ projector: { state: 'waiting' } });
    const ids: string[] = [];
    for (let n = 0; n < 2; n += 1) {
      const created = await second.request('POST', '/complaints', { body: { ...newComplaint, customerId: 'cust-dropped-two' }, role: 'agent' });
      expect(created.status).toBe(201);
      ids.push(created.body.id as string);
      expect((await second.request('GET', `/complaints?customerId=cust-dropped-two&minPosition=${created.body.position as number}`, { role: 'admin' })).status).toBe(200);
    }
    dropComplaintListTable(first.dataDir);
    const statuses: number[] = [];
    let whole = false;
    for (const started = Date.now(); !whole && Date.now() - started < 30_000; await new Promise((resolve) => setTimeout(resolve, 100))) {
      // /health first: a read not yet whole after it means the rebuild had not caught up when /health answered.
      const health = await second.request('GET', '/health', { role: null });
      const list = await second.request('GET', '/complaints?customerId=cust-dropped-two&limit=50', { role: 'admin' });
      statuses.push(list.status);
      if (list.status === 503) expect(list.body.code).toBe('read-model-rebuilding');
      const listWhole = list.status === 200 && JSON.stringify((list.body.items as Array<{ id: string }>).map((item) => item.id).sort()) === JSON.stringify([...ids].sort());
      whole = listWhole && health.body.status === 'ok';
      if (!listWhole) expect(health.body.problems.join('\n')).toMatch(/read model complaint-list/);
    }
    expect(whole).toBe(true);
    expect(statuses.filter((status) => status !== 200 && status !== 503)).toEqual([]);
    const rebuilt = (lines: string[]) => lines.filter((line) => /missing though .* built again from the log/.test(line)).length;
    // One rebuild in all: Nest's logger is one per process (the last app's destination gets both apps' lines), so they are counted together.
    expect(rebuilt(logs.first) + rebuilt(logs.second)).toBe(1);
    expect((await first.request('GET', '/health', { role: null })).body).toMatchObject({ status: 'ok', projector: { state: 'running' } });
  });
});

/**
 * A read racing a switch of generation (a reviewer's MEDIUM): the projector activates a read model's new generation and drops
 * the old one at once, and a list that resolved the old generation's collection just before the switch read it just after the
 * drop: a 400 invalid-query "unknown collection …_v10__complaints", blaming the query. Made deterministic by running the switch
 * (a replay into a new generation, which activates it, then the drop of the old one) between the API's resolve of the live
 * generation and its first read of the list: the store's own read then finds the table gone.
 */
describe('a list read racing the switch to a new generation and the drop of the old one', () => {
  jest.setTimeout(60_000);
  const app = useApp();

  it('answers 503 read-model-rebuilding with Retry-After naming the new generation, and the next try reads the new generation', async () => {
    const created = await app().request('POST', '/complaints', { body: { ...newComplaint, customerId: 'cust-raced-switch' }, role: 'agent' });
    expect(created.status).toBe(201);
    const list = () => app().request('GET', '/complaints?customerId=cust-raced-switch&limit=50', { role: 'admin' });
    const before = await list();
    expect(before.status).toBe(200);
    expect(before.body.items.map((item: { id: string }) => item.id)).toEqual([created.body.id]);
    const store = app().get(ReadStore);
    const live = (await store.liveGenerations())['complaint-list']!;
    const find = store.find.bind(store);
    let switched: string[] = [];
    // The switch runs at the list's first read of the old generation, after the API resolved it: the read itself is the store's.
    const raced = jest.spyOn(store, 'find').mockImplementation(async (collection, options) => {
      if (switched.length === 0 && collection.startsWith(`${live}__`)) {
        ({ generations: switched } = await replayLive(app().get(EventStore), store, ['complaint-list']));
        // As the live projection drops the generation a rebuild replaced, or the projector's upgrade drops the old version's.
        await store.dropGeneration(live);
      }
      return find(collection, options);
    });
    try {
      const racing = await list();
      expect(switched).toHaveLength(1);
      expect(racing.status).toBe(503);
      expect(racing.body).toMatchObject({ code: 'read-model-rebuilding', readModel: 'complaint-list' });
      expect(racing.body.detail).toContain(switched[0]);
      expect(racing.body.detail).toMatch(/nothing is wrong with the query; try again/);
      expect(Number(racing.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    } finally {
      raced.mockRestore();
    }
    const after = await list();
    expect(after.status).toBe(200);
    expect(after.body.items.map((item: { id: string }) => item.id)).toEqual([created.body.id]);
    expect((await store.liveGenerations())['complaint-list']).toBe(switched[0]);
  });
});
