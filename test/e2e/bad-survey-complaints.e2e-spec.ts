import { Logger } from '@nestjs/common';
import { BadSurveyComplaints } from '@app/after-sales';
import type { Role } from '@app/domain';
import { signedOffRepair } from './support/repair-steps';
import { newWorkOrder, useApp, type TestResponse } from './support/test-app';

type Who = Role | { readonly token: string };

describe('an order\'s bad survey opens a complaint, and a survey goes to the surviving customer file (issue 18)', () => {
  const app = useApp();
  const tokens: Record<string, string> = {};
  const call = (method: string, path: string, who: Who, body?: unknown, headers?: Record<string, string>): Promise<TestResponse> =>
    app().request(method, path, { ...(typeof who === 'string' ? { role: who } : { token: who.token }), ...(body === undefined ? {} : { body }), ...(headers ? { headers } : {}) });
  async function ok(method: string, path: string, who: Who, body?: unknown, status = 200, headers?: Record<string, string>): Promise<TestResponse> {
    const response = await call(method, path, who, body, headers);
    expect({ path, status: response.status, problem: response.status >= 300 ? response.body : undefined }).toEqual({ path, status, problem: undefined });
    return response;
  }
  const linkedComplaints = async (order: string): Promise<string[]> => (await ok('GET', `/work-orders/${order}`, 'agent')).body.linkedComplaintIds;

  /** A free repair of `customerId` at 丹东服务站 by 王工, handed over: ready for its survey. */
  async function handedOverRepair(customerId = 'cust-10086'): Promise<string> {
    const id = await signedOffRepair(ok, { token: tokens['eng-wang']! }, { ...newWorkOrder, customerId });
    await ok('POST', `/work-orders/${id}/hand-over`, 'agent', {});
    return id;
  }

  beforeAll(async () => {
    await ok('POST', '/service-network/units', 'admin', { code: 'cs-centre', kind: 'centre', name: { 'zh-CN': '客服中心', en: 'Customer service centre' }, reason: '一个中心' }, 201);
    await ok('POST', '/service-network/units', 'admin', { code: 'dandong-station', kind: 'station', name: { 'zh-CN': '丹东服务站', en: 'Dandong service station' }, parent: 'cs-centre', regions: ['210600'], reason: 'station' }, 201);
    await ok('POST', '/service-network/engineers', 'admin', { engineerId: 'eng-wang', name: '王工', station: 'dandong-station', skills: ['dispenser'], reason: 'hired' }, 201);
    await ok('POST', '/products', 'admin', { serialNumber: newWorkOrder.product.serialNumber, model: 'TQ-2240 税控加油机', customerId: 'cust-10086', installedOn: '2026-01-15', warrantyMonths: 120, covers: ['parts', 'labour', 'on-site'] }, 201);
    tokens['eng-wang'] = (await ok('POST', '/access/tokens', 'admin', { principalId: 'eng-wang', role: 'engineer', departments: ['dandong-station'], reason: 'engineer of dandong-station' }, 201)).body.token;
  });

  it('opens one service complaint for the customer, by the survey\'s channel, with the low scores in its description (the comments stay on the survey), linked to the order both ways; a retried answer opens no second', async () => {
    const order = await handedOverRepair();
    const surveyId = (await ok('POST', '/surveys', 'agent', { subject: { kind: 'work-order', id: order }, channel: 'email' }, 201)).body.id as string;
    const body = { answers: [{ questionId: 'attitude', score: 4 }, { questionId: 'result', score: 1, comment: '第二天又坏了' }], comment: '很失望' };
    const key = { 'Idempotency-Key': 'bad-survey-answer-1' };
    const answered = await ok('POST', `/surveys/${surveyId}/answer`, 'agent', body, 200, key);

    const [complaintId, ...more] = await linkedComplaints(order);
    expect(more).toEqual([]);
    const complaint = (await ok('GET', `/complaints/${complaintId}`, 'supervisor')).body;
    expect(complaint).toMatchObject({
      status: 'received', customer: { id: 'cust-10086' }, channel: 'email', cause: 'service', behaviour: 'passive-grumbling', purpose: 'criticism',
      description: `满意度调查评分低 / Low satisfaction survey score: survey ${surveyId} of work order ${order}.\n处理结果 1/5\n客户意见见该调查 / The customer's comments are on the survey (GET /surveys/${surveyId}).`,
    });
    // The link is one decision on the order's stream; the complaint's trail shows it too, caused by the answer.
    const orderEvents = (await ok('GET', `/work-orders/${order}/events`, 'auditor')).body.events as Array<{ type: string; data: { complaintId?: string } }>;
    expect(orderEvents.filter((event) => event.type === 'WorkOrderLinkedToComplaint').map((event) => event.data.complaintId)).toEqual([complaintId]);
    await ok('GET', `/work-orders?customerId=cust-10086&minPosition=${answered.body.position}`, 'analyst');
    const trail = (await ok('GET', `/complaints/${complaintId}/trail`, 'auditor')).body.entries as Array<{ type: string; decision: { 'zh-CN': string; en: string } }>;
    expect(trail.map((entry) => entry.type)).toEqual(expect.arrayContaining(['ComplaintReceived', 'WorkOrderLinkedToComplaint']));
    // Seen from the complaint, the link names the order it was linked to (the order's own events name the complaint).
    const link = trail.find((entry) => entry.type === 'WorkOrderLinkedToComplaint')!;
    expect(link.decision.en).toMatch(new RegExp(`^Linked to work order ${order}(: |$)`));
    expect(link.decision['zh-CN']).toMatch(new RegExp(`^关联工单 ${order}(：|$)`));

    // The same request again (a lost answer): the stored answer, nothing more written.
    const before = (await ok('GET', `/audit/decisions?limit=200`, 'auditor')).body.items.length;
    const again = await ok('POST', `/surveys/${surveyId}/answer`, 'agent', body, 200, key);
    expect(again.body).toEqual(answered.body);
    expect(await linkedComplaints(order)).toEqual([complaintId]);
    expect((await ok('GET', `/audit/decisions?limit=200&minPosition=${answered.body.position}`, 'auditor')).body.items.length).toBe(before);

    // The rule run once more for this survey (a retry after a crash between the answer and the complaint): it finds what it wrote.
    const rerun = await app().get(BadSurveyComplaints).afterAnswer({
      surveyId, workOrderId: order, customerId: 'cust-10086', channel: 'email', questions: [{ id: 'result', text: '处理结果' }],
      answers: [{ questionId: 'result', score: 1, comment: '第二天又坏了' }], comment: '很失望',
    }, { id: surveyId, revision: 1, position: 0 }, { commandId: 'd2c1b0a9-8f7e-4d6c-9b5a-4f3e2d1c0b9a', correlationId: 'rerun', causationId: 'rerun', actor: { id: 'agent-1', role: 'agent' } });
    expect(rerun.position).toBeLessThanOrEqual(answered.body.position);
    expect(await linkedComplaints(order)).toEqual([complaintId]);
    expect((await ok('GET', `/audit/decisions?limit=200`, 'auditor')).body.items.length).toBe(before);
  });

  it('opens nothing for a survey answered above the threshold (2 by default)', async () => {
    const order = await handedOverRepair();
    const surveyId = (await ok('POST', '/surveys', 'agent', { subject: { kind: 'work-order', id: order }, channel: 'phone' }, 201)).body.id as string;
    const answered = await ok('POST', `/surveys/${surveyId}/answer`, 'agent', { answers: [{ questionId: 'overall', score: 3 }] });
    expect(await linkedComplaints(order)).toEqual([]);
    // The engineer's figures count the surveys sent with POST /surveys (this one and the first test's): scores 4, 1 and 3.
    const stats = await ok('GET', `/stats/engineers?interval=year&engineer=eng-wang&minPosition=${answered.body.position}`, 'analyst');
    expect(stats.body.rows).toEqual([expect.objectContaining({ surveysSent: 2, surveysAnswered: 2, surveyResponsePercent: 100, meanSatisfaction: 2.67 })]);
  });

  it('applies the same rule to the older per-order survey (POST /work-orders/{id}/survey-answer)', async () => {
    const order = await handedOverRepair();
    await ok('POST', `/work-orders/${order}/survey`, 'agent', { surveyId: 'legacy-bad', channel: 'phone', questions: [{ id: 'speed', text: '维修是否及时？' }] });
    await ok('POST', `/work-orders/${order}/survey-answer`, 'agent', { answers: [{ questionId: 'speed', score: 2, comment: '等了三天' }] });
    const [complaintId, ...more] = await linkedComplaints(order);
    expect(more).toEqual([]);
    expect((await ok('GET', `/complaints/${complaintId}`, 'supervisor')).body).toMatchObject({
      customer: { id: 'cust-10086' }, channel: 'phone', cause: 'service',
      description: `满意度调查评分低 / Low satisfaction survey score: survey ${order}:1:legacy-bad of work order ${order}.\n维修是否及时？ 2/5\n客户意见见该调查 / The customer's comments are on the survey (GET /surveys/${order}:1:legacy-bad).`,
    });
  });

  it('opens no complaint for a customer erased since the survey was sent (it would name no one), and logs why; the answer is stored', async () => {
    await ok('POST', '/customers', 'supervisor', { customerId: 'cust-erased-survey', category: 'fixed', reason: 'Signed a supply agreement.', name: '丁物流有限公司', customerType: 'organisation' }, 201);
    const order = await handedOverRepair('cust-erased-survey');
    const surveyId = (await ok('POST', '/surveys', 'agent', { subject: { kind: 'work-order', id: order }, channel: 'phone' }, 201)).body.id as string;
    await ok('POST', '/customers/cust-erased-survey/erase', 'admin', { ground: 'consent-withdrawn', reason: 'Written request received at the station.', requestReference: 'PIPL-2026-101' });
    const warned = jest.spyOn(Logger.prototype, 'warn');
    try {
      await ok('POST', `/surveys/${surveyId}/answer`, 'agent', { answers: [{ questionId: 'overall', score: 1 }] });
      // GET /surveys/{id} folds the survey's events, so it holds the answer without waiting (it takes no minPosition: a 400 now, where it was ignored).
      expect((await ok('GET', `/surveys/${surveyId}`, 'analyst')).body).toMatchObject({ status: 'answered' });
      expect(await linkedComplaints(order)).toEqual([]);
      expect(warned.mock.calls.map(([message]) => String(message))).toContainEqual(expect.stringMatching(new RegExp(`survey ${surveyId} .*customer file cust-erased-survey was erased.*no complaint`)));
    } finally {
      warned.mockRestore();
    }
  });

  it('sends a survey (POST /surveys) of a customer whose file was merged away to the surviving file, following the merges down the chain, and opens its complaint there', async () => {
    for (const [customerId, name] of [['cust-merge-a', '甲'], ['cust-merge-b', '乙'], ['cust-merge-c', '丙']] as const) {
      await ok('POST', '/customers', 'supervisor', { customerId, category: 'fixed', reason: 'Signed a supply agreement.', name: `${name}物流有限公司`, customerType: 'organisation' }, 201);
    }
    const order = await handedOverRepair('cust-merge-a');
    // a → b, then b → c: the survivor of a is c.
    await ok('POST', '/customers/cust-merge-a/merge', 'supervisor', { survivorId: 'cust-merge-b', reason: 'Same company, two files.' });
    await ok('POST', '/customers/cust-merge-b/merge', 'supervisor', { survivorId: 'cust-merge-c', reason: 'Same company, two files.' });
    const surveyId = (await ok('POST', '/surveys', 'agent', { subject: { kind: 'work-order', id: order }, channel: 'phone' }, 201)).body.id as string;
    expect((await ok('GET', `/surveys/${surveyId}`, 'analyst')).body).toMatchObject({ customerId: 'cust-merge-c', subject: { kind: 'work-order', id: order } });
    await ok('POST', `/surveys/${surveyId}/answer`, 'agent', { answers: [{ questionId: 'overall', score: 1 }] });
    const [complaintId] = await linkedComplaints(order);
    expect((await ok('GET', `/complaints/${complaintId}`, 'supervisor')).body.customer.id).toBe('cust-merge-c');
  });
});
