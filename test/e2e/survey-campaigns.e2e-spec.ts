import type { Role } from '@app/domain';
import { newComplaint, useApp, type TestResponse } from './support/test-app';

type Who = Role | { readonly token: string };

describe('survey campaigns over HTTP (调查活动)', () => {
  // At most three customers per campaign (SURVEY_CAMPAIGN_LIMIT), so that the limit is met here.
  const app = useApp(undefined, { surveyCampaignLimit: 3 });
  let position = 0;

  const call = async (method: string, path: string, who: Who, body?: unknown, headers?: Record<string, string>): Promise<TestResponse> => {
    const response = await app().request(method, path, { ...(typeof who === 'string' ? { role: who } : { token: who.token }), ...(body === undefined ? {} : { body }), ...(headers ? { headers } : {}) });
    if (typeof response.body?.position === 'number') position = Math.max(position, response.body.position);
    return response;
  };
  async function ok(method: string, path: string, who: Who, body?: unknown, status = 200, headers?: Record<string, string>): Promise<TestResponse> {
    const response = await call(method, path, who, body, headers);
    expect({ path, status: response.status, problem: response.status >= 300 ? response.body : undefined }).toEqual({ path, status, problem: undefined });
    return response;
  }
  async function refused(path: string, who: Who, body: unknown, status: number, code: string): Promise<TestResponse> {
    const response = await call('POST', path, who, body);
    expect({ path, status: response.status, code: response.body.code }).toEqual({ path, status, code });
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    return response;
  }

  const openFile = (customerId: string, segments: object) =>
    ok('POST', '/customers', 'supervisor', { customerId, category: 'fixed', reason: 'Signed a supply agreement.', name: '出租车公司', segments }, 201);

  /** A complaint of the customer, assigned to the department, resolved and called back (closed). */
  async function calledBackComplaint(customerId: string, department: string): Promise<string> {
    const id = (await ok('POST', '/complaints', 'agent', { ...newComplaint, customerId }, 201)).body.id as string;
    await ok('POST', `/complaints/${id}/validate`, 'supervisor', { reason: 'Meter log shows a shortfall.' });
    await ok('POST', `/complaints/${id}/assign`, 'supervisor', { department, assignee: 'zhang.wei', reason: 'metering' });
    await ok('POST', `/complaints/${id}/apologise`, 'agent', { statement: '非常抱歉给您带来不便', channel: 'phone' });
    await ok('POST', `/complaints/${id}/resolve`, 'agent', { resolutionClass: 'immediate', remedy: 'refund', customerAccepted: true });
    await ok('POST', `/complaints/${id}/callback`, 'agent', { outcome: 'satisfied', satisfaction: 5 });
    return id;
  }

  /** The read models the campaign selects from have reached every write so far. */
  const caughtUp = async () => {
    await ok('GET', `/customers/files?minPosition=${position}`, 'admin');
    await ok('GET', `/complaints?minPosition=${position}`, 'admin');
  };
  const surveysOf = async (campaignId: string, at: number, who: Who = 'admin') =>
    (await ok('GET', `/surveys?campaignId=${campaignId}&minPosition=${at}`, who)).body.items as Array<{ subjectId: string; customerId: string; campaignId: string; reason: string }>;

  const complaints: Record<string, string> = {};
  let stationOps: { token: string };

  beforeAll(async () => {
    // Four taxi companies; a fleet customer outside the segment.
    await openFile('cust-taxi-1', { driverType: 'taxi' });
    await openFile('cust-taxi-2', { driverType: 'taxi', settlement: 'ic-card' });
    await openFile('cust-taxi-3', { driverType: 'taxi' });
    await openFile('cust-taxi-4', { driverType: 'taxi', settlement: 'ic-card' });
    await openFile('cust-fleet-9', { consumerKind: 'vehicle', driverType: 'fleet' });
    complaints['cust-taxi-1'] = await calledBackComplaint('cust-taxi-1', 'station-ops');
    complaints['cust-taxi-2'] = await calledBackComplaint('cust-taxi-2', 'billing');
    complaints['cust-taxi-3'] = await calledBackComplaint('cust-taxi-3', 'station-ops');
    complaints['cust-fleet-9'] = await calledBackComplaint('cust-fleet-9', 'station-ops');
    // cust-taxi-3's complaint already has an open survey.
    await ok('POST', '/surveys', 'agent', { subject: { kind: 'complaint', id: complaints['cust-taxi-3'] }, channel: 'phone' }, 201);
    stationOps = { token: (await ok('POST', '/access/tokens', 'admin', { principalId: 'sup-ops', role: 'supervisor', departments: ['station-ops'], reason: 'desk lead' }, 201)).body.token as string };
    await caughtUp();
  });

  it('sends one survey per customer of the segment that a supervisor limited to departments reaches, skipping a complaint with an open survey', async () => {
    const run = await ok('POST', '/surveys/campaigns', stationOps, { segments: { driverType: 'taxi' }, channel: 'mobile-app', questions: [{ id: 'overall' }], reason: '出租车客户季度回访' }, 201);
    const campaignId = run.body.campaignId as string;
    // cust-taxi-2's complaint is billing's and cust-taxi-4 has none: neither is station-ops's customer.
    // Revision 1: the campaign's record (0), then its completion once every selected customer was handled (1).
    expect(run.body).toEqual({ id: campaignId, revision: 1, position: expect.any(Number), campaignId, matched: 2, sent: 1, skipped: { 'survey-already-open': 1 } });
    expect(run.headers.get('location')).toBe(`/surveys?campaignId=${campaignId}`);

    const sent = await surveysOf(campaignId, run.body.position, stationOps);
    expect(sent).toEqual([expect.objectContaining({ subjectId: complaints['cust-taxi-1'], customerId: 'cust-taxi-1', campaignId, channel: 'mobile-app', questions: ['overall'], department: 'station-ops' })]);
    const stats = await ok('GET', `/stats/surveys?campaignId=${campaignId}&by=kind&minPosition=${run.body.position}`, 'admin');
    expect(stats.body.totals).toMatchObject({ sent: 1, answered: 0 });
    // The statistics without the campaign count its survey and the one sent on its own.
    expect((await ok('GET', `/stats/surveys?by=kind&minPosition=${run.body.position}`, 'admin')).body.totals).toMatchObject({ sent: 2 });

    // The campaign is recorded on its own stream, in words in the audit trail.
    const trail = await ok('GET', `/audit/decisions?type=SurveyCampaignRun&minPosition=${run.body.position}`, 'auditor');
    expect(trail.body.items).toEqual([expect.objectContaining({
      type: 'SurveyCampaignRun', stream: `survey-campaign-${campaignId}`, actorId: 'sup-ops', reason: '出租车客户季度回访',
      decision: { 'zh-CN': expect.stringContaining('调查活动'), en: `Ran survey campaign ${campaignId} for the segment driverType=taxi: 2 customers matched, 2 with a called-back complaint` },
    })]);
  });

  it('refuses a campaign reaching more customers than the limit (400, nothing sent), and runs a narrower one', async () => {
    const before = position;
    const tooMany = await refused('/surveys/campaigns', 'admin', { segments: { driverType: 'taxi' }, channel: 'phone', reason: '全部出租车客户' }, 400, 'campaign-too-large');
    expect(tooMany.body.detail).toContain('at most 3');
    expect((await ok('GET', `/surveys?subjectId=${complaints['cust-taxi-2']}&minPosition=${before}`, 'admin')).body.items).toEqual([]);

    const run = await ok('POST', '/surveys/campaigns', 'admin', { segments: { driverType: 'taxi', settlement: 'ic-card' }, channel: 'phone', reason: 'IC 卡客户回访' }, 201);
    expect(run.body).toMatchObject({ matched: 2, sent: 1, skipped: { 'no-subject': 1 } });
    expect(await surveysOf(run.body.campaignId, run.body.position)).toEqual([expect.objectContaining({ subjectId: complaints['cust-taxi-2'], customerId: 'cust-taxi-2', department: 'billing', campaignId: run.body.campaignId })]);
    expect((await ok('GET', `/stats/surveys?campaignId=${run.body.campaignId}&minPosition=${run.body.position}`, 'admin')).body.totals).toMatchObject({ sent: 1 });
  });

  it('answers a retry with the same Idempotency-Key as the first time, sending nothing more', async () => {
    const body = { segments: { driverType: 'fleet' }, channel: 'phone', reason: '车队客户回访' };
    const first = await ok('POST', '/surveys/campaigns', 'supervisor', body, 201, { 'Idempotency-Key': 'campaign-fleet-1' });
    expect(first.body).toMatchObject({ matched: 1, sent: 1, skipped: {} });
    const again = await ok('POST', '/surveys/campaigns', 'supervisor', body, 201, { 'Idempotency-Key': 'campaign-fleet-1' });
    expect(again.body).toEqual(first.body);
    expect(await surveysOf(first.body.campaignId, first.body.position)).toHaveLength(1);
  });

  it('has each campaign and each survey on a hash-chained stream an auditor can check (GET /audit/verify)', async () => {
    const complaintId = await calledBackComplaint('cust-audit-chain', 'station-ops');
    const surveyId = (await ok('POST', '/surveys', 'agent', { subject: { kind: 'complaint', id: complaintId }, channel: 'phone' }, 201)).body.id as string;
    const campaignId = (await ok('POST', '/surveys/campaigns', 'admin', { segments: { driverType: 'motorcycle' }, channel: 'phone', reason: '摩托车客户回访' }, 201)).body.campaignId as string;
    expect((await ok('GET', `/audit/verify?stream=survey-${surveyId}`, 'auditor')).body).toMatchObject({ ok: true, stream: `survey-${surveyId}`, events: 1 });
    expect((await ok('GET', `/audit/verify?stream=survey-campaign-${campaignId}`, 'auditor')).body).toMatchObject({ ok: true, stream: `survey-campaign-${campaignId}` });
    const unknown = await call('GET', '/audit/verify?stream=survey-00000000-0000-4000-8000-000000000000', 'auditor');
    expect([unknown.status, unknown.body.code]).toEqual([404, 'stream-not-found']);
  });

  it('refuses bad input with a 400 saying how to fix it, and other roles with 403', async () => {
    const noSegment = await refused('/surveys/campaigns', 'supervisor', { segments: {}, channel: 'phone', reason: 'x' }, 400, 'campaign-segment-required');
    expect(noSegment.body.detail).toContain('driverType');
    await refused('/surveys/campaigns', 'supervisor', { segments: { driverType: 'spaceship' }, channel: 'phone', reason: 'x' }, 400, 'validation-failed');
    await refused('/surveys/campaigns', 'supervisor', { segments: { driverType: 'taxi' }, channel: 'phone', reason: '  ' }, 400, 'campaign-reason-required');
    await refused('/surveys/campaigns', 'supervisor', { segments: { driverType: 'taxi' }, channel: 'phone', reason: 'x', questions: [{ id: 'own' }] }, 400, 'survey-question-text-required');
    await refused('/surveys/campaigns', 'agent', { segments: { driverType: 'taxi' }, channel: 'phone', reason: 'x' }, 403, 'forbidden');
  });
});
