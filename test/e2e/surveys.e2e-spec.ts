import { randomUUID } from 'node:crypto';
import { Clock } from '@app/complaints';
import type { Role } from '@app/domain';
import { signedOffRepair as signOffRepair } from './support/repair-steps';
import { newComplaint, newWorkOrder, useApp, type TestResponse } from './support/test-app';
import { DEPRECATED_ROUTES } from '../../apps/api/src/after-sales/command-docs';

/** Time stands still unless a test moves it: the answer period is measured on it. */
class MovableClock extends Clock {
  at = new Date('2026-03-02T02:00:00.000Z');
  override now(): Date {
    return this.at;
  }
  advance(hours: number): void {
    this.at = new Date(this.at.getTime() + hours * 3_600_000);
  }
}

const clock = new MovableClock();
type Who = Role | { readonly token: string };

describe('satisfaction surveys over HTTP (满意度调查)', () => {
  // Two days to answer (SURVEY_ANSWER_PERIOD); the SLA monitors wait, as the clock jumps.
  const app = useApp(undefined, { slaMonitorIntervalMs: 3_600_000, surveyAnswerPeriod: 'P2D' }, { clock });
  const tokens: Record<string, string> = {};

  const call = (method: string, path: string, who: Who, body?: unknown, headers?: Record<string, string>): Promise<TestResponse> =>
    app().request(method, path, { ...(typeof who === 'string' ? { role: who } : { token: who.token }), ...(body === undefined ? {} : { body }), ...(headers ? { headers } : {}) });
  async function ok(method: string, path: string, who: Who, body?: unknown, status = 200): Promise<TestResponse> {
    const response = await call(method, path, who, body);
    expect({ path, status: response.status, problem: response.status >= 300 ? response.body : undefined }).toEqual({ path, status, problem: undefined });
    return response;
  }
  async function refused(method: string, path: string, who: Who, body: unknown, status: number, code: string): Promise<TestResponse> {
    const response = await call(method, path, who, body);
    expect({ path, status: response.status, code: response.body.code }).toEqual({ path, status, code });
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    return response;
  }
  const survey = async (id: string, who: Who = 'analyst') => (await ok('GET', `/surveys/${id}`, who)).body;
  const send = async (body: object, who: Who = 'agent'): Promise<string> => (await ok('POST', '/surveys', who, { channel: 'phone', ...body }, 201)).body.id;

  /** A free repair in warranty at 丹东服务站 by 王工, not handed over yet. */
  const signedOffRepair = (): Promise<string> => signOffRepair(ok, { token: tokens['eng-wang']! }, newWorkOrder);

  /** A complaint of cust-survey assigned to station-ops and resolved, not called back yet. */
  async function resolvedComplaint(): Promise<string> {
    const id = (await ok('POST', '/complaints', 'agent', { ...newComplaint, customerId: 'cust-survey' }, 201)).body.id as string;
    await ok('POST', `/complaints/${id}/validate`, 'supervisor', { reason: 'Meter log shows a shortfall.' });
    await ok('POST', `/complaints/${id}/assign`, 'supervisor', { department: 'station-ops', assignee: 'zhang.wei', reason: 'metering' });
    await ok('POST', `/complaints/${id}/apologise`, 'agent', { statement: '非常抱歉给您带来不便', channel: 'phone' });
    await ok('POST', `/complaints/${id}/resolve`, 'agent', { resolutionClass: 'immediate', remedy: 'refund', customerAccepted: true });
    return id;
  }

  beforeAll(async () => {
    await ok('POST', '/service-network/units', 'admin', { code: 'cs-centre', kind: 'centre', name: { 'zh-CN': '客服中心', en: 'Customer service centre' }, reason: '一个中心' }, 201);
    await ok('POST', '/service-network/units', 'admin', { code: 'dalian-branch', kind: 'branch', name: { 'zh-CN': '大连分公司', en: 'Dalian branch' }, parent: 'cs-centre', regions: ['210200'], reason: 'branch' }, 201);
    await ok('POST', '/service-network/units', 'admin', { code: 'dandong-station', kind: 'station', name: { 'zh-CN': '丹东服务站', en: 'Dandong service station' }, parent: 'cs-centre', regions: ['210600'], reason: 'station' }, 201);
    await ok('POST', '/service-network/engineers', 'admin', { engineerId: 'eng-wang', name: '王工', station: 'dandong-station', skills: ['dispenser'], reason: 'hired' }, 201);
    // The complaints' department and handler, in the directory (assign is checked against it once it has units).
    await ok('POST', '/service-network/units', 'admin', { code: 'station-ops', kind: 'department', name: { 'zh-CN': '油站运营部', en: 'Station operations' }, parent: 'cs-centre', reason: 'complaints desk' }, 201);
    await ok('POST', '/service-network/agents', 'admin', { agentId: 'zhang.wei', name: '张伟', units: ['station-ops'], reason: 'handler' }, 201);
    await ok('POST', '/products', 'admin', { serialNumber: newWorkOrder.product.serialNumber, model: 'TQ-2240 税控加油机', customerId: 'cust-10086', installedOn: '2026-01-15', warrantyMonths: 12, covers: ['parts', 'labour', 'on-site'] }, 201);
    for (const [principalId, station] of [['eng-wang', 'dandong-station'], ['eng-liu', 'dalian-branch']] as const) {
      tokens[principalId] = (await ok('POST', '/access/tokens', 'admin', { principalId, role: 'engineer', departments: [station], reason: `engineer of ${station}` }, 201)).body.token;
    }
  });

  it('sends a survey after a repair\'s hand-over (not before), with the default questions, and records the answer once', async () => {
    const id = await signedOffRepair();
    const early = await refused('POST', '/surveys', 'agent', { subject: { kind: 'work-order', id }, channel: 'phone' }, 409, 'subject-not-ready');
    expect(early.body.detail).toContain('hand-over');
    await ok('POST', `/work-orders/${id}/hand-over`, 'agent', {});

    const sent = await ok('POST', '/surveys', 'agent', { subject: { kind: 'work-order', id }, channel: 'phone', reason: '维修完成后回访' }, 201);
    const surveyId: string = sent.body.id;
    expect(sent.body).toEqual({ id: surveyId, revision: 0, position: expect.any(Number) });
    expect(sent.headers.get('location')).toBe(`/surveys/${surveyId}`);
    expect(await survey(surveyId)).toEqual(expect.objectContaining({
      surveyId, status: 'sent', revision: 0, subject: { kind: 'work-order', id }, customerId: 'cust-10086', channel: 'phone',
      questions: [
        { id: 'attitude', label: { 'zh-CN': '服务态度', en: 'Service attitude' } }, { id: 'speed', label: { 'zh-CN': '响应速度', en: 'Speed of response' } },
        { id: 'result', label: { 'zh-CN': '处理结果', en: 'Outcome' } }, { id: 'overall', label: { 'zh-CN': '总体满意度', en: 'Overall satisfaction' } },
      ],
      sentAt: clock.at.toISOString(), expiresAt: new Date(clock.at.getTime() + 48 * 3_600_000).toISOString(),
      department: 'dandong-station', stationCode: 'dandong-station', engineerId: 'eng-wang', cause: 'product-defect', reason: '维修完成后回访',
    }));

    clock.advance(24);
    const answered = await ok('POST', `/surveys/${surveyId}/answer`, 'agent', { answers: [{ questionId: 'attitude', score: 5 }, { questionId: 'overall', score: 4, comment: '很好' }], comment: '谢谢' });
    expect(await survey(surveyId)).toMatchObject({
      status: 'answered', revision: 1,
      answer: { answeredAt: clock.at.toISOString(), answers: [{ questionId: 'attitude', score: 5, comment: null }, { questionId: 'overall', score: 4, comment: '很好' }], comment: '谢谢' },
    });
    await refused('POST', `/surveys/${surveyId}/answer`, 'agent', { answers: [{ questionId: 'speed', score: 1 }] }, 409, 'survey-answered');
    expect((await survey(surveyId)).revision).toBe(1);

    // The audit trail, in words: the sending under the work order, and the answer.
    const trail = await ok('GET', `/audit/decisions?workOrderId=${id}&type=SatisfactionSurveySent&minPosition=${sent.body.position}`, 'auditor');
    expect(trail.body.items).toEqual([expect.objectContaining({
      type: 'SatisfactionSurveySent', workOrderId: id, stream: `survey-${surveyId}`, actorId: 'agent-e2e', reason: '维修完成后回访',
      decision: { 'zh-CN': expect.stringContaining('发送满意度调查'), en: expect.stringContaining(`Sent satisfaction survey ${surveyId} to customer cust-10086 (work order ${id}, Phone, 4 questions`) },
    })]);
    const answers = await ok('GET', `/audit/decisions?type=SatisfactionSurveyAnswered&minPosition=${answered.body.position}`, 'auditor');
    expect(answers.body.items.map((item: { decision: { en: string } }) => item.decision.en)).toEqual([`Recorded the answer to satisfaction survey ${surveyId}: attitude 5/5, overall 4/5`]);
  });

  it('sends a survey after a complaint\'s callback (not before), in the complaint\'s department', async () => {
    const id = await resolvedComplaint();
    const early = await refused('POST', '/surveys', 'agent', { subject: { kind: 'complaint', id }, channel: 'phone' }, 409, 'subject-not-ready');
    expect(early.body.detail).toContain('resolved');
    await ok('POST', `/complaints/${id}/callback`, 'agent', { outcome: 'satisfied', satisfaction: 5 });
    const surveyId = await send({ subject: { kind: 'complaint', id }, channel: 'email', questions: [{ id: 'result' }, { id: 'fairness', text: '处理是否公正？' }] });
    expect(await survey(surveyId)).toMatchObject({
      subject: { kind: 'complaint', id }, customerId: 'cust-survey', channel: 'email', department: 'station-ops', stationCode: null, engineerId: null, cause: newComplaint.cause,
      questions: [{ id: 'result', label: { 'zh-CN': '处理结果', en: 'Outcome' } }, { id: 'fairness', label: { 'zh-CN': '处理是否公正？', en: '处理是否公正？' } }],
    });
    await refused('POST', `/surveys/${surveyId}/answer`, 'agent', { answers: [{ questionId: 'speed', score: 3 }] }, 400, 'unknown-survey-question');
    await ok('POST', `/surveys/${surveyId}/answer`, 'agent', { answers: [{ questionId: 'fairness', score: 2 }] });
  });

  it('finds the subject named in another case (an id typed in capitals), as GET /work-orders/{id} and /complaints/{id} do, and records it as stored', async () => {
    const order = await signedOffRepair();
    await ok('POST', `/work-orders/${order.toUpperCase()}/hand-over`, 'agent', {});
    const orderSurvey = await send({ subject: { kind: 'work-order', id: order.toUpperCase() } });
    expect((await survey(orderSurvey)).subject).toEqual({ kind: 'work-order', id: order });
    const complaint = await resolvedComplaint();
    await ok('POST', `/complaints/${complaint.toUpperCase()}/callback`, 'agent', { outcome: 'satisfied', satisfaction: 5 });
    const complaintSurvey = await send({ subject: { kind: 'complaint', id: complaint.toUpperCase() } });
    expect((await survey(complaintSurvey)).subject).toEqual({ kind: 'complaint', id: complaint });
    // One subject, whatever its case: a second send names the survey already open.
    await refused('POST', '/surveys', 'agent', { subject: { kind: 'work-order', id: order }, channel: 'phone' }, 409, 'survey-already-open');
  });

  it('refuses every survey command of an agent the service network has deactivated (403 agent-deactivated): a low score is not stored without the complaint it opens', async () => {
    const id = await resolvedComplaint();
    await ok('POST', `/complaints/${id}/callback`, 'agent', { outcome: 'satisfied', satisfaction: 5 });
    const surveyId = await send({ subject: { kind: 'complaint', id } });
    await ok('POST', '/service-network/agents', 'admin', { agentId: 'he.jun', name: '何军', units: ['station-ops'], reason: 'handler' }, 201);
    const heJun = { token: (await ok('POST', '/access/tokens', 'admin', { principalId: 'he.jun', role: 'agent', reason: 'agent of station operations' }, 201)).body.token as string };
    await ok('POST', '/service-network/agents/he.jun/deactivate', 'admin', { reason: '离职' });

    const low = { answers: [{ questionId: 'overall', score: 1, comment: '没人管' }] };
    await refused('POST', `/surveys/${surveyId}/answer`, heJun, low, 403, 'agent-deactivated');
    expect(await survey(surveyId)).toMatchObject({ status: 'sent', revision: 0 });
    // Another agent records it, and the low score opens its complaint.
    await ok('POST', `/surveys/${surveyId}/answer`, 'agent', low);
    expect(await survey(surveyId)).toMatchObject({ status: 'answered', revision: 1 });
  });

  it('refuses an answer after the answer period (409), and one to a cancelled survey; only supervisors cancel, with a reason', async () => {
    const order = await signedOffRepair();
    await ok('POST', `/work-orders/${order}/hand-over`, 'agent', {});
    const late = await send({ subject: { kind: 'work-order', id: order } });
    clock.advance(49);
    const expired = await refused('POST', `/surveys/${late}/answer`, 'agent', { answers: [{ questionId: 'overall', score: 3 }] }, 409, 'survey-expired');
    expect(expired.body).toMatchObject({ command: 'AnswerSatisfactionSurvey' });

    const cancelled = await send({ subject: { kind: 'work-order', id: order } });
    await refused('POST', `/surveys/${cancelled}/cancel`, 'agent', { reason: 'sent twice' }, 403, 'forbidden');
    const blank = await refused('POST', `/surveys/${cancelled}/cancel`, 'supervisor', { reason: '   ' }, 400, 'reason-required');
    expect(blank.body.detail).toContain('why');
    await ok('POST', `/surveys/${cancelled}/cancel`, 'supervisor', { reason: '重复发送' });
    expect(await survey(cancelled)).toMatchObject({ status: 'cancelled', cancellation: { cancelledAt: clock.at.toISOString(), reason: '重复发送' } });
    await refused('POST', `/surveys/${cancelled}/answer`, 'agent', { answers: [{ questionId: 'overall', score: 3 }] }, 409, 'survey-cancelled');
    await refused('POST', `/surveys/${cancelled}/cancel`, 'admin', { reason: 'again' }, 409, 'survey-cancelled');
  });

  it('keeps one open survey per subject: a second is 409 with nothing written, also when two are sent at once; after an answer or a cancellation another may go', async () => {
    const order = await signedOffRepair();
    await ok('POST', `/work-orders/${order}/hand-over`, 'agent', {});
    const body = { subject: { kind: 'work-order', id: order }, channel: 'phone' };
    // Two sends at the same moment: one creates the survey, the other is refused.
    const racing = await Promise.all([call('POST', '/surveys', 'agent', body), call('POST', '/surveys', 'supervisor', body)]);
    expect(racing.map((response) => response.status).sort()).toEqual([201, 409]);
    const first: string = racing.find((response) => response.status === 201)!.body.id;
    const loser = racing.find((response) => response.status === 409)!;
    expect(loser.body).toMatchObject({ code: 'survey-already-open', command: 'SendSatisfactionSurvey' });
    expect(loser.body.detail).toContain(first);

    const second = await refused('POST', '/surveys', 'agent', body, 409, 'survey-already-open');
    expect(second.body.detail).toContain('cancel');
    const trail = await ok('GET', `/audit/decisions?workOrderId=${order}&type=SatisfactionSurveySent`, 'auditor');
    expect(trail.body.items.map((item: { stream: string }) => item.stream)).toEqual([`survey-${first}`]);

    await ok('POST', `/surveys/${first}/cancel`, 'supervisor', { reason: '客户换了电话' });
    const next = await send(body);
    expect(next).not.toBe(first);
    await refused('POST', '/surveys', 'agent', body, 409, 'survey-already-open');
    await ok('POST', `/surveys/${next}/answer`, 'agent', { answers: [{ questionId: 'overall', score: 5 }] });
    await send(body);
  });

  it('answers bad input with a 400 that says how to fix it, and writes nothing', async () => {
    const unknownComplaint = await refused('POST', '/surveys', 'agent', { subject: { kind: 'complaint', id: 'c-never-received' }, channel: 'phone' }, 400, 'unknown-complaint');
    expect(unknownComplaint.body.detail).toContain('c-never-received');
    const unknownOrder = await refused('POST', '/surveys', 'agent', { subject: { kind: 'work-order', id: '00000000-0000-4000-8000-000000000000' }, channel: 'phone' }, 400, 'unknown-work-order');
    expect(unknownOrder.body.detail).toContain('00000000-0000-4000-8000-000000000000');
    await refused('POST', '/surveys', 'agent', { subject: { kind: 'campaign', id: 'x' }, channel: 'phone' }, 400, 'validation-failed');
    await refused('POST', '/surveys', 'agent', { subject: { kind: 'work-order', id: 'x' }, channel: 'pigeon' }, 400, 'validation-failed');
    // A list where the subject object goes: refused as such, not looked up as "work order undefined".
    const listed = await refused('POST', '/surveys', 'agent', { subject: [], channel: 'phone' }, 400, 'validation-failed');
    expect(JSON.stringify(listed.body)).toContain('subject must be an object');

    const order = await signedOffRepair();
    await ok('POST', `/work-orders/${order}/hand-over`, 'agent', {});
    const ownQuestion = await refused('POST', '/surveys', 'agent', { subject: { kind: 'work-order', id: order }, channel: 'phone', questions: [{ id: 'parts' }] }, 400, 'survey-question-text-required');
    expect(ownQuestion.body.detail).toContain('attitude, speed, result, overall');
    const surveyId = await send({ subject: { kind: 'work-order', id: order } });
    await refused('POST', `/surveys/${surveyId}/answer`, 'agent', { answers: [{ questionId: 'overall', score: 6 }] }, 400, 'validation-failed');
    await refused('POST', `/surveys/${surveyId}/answer`, 'agent', { answers: [{ questionId: 'overall', score: 4 }, { questionId: 'overall', score: 5 }] }, 400, 'duplicate-survey-question');
    await refused('GET', '/surveys/not-a-survey', 'agent', undefined, 404, 'survey-not-found');
    expect(await survey(surveyId)).toMatchObject({ status: 'sent', revision: 0 });
  });

  it('sends once for a retried request (Idempotency-Key), and shows a survey only to the departments of its subject', async () => {
    const order = await signedOffRepair();
    await ok('POST', `/work-orders/${order}/hand-over`, 'agent', {});
    const body = { subject: { kind: 'work-order', id: order }, channel: 'phone' };
    const first = await call('POST', '/surveys', 'agent', body, { 'idempotency-key': 'survey-retry-1' });
    const again = await call('POST', '/surveys', 'agent', body, { 'idempotency-key': 'survey-retry-1' });
    expect([first.status, again.status, again.body.id, again.headers.get('idempotent-replayed')]).toEqual([201, 201, first.body.id, 'true']);

    expect((await survey(first.body.id, { token: tokens['eng-wang']! })).status).toBe('sent');
    await refused('GET', `/surveys/${first.body.id}`, { token: tokens['eng-liu']! }, undefined, 404, 'survey-not-found');
  });
  it('lists a work order\'s own survey sent after its customer\'s file was merged away under the surviving file, as it lists one sent with POST /surveys', async () => {
    for (const [customerId, name] of [['cust-survey-gone', '戊'], ['cust-survey-stays', '己']] as const) {
      await ok('POST', '/customers', 'supervisor', { customerId, category: 'fixed', reason: 'Signed a supply agreement.', name: `${name}物流有限公司`, customerType: 'organisation' }, 201);
    }
    const repairOfGone = async () => {
      const order = await signOffRepair(ok, { token: tokens['eng-wang']! }, { ...newWorkOrder, customerId: 'cust-survey-gone' });
      await ok('POST', `/work-orders/${order}/hand-over`, 'agent', {});
      return order;
    };
    const [older, newer] = [await repairOfGone(), await repairOfGone()];
    await ok('POST', '/customers/cust-survey-gone/merge', 'supervisor', { survivorId: 'cust-survey-stays', reason: 'Same company, two files.' });
    await ok('POST', `/work-orders/${older}/survey`, 'agent', { surveyId: 'legacy-merged', channel: 'phone', questions: [{ id: 'speed', text: '维修是否及时？' }] });
    const sent = await ok('POST', '/surveys', 'agent', { subject: { kind: 'work-order', id: newer }, channel: 'phone' }, 201);
    const listed = async (customerId: string) => (await ok('GET', `/surveys?customerId=${customerId}&minPosition=${sent.body.position}`, 'analyst')).body.items as Array<{ id: string; customerId: string }>;
    expect((await listed('cust-survey-stays')).map(({ id, customerId }) => [id, customerId]).sort()).toEqual([[`${older}:1:legacy-merged`, 'cust-survey-stays'], [sent.body.id, 'cust-survey-stays']].sort());
    expect(await listed('cust-survey-gone')).toEqual([]);
    expect((await survey(`${older}:1:legacy-merged`)).customerId).toBe('cust-survey-stays');
  });

  it('lists the surveys with filters (open, expired, subject, customer), as CSV too, counts them in the satisfaction statistics, and shows them in the customer view', async () => {
    // A day of its own: the statistics count only what this test sends.
    clock.advance(60 * 24);
    const day = clock.at.toISOString().slice(0, 10);
    const [a, b] = [await signedOffRepair(), await signedOffRepair()];
    await ok('POST', `/work-orders/${a}/hand-over`, 'agent', {});
    await ok('POST', `/work-orders/${b}/hand-over`, 'agent', {});
    const complaint = (await ok('POST', '/complaints', 'agent', { ...newComplaint, customerId: 'cust-survey-stats' }, 201)).body.id as string;
    await ok('POST', `/complaints/${complaint}/validate`, 'supervisor', { reason: 'Meter log shows a shortfall.' });
    await ok('POST', `/complaints/${complaint}/assign`, 'supervisor', { department: 'station-ops', assignee: 'zhang.wei', reason: 'metering' });
    await ok('POST', `/complaints/${complaint}/resolve`, 'agent', { resolutionClass: 'immediate', remedy: 'refund', customerAccepted: true });
    await ok('POST', `/complaints/${complaint}/callback`, 'agent', { outcome: 'satisfied', satisfaction: 4 });
    const surveyA = await send({ subject: { kind: 'work-order', id: a } });
    const surveyB = await send({ subject: { kind: 'work-order', id: b } });
    const surveyC = await send({ subject: { kind: 'complaint', id: complaint } });
    clock.advance(2);
    await ok('POST', `/surveys/${surveyA}/answer`, 'agent', { answers: [{ questionId: 'attitude', score: 5 }, { questionId: 'overall', score: 4 }] });
    const last = await ok('POST', `/surveys/${surveyC}/answer`, 'agent', { answers: [{ questionId: 'overall', score: 2 }], comment: '退款太慢' });
    const fresh = `minPosition=${last.body.position}`;

    const byA = await ok('GET', `/surveys?subjectId=${a}&${fresh}`, 'analyst');
    expect(byA.body).toEqual({ items: [expect.objectContaining({
      id: surveyA, source: 'survey', status: 'answered', expired: false, subjectKind: 'work-order', subjectId: a, customerId: 'cust-10086', department: 'dandong-station', stationCode: 'dandong-station',
      engineerId: 'eng-wang', cause: 'product-defect', scores: { attitude: 5, overall: 4 }, meanScore: 4.5, answeredAt: clock.at.toISOString(),
    })], nextCursor: null, measuredAt: clock.at.toISOString() });
    const open = await ok('GET', `/surveys?status=open&from=${day}T00:00:00Z&${fresh}`, 'agent');
    expect(open.body.items.map((item: { id: string }) => item.id)).toEqual([surveyB]);
    // Two days to answer: B expires unanswered.
    clock.advance(49);
    const expired = await ok('GET', `/surveys?status=expired&from=${day}T00:00:00Z`, 'agent');
    expect(expired.body.items.map((item: { id: string; expired: boolean }) => [item.id, item.expired])).toEqual([[surveyB, true]]);
    expect((await ok('GET', `/surveys?status=open&from=${day}T00:00:00Z`, 'agent')).body.items).toEqual([]);
    expect((await ok('GET', `/surveys?subjectKind=complaint&customerId=cust-survey-stats`, 'agent')).body.items.map((item: { id: string }) => item.id)).toEqual([surveyC]);
    // An engineer sees the surveys of the station's orders, not the complaint's.
    const wang = await ok('GET', `/surveys?from=${day}T00:00:00Z`, { token: tokens['eng-wang']! });
    expect(wang.body.items.map((item: { id: string }) => item.id).sort()).toEqual([surveyA, surveyB].sort());
    // The surveys sent with no station or engineer (the complaint's) by the statistics' word, in any letter case, as JSON and CSV;
    // the orders' surveys, which have both, are not among them.
    for (const filter of ['station=UNASSIGNED', 'engineer=unassigned']) {
      expect((await ok('GET', `/surveys?${filter}&from=${day}T00:00:00Z`, 'analyst')).body.items.map((item: { id: string }) => item.id)).toEqual([surveyC]);
      const rows = String((await call('GET', `/surveys?${filter}&from=${day}T00:00:00Z&format=csv`, 'analyst')).body).trim().split(/\r?\n/).slice(1);
      expect(rows.map((row) => row.split(',')[0])).toEqual([surveyC]);
    }

    const csv = await call('GET', `/surveys?subjectId=${a}&format=csv`, 'analyst');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const [header, row] = String(csv.body).trim().split(/\r?\n/);
    expect(header).toBe('id,status,expired,subjectKind,subjectId,customerId,channel,department,stationCode,engineerId,cause,questions,sentAt,sentBy,expiresAt,answeredAt,scores,meanScore,comment,cancelledAt,cancelReason,revision,updatedAt,source,campaignId');
    expect(row).toContain(`${surveyA},answered,false,work-order,${a},cust-10086,phone,dandong-station`);
    expect(row).toContain(',attitude:5;overall:4,4.5,');

    const byEngineer = await ok('GET', `/stats/surveys?by=engineer&interval=day&from=${day}`, 'analyst');
    expect(byEngineer.body).toEqual({
      by: 'engineer', interval: 'day', from: day, to: null, asOf: null,
      rows: [
        // The day is over by the test's clock (it moved on since): whole, from its first hour to its last.
        { period: day, partial: false, value: 'eng-wang', sent: 2, answered: 1, cancelled: 0, responseRatePercent: 50, meanScore: 4.5, questions: [{ questionId: 'attitude', answers: 1, meanScore: 5 }, { questionId: 'overall', answers: 1, meanScore: 4 }] },
        { period: day, partial: false, value: 'unassigned', sent: 1, answered: 1, cancelled: 0, responseRatePercent: 100, meanScore: 2, questions: [{ questionId: 'overall', answers: 1, meanScore: 2 }] },
      ],
      totals: { sent: 3, answered: 2, cancelled: 0, responseRatePercent: 66.7, meanScore: 3.67, questions: [{ questionId: 'attitude', answers: 1, meanScore: 5 }, { questionId: 'overall', answers: 2, meanScore: 3 }] },
    });
    const byCause = await ok('GET', `/stats/surveys?by=cause&kind=complaint&from=${day}`, 'supervisor');
    expect(byCause.body.rows.map((row: { value: string; meanScore: number }) => [row.value, row.meanScore])).toEqual([[newComplaint.cause, 2]]);
    const statsCsv = await call('GET', `/stats/surveys?by=station&interval=day&from=${day}&format=csv`, 'analyst');
    expect(String(statsCsv.body).trim().split(/\r?\n/)).toEqual([
      'period,value,sent,answered,cancelled,responseRatePercent,meanScore,questions,partial',
      `${day},dandong-station,2,1,0,50,4.5,attitude:5/1;overall:4/1,false`,
      `${day},unassigned,1,1,0,100,2,overall:2/1,false`,
      'totals,,3,2,0,66.7,3.67,attitude:5/1;overall:3/2,',
    ]);
    // A supervisor limited to station-ops sees its department's figures, and may not ask for another's.
    const limited = (await ok('POST', '/access/tokens', 'admin', { principalId: 'sup-ops', role: 'supervisor', departments: ['station-ops'], reason: 'desk lead' }, 201)).body.token as string;
    const own = await ok('GET', `/stats/surveys?from=${day}`, { token: limited });
    expect(own.body.rows.map((row: { value: string; sent: number }) => [row.value, row.sent])).toEqual([['station-ops', 1]]);
    await refused('GET', '/stats/surveys?department=dandong-station', { token: limited }, undefined, 403, 'forbidden');
    // The row of surveys with no department is none of its departments (a word of the statistics, in any letter case).
    await refused('GET', '/stats/surveys?department=Unassigned', { token: limited }, undefined, 403, 'forbidden');
    await refused('GET', '/stats/surveys?by=shoe-size', 'analyst', undefined, 400, 'validation-failed');
    await refused('GET', '/surveys?status=lost', 'analyst', undefined, 400, 'validation-failed');
    await refused('GET', '/stats/surveys', 'agent', undefined, 403, 'forbidden');

    const view = await ok('GET', '/customers/cust-survey-stats', 'analyst');
    expect(view.body.surveyList).toEqual([{
      id: surveyC, source: 'survey', customerId: 'cust-survey-stats', status: 'answered', expired: false, subjectKind: 'complaint', subjectId: complaint, sentAt: expect.any(String),
      answeredAt: expect.any(String), scores: { overall: 2 }, meanScore: 2,
    }]);
  });
  it('lists a work order\'s own survey (the older route) beside the others, and counts it in the satisfaction statistics', async () => {
    clock.advance(30 * 24);
    const day = clock.at.toISOString().slice(0, 10);
    const order = await signedOffRepair();
    await ok('POST', `/work-orders/${order}/hand-over`, 'agent', {});
    await ok('POST', `/work-orders/${order}/survey`, 'agent', { surveyId: 'legacy-1', channel: 'phone', questions: [{ id: 'speed', text: '维修是否及时？' }] });
    const answered = await ok('POST', `/work-orders/${order}/survey-answer`, 'agent', { answers: [{ questionId: 'speed', score: 3 }] });
    const listed = await ok('GET', `/surveys?subjectId=${order}&minPosition=${answered.body.position}`, 'analyst');
    expect(listed.body.items).toEqual([expect.objectContaining({
      id: `${order}:1:legacy-1`, source: 'work-order', status: 'answered', expiresAt: null, scores: { speed: 3 }, meanScore: 3, stationCode: 'dandong-station', engineerId: 'eng-wang', cause: 'product-defect',
    })]);
    const stats = await ok('GET', `/stats/surveys?by=station&interval=day&from=${day}`, 'analyst');
    expect(stats.body.rows).toEqual([expect.objectContaining({ period: day, value: 'dandong-station', sent: 1, answered: 1, meanScore: 3, questions: [{ questionId: 'speed', answers: 1, meanScore: 3 }] })]);
  });
  it('fetches a work order\'s own survey by the id GET /surveys lists it with (<order>:<cycle>:<survey id>), folded from the order\'s events, in its departments only', async () => {
    const order = await signedOffRepair();
    await ok('POST', `/work-orders/${order}/hand-over`, 'agent', {});
    await ok('POST', `/work-orders/${order}/survey`, 'agent', { surveyId: 'legacy-get', channel: 'phone', questions: [{ id: 'speed', text: '维修是否及时？' }] });
    const id = `${order}:1:legacy-get`;
    const sent = await call('GET', `/surveys/${id}`, 'analyst');
    expect(sent.status).toBe(200);
    // Its answer goes to its order: the route of /surveys says where, and records nothing.
    const misrouted = await call('POST', `/surveys/${id}/answer`, 'agent', { answers: [{ questionId: 'speed', score: 4 }] });
    expect([misrouted.status, misrouted.body.code]).toEqual([404, 'survey-not-found']);
    expect(misrouted.body.detail).toContain(`record its answer with POST /work-orders/${order}/survey-answer`);
    expect(sent.body).toMatchObject({
      surveyId: id, status: 'sent', subject: { kind: 'work-order', id: order }, customerId: newWorkOrder.customerId, channel: 'phone', questions: [{ id: 'speed', text: '维修是否及时？' }],
      expiresAt: null, department: 'dandong-station', stationCode: 'dandong-station', engineerId: 'eng-wang', cause: 'product-defect',
    });
    expect(sent.body.answer).toBeUndefined();
    const answered = await ok('POST', `/work-orders/${order}/survey-answer`, 'agent', { answers: [{ questionId: 'speed', score: 4, comment: '很快' }] });
    const fetched = await call('GET', `/surveys/${id}`, 'analyst');
    expect([fetched.status, fetched.body.status, fetched.body.revision, fetched.headers.get('etag')]).toEqual([200, 'answered', answered.body.revision, `"${answered.body.revision}"`]);
    expect(fetched.body.answer).toMatchObject({ answers: [{ questionId: 'speed', score: 4, comment: '很快' }] });
    // The listed id is the one that fetches it.
    const listed = await ok('GET', `/surveys?subjectId=${order}&minPosition=${answered.body.position}`, 'analyst');
    expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([id]);
    expect((await call('GET', `/surveys/${encodeURIComponent(listed.body.items[0].id)}`, 'analyst')).body.surveyId).toBe(id);
    // Another cycle, another survey id, another order, or a department that is not the order's: 404.
    for (const [other, who] of [[`${order}:2:legacy-get`, 'analyst'], [`${order}:1:legacy-other`, 'analyst'], [`${randomUUID()}:1:legacy-get`, 'analyst'], [id, { token: tokens['eng-liu']! }]] as Array<[string, Who]>) {
      const missing = await call('GET', `/surveys/${other}`, who);
      expect([other, missing.status, missing.body.code]).toEqual([other, 404, 'survey-not-found']);
    }
  });

  it('keeps one open survey per work order across both routes: the older per-order survey and POST /surveys refuse each other while one is open (409, nothing written); the older routes say they are deprecated', async () => {
    const events = async (order: string) => (await ok('GET', `/work-orders/${order}/events`, 'auditor')).body.events.length as number;
    const legacy = { surveyId: 'legacy-2', channel: 'phone', questions: [{ id: 'speed', text: '维修是否及时？' }] };

    // The survey aggregate's survey first: the older route is refused while it is open.
    const first = await signedOffRepair();
    await ok('POST', `/work-orders/${first}/hand-over`, 'agent', {});
    const surveyId = await send({ subject: { kind: 'work-order', id: first } });
    const before = await events(first);
    const refusedOlder = await refused('POST', `/work-orders/${first}/survey`, 'agent', legacy, 409, 'survey-already-open');
    expect(refusedOlder.body.detail).toContain(surveyId);
    expect(await events(first)).toBe(before);
    await ok('POST', `/surveys/${surveyId}/answer`, 'agent', { answers: [{ questionId: 'overall', score: 4 }] });
    const sentOlder = await ok('POST', `/work-orders/${first}/survey`, 'agent', legacy);
    expect(sentOlder.headers.get('deprecation')).toBe('@1796169600');
    expect(sentOlder.headers.get('link')).toBe('</surveys>; rel="successor-version"');

    // The older survey first: POST /surveys is refused while it is unanswered, and goes once it is answered.
    const second = await signedOffRepair();
    await ok('POST', `/work-orders/${second}/hand-over`, 'agent', {});
    await ok('POST', `/work-orders/${second}/survey`, 'agent', legacy);
    const body = { subject: { kind: 'work-order', id: second }, channel: 'phone' };
    const refusedNew = await refused('POST', '/surveys', 'agent', body, 409, 'survey-already-open');
    expect(refusedNew.body.detail).toContain(`${second}:1:legacy-2`);
    const listed = await ok('GET', `/surveys?subjectId=${second}`, 'analyst');
    expect(listed.body.items).toHaveLength(1);
    const answered = await ok('POST', `/work-orders/${second}/survey-answer`, 'agent', { answers: [{ questionId: 'speed', score: 5 }] });
    expect(answered.headers.get('deprecation')).toBe('@1796169600');
    await send(body);

    // Both routes at the same moment: exactly one survey of the order is sent, every time.
    for (let round = 0; round < 4; round += 1) {
      const order = await signedOffRepair();
      await ok('POST', `/work-orders/${order}/hand-over`, 'agent', {});
      const racing = await Promise.all([
        call('POST', `/work-orders/${order}/survey`, 'agent', legacy),
        call('POST', '/surveys', 'supervisor', { subject: { kind: 'work-order', id: order }, channel: 'phone' }),
        call('POST', `/work-orders/${order}/survey`, 'supervisor', legacy),
        call('POST', '/surveys', 'agent', { subject: { kind: 'work-order', id: order }, channel: 'phone' }),
      ]);
      expect(racing.filter((answer) => answer.status < 300)).toHaveLength(1);
      expect(racing.filter((answer) => answer.status === 409).map((answer) => answer.body.code).sort())
        .toEqual(expect.arrayContaining(['survey-already-open']));
      const position = Math.max(...racing.map((answer) => Number(answer.body.position ?? 0)));
      expect((await ok('GET', `/surveys?subjectId=${order}&minPosition=${position}`, 'analyst')).body.items).toHaveLength(1);
    }

    // Every answer of a deprecated route says so, the refusals too (a role that may not call it, a bad body).
    for (const [who, body, status] of [['analyst', legacy, 403], ['agent', { surveyId: 'legacy-3' }, 400]] as const) {
      const answer = await call('POST', `/work-orders/${second}/survey`, who, body);
      expect([answer.status, answer.headers.get('deprecation'), answer.headers.get('link')]).toEqual([status, '@1796169600', '</surveys>; rel="successor-version"']);
    }
    expect(app().routes).toEqual(expect.arrayContaining([...DEPRECATED_ROUTES.keys()]));

    const spec = (await ok('GET', '/docs-json', 'analyst')).body;
    expect(spec.paths['/work-orders/{id}/survey'].post.deprecated).toBe(true);
    expect(spec.paths['/work-orders/{id}/survey-answer'].post.deprecated).toBe(true);
    expect(spec.paths['/surveys'].post.deprecated).toBeUndefined();
  });

  it('counts a question whose id is a name of Object.prototype (valueOf, constructor) like any other, and every read model keeps moving', async () => {
    clock.advance(24 * 90);
    const day = clock.at.toISOString().slice(0, 10);
    const complaint = await resolvedComplaint();
    await ok('POST', `/complaints/${complaint}/callback`, 'agent', { outcome: 'satisfied', satisfaction: 4 });
    const id = await send({ subject: { kind: 'complaint', id: complaint }, questions: [{ id: 'valueOf', text: 'How was it?' }, { id: 'constructor', text: 'Built well?' }] });
    await ok('POST', `/surveys/${id}/answer`, 'agent', { answers: [{ questionId: 'valueOf', score: 4 }, { questionId: 'constructor', score: 2 }] });
    // A complaint after the answer: the complaint list must get past the survey's events.
    const after = await ok('POST', '/complaints', 'agent', { ...newComplaint, customerId: 'cust-after-valueof' }, 201);
    const list = await ok('GET', `/complaints?customerId=cust-after-valueof&minPosition=${after.body.position}`, 'analyst');
    expect(list.headers.get('x-read-model-position')).not.toBeNull();
    expect(list.body.items.map((item: { id: string }) => item.id)).toEqual([after.body.id]);
    const stats = await ok('GET', `/stats/surveys?by=department&interval=day&from=${day}&minPosition=${after.body.position}`, 'analyst');
    expect(stats.body.rows).toEqual([expect.objectContaining({
      period: day, value: 'station-ops', answered: 1,
      questions: expect.arrayContaining([{ questionId: 'valueOf', answers: 1, meanScore: 4 }, { questionId: 'constructor', answers: 1, meanScore: 2 }]),
    })]);
  });
});
