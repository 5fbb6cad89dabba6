import { newComplaint, useTwoApps } from './support/test-app';

/**
 * 100 commands at once against one complaint, through two API instances on the same data dir (two
 * writers, as with two processes): exactly the legal ones succeed, the others get 409 or 412,
 * and the stream has no gap and no duplicate.
 */
describe('100 concurrent commands on one complaint', () => {
  const apps = useTwoApps();

  it('lets exactly the legal ones through and keeps the stream whole', async () => {
    const { first, second } = apps();
    const created = await first.request('POST', '/complaints', { role: 'agent', body: newComplaint });
    const id: string = created.body.id;
    type Kind = 'apologise' | 'validate' | 'reject' | 'assign' | 'apologise-if-match-0';
    const kinds: Kind[] = [
      ...Array<Kind>(40).fill('apologise'), ...Array<Kind>(15).fill('validate'), ...Array<Kind>(15).fill('reject'),
      ...Array<Kind>(15).fill('assign'), ...Array<Kind>(15).fill('apologise-if-match-0'),
    ].sort(() => Math.random() - 0.5);
    const send = (kind: Kind, index: number) => {
      const app = index % 2 === 0 ? first : second;
      switch (kind) {
        case 'apologise': return app.request('POST', `/complaints/${id}/apologise`, { role: 'agent', body: { statement: `抱歉 ${index}`, channel: 'phone' } });
        case 'apologise-if-match-0': return app.request('POST', `/complaints/${id}/apologise`, { role: 'agent', headers: { 'if-match': '"0"' }, body: { statement: `抱歉 ${index}`, channel: 'phone' } });
        case 'validate': return app.request('POST', `/complaints/${id}/validate`, { body: { reason: `checked ${index}` } });
        case 'reject': return app.request('POST', `/complaints/${id}/reject`, { body: { reason: `not ours ${index}` } });
        case 'assign': return app.request('POST', `/complaints/${id}/assign`, { body: { department: 'station-ops', assignee: `handler-${index}` } });
      }
    };
    const answers = await Promise.all(kinds.map(async (kind, index) => ({ kind, index, response: await send(kind, index) })));
    const ok = (kind: Kind) => answers.filter((answer) => answer.kind === kind && answer.response.status === 200);

    // Nothing but success, an illegal transition (409) or a stale If-Match (412).
    for (const { response } of answers) expect([200, 409, 412]).toContain(response.status);
    // Always legal: every plain apology.
    expect(ok('apologise')).toHaveLength(40);
    // Validate and reject exclude each other: exactly one judgement.
    expect(ok('validate').length + ok('reject').length).toBe(1);
    for (const answer of answers.filter((a) => (a.kind === 'validate' || a.kind === 'reject') && a.response.status !== 200)) {
      expect(answer.response.status).toBe(409);
      expect(answer.response.body.currentStatus).toMatch(/^(validated|rejected|assigned)$/); // refused by the rules, not by contention
    }
    // If-Match "0" is only right for the very first command after receipt.
    expect(ok('apologise-if-match-0').length).toBeLessThanOrEqual(1);
    for (const answer of answers.filter((a) => a.kind === 'apologise-if-match-0' && a.response.status !== 200)) expect(answer.response.status).toBe(412);

    // The stream: one event per success, revisions 0..n-1, unique ids, each success's revision holds its event.
    const { body: stream } = await first.request('GET', `/complaints/${id}/events`);
    const successes = answers.filter((answer) => answer.response.status === 200);
    expect(stream.events).toHaveLength(1 + successes.length);
    expect(stream.events.map((event: { revision: number }) => event.revision)).toEqual(stream.events.map((_: unknown, index: number) => index));
    expect(new Set(stream.events.map((event: { metadata: { eventId: string } }) => event.metadata.eventId)).size).toBe(stream.events.length);
    const revisions = successes.map((answer) => answer.response.body.revision as number);
    expect(new Set(revisions).size).toBe(successes.length);
    // Assignments succeed exactly when they came after the validation (reassigning is allowed).
    const judged = stream.events.findIndex((event: { type: string }) => event.type === 'ComplaintValidated' || event.type === 'ComplaintRejected');
    for (const answer of answers.filter((a) => a.kind === 'assign')) {
      if (answer.response.status === 200) {
        expect(stream.events[judged].type).toBe('ComplaintValidated');
        expect(answer.response.body.revision).toBeGreaterThan(judged);
      } else {
        expect(answer.response.status).toBe(409);
        expect(answer.response.body.code).not.toBe('concurrent-modification');
      }
    }
    const rejectedAssigns = answers.filter((a) => a.kind === 'assign' && a.response.status !== 200).length;
    const assignsAfterValidation = stream.events.filter((event: { type: string }) => event.type === 'ComplaintAssigned').length;
    expect(assignsAfterValidation + rejectedAssigns).toBe(15);
    expect((await first.request('GET', `/audit/verify?stream=complaint-${id}`, { role: 'auditor' })).body.ok).toBe(true);
  }, 60_000);
});
