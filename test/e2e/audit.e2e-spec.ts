import { join } from 'node:path';
import Database from 'better-sqlite3';
import { newComplaint, removeDataDir, startApp, type RunningApp } from './support/test-app';

async function lifecycle(app: RunningApp): Promise<string> {
  const { body } = await app.request('POST', '/complaints', { role: 'agent', body: newComplaint, headers: { 'x-correlation-id': 'hotline-call-77' } });
  for (const [verb, payload, role] of [
    ['apologise', { statement: '非常抱歉', channel: 'phone' }, 'agent'], ['validate', { reason: 'meter log confirms' }, 'supervisor'],
    ['assign', { department: 'station-ops', assignee: 'zhang', reason: 'metering' }, 'supervisor'],
    ['resolve', { resolutionClass: 'immediate', remedy: 'refund', customerAccepted: true }, 'agent'], ['callback', { outcome: 'satisfied', satisfaction: 5 }, 'agent'],
  ] as const) expect((await app.request('POST', `/complaints/${body.id}/${verb}`, { role, body: payload })).status).toBe(200);
  return body.id;
}

describe('audit trail and tamper evidence', () => {
  it('shows every decision in plain words with who, why, when, policy, correlation and hash', async () => {
    const app = await startApp();
    try {
      const id = await lifecycle(app);
      const trail = await app.request('GET', `/complaints/${id}/trail`, { role: 'auditor' });
      expect(trail.status).toBe(200);
      expect(trail.body.verification).toMatchObject({ ok: true, events: 6 });
      expect(trail.body.entries.map((entry: { type: string }) => entry.type)).toEqual([
        'ComplaintReceived', 'ComplaintApologised', 'ComplaintValidated', 'ComplaintAssigned', 'ComplaintResolved', 'CallbackDone',
      ]);
      const assigned = trail.body.entries[3];
      expect(assigned).toMatchObject({
        revision: 3, decision: { 'zh-CN': '指派给 station-ops 的 zhang', en: 'Assigned to zhang in station-ops' },
        actor: { id: 'supervisor-e2e', role: 'supervisor' }, reason: 'metering', policyVersion: 'seed-default-v1',
        correlationId: expect.any(String), commandId: expect.any(String), hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(trail.body.entries[0]).toMatchObject({ correlationId: 'hotline-call-77', decision: { en: expect.stringContaining('under SLA policy seed-default-v1') } });
      expect(trail.body.verification.head).toBe(trail.body.entries[5].hash);
      expect((await app.request('GET', `/complaints/${id}/trail`, { role: 'agent' })).status).toBe(403);
      expect((await app.request('GET', `/audit/verify?stream=complaint-${id}`, { role: 'admin' })).body).toMatchObject({ ok: true, events: 6 });
      expect((await app.request('GET', '/audit/verify?stream=events', { role: 'auditor' })).status).toBe(400);
      expect((await app.request('GET', '/audit/verify?stream=complaint-00000000-0000-4000-8000-000000000000', { role: 'auditor' })).status).toBe(404);
    } finally {
      await app.stop();
      removeDataDir(app.dataDir);
    }
  });

  it('lists what a person decided in a period, across complaints', async () => {
    const app = await startApp();
    try {
      await lifecycle(app);
      const last = await lifecycle(app);
      const events = await app.request('GET', `/complaints/${last}/events`);
      const position = events.body.events[events.body.events.length - 1].position;
      const decisions = await app.request('GET', `/audit/decisions?actor=supervisor-e2e&minPosition=${position}`, { role: 'auditor' });
      expect(decisions.status).toBe(200);
      expect(decisions.body.items.map((item: { type: string }) => item.type)).toEqual(['ComplaintAssigned', 'ComplaintValidated', 'ComplaintAssigned', 'ComplaintValidated']);
      expect(decisions.body.items[0]).toMatchObject({ complaintId: last, role: 'supervisor', reason: 'metering', decision: { en: 'Assigned to zhang in station-ops' } });
      const callbacks = await app.request('GET', '/audit/decisions?type=CallbackDone&role=agent&from=2000-01-01T00:00:00Z', { role: 'admin' });
      expect(callbacks.body.items).toHaveLength(2);
      expect((await app.request('GET', '/audit/decisions?type=Nonsense', { role: 'auditor' })).status).toBe(400);
      expect((await app.request('GET', '/audit/decisions', { role: 'analyst' })).status).toBe(403);
    } finally {
      await app.stop();
      removeDataDir(app.dataDir);
    }
  });

  it.each([
    ['an edited event', (db: Database.Database, stream: string) => {
      db.prepare("UPDATE events SET data = json_set(data, '$.remedy', 'voucher') WHERE stream = ? AND revision = 4").run(stream);
    }, 4],
    ['an edited actor', (db: Database.Database, stream: string) => {
      db.prepare("UPDATE events SET metadata = json_set(metadata, '$.actor.id', 'someone-else') WHERE stream = ? AND revision = 2").run(stream);
    }, 2],
    ['a deleted event', (db: Database.Database, stream: string) => {
      db.prepare('DELETE FROM events WHERE stream = ? AND revision = 3').run(stream);
      db.prepare('UPDATE events SET revision = revision - 1 WHERE stream = ? AND revision > 3').run(stream);
    }, 3],
    ['two events swapped', (db: Database.Database, stream: string) => {
      db.prepare('UPDATE events SET revision = -1 WHERE stream = ? AND revision = 1').run(stream);
      db.prepare('UPDATE events SET revision = 1 WHERE stream = ? AND revision = 2').run(stream);
      db.prepare('UPDATE events SET revision = 2 WHERE stream = ? AND revision = -1').run(stream);
    }, 1],
  ])('catches %s written directly into the SQLite file', async (_name, tamper, brokenAt) => {
    const first = await startApp();
    const dataDir = first.dataDir;
    try {
      const id = await lifecycle(first);
      await first.stop();
      const db = new Database(join(dataDir, 'events.sqlite'));
      tamper(db, `complaint-${id}`);
      db.close();
      const second = await startApp(dataDir);
      try {
        const verdict = await second.request('GET', `/audit/verify?stream=complaint-${id}`, { role: 'auditor' });
        expect(verdict.status).toBe(200);
        expect(verdict.body).toMatchObject({ ok: false, stream: `complaint-${id}`, revision: brokenAt, expected: expect.any(String) });
      } finally {
        await second.stop();
      }
    } finally {
      removeDataDir(dataDir);
    }
  });
});
