import { createHash } from 'node:crypto';
import { BlobStore } from '@app/blob-store';
import { ReadStore } from '@app/read-store';
import { EventStore } from '@app/event-store';
import { startServer, type Server } from '../crash/support/server';
import { beforeFirstAppend, frozenFor } from './support/hold-append';
import { signedOffRepair } from './support/repair-steps';
import { TOKENS, newComplaint, newWorkOrder, removeDataDir, startApp, type RunningApp } from './support/test-app';

/**
 * The file's turn (docs/adr/0019) and the engineer's turn (docs/adr/0012) between two API processes on
 * one data directory (issue 19; 18's dispatch rule). The app here (this process) holds one request's
 * write with a hook and sends the racing request to the other process (the built API, spawned), then
 * goes on once that one has answered or, when it waits for the turn held here, a second and a half.
 * With the turns kept in each process only, the other process's request went through the window: a
 * file deleted under the upload it had just recorded; a dispatch stored after the deactivation's check.
 */
describe('turns held across two API processes on one data directory', () => {
  let here: RunningApp;
  let there: Server;

  beforeAll(async () => {
    here = await startApp();
    const tokens = Object.entries(TOKENS).map(([role, token]) => `${token}:${role}-e2e:${role}`).join(',');
    there = await startServer(here.dataDir, { API_TOKENS: tokens });
    for (const body of [
      { code: 'cs-centre', kind: 'centre', name: { 'zh-CN': '客服中心', en: 'Customer service centre' }, reason: '一个中心' },
      { code: 'dandong-station', kind: 'station', name: { 'zh-CN': '丹东服务站', en: 'Dandong service station' }, parent: 'cs-centre', regions: ['210600'], reason: 'station for Dandong' },
    ]) expect((await here.request('POST', '/service-network/units', { role: 'admin', body })).status).toBe(201);
  }, 240_000);
  afterAll(async () => {
    there?.child.kill('SIGTERM');
    await there?.exited;
    await here?.stop();
    if (here) removeDataDir(here.dataDir);
  });

  /** A request to the other process, answered as status and JSON body. */
  const sendThere = async (method: string, path: string, role: keyof typeof TOKENS, body?: unknown | FormData) => {
    const form = body instanceof FormData;
    const answer = await fetch(`${there.url}${path}`, {
      method, body: form ? body : JSON.stringify(body),
      headers: { authorization: `Bearer ${TOKENS[role]}`, ...(form ? {} : { 'content-type': 'application/json' }) },
    });
    return { status: answer.status, headers: answer.headers, body: await answer.json() as Record<string, unknown> };
  };
  type Answer = Awaited<ReturnType<typeof sendThere>>;
  /** Waits for the other process's answer, or (it waits for the turn held here) a second and a half. */
  const answeredOrWaiting = (other: Promise<Answer>) => Promise.race([other, new Promise((resolve) => setTimeout(resolve, 1_500))]);
  /** Past the turns' 3 s lease, short of the other instance's 5 s wait for the turn. */
  const FROZEN_MS = 4_000;

  it('an upload of a file to the other instance while this one erases its last other owner keeps the bytes the upload recorded', async () => {
    const receive = async (customerId: string) => {
      const received = await here.request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, customerId } });
      expect(received.status).toBe(201);
      return received.body.id as string;
    };
    const form = (bytes: Buffer) => {
      const data = new FormData();
      data.append('file', new Blob([bytes], { type: 'text/plain' }), 'blank-form.txt');
      data.append('kind', 'other');
      return data;
    };
    const complaintA = await receive('cust-turn-a');
    const complaintB = await receive('cust-turn-b');
    const bytes = Buffer.from('计量纠纷判断表（空白，两台实例）\n', 'utf8');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    expect((await sendThere('POST', `/complaints/${complaintA}/attachments`, 'agent', form(bytes))).status).toBe(201);

    const blobs = here.get(BlobStore);
    const remove = blobs.delete.bind(blobs);
    let racing: Promise<Answer> | undefined;
    try {
      // The erasure here has found no other complaint naming the file and is about to delete it: B's upload goes to the other instance now.
      blobs.delete = async (hash) => {
        if (hash === sha256 && racing === undefined) {
          racing = sendThere('POST', `/complaints/${complaintB}/attachments`, 'agent', form(bytes));
          await answeredOrWaiting(racing);
        }
        return remove(hash);
      };
      const erased = await here.request('POST', '/customers/cust-turn-a/erase', { role: 'admin', body: { ground: 'consent-withdrawn', reason: 'r', requestReference: 'x' } });
      expect(erased.status).toBe(200);
    } finally {
      blobs.delete = remove;
    }
    expect(racing).toBeDefined();
    expect((await racing)?.status).toBe(201);
    const downloaded = await here.request('GET', `/complaints/${complaintB}/attachments/${sha256}`, { role: 'agent' });
    expect(downloaded.status).toBe(200);
    expect(downloaded.body).toBe(bytes.toString('utf8'));
  });

  /**
   * Holds this instance's first append to a stream `streamPrefix` names while `between` runs on the
   * other instance; `frozenMs`: this process then stops dead that long (past its turn's 3 s lease, as
   * the attacker's SIGSTOP between the check and the append) and goes on once the other has answered.
   */
  async function holdingAppend<T>(streamPrefix: string, between: () => Promise<Answer>, here_: () => Promise<T>, frozenMs?: number): Promise<{ mine: T; other: Answer | undefined }> {
    let racing: Promise<Answer> | undefined;
    const release = beforeFirstAppend(here.get(EventStore), streamPrefix, async () => {
      racing = between();
      if (frozenMs === undefined) {
        await answeredOrWaiting(racing);
        return;
      }
      // The request has reached the other instance, which waits for the turn held here; then the freeze.
      await new Promise((resolve) => setTimeout(resolve, 300));
      frozenFor(frozenMs);
      await racing;
    });
    try {
      const mine = await here_();
      return { mine, other: await racing };
    } finally {
      release();
    }
  }
  let engineers = 0;
  const engineerAndOrder = async () => {
    const engineerId = `eng-two-instances-${(engineers += 1)}`;
    const added = await here.request('POST', '/service-network/engineers', { role: 'admin', body: { engineerId, name: '两台实例', station: 'dandong-station', skills: ['pump'], reason: 'hired' } });
    expect(added.status).toBe(201);
    const reported = await here.request('POST', '/work-orders', { role: 'agent', body: newWorkOrder });
    expect(reported.status).toBe(201);
    return { engineerId, id: reported.body.id as string };
  };
  const dispatchBody = (engineerId: string) => ({ stationCode: 'dandong-station', engineerId });
  const listedIn = (deactivation: { body: Record<string, unknown> }) => (deactivation.body['openWorkOrders'] as Array<{ id: string }>).map((order) => order.id);

  it('a dispatch here, decided before the other instance deactivates the engineer, lands before the deactivation, which lists the order', async () => {
    const { engineerId, id } = await engineerAndOrder();
    // The dispatch here has checked the engineer and is about to store itself: the deactivation goes to the other instance now.
    const { mine: dispatched, other: left } = await holdingAppend('work-order-', () => sendThere('POST', `/service-network/engineers/${engineerId}/deactivate`, 'supervisor', { reason: 'left' }),
      () => here.request('POST', `/work-orders/${id}/dispatch`, { role: 'agent', body: dispatchBody(engineerId) }));
    expect({ dispatch: dispatched.status, deactivation: left?.status, listed: left && listedIn(left) }).toEqual({ dispatch: 200, deactivation: 200, listed: [id] });
  });

  it('a dispatch to the other instance while this one stores the deactivation is refused (400 engineer-inactive), or lands before it and is listed', async () => {
    const { engineerId, id } = await engineerAndOrder();
    // The deactivation here has decided and is about to store itself: the dispatch goes to the other instance now.
    const { mine: left, other: dispatched } = await holdingAppend('service-network', () => sendThere('POST', `/work-orders/${id}/dispatch`, 'agent', dispatchBody(engineerId)),
      () => here.request('POST', `/service-network/engineers/${engineerId}/deactivate`, { role: 'supervisor', body: { reason: 'left' } }));
    expect(left.status).toBe(200);
    expect(dispatched).toBeDefined();
    if (dispatched!.status === 200) expect(listedIn(left)).toEqual([id]);
    else {
      expect({ status: dispatched!.status, code: dispatched!.body['code'], listed: listedIn(left) }).toEqual({ status: 400, code: 'engineer-inactive', listed: [] });
      expect((await here.request('GET', `/work-orders/${id}`)).body).toMatchObject({ status: 'reported' });
    }
  });

  it('a dispatch here, frozen past its lease between its check and its append while the other instance deactivates the engineer, is refused (400 engineer-inactive), nothing written', async () => {
    const { engineerId, id } = await engineerAndOrder();
    const { mine: dispatched, other: left } = await holdingAppend('work-order-', () => sendThere('POST', `/service-network/engineers/${engineerId}/deactivate`, 'supervisor', { reason: 'left' }),
      () => here.request('POST', `/work-orders/${id}/dispatch`, { role: 'agent', body: dispatchBody(engineerId) }), FROZEN_MS);
    expect({ deactivation: left?.status, listed: left && listedIn(left), dispatch: dispatched.status, code: dispatched.body.code })
      .toEqual({ deactivation: 200, listed: [], dispatch: 400, code: 'engineer-inactive' });
    expect((await here.request('GET', `/work-orders/${id}`)).body).toMatchObject({ status: 'reported' });
  }, 30_000);

  let agents = 0;
  /** A validated complaint and an agent of cs-centre to assign it to. */
  const agentAndComplaint = async () => {
    const agentId = `agent-two-instances-${(agents += 1)}`;
    const added = await here.request('POST', '/service-network/agents', { role: 'admin', body: { agentId, name: `两台实例坐席${agents}`, units: ['cs-centre'], reason: 'hired' } });
    expect(added.status).toBe(201);
    const received = await here.request('POST', '/complaints', { role: 'agent', body: newComplaint });
    expect(received.status).toBe(201);
    const id = received.body.id as string;
    expect((await here.request('POST', `/complaints/${id}/validate`, { role: 'supervisor', body: { reason: 'checked' } })).status).toBe(200);
    return { agentId, id };
  };

  it('an assignment here, frozen between its directory check and its append while the other instance deactivates the agent, is refused (400 unknown-assignee), nothing written', async () => {
    const { agentId, id } = await agentAndComplaint();
    const { mine: assigned, other: left } = await holdingAppend('complaint-', () => sendThere('POST', `/service-network/agents/${agentId}/deactivate`, 'supervisor', { reason: 'left' }),
      () => here.request('POST', `/complaints/${id}/assign`, { role: 'supervisor', body: { department: 'cs-centre', assignee: agentId } }), FROZEN_MS);
    expect({ deactivation: left?.status, assignment: assigned.status, code: assigned.body.code }).toEqual({ deactivation: 200, assignment: 400, code: 'unknown-assignee' });
    expect((await here.request('GET', `/complaints/${id}`)).body).toMatchObject({ status: 'validated' });
  }, 30_000);

  it('an assignment here to an engineer, frozen between its directory check and its append while the other instance deactivates the engineer, is refused (400 unknown-assignee), nothing written', async () => {
    const { engineerId } = await engineerAndOrder();
    const { id } = await agentAndComplaint();
    const { mine: assigned, other: left } = await holdingAppend('complaint-', () => sendThere('POST', `/service-network/engineers/${engineerId}/deactivate`, 'supervisor', { reason: 'left' }),
      () => here.request('POST', `/complaints/${id}/assign`, { role: 'supervisor', body: { department: 'dandong-station', assignee: engineerId } }), FROZEN_MS);
    expect({ deactivation: left?.status, assignment: assigned.status, code: assigned.body.code }).toEqual({ deactivation: 200, assignment: 400, code: 'unknown-assignee' });
    expect((await here.request('GET', `/complaints/${id}`)).body).toMatchObject({ status: 'validated' });
  }, 30_000);

  it('an escalation here to a named agent, frozen between its directory check and its append while the other instance deactivates that agent, is refused (400 agent-inactive), nothing written', async () => {
    const { agentId: handler, id } = await agentAndComplaint();
    expect((await here.request('POST', `/complaints/${id}/assign`, { role: 'supervisor', body: { department: 'cs-centre', assignee: handler } })).status).toBe(200);
    const { agentId } = await agentAndComplaint();
    const { mine: escalated, other: left } = await holdingAppend('complaint-', () => sendThere('POST', `/service-network/agents/${agentId}/deactivate`, 'supervisor', { reason: 'left' }),
      () => here.request('POST', `/complaints/${id}/escalate`, { role: 'supervisor', body: { to: agentId, reason: '超出权限' } }), FROZEN_MS);
    expect({ deactivation: left?.status, escalation: escalated.status, code: escalated.body.code }).toEqual({ deactivation: 200, escalation: 400, code: 'agent-inactive' });
    expect((await here.request('GET', `/complaints/${id}`)).body).toMatchObject({ status: 'assigned' });
  }, 30_000);

  const ok = async (method: string, path: string, who: 'agent' | 'admin' | { readonly token: string }, body?: unknown, status = 200) => {
    const answer = await here.request(method, path, { ...(typeof who === 'string' ? { role: who } : { token: who.token }), ...(body === undefined ? {} : { body }) });
    expect({ path, status: answer.status, problem: answer.status >= 300 ? answer.body : undefined }).toEqual({ path, status, problem: undefined });
    return answer;
  };
  const engineerTokens = new Map<string, string>();
  /** A repair by the station's engineer `engineerId` (王工 unless named) handed over (ready for its survey, or a reopen), with what it needs set up the first time. */
  const handedOver = async (engineerId = 'eng-wang'): Promise<string> => {
    if (engineerTokens.size === 0) {
      await ok('POST', '/products', 'admin', { serialNumber: newWorkOrder.product.serialNumber, model: 'TQ-2240 税控加油机', customerId: 'cust-10086', installedOn: '2026-01-15', warrantyMonths: 12, covers: ['parts', 'labour', 'on-site'] }, 201);
    }
    if (!engineerTokens.has(engineerId)) {
      await ok('POST', '/service-network/engineers', 'admin', { engineerId, name: '王工', station: 'dandong-station', skills: ['dispenser'], reason: 'hired' }, 201);
      engineerTokens.set(engineerId, (await ok('POST', '/access/tokens', 'admin', { principalId: engineerId, role: 'engineer', departments: ['dandong-station'], reason: 'engineer of dandong-station' }, 201)).body.token as string);
    }
    const id = await signedOffRepair(ok, { token: engineerTokens.get(engineerId)! }, newWorkOrder, engineerId);
    await ok('POST', `/work-orders/${id}/hand-over`, 'agent', {});
    return id;
  };
  const olderSurvey = { surveyId: 'legacy-frozen', channel: 'phone', questions: [{ id: 'speed', text: '维修是否及时？' }] };
  const surveyTypes = async (id: string) => ((await here.request('GET', `/work-orders/${id}/events`, { role: 'auditor' })).body.events as Array<{ type: string }>).map((event) => event.type);

  it('a survey sent here through the older route, frozen past its lease before its append while the other instance sends one through POST /surveys, is refused (409 survey-already-open): one open survey', async () => {
    const id = await handedOver();
    const { mine: sentHere, other: sentThere } = await holdingAppend('work-order-', () => sendThere('POST', '/surveys', 'agent', { subject: { kind: 'work-order', id }, channel: 'phone' }),
      () => here.request('POST', `/work-orders/${id}/survey`, { role: 'agent', body: olderSurvey }), FROZEN_MS);
    expect({ there: sentThere?.status, here: sentHere.status, code: sentHere.body.code }).toEqual({ there: 201, here: 409, code: 'survey-already-open' });
    expect(await surveyTypes(id)).not.toContain('WorkOrderSurveySent');
  }, 60_000);

  it('a survey sent here through POST /surveys, frozen past its lease before its append while the other instance sends one through the older route, is refused (409 survey-already-open): one open survey', async () => {
    const id = await handedOver();
    const { mine: sentHere, other: sentThere } = await holdingAppend('survey-', () => sendThere('POST', `/work-orders/${id}/survey`, 'agent', olderSurvey),
      () => here.request('POST', '/surveys', { role: 'agent', body: { subject: { kind: 'work-order', id }, channel: 'phone' } }), FROZEN_MS);
    expect({ there: sentThere?.status, here: sentHere.status, code: sentHere.body.code }).toEqual({ there: 200, here: 409, code: 'survey-already-open' });
    const listed = await here.request('GET', `/surveys?subjectId=${id}`, { role: 'analyst' });
    expect(listed.body.items).toHaveLength(1);
  }, 60_000);

  it('a reopen here, going back to the engineer who did the repair, frozen past its lease between its check and its append while the other instance deactivates that engineer, is refused (409 engineer-no-longer-active), nothing written', async () => {
    const engineerId = 'eng-reopen-frozen';
    const id = await handedOver(engineerId);
    const { mine: reopened, other: left } = await holdingAppend('work-order-', () => sendThere('POST', `/service-network/engineers/${engineerId}/deactivate`, 'supervisor', { reason: 'left' }),
      () => here.request('POST', `/work-orders/${id}/reopen`, { role: 'agent', body: { reason: 'the pump counts wrong again' } }), FROZEN_MS);
    expect({ deactivation: left?.status, listed: left && listedIn(left), reopen: reopened.status, code: reopened.body.code })
      .toEqual({ deactivation: 200, listed: [], reopen: 409, code: 'engineer-no-longer-active' });
    expect((await here.request('GET', `/work-orders/${id}`)).body).toMatchObject({ status: 'closed' });
  }, 60_000);

  it('answers 503 turn-busy with Retry-After, writing nothing, while a dead instance\'s lease holds the engineer, and takes the turn once it runs out', async () => {
    const { engineerId, id } = await engineerAndOrder();
    // An instance killed in the engineer's turn (kill -9): its lease stays until it runs out, nobody renews it.
    expect(await here.get(ReadStore).acquireLease(`engineer-turn:${engineerId}`, 'killed-instance', 5_500)).toBe(true);
    const refused = await sendThere('POST', `/work-orders/${id}/dispatch`, 'agent', dispatchBody(engineerId));
    expect({ status: refused.status, code: refused.body['code'], retryAfter: refused.headers.get('retry-after') }).toEqual({ status: 503, code: 'turn-busy', retryAfter: '1' });
    expect((await here.request('GET', `/work-orders/${id}`)).body).toMatchObject({ status: 'reported' });
    const dispatched = await sendThere('POST', `/work-orders/${id}/dispatch`, 'agent', dispatchBody(engineerId));
    expect(dispatched.status).toBe(200);
  });
});
