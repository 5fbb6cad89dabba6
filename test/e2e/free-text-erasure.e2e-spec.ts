import { runEntry } from '../support/run-entry';
import { TOKENS, filesHolding, newComplaint, removeDataDir, sealDirOf, startApp, type RunningApp } from './support/test-app';

/**
 * Free text the caller marks personal (issue 19, docs/adr/0019): a complaint's description sent with
 * `descriptionIsPersonal: true` and a note sent with `personal: true` are sealed with the customer's
 * key. Every read shows them while the key lives and null once the customer is erased; unmarked text
 * (a second complaint's description, a plain note) stays as it was. Then a replay, the chain, the
 * exports and the bytes of every file of the data directory.
 */
const STORY = '王女士说她丈夫周二在三号机加油时被多收了钱';
const MARKED_NOTE = '客户的邻居赵大伯也说被多收过';
const PLAIN_NOTE = '已调取三号机计量记录核对中';
const PLAIN_DESCRIPTION = '发票抬头开错了需要重开一张';
const CUSTOMER = 'cust-free-text-erasure';
const REQUEST = { ground: 'consent-withdrawn', reason: 'Written request received at the station.', requestReference: 'PIPL-2026-119' };

const cli = (args: string[], dataDir: string) => runEntry('apps/cli/src/main.ts', args, { DATA_DIR: dataDir, SEAL_DIR: sealDirOf(dataDir) });

describe('free text marked personal is erased with the customer; unmarked text stays', () => {
  let app: RunningApp;
  let dataDir = '';
  let markedId = '';
  let plainId = '';
  let position = 0;

  beforeAll(async () => {
    app = await startApp();
    dataDir = app.dataDir;
  });
  afterAll(async () => {
    await app?.stop().catch(() => undefined);
    if (dataDir) removeDataDir(dataDir);
  });

  const ok = async (method: string, path: string, role: 'agent' | 'supervisor' | 'admin' | 'auditor' | 'analyst', body?: unknown, status = 200) => {
    const response = await app.request(method, path, { role, ...(body === undefined ? {} : { body }) });
    expect({ path, status: response.status }).toEqual({ path, status });
    if (typeof response.body?.position === 'number') position = Math.max(position, response.body.position);
    return response;
  };
  const csv = async (path: string) => (await fetch(`${app.baseUrl}${path}`, { headers: { authorization: `Bearer ${TOKENS.supervisor}` } })).text();
  const search = async (words: string) => (await ok('GET', `/complaints?q=${encodeURIComponent(words)}&minPosition=${position}`, 'agent')).body.items.map((item: { id: string }) => item.id);
  const descriptions = async (query: string) => Object.fromEntries((await ok('GET', `/complaints${query}${query ? '&' : '?'}customerId=${CUSTOMER}`, 'analyst')).body.items
    .map(({ id, description }: { id: string; description: string | null }) => [id, description]));
  const notes = async () => (await ok('GET', `/complaints/${markedId}`, 'agent')).body.notes.map(({ text, personal }: { text: string | null; personal: boolean }) => ({ text, personal }));

  it('shows the marked text in every read while the customer\'s key lives, and keeps it out of the event log', async () => {
    markedId = (await ok('POST', '/complaints', 'agent', { ...newComplaint, customerId: CUSTOMER, description: STORY, descriptionIsPersonal: true }, 201)).body.id;
    plainId = (await ok('POST', '/complaints', 'agent', { ...newComplaint, customerId: CUSTOMER, description: PLAIN_DESCRIPTION }, 201)).body.id;
    await ok('POST', `/complaints/${markedId}/notes`, 'agent', { visibility: 'internal', text: MARKED_NOTE, personal: true });
    await ok('POST', `/complaints/${markedId}/notes`, 'agent', { visibility: 'internal', text: PLAIN_NOTE });

    expect((await ok('GET', `/complaints/${markedId}`, 'agent')).body).toMatchObject({ description: STORY, descriptionIsPersonal: true });
    expect(await notes()).toEqual([{ text: MARKED_NOTE, personal: true }, { text: PLAIN_NOTE, personal: false }]);
    const events = (await ok('GET', `/complaints/${markedId}/events`, 'auditor')).body.events;
    expect(events[0].data).toMatchObject({ description: null, personal: { description: STORY } });
    const listed = (await ok('GET', `/complaints?customerId=${CUSTOMER}&minPosition=${position}`, 'agent')).body.items;
    expect(listed.map(({ id, description, descriptionIsPersonal }: Record<string, unknown>) => ({ id, description, descriptionIsPersonal })).sort((a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id)))
      .toEqual([{ id: markedId, description: STORY, descriptionIsPersonal: true }, { id: plainId, description: PLAIN_DESCRIPTION, descriptionIsPersonal: false }].sort((a, b) => a.id.localeCompare(b.id)));
    expect(await search('三号机加油')).toEqual([markedId]);
    expect(await csv(`/complaints?format=csv&customerId=${CUSTOMER}&minPosition=${position}`)).toContain(STORY);
    // A generation built as of now holds the marked description too: the erasure has to reach it.
    await ok('POST', '/analytics/as-of', 'analyst', { until: String(position), name: 'marked' }, 202);
    for (const deadline = Date.now() + 60_000; ;) {
      const job = (await ok('GET', '/analytics/as-of/marked', 'analyst')).body as { status: string };
      if (job.status === 'done') break;
      if (!['queued', 'running'].includes(job.status) || Date.now() > deadline) throw new Error(`as-of marked: ${JSON.stringify(job)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await descriptions('?asOf=marked')).toEqual({ [markedId]: STORY, [plainId]: PLAIN_DESCRIPTION });

    // Sealed before it was chained: the log's file never held the marked words, and holds the unmarked ones.
    for (const words of [STORY, MARKED_NOTE]) expect(filesHolding(dataDir, words).filter((file) => file.startsWith('events.sqlite'))).toEqual([]);
    expect(filesHolding(dataDir, PLAIN_NOTE).filter((file) => file.startsWith('events.sqlite'))).not.toEqual([]);
  });

  it('after the erasure shows the marked text as null everywhere, and the unmarked text as before', async () => {
    await ok('POST', `/customers/${CUSTOMER}/erase`, 'admin', REQUEST);
    expect((await ok('GET', `/complaints/${markedId}`, 'agent')).body).toMatchObject({ description: null, descriptionIsPersonal: true });
    expect(await notes()).toEqual([{ text: null, personal: true }, { text: PLAIN_NOTE, personal: false }]);
    expect((await ok('GET', `/complaints/${plainId}`, 'agent')).body).toMatchObject({ description: PLAIN_DESCRIPTION, descriptionIsPersonal: false });
    const events = (await ok('GET', `/complaints/${markedId}/events`, 'auditor')).body.events;
    expect(events[0].data).toMatchObject({ description: null, personal: null });
    expect(events.find((event: { type: string; data: { text: string | null } }) => event.type === 'ComplaintNoteAdded' && event.data.text === null).data.personal).toBeNull();
    const listed = (await ok('GET', `/complaints?customerId=${CUSTOMER}&minPosition=${position}`, 'agent')).body.items;
    expect(Object.fromEntries(listed.map(({ id, description }: { id: string; description: string | null }) => [id, description]))).toEqual({ [markedId]: null, [plainId]: PLAIN_DESCRIPTION });
    // The search forgot the marked words, and still finds the unmarked ones.
    expect(await search('三号机加油')).toEqual([]);
    expect(await search('抬头开错')).toEqual([plainId]);
    expect(await descriptions('?asOf=marked')).toEqual({ [markedId]: null, [plainId]: PLAIN_DESCRIPTION });

    const reads = [
      await csv(`/complaints?format=csv&customerId=${CUSTOMER}&minPosition=${position}`),
      JSON.stringify((await ok('GET', `/audit/decisions?minPosition=${position}&limit=200`, 'auditor')).body),
      JSON.stringify((await ok('GET', `/complaints/${markedId}/trail`, 'auditor')).body),
      JSON.stringify((await ok('GET', '/feed?format=json&after=0&limit=200', 'admin')).body),
      JSON.stringify((await ok('GET', `/customers/${CUSTOMER}?minPosition=${position}`, 'supervisor')).body),
      await csv('/complaints?asOf=marked&format=csv'),
    ];
    for (const read of reads) for (const words of [STORY, MARKED_NOTE]) expect(read).not.toContain(words);
    expect(reads[0]).toContain(PLAIN_DESCRIPTION);
    expect(reads[3]).toContain(PLAIN_NOTE);
    expect((await ok('GET', '/audit/verify', 'auditor')).body).toMatchObject({ ok: true });
  });

  it('after a replay, the CLI verify and the export, no file of the data directory holds the marked text; the unmarked text is still in the log', async () => {
    await app.stop();
    expect(await cli(['replay'], dataDir)).toMatchObject({ code: 0 });
    const verified = await cli(['verify'], dataDir);
    expect(verified.stderr).toMatch(/^OK: /m);
    expect(verified.code).toBe(0);
    const exported = await cli(['export'], dataDir);
    expect(exported.code).toBe(0);
    for (const words of [STORY, MARKED_NOTE]) expect(exported.stdout).not.toContain(words);
    expect(exported.stdout).toContain(PLAIN_NOTE);
    expect(exported.stdout).toContain(PLAIN_DESCRIPTION);

    app = await startApp(dataDir);
    const listed = (await ok('GET', `/complaints?customerId=${CUSTOMER}&minPosition=${position}`, 'agent')).body.items;
    expect(Object.fromEntries(listed.map(({ id, description }: { id: string; description: string | null }) => [id, description]))).toEqual({ [markedId]: null, [plainId]: PLAIN_DESCRIPTION });
    expect(await search('三号机加油')).toEqual([]);
    await app.stop();

    for (const words of [STORY, MARKED_NOTE]) expect(filesHolding(dataDir, words)).toEqual([]);
    expect(filesHolding(dataDir, PLAIN_NOTE)).toContain('events.sqlite');
    expect(filesHolding(dataDir, PLAIN_DESCRIPTION)).toEqual(expect.arrayContaining(['events.sqlite']));
  }, 360_000);
});
