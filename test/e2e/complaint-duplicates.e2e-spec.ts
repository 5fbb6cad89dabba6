import { Clock } from '@app/complaints';
import { newComplaint, useApp } from './support/test-app';

/**
 * Duplicates (issue 19, docs/adr/0013 "Duplicates"): a duplicate-of link is recorded on both
 * complaints, duplicates are one level deep (no chain, no cycle), two markings sent at once that
 * would make one are decided on one stream — one is taken, the other refused with nothing written —
 * and the original lists its duplicates (GET /complaints/{id}, GET /complaints?duplicateOf=).
 */
describe('duplicates of a complaint', () => {
  jest.setTimeout(120_000);
  const app = useApp();
  let position = 0;
  const receive = async (customerId = 'cust-dupes') => {
    const created = await app().request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, customerId } });
    expect(created.status).toBe(201);
    position = Math.max(position, created.body.position as number);
    return created.body.id as string;
  };
  const mark = async (id: string, original: string, relation: 'duplicate-of' | 'related' = 'duplicate-of', headers: Record<string, string> = {}) => {
    const answer = await app().request('POST', `/complaints/${id}/related`, { role: 'supervisor', body: { complaintId: original, relation, reason: 'Same fill-up, called twice.' }, headers });
    if (typeof answer.body?.position === 'number') position = Math.max(position, answer.body.position);
    return answer;
  };
  const events = async (id: string) => (await app().request('GET', `/complaints/${id}/events`, { role: 'auditor' })).body.events as Array<{ type: string; data: Record<string, unknown>; metadata: Record<string, unknown> }>;
  const view = async (id: string) => (await app().request('GET', `/complaints/${id}`, { role: 'agent' })).body;
  const originalOf = async (id: string) => ((await view(id)).related as Array<{ complaintId: string; relation: string }>).find((link) => link.relation === 'duplicate-of')?.complaintId ?? null;
  const duplicatesOf = async (id: string) => ((await view(id)).duplicates as Array<{ complaintId: string }>).map((each) => each.complaintId);
  let rounds = 0;
  const round = () => (rounds += 1);
  const finished = async (location: string) => {
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
      const job = await app().request('GET', location, { role: 'analyst' });
      if (['done', 'failed', 'cancelled'].includes(job.body.status)) return expect(job.body.status).toBe('done');
    }
    throw new Error(`${location} did not finish`);
  };
  const listedDuplicatesOf = async (id: string) =>
    ((await app().request('GET', `/complaints?duplicateOf=${id}&minPosition=${position}`, { role: 'supervisor' })).body.items as Array<{ id: string }>).map((item) => item.id).sort();

  it('shows the duplicates on the original (its view, its trail, the list filtered by duplicateOf), and forgets one whose link becomes related', async () => {
    const original = await receive();
    const first = await receive();
    const second = await receive();
    const unrelated = await receive();
    await receive();
    expect((await mark(first, original)).status).toBe(200);
    expect((await mark(second, original)).status).toBe(200);
    expect((await mark(unrelated, original, 'related')).status).toBe(200);
    expect((await view(original)).duplicates).toEqual([
      { complaintId: first, at: expect.any(String), by: { id: 'supervisor-e2e', role: 'supervisor' } },
      { complaintId: second, at: expect.any(String), by: { id: 'supervisor-e2e', role: 'supervisor' } },
    ]);
    expect(await listedDuplicatesOf(original)).toEqual([first, second].sort());
    const trail = (await app().request('GET', `/complaints/${original}/trail`, { role: 'auditor' })).body;
    expect(trail.entries.filter((entry: { type: string }) => entry.type === 'ComplaintDuplicateLinked').map((entry: { decision: { en: string } }) => entry.decision.en)).toEqual([
      `Complaint ${first} was marked as a duplicate of this one: Same fill-up, called twice.`,
      `Complaint ${second} was marked as a duplicate of this one: Same fill-up, called twice.`,
    ]);
    expect(trail.verification).toMatchObject({ ok: true });
    // The original's side is caused by the marking: one correlation, its causation the marking's command.
    const marking = (await events(first)).find((event) => event.type === 'ComplaintRelated')!;
    const linked = (await events(original)).find((event) => event.type === 'ComplaintDuplicateLinked' && event.data['duplicateId'] === first)!;
    expect(linked.metadata).toMatchObject({ causationId: marking.metadata['commandId'], correlationId: marking.metadata['correlationId'] });

    expect((await mark(first, original, 'related')).status).toBe(200);
    expect(await duplicatesOf(original)).toEqual([second]);
    expect(await listedDuplicatesOf(original)).toEqual([second]);
    expect(await originalOf(first)).toBeNull();

    // A replay of the log into a new generation answers the same (the list's duplicateOf comes from the events alone).
    const built = await app().request('POST', '/analytics/as-of', { role: 'analyst', body: { until: String(position), name: `dupes-${round()}` } });
    expect(built.status).toBe(202);
    await finished(`/analytics/as-of/${built.body.name as string}`);
    const replayed = await app().request('GET', `/complaints?duplicateOf=${original}&asOf=${built.body.name as string}`, { role: 'analyst' });
    expect(replayed.body.items.map((item: { id: string }) => item.id)).toEqual([second]);
  });

  it('refuses a duplicate of a duplicate with 409 naming the original to use, and marking a complaint that has duplicates; nothing written on either', async () => {
    const root = await receive();
    const middle = await receive();
    const newcomer = await receive();
    expect((await mark(middle, root)).status).toBe(200);
    const counts = async () => [(await events(root)).length, (await events(middle)).length, (await events(newcomer)).length];
    const before = await counts();
    const chain = await mark(newcomer, middle);
    expect(chain.status).toBe(409);
    expect(chain.body).toMatchObject({ code: 'duplicate-of-a-duplicate' });
    expect(chain.body.detail).toBe(`${middle} is itself a duplicate of ${root}: mark this complaint a duplicate of ${root}, the original.`);
    const onto = await mark(root, newcomer);
    expect(onto.status).toBe(409);
    expect(onto.body).toMatchObject({ code: 'has-duplicates' });
    expect(onto.body.detail).toContain(`original of ${middle}`);
    expect(onto.body.detail).toBe(`This complaint is the original of ${middle}, so it is not marked a duplicate itself. To mark it a duplicate of ${newcomer}, `
      + `first withdraw the marking of ${middle} (POST /complaints/{duplicate}/unrelate with complaintId ${root}, on each), then mark this complaint, and them if they are, `
      + `duplicates of ${newcomer}; or mark ${newcomer} a duplicate of this complaint instead.`);
    const back = await mark(root, middle);
    expect(back.status).toBe(409);
    expect(back.body.detail).toBe(`${middle} is a duplicate of this complaint: this one is the original.`);
    const itself = await mark(newcomer, newcomer);
    expect([itself.status, itself.body.code]).toEqual([400, 'relation-to-itself']);
    expect(await counts()).toEqual(before);
    // What the refusal said to do is taken.
    expect((await mark(newcomer, root)).status).toBe(200);
    expect(await duplicatesOf(root)).toEqual([middle, newcomer]);
  });

  it('marks an original a duplicate once the marking of its duplicates is withdrawn, as its has-duplicates refusal says', async () => {
    const original = await receive();
    const duplicate = await receive();
    const newer = await receive();
    expect((await mark(duplicate, original)).status).toBe(200);
    expect((await mark(original, newer)).body.code).toBe('has-duplicates');
    const withdrawn = await app().request('POST', `/complaints/${duplicate}/unrelate`, { role: 'supervisor', body: { complaintId: original, reason: 'To be marked with its original.' } });
    expect(withdrawn.status).toBe(200);
    expect((await mark(original, newer)).status).toBe(200);
    expect((await mark(duplicate, newer)).status).toBe(200);
    expect(await duplicatesOf(newer)).toEqual([original, duplicate]);
  });

  it('of two crossing markings sent at once (A → B and B → A), takes exactly one and writes nothing of the other, every time', async () => {
    for (let round = 0; round < 6; round += 1) {
      const a = await receive();
      const b = await receive();
      const answers = await Promise.all([mark(a, b), mark(b, a)]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
      const [winner, loser] = answers[0]!.status === 200 ? [a, b] : [b, a];
      const refused = answers.find((answer) => answer.status === 409)!;
      expect(['duplicate-of-a-duplicate', 'has-duplicates']).toContain(refused.body.code);
      expect(await originalOf(winner)).toBe(loser);
      expect(await originalOf(loser)).toBeNull();
      expect(await duplicatesOf(loser)).toEqual([winner]);
      expect(await duplicatesOf(winner)).toEqual([]);
      // The log: receipt + the marking on the winner, receipt + its side on the loser; nothing else.
      expect((await events(winner)).map((event) => event.type)).toEqual(['ComplaintReceived', 'ComplaintRelated']);
      expect((await events(loser)).map((event) => event.type)).toEqual(['ComplaintReceived', 'ComplaintDuplicateLinked']);
    }
  });

  it('of three markings sent at once that would close a cycle (A → B → C → A), takes exactly one: no cycle, no chain', async () => {
    for (let round = 0; round < 4; round += 1) {
      const ids = [await receive(), await receive(), await receive()];
      const answers = await Promise.all(ids.map((id, index) => mark(id, ids[(index + 1) % 3]!)));
      expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
      expect(answers.filter((answer) => answer.status === 409)).toHaveLength(2);
      const originals = await Promise.all(ids.map(originalOf));
      const duplicates = originals.filter((original) => original !== null);
      expect(duplicates).toHaveLength(1);
      // The one original is no duplicate, and it lists the one duplicate.
      expect(await originalOf(duplicates[0]!)).toBeNull();
      expect(await duplicatesOf(duplicates[0]!)).toEqual([ids[originals.findIndex((original) => original !== null)]]);
    }
  });

  it('answers a retry with the same Idempotency-Key as the first time, recording each side once', async () => {
    const original = await receive();
    const duplicate = await receive();
    const key = { 'idempotency-key': `dupes-retry-${duplicate}` };
    const first = await mark(duplicate, original, 'duplicate-of', key);
    const again = await mark(duplicate, original, 'duplicate-of', key);
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.body).toEqual(first.body);
    expect((await events(duplicate)).filter((event) => event.type === 'ComplaintRelated')).toHaveLength(1);
    expect((await events(original)).filter((event) => event.type === 'ComplaintDuplicateLinked')).toHaveLength(1);
  });

  it('takes a removed duplicate-of link (POST /complaints/{id}/unrelate) off the original\'s list too, once, also on a retry; the complaint may then be an original itself', async () => {
    const original = await receive();
    const duplicate = await receive();
    const third = await receive();
    expect((await mark(duplicate, original)).status).toBe(200);
    expect(await duplicatesOf(original)).toEqual([duplicate]);
    const unrelate = () => app().request('POST', `/complaints/${duplicate}/unrelate`, {
      role: 'agent', body: { complaintId: original, reason: 'A different fill-up after all.' }, headers: { 'Idempotency-Key': `unrelate-${duplicate}` },
    });
    const removed = await unrelate();
    expect(removed.status).toBe(200);
    position = Math.max(position, removed.body.position as number);
    expect(await originalOf(duplicate)).toBeNull();
    expect(await duplicatesOf(original)).toEqual([]);
    expect(await listedDuplicatesOf(original)).toEqual([]);
    const unlinked = (await events(original)).filter((event) => event.type === 'ComplaintDuplicateUnlinked');
    expect(unlinked).toEqual([expect.objectContaining({ data: expect.objectContaining({ duplicateId: duplicate, reason: 'A different fill-up after all.' }) })]);
    expect((await unrelate()).status).toBe(200);
    expect((await events(original)).filter((event) => event.type === 'ComplaintDuplicateUnlinked')).toHaveLength(1);
    // No longer anyone's duplicate, and the original no longer has it: either may now be marked again, either way round.
    expect((await mark(third, duplicate)).status).toBe(200);
    expect((await mark(original, duplicate)).status).toBe(200);
    expect((await duplicatesOf(duplicate)).sort()).toEqual([original, third].sort());
  });

  it('refuses a duplicateOf filter that is not a complaint id, saying what it must be', async () => {
    const refused = await app().request('GET', '/complaints?duplicateOf=not-an-id', { role: 'agent' });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('duplicateOf must be a complaint id');
  });
});

describe('an Idempotency-Key used again for another duplicate once its stored answer has expired', () => {
  jest.setTimeout(120_000);
  /** The app's clock, moved past the key's stored answer (IDEMPOTENCY_TTL_HOURS) by the test. */
  let ahead = 0;
  const app = useApp(undefined, { idempotencyTtlHours: 1 }, { clock: new (class extends Clock {
    override now(): Date {
      return new Date(Date.now() + ahead);
    }
  })() });
  const receive = async () => (await app().request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, customerId: 'cust-dupes-ttl' } })).body.id as string;
  const mark = (id: string, original: string, key: string) =>
    app().request('POST', `/complaints/${id}/related`, { role: 'supervisor', body: { complaintId: original, relation: 'duplicate-of', reason: 'Same fill-up, called twice.' }, headers: { 'Idempotency-Key': key } });
  /** Without the SLA monitor's events: it may record breaches meanwhile, the clock having moved on. */
  const types = async (id: string) => ((await app().request('GET', `/complaints/${id}/events`, { role: 'auditor' })).body.events as Array<{ type: string }>).map((event) => event.type).filter((type) => type !== 'SlaBreached' && type !== 'SlaAtRisk');

  it('refuses it (422 idempotency-key-reused, saying to send a new key) and writes nothing on either complaint, instead of marking one side only', async () => {
    const [original, first, second] = [await receive(), await receive(), await receive()];
    const key = `dupes-ttl-${second}`;
    expect((await mark(first, original, key)).status).toBe(200);
    ahead += 2 * 3_600_000;
    const [before, originalBefore] = [await types(second), await types(original)];
    const refused = await mark(second, original, key);
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'idempotency-key-reused', detail: expect.stringContaining(`already has an answer on complaint ${original}`) });
    expect(refused.body.detail).toContain('send the request with a new Idempotency-Key');
    expect([await types(second), await types(original)]).toEqual([before, originalBefore]);
    // With a new key it is decided anew, on both sides.
    expect((await mark(second, original, `${key}-new`)).status).toBe(200);
    expect((await types(original)).filter((type) => type === 'ComplaintDuplicateLinked')).toHaveLength(2);
  });

  it('refuses a key that marked a duplicate, used again to unrelate it once its stored answer expired (422), instead of taking it off the original\'s list only', async () => {
    const [original, duplicate] = [await receive(), await receive()];
    const key = `dupes-ttl-unrelate-${duplicate}`;
    expect((await mark(duplicate, original, key)).status).toBe(200);
    ahead += 2 * 3_600_000;
    const [before, originalBefore] = [await types(duplicate), await types(original)];
    const refused = await app().request('POST', `/complaints/${duplicate}/unrelate`, { role: 'supervisor', body: { complaintId: original, reason: 'A different fill-up after all.' }, headers: { 'Idempotency-Key': key } });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'idempotency-key-reused' });
    expect([await types(duplicate), await types(original)]).toEqual([before, originalBefore]);
  });

  it('refuses a key that removed another link of the complaint, used again to unrelate its duplicate-of link once expired (422), nothing written', async () => {
    const [original, duplicate, other] = [await receive(), await receive(), await receive()];
    const unrelate = (relatedId: string, key: string) => app().request('POST', `/complaints/${duplicate}/unrelate`, { role: 'supervisor', body: { complaintId: relatedId, reason: 'Not the same after all.' }, headers: { 'Idempotency-Key': key } });
    expect((await mark(duplicate, original, `dupes-ttl-mark-${duplicate}`)).status).toBe(200);
    expect((await app().request('POST', `/complaints/${duplicate}/related`, { role: 'supervisor', body: { complaintId: other, relation: 'related', reason: 'Same station.' } })).status).toBe(200);
    const key = `dupes-ttl-unrelate-other-${duplicate}`;
    expect((await unrelate(other, key)).status).toBe(200);
    ahead += 2 * 3_600_000;
    const [before, originalBefore] = [await types(duplicate), await types(original)];
    const refused = await unrelate(original, key);
    expect([refused.status, refused.body.code]).toEqual([422, 'idempotency-key-reused']);
    expect([await types(duplicate), await types(original)]).toEqual([before, originalBefore]);
  });
});
