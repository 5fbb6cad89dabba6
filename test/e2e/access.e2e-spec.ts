import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteEventStore } from '@app/event-store';
import { AccessControl, MAX_WAITING_DECISIONS_PER_TOKEN } from '../../apps/api/src/access/access-control.service';
import { newComplaint, useApp } from './support/test-app';
import { eventually } from './support/eventually';

describe('managed tokens: issued and revoked as events', () => {
  const app = useApp();

  it('lets an admin issue a token that works at once, shows it once, and stores only its hash', async () => {
    const issued = await app().request('POST', '/access/tokens', { role: 'admin', body: { principalId: 'li.na', role: 'agent', reason: 'New hire, hotline team.' } });
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({ principalId: 'li.na', role: 'agent', departments: null, expiresAt: null });
    expect(issued.body.token).toMatch(/^cdt_[A-Za-z0-9_-]{43}$/);
    expect(issued.headers.get('location')).toBe(`/access/tokens/${issued.body.tokenId}`);

    const created = await app().request('POST', '/complaints', { token: issued.body.token, body: newComplaint });
    expect(created.status).toBe(201);
    const events = await app().request('GET', `/complaints/${created.body.id}/events`);
    expect(events.body.events[0].metadata.actor).toEqual({ id: 'li.na', role: 'agent' });

    const files = readdirSync(app().dataDir).filter((name) => name.endsWith('.sqlite') || name.endsWith('.sqlite-wal'));
    for (const file of files) expect(readFileSync(join(app().dataDir, file)).includes(Buffer.from(issued.body.token))).toBe(false);
  });

  it('revokes a token: from then on it is a 401, and the grant and revocation are in the audit trail with who and why', async () => {
    const issued = await app().request('POST', '/access/tokens', { role: 'admin', body: { principalId: 'wang.fang', role: 'supervisor', reason: 'Covering the night shift.', expiresInDays: 30 } });
    expect((await app().request('GET', '/complaints?limit=1', { token: issued.body.token })).status).toBe(200);
    const revoked = await app().request('POST', `/access/tokens/${issued.body.tokenId}/revoke`, { role: 'admin', body: { reason: 'Night shift over.' } });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ tokenId: issued.body.tokenId, principalId: 'wang.fang' });

    const refused = await app().request('GET', '/complaints?limit=1', { token: issued.body.token });
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toMatch(/revoked/);
    expect((await app().request('POST', `/access/tokens/${issued.body.tokenId}/revoke`, { role: 'admin', body: { reason: 'again' } })).status).toBe(409);
    expect((await app().request('POST', '/access/tokens/0c8f3f0e-5a7d-5b1e-9c4e-2f1a3b4c5d6e/revoke', { role: 'admin', body: { reason: 'x' } })).status).toBe(404);

    const trail = await app().request('GET', '/audit/access', { role: 'auditor' });
    expect(trail.status).toBe(200);
    expect(trail.body.verification).toMatchObject({ ok: true });
    const mine = trail.body.entries.filter((entry: { data: { tokenId: string } }) => entry.data.tokenId === issued.body.tokenId);
    expect(mine.map((entry: { type: string; actor: unknown; reason: string }) => [entry.type, entry.actor, entry.reason])).toEqual([
      ['AccessTokenIssued', { id: 'admin-e2e', role: 'admin' }, 'Covering the night shift.'],
      ['AccessTokenRevoked', { id: 'admin-e2e', role: 'admin' }, 'Night shift over.'],
    ]);
    expect(JSON.stringify(trail.body)).not.toContain('tokenHash');
    expect((await app().request('GET', '/audit/verify?stream=access-control', { role: 'auditor' })).body).toMatchObject({ ok: true, stream: 'access-control' });
    const decisions = await app().request('GET', `/audit/decisions?actor=admin-e2e&type=AccessTokenRevoked&minPosition=${revoked.body.position}`, { role: 'auditor' });
    expect(decisions.body.items.find((item: { reason: string }) => item.reason === 'Night shift over.')).toMatchObject({
      complaintId: null, role: 'admin', decision: { en: 'Revoked the access token of wang.fang', 'zh-CN': '撤销 wang.fang 的访问令牌' },
    });

    const list = await app().request('GET', '/access/tokens', { role: 'auditor' });
    expect(list.body.items.find((item: { tokenId: string }) => item.tokenId === issued.body.tokenId)).toMatchObject({
      status: 'revoked', issuedBy: 'admin-e2e', revokedBy: 'admin-e2e', source: 'managed', departments: null,
    });
    expect(list.body.items.filter((item: { source: string }) => item.source === 'configuration')).toHaveLength(6);
    expect(JSON.stringify(list.body)).not.toMatch(/cdt_|tokenHash/);
  });

  it.each([
    [{ principalId: 'x', role: 'analyst', departments: ['billing'], reason: 'r' }, 'departments'],
    // Two spellings of one code (the directory holds no unit here): which one the scope means is ambiguous.
    [{ principalId: 'x', role: 'agent', departments: ['Billing', 'billing'], reason: 'r' }, 'departments'],
    [{ principalId: 'x', role: 'janitor', reason: 'r' }, 'role'],
    [{ principalId: 'x', role: 'agent' }, 'reason'],
    [{ principalId: 'system:sla-monitor', role: 'admin', reason: 'r' }, 'principalId'],
    [{ principalId: 'x', role: 'agent', reason: 'r', expiresInDays: 0 }, 'expiresInDays'],
  ])('refuses to issue %o (400 naming %s) and writes nothing', async (body, field) => {
    const before = (await app().request('GET', '/audit/access', { role: 'auditor' })).body.entries.length;
    const response = await app().request('POST', '/access/tokens', { role: 'admin', body });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    expect((await app().request('GET', '/audit/access', { role: 'auditor' })).body.entries.length).toBe(before);
  });

  // An Idempotency-Key here was ignored: a client that sent one thought a repeat safe, and a repeat issued a second token.
  it('refuses an Idempotency-Key on issuing and revoking a token (they take none), naming the header, and writes nothing', async () => {
    const before = (await app().request('GET', '/access/tokens', { role: 'admin' })).body.items.length;
    const issue = await app().request('POST', '/access/tokens', { role: 'admin', body: { principalId: 'zhao.lei', role: 'agent', reason: 'Hotline.' }, headers: { 'idempotency-key': 'issue-zhao-1' } });
    expect(issue.status).toBe(400);
    expect(issue.body).toMatchObject({ code: 'validation-failed', errors: [{ field: 'Idempotency-Key', message: expect.stringMatching(/takes no Idempotency-Key.*second token.*GET \/access\/tokens/) }] });
    expect((await app().request('GET', '/access/tokens', { role: 'admin' })).body.items).toHaveLength(before);

    const issued = await app().request('POST', '/access/tokens', { role: 'admin', body: { principalId: 'zhao.lei', role: 'agent', reason: 'Hotline.' } });
    expect(issued.status).toBe(201);
    const revoke = await app().request('POST', `/access/tokens/${issued.body.tokenId}/revoke`, { role: 'admin', body: { reason: 'Left.' }, headers: { 'Idempotency-Key': 'revoke-zhao-1' } });
    expect(revoke.status).toBe(400);
    expect(revoke.body.errors).toEqual([{ field: 'Idempotency-Key', message: expect.stringMatching(/takes no Idempotency-Key.*409 token-already-revoked/) }]);
    // Not revoked: the token still works.
    expect((await app().request('GET', '/complaints?limit=1', { token: issued.body.token })).status).toBe(200);
  });

  // The key was refused in the handler, once the body had passed: a bad body and a key named the body alone, and the key was
  // found only on the next try. Both are named in one 400, the header first; nothing is written.
  it('names an Idempotency-Key and a bad body in one 400 on issuing and revoking a token, and writes nothing', async () => {
    const before = (await app().request('GET', '/access/tokens', { role: 'admin' })).body.items.length;
    const issue = await app().request('POST', '/access/tokens', { role: 'admin', body: { principalId: 'qian.li', role: 'boss', reason: 'Hotline.' }, headers: { 'idempotency-key': 'issue-qian-1' } });
    expect([issue.status, issue.body.code]).toEqual([400, 'validation-failed']);
    expect(issue.body.errors.map((error: { field: string }) => error.field)).toEqual(['Idempotency-Key', 'role']);
    expect((await app().request('GET', '/access/tokens', { role: 'admin' })).body.items).toHaveLength(before);

    const issued = await app().request('POST', '/access/tokens', { role: 'admin', body: { principalId: 'qian.li', role: 'agent', reason: 'Hotline.' } });
    expect(issued.status).toBe(201);
    const revoke = await app().request('POST', `/access/tokens/${issued.body.tokenId}/revoke`, { role: 'admin', body: { reason: 42 }, headers: { 'idempotency-key': 'revoke-qian-1' } });
    expect(revoke.status).toBe(400);
    expect(revoke.body.errors.map((error: { field: string }) => error.field)).toEqual(['Idempotency-Key', 'reason']);
    expect((await app().request('GET', '/complaints?limit=1', { token: issued.body.token })).status).toBe(200);
  });

  it('follows grants and revocations another process appends (the CLI on the same data dir)', async () => {
    const store = new SqliteEventStore({ filename: join(app().dataDir, 'events.sqlite'), synchronous: 'FULL' });
    const cli = new AccessControl(store, () => new Date());
    await cli.start();
    try {
      const operator = { actor: { id: 'cli:operator', role: 'admin' as const }, reason: 'from the shell' };
      const { token, grant } = await cli.issue({ principalId: 'night.agent', role: 'agent', reason: 'from the shell' }, operator);
      expect(await eventually(async () => (await app().request('GET', '/complaints?limit=1', { token })).status === 200)).toBe(true);
      await cli.revoke(grant.tokenId, operator);
      expect(await eventually(async () => (await app().request('GET', '/complaints?limit=1', { token })).status === 401)).toBe(true);
    } finally {
      await cli.close();
      await store.close();
    }
  });

  /** Holds every append to the access-control stream until release(): the requests sent meanwhile all wait in the queue. */
  function gateAccessAppends() {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const append = SqliteEventStore.prototype.append;
    const gated = jest.spyOn(SqliteEventStore.prototype, 'append').mockImplementation(async function (this: SqliteEventStore, ...args: Parameters<SqliteEventStore['append']>) {
      if (args[0] === 'access-control') await gate;
      return append.apply(this, args);
    });
    return { release, restore: () => { release(); gated.mockRestore(); } };
  }

  // Found in an attack: a leaked admin token's issues in flight were recorded after its revocation, and the revocation lost 409 to them;
  // then, issuing just under the rate limit, its queued issues kept its revocation waiting for seconds.
  it('revokes a managed admin token while it issues in parallel: the revocation goes ahead of its waiting issues, and nothing it issues is recorded after it', async () => {
    const leaked = await app().request('POST', '/access/tokens', { role: 'admin', body: { principalId: 'leaked.admin', role: 'admin', reason: 'Deputy admin.' } });
    expect(leaked.status).toBe(201);
    // The first append to the access-control stream waits until every request below has reached the service: they are all in
    // flight together, four issues asked before the revocation and four after it, whatever the machine's speed.
    const gate = gateAccessAppends();
    const issued = jest.spyOn(AccessControl.prototype, 'issue');
    const revoking = jest.spyOn(AccessControl.prototype, 'revoke');
    try {
      const issue = (index: number) => app().request('POST', '/access/tokens', { token: leaked.body.token, body: { principalId: `minted.${index}`, role: 'admin', reason: 'minted' } });
      const before = [0, 1, 2, 3].map(issue);
      expect(await eventually(async () => issued.mock.calls.length === 4, 20_000)).toBe(true);
      const revocation = app().request('POST', `/access/tokens/${leaked.body.tokenId}/revoke`, { role: 'admin', body: { reason: 'Leaked.' } });
      expect(await eventually(async () => revoking.mock.calls.length === 1, 20_000)).toBe(true);
      const after = [4, 5, 6, 7].map(issue);
      expect(await eventually(async () => issued.mock.calls.length === 8, 20_000)).toBe(true);
      gate.release();
      const [answersBefore, revoked, answersAfter] = await Promise.all([Promise.all(before), revocation, Promise.all(after)]);

      expect(revoked.status).toBe(200);
      // Only the issue already running when the revocation was asked is recorded; the three waiting were decided after it.
      expect(answersBefore.map(({ status }) => status).sort()).toEqual([201, 401, 401, 401]);
      // Decided after the revocation: refused as the revoked token they carry, as the guard refuses it.
      for (const answer of [...answersBefore.filter(({ status }) => status !== 201), ...answersAfter]) {
        expect(answer.body).toMatchObject({ status: 401, code: 'unauthorized', detail: expect.stringMatching(/revoked/) });
      }
      const entries = (await app().request('GET', '/audit/access', { role: 'auditor' })).body.entries as Array<{ type: string; actor: { id: string }; data: { tokenId: string } }>;
      const revokedAt = entries.findIndex((entry) => entry.type === 'AccessTokenRevoked' && entry.data.tokenId === leaked.body.tokenId);
      expect(revokedAt).toBeGreaterThan(-1);
      expect(entries.slice(revokedAt + 1).filter((entry) => entry.actor.id === 'leaked.admin')).toEqual([]);
      expect(entries.slice(0, revokedAt).filter((entry) => entry.actor.id === 'leaked.admin').map((entry) => entry.data.tokenId))
        .toEqual(answersBefore.filter(({ status }) => status === 201).map(({ body }) => body.tokenId as string));
    } finally {
      gate.restore();
      issued.mockRestore();
      revoking.mockRestore();
    }
  });

  it(`refuses at once, 429 too-many-in-flight with Retry-After, a decision beyond ${MAX_WAITING_DECISIONS_PER_TOKEN} waiting for one token, and writes nothing of it`, async () => {
    const busy = await app().request('POST', '/access/tokens', { role: 'admin', body: { principalId: 'busy.admin', role: 'admin', reason: 'Deputy admin.' } });
    expect(busy.status).toBe(201);
    const gate = gateAccessAppends();
    const issued = jest.spyOn(AccessControl.prototype, 'issue');
    try {
      const issue = (index: number) => app().request('POST', '/access/tokens', { token: busy.body.token, body: { principalId: `queued.${index}`, role: 'agent', reason: 'queued' } });
      // One running and MAX waiting: the gate holds them all.
      const held = Array.from({ length: MAX_WAITING_DECISIONS_PER_TOKEN + 1 }, (_, index) => issue(index));
      expect(await eventually(async () => issued.mock.calls.length === MAX_WAITING_DECISIONS_PER_TOKEN + 1, 20_000)).toBe(true);
      const refused = await issue(99);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(refused.body).toMatchObject({ status: 429, code: 'too-many-in-flight', detail: expect.stringMatching(/nothing was written/) });
      gate.release();
      expect((await Promise.all(held)).map(({ status }) => status)).toEqual(Array(MAX_WAITING_DECISIONS_PER_TOKEN + 1).fill(201));
      const listed = (await app().request('GET', '/access/tokens', { role: 'admin' })).body.items as Array<{ principalId: string }>;
      expect(listed.map((token) => token.principalId)).not.toContain('queued.99');
    } finally {
      gate.restore();
      issued.mockRestore();
    }
  });

  it('lets only admins issue and revoke', async () => {
    for (const role of ['agent', 'supervisor', 'engineer', 'analyst', 'auditor'] as const) {
      expect((await app().request('POST', '/access/tokens', { role, body: { principalId: 'x', role: 'admin', reason: 'r' } })).status).toBe(403);
    }
  });
});

describe('department scope', () => {
  const app = useApp();
  const tokens: Record<string, string> = {};
  const assign = (id: string, department: string) => app().request('POST', `/complaints/${id}/validate`, { role: 'supervisor', body: { reason: 'checked' } })
    .then(() => app().request('POST', `/complaints/${id}/assign`, { role: 'supervisor', body: { department, assignee: `${department}-handler` } }));

  beforeAll(async () => {
    for (const [name, body] of Object.entries({
      opsAgent: { principalId: 'ops.agent', role: 'agent', departments: ['station-ops'] },
      billingAgent: { principalId: 'billing.agent', role: 'agent', departments: ['billing'] },
      opsSupervisor: { principalId: 'ops.supervisor', role: 'supervisor', departments: ['station-ops'] },
    })) {
      const issued = await app().request('POST', '/access/tokens', { role: 'admin', body: { ...body, reason: 'scoped' } });
      expect(issued.status).toBe(201);
      tokens[name] = issued.body.token;
    }
  });

  it('shows an agent the complaints of its departments and the unassigned ones it received, and nothing else', async () => {
    const ops = (await app().request('POST', '/complaints', { role: 'agent', body: newComplaint })).body.id;
    const billing = (await app().request('POST', '/complaints', { role: 'agent', body: newComplaint })).body.id;
    await assign(ops, 'station-ops');
    const last = await assign(billing, 'billing');
    const mine = (await app().request('POST', '/complaints', { token: tokens['billingAgent'], body: newComplaint })).body;

    expect((await app().request('GET', `/complaints/${ops}`, { token: tokens['opsAgent'] })).status).toBe(200);
    expect((await app().request('GET', `/complaints/${billing}`, { token: tokens['opsAgent'] })).status).toBe(404);
    expect((await app().request('GET', `/complaints/${billing}/events`, { token: tokens['opsAgent'] })).status).toBe(404);
    expect((await app().request('GET', `/complaints/${mine.id}`, { token: tokens['billingAgent'] })).status).toBe(200);
    expect((await app().request('GET', `/complaints/${mine.id}`, { token: tokens['opsAgent'] })).status).toBe(404);

    const position = Math.max(last.body.position, mine.position);
    const opsList = await app().request('GET', `/complaints?minPosition=${position}`, { token: tokens['opsAgent'] });
    expect(opsList.body.items.map((item: { id: string }) => item.id)).toEqual([ops]);
    const billingList = await app().request('GET', `/complaints?minPosition=${position}`, { token: tokens['billingAgent'] });
    expect(billingList.body.items.map((item: { id: string }) => item.id).sort()).toEqual([billing, mine.id].sort());
    const everyone = await app().request('GET', `/complaints?minPosition=${position}`, { role: 'analyst' });
    expect(everyone.body.items).toHaveLength(3);
  });

  it('lets an agent act only within its scope: outside it the complaint is not found and nothing is written', async () => {
    const billing = (await app().request('POST', '/complaints', { role: 'agent', body: newComplaint })).body.id;
    await assign(billing, 'billing');
    const before = (await app().request('GET', `/complaints/${billing}`)).body.revision;
    const outside = await app().request('POST', `/complaints/${billing}/apologise`, { token: tokens['opsAgent'], body: { statement: '抱歉', channel: 'phone' } });
    expect(outside.status).toBe(404);
    expect((await app().request('GET', `/complaints/${billing}`)).body.revision).toBe(before);
    const inside = await app().request('POST', `/complaints/${billing}/apologise`, { token: tokens['billingAgent'], body: { statement: '抱歉', channel: 'phone' } });
    expect(inside.status).toBe(200);
  });

  it('refuses a department named like the "received by" marker, so nobody can be given another agent\'s unassigned complaints', async () => {
    const issued = await app().request('POST', '/access/tokens', { role: 'admin', body: { principalId: 'li.na', role: 'agent', departments: ['station-ops'], reason: 'hotline' } });
    const hers = (await app().request('POST', '/complaints', { token: issued.body.token, body: { ...newComplaint, customerId: 'cust-li-na' } })).body;
    const before = (await app().request('GET', '/audit/access', { role: 'auditor' })).body.entries.length;

    const token = await app().request('POST', '/access/tokens', { role: 'admin', body: { principalId: 'mallory', role: 'agent', departments: ['received-by:li.na'], reason: 'forged' } });
    expect(token.status).toBe(400);
    expect(token.body.errors).toEqual([expect.objectContaining({ field: 'departments', message: expect.stringMatching(/letters, digits, \. _ or -/) })]);
    expect((await app().request('GET', '/audit/access', { role: 'auditor' })).body.entries.length).toBe(before);

    const other = (await app().request('POST', '/complaints', { role: 'agent', body: newComplaint })).body.id;
    await app().request('POST', `/complaints/${other}/validate`, { role: 'supervisor', body: { reason: 'checked' } });
    const revision = (await app().request('GET', `/complaints/${other}`)).body.revision;
    const assigned = await app().request('POST', `/complaints/${other}/assign`, { role: 'supervisor', body: { department: 'received-by:li.na', assignee: 'mallory' } });
    expect(assigned.status).toBe(400);
    expect(assigned.body.errors).toEqual([expect.objectContaining({ field: 'department', message: expect.stringMatching(/letters, digits, \. _ or -/) })]);
    expect((await app().request('GET', `/complaints/${other}`)).body.revision).toBe(revision);

    // The scoped supervisor of station-ops sees neither li.na's unassigned complaint nor the other one.
    const listed = await app().request('GET', `/complaints?minPosition=${hers.position}&limit=200`, { token: tokens['opsSupervisor'] });
    expect(listed.body.items.map((item: { id: string }) => item.id)).not.toContain(hers.id);
    const own = await app().request('GET', `/complaints?minPosition=${hers.position}&limit=200`, { token: issued.body.token });
    expect(own.body.items.map((item: { id: string }) => item.id)).toContain(hers.id);
  });

  it('checks scope and role before answering a replayed Idempotency-Key: out of scope it is not found, and nothing is answered from the stored response', async () => {
    const issue = async (body: object) => (await app().request('POST', '/access/tokens', { role: 'admin', body: { principalId: 'pat', reason: 'two desks', ...body } })).body.token as string;
    const everywhere = await issue({ role: 'supervisor' });
    const opsOnly = await issue({ role: 'agent', departments: ['station-ops'] });
    const billing = (await app().request('POST', '/complaints', { role: 'agent', body: newComplaint })).body.id;
    await assign(billing, 'billing');
    const ops = (await app().request('POST', '/complaints', { role: 'agent', body: newComplaint })).body.id;
    await assign(ops, 'station-ops');
    const apology = { statement: '抱歉', channel: 'phone' };

    const first = await app().request('POST', `/complaints/${billing}/apologise`, { token: everywhere, body: apology, headers: { 'idempotency-key': 'pat-apology-1' } });
    expect(first.status).toBe(200);
    const replayed = await app().request('POST', `/complaints/${billing}/apologise`, { token: opsOnly, body: apology, headers: { 'idempotency-key': 'pat-apology-1' } });
    expect(replayed.status).toBe(404);
    expect(replayed.body).toMatchObject({ code: 'complaint-not-found' });
    expect(replayed.headers.get('idempotent-replayed')).toBeNull();
    expect(replayed.headers.get('etag')).toBeNull();
    expect((await app().request('GET', `/complaints/${billing}`)).body.revision).toBe(first.body.revision);

    // A complaint received through the key, assigned elsewhere since: the replay no longer reveals it either.
    const received = await app().request('POST', '/complaints', { token: everywhere, body: newComplaint, headers: { 'idempotency-key': 'pat-receipt-1' } });
    await assign(received.body.id, 'billing');
    const receivedAgain = await app().request('POST', '/complaints', { token: opsOnly, body: newComplaint, headers: { 'idempotency-key': 'pat-receipt-1' } });
    expect(receivedAgain.status).toBe(404);
    expect(receivedAgain.headers.get('location')).toBeNull();

    // A replay needs the role of the command: the agent token may not replay a supervisor's assignment.
    const reassign = { department: 'station-ops', assignee: 'pat' };
    expect((await app().request('POST', `/complaints/${ops}/assign`, { token: everywhere, body: reassign, headers: { 'idempotency-key': 'pat-assign-1' } })).status).toBe(200);
    expect((await app().request('POST', `/complaints/${ops}/assign`, { token: opsOnly, body: reassign, headers: { 'idempotency-key': 'pat-assign-1' } })).status).toBe(403);

    // Within scope the replay still answers the first response.
    const inScope = await app().request('POST', `/complaints/${ops}/apologise`, { token: everywhere, body: apology, headers: { 'idempotency-key': 'pat-apology-2' } });
    const inScopeAgain = await app().request('POST', `/complaints/${ops}/apologise`, { token: opsOnly, body: apology, headers: { 'idempotency-key': 'pat-apology-2' } });
    expect(inScopeAgain.status).toBe(200);
    expect(inScopeAgain.body).toEqual(inScope.body);
    expect(inScopeAgain.headers.get('idempotent-replayed')).toBe('true');
  });

  it('limits a departmental supervisor\'s SLA views to its departments and refuses the cross-department aggregates', async () => {
    expect((await app().request('GET', '/sla/breaches', { token: tokens['opsSupervisor'] })).status).toBe(200);
    expect((await app().request('GET', '/sla/at-risk?department=station-ops', { token: tokens['opsSupervisor'] })).status).toBe(200);
    const other = await app().request('GET', '/sla/breaches?department=billing', { token: tokens['opsSupervisor'] });
    expect(other.status).toBe(403);
    expect(other.body.detail).toMatch(/not one of your departments \(station-ops\).*leave it out/);
    for (const path of ['/sla/compliance', '/stats/complaints', '/customers', '/customers/cust-10086', '/analytics/as-of', '/analytics/as-of/end-of-june']) {
      const response = await app().request('GET', path, { token: tokens['opsSupervisor'] });
      expect(response.status).toBe(403);
      expect(response.body.detail).toMatch(/spans every department/);
    }
    const atRisk = await app().request('GET', '/sla/at-risk?within=P30D', { token: tokens['opsSupervisor'] });
    expect(atRisk.body.items.every((clock: { department: string | null }) => clock.department === 'station-ops')).toBe(true);
  });

  it('applies the same scope to CSV exports: the department\'s rows only, and the cross-department aggregates refused', async () => {
    const ops = (await app().request('POST', '/complaints', { role: 'agent', body: newComplaint })).body.id;
    const billing = (await app().request('POST', '/complaints', { role: 'agent', body: newComplaint })).body.id;
    await assign(ops, 'station-ops');
    const last = await assign(billing, 'billing');
    const csv = (path: string, token: string) => app().request('GET', `${path}${path.includes('?') ? '&' : '?'}format=csv&minPosition=${last.body.position}`, { token });
    const idsOf = (body: string) => body.trim().split('\r\n').slice(1).map((line) => line.split(',')[0]);

    const opsRows = idsOf((await csv('/complaints', tokens['opsAgent']!)).body);
    expect(opsRows).toContain(ops);
    expect(opsRows).not.toContain(billing);
    const jsonIds = (await app().request('GET', `/complaints?limit=200&minPosition=${last.body.position}`, { token: tokens['opsAgent'] })).body.items.map((item: { id: string }) => item.id);
    expect(opsRows).toEqual(jsonIds);
    expect(idsOf((await csv('/complaints', tokens['billingAgent']!)).body)).not.toContain(ops);

    const header = (body: string) => body.split('\r\n')[0]!.split(',');
    for (const path of ['/sla/breaches', '/sla/at-risk?within=P30D']) {
      const answer = await csv(path, tokens['opsSupervisor']!);
      expect(answer.status).toBe(200);
      const column = header(answer.body).indexOf('department');
      const rows = answer.body.trim().split('\r\n').slice(1);
      expect(rows.every((line: string) => line.split(',')[column] === 'station-ops')).toBe(true);
      if (path.startsWith('/sla/at-risk')) expect(rows.some((line: string) => line.includes(ops))).toBe(true);
    }
    expect((await csv('/sla/breaches?department=billing', tokens['opsSupervisor']!)).status).toBe(403);
    for (const path of ['/sla/compliance', '/stats/complaints', '/customers']) {
      const refused = await csv(path, tokens['opsSupervisor']!);
      expect(refused.status).toBe(403);
      expect(refused.body.detail).toMatch(/spans every department/);
    }
  });
});
