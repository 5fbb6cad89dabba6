import { ROLES } from '@app/domain';
import { MATRIX } from './support/routes';
import { newComplaint, TOKENS, useApp } from './support/test-app';

/** What a front-end asks before it shows anything: who the token is, what it may call, what it may do to a complaint now. */
describe('the session and the actions a complaint allows', () => {
  const app = useApp();

  it.each(ROLES)('tells a %s token its role and exactly the routes the permission matrix gives it', async (role) => {
    const answer = await app().request('GET', '/session', { role });
    expect(answer.status).toBe(200);
    const expected = Object.entries(MATRIX).filter(([, allowed]) => allowed !== 'public' && allowed.includes(role)).map(([route]) => route).sort();
    expect(answer.body).toEqual({ principalId: `${role}-e2e`, role, departments: null, routes: expected, deactivation: null });
  });

  it('leaves the views that span every department out of a token limited to departments', async () => {
    const issued = await app().request('POST', '/access/tokens', { role: 'admin', body: { principalId: 'ops.lead', role: 'supervisor', departments: ['station-ops'], reason: 'night shift' } });
    const answer = await app().request('GET', '/session', { token: issued.body.token });
    expect(answer.body).toMatchObject({ principalId: 'ops.lead', role: 'supervisor', departments: ['station-ops'] });
    expect(answer.body.routes).toEqual(expect.arrayContaining(['GET /complaints', 'POST /complaints/:id/assign', 'GET /sla/at-risk']));
    for (const spanning of ['GET /stats/complaints', 'GET /sla/compliance', 'GET /customers', 'GET /analytics/as-of']) {
      expect(answer.body.routes).not.toContain(spanning);
      const path = spanning.split(' ')[1]!;
      expect((await app().request('GET', path, { token: issued.body.token })).status).toBe(403);
    }
  });

  it('gives each action with the reason it is refused: the role first, then the status as the decider judges it', async () => {
    const { body: { id } } = await app().request('POST', '/complaints', { role: 'agent', body: newComplaint });
    const forAgent = await app().request('GET', `/complaints/${id}`, { role: 'agent' });
    const byAction = Object.fromEntries((forAgent.body.allowedActions as Array<{ action: string }>).map((entry) => [entry.action, entry]));
    expect(byAction['apologise']).toEqual({ action: 'apologise', allowed: true, reason: null });
    expect(byAction['validate']).toEqual({ action: 'validate', allowed: false, reason: { code: 'role-not-allowed', message: 'The agent role may not validate the complaint; allowed: supervisor, admin.' } });
    expect(byAction['resolve']).toEqual({ action: 'resolve', allowed: false, reason: { code: 'not-assigned', message: 'Only an assigned complaint can be resolved. This complaint is received.' } });

    const forSupervisor = await app().request('GET', `/complaints/${id}`, { role: 'supervisor' });
    const allowed = (forSupervisor.body.allowedActions as Array<{ action: string; allowed: boolean }>).filter((entry) => entry.allowed).map((entry) => entry.action);
    // A received complaint: judged, rejected or escalated; and at any time a note, the contact details, a correction, an attachment,
    // tags and a link (removing a link waits for one: 409 not-linked).
    expect(allowed).toEqual(['apologise', 'validate', 'reject', 'escalate', 'notes', 'contact', 'correct', 'attachments', 'tags', 'related']);
    expect(byAction['unrelate']).toEqual({ action: 'unrelate', allowed: false, reason: { code: 'not-linked', message: 'This complaint has made no link to another complaint: there is no link of its own to remove.' } });
    // What the list says is allowed, the command does: validate goes through, resolve is refused with the same code.
    expect((await app().request('POST', `/complaints/${id}/resolve`, { role: 'agent', body: { resolutionClass: 'immediate', remedy: 'refund', customerAccepted: true } })).body.code).toBe('not-assigned');
    expect((await app().request('POST', `/complaints/${id}/validate`, { role: 'supervisor', body: { reason: 'meter log' } })).status).toBe(200);
  });

  it('gives the SLA clocks that run, with their deadlines, and marks a step taken', async () => {
    const { body: { id } } = await app().request('POST', '/complaints', { role: 'agent', body: newComplaint });
    const before = await app().request('GET', `/complaints/${id}`, { role: 'agent' });
    expect(before.body.clocks).toEqual([
      { clock: 'first-reply', deadline: before.body.sla.firstReplyDue, met: false, breachRecorded: false },
      { clock: 'answer', deadline: before.body.sla.answerDue, met: false, breachRecorded: false },
    ]);
    await app().request('POST', `/complaints/${id}/apologise`, { role: 'agent', body: { statement: '非常抱歉', channel: 'phone' } });
    const after = await app().request('GET', `/complaints/${id}`, { role: 'agent' });
    expect(after.body.clocks[0]).toMatchObject({ clock: 'first-reply', met: true });
  });

  it('answers 401 without a token', async () => {
    expect((await app().request('GET', '/session', { role: null })).status).toBe(401);
    expect((await app().request('GET', '/session', { token: `${TOKENS.agent}x` })).status).toBe(401);
  });
});
