import { SendSatisfactionSurveyHandler } from '@app/after-sales';
import { eventsAfter } from '@app/complaints';
import { EventStore } from '@app/event-store';
import { ReadStore } from '@app/read-store';
import { COMPLETION_CHECKPOINTS } from '../../apps/api/src/startup/completion-checkpoint';
import { newComplaint, removeDataDir, startApp, useApp, type RunningApp, type TestResponse } from './support/test-app';

// A crash test starts the API twice on one data dir.
jest.setTimeout(60_000);

type Survey = { subjectId: string; customerId: string; campaignId: string };

/** The steps of a customer's story over HTTP, on one app. */
function stepsOn(app: () => RunningApp) {
  let position = 0;
  const ok = async (method: string, path: string, role: 'agent' | 'supervisor' | 'admin', body?: unknown, status = 200): Promise<TestResponse> => {
    const response = await app().request(method, path, { role, ...(body === undefined ? {} : { body }) });
    expect({ path, status: response.status, problem: response.status >= 300 ? response.body : undefined }).toEqual({ path, status, problem: undefined });
    if (typeof response.body?.position === 'number') position = Math.max(position, response.body.position);
    return response;
  };
  return {
    ok,
    openFile: (customerId: string) => ok('POST', '/customers', 'supervisor', { customerId, category: 'fixed', reason: 'Signed a supply agreement.', name: '物流公司', segments: { driverType: 'long-haul-truck' } }, 201),
    /** A complaint of the customer, resolved and called back (closed). */
    async calledBack(customerId: string): Promise<string> {
      const id = (await ok('POST', '/complaints', 'agent', { ...newComplaint, customerId }, 201)).body.id as string;
      await ok('POST', `/complaints/${id}/validate`, 'supervisor', { reason: 'Meter log shows a shortfall.' });
      await ok('POST', `/complaints/${id}/assign`, 'supervisor', { department: 'station-ops', assignee: 'zhang.wei', reason: 'metering' });
      await ok('POST', `/complaints/${id}/apologise`, 'agent', { statement: '非常抱歉给您带来不便', channel: 'phone' });
      await ok('POST', `/complaints/${id}/resolve`, 'agent', { resolutionClass: 'immediate', remedy: 'refund', customerAccepted: true });
      await ok('POST', `/complaints/${id}/callback`, 'agent', { outcome: 'satisfied', satisfaction: 5 });
      return id;
    },
    merge: (absorbedId: string, survivorId: string) => ok('POST', `/customers/${absorbedId}/merge`, 'supervisor', { survivorId, reason: 'The same company, opened twice.' }),
    /** The read models the campaign selects from have reached every write so far. */
    async caughtUp() {
      await ok('GET', `/customers/files?minPosition=${position}`, 'admin');
      await ok('GET', `/complaints?minPosition=${position}`, 'admin');
    },
    surveysOf: async (campaignId: string, at = position) => (await ok('GET', `/surveys?campaignId=${campaignId}&minPosition=${at}&limit=100`, 'admin')).body.items as Survey[],
  };
}

describe('a survey campaign follows merges, and leaves erased customers out', () => {
  const app = useApp();
  const steps = stepsOn(app);

  it('given a file merged into one merged later, when a campaign runs, then the survivor gets one survey about the merged file\'s complaint, and no merged-away id gets one', async () => {
    // cust-lg-branch was merged into cust-lg-depot, which was then merged into cust-lg-group: a chain of two.
    for (const id of ['cust-lg-group', 'cust-lg-depot', 'cust-lg-branch', 'cust-lg-erased', 'cust-lg-own']) await steps.openFile(id);
    const branchComplaint = await steps.calledBack('cust-lg-branch');
    const ownComplaint = await steps.calledBack('cust-lg-own');
    const erasedComplaint = await steps.calledBack('cust-lg-erased');
    await steps.merge('cust-lg-branch', 'cust-lg-depot');
    await steps.merge('cust-lg-depot', 'cust-lg-group');
    // An erased customer is never surveyed: its file is closed.
    await steps.ok('POST', '/customers/cust-lg-erased/erase', 'admin', { ground: 'consent-withdrawn', reason: 'Written request received at the station.' });
    await steps.caughtUp();

    const run = await steps.ok('POST', '/surveys/campaigns', 'supervisor', { segments: { driverType: 'long-haul-truck' }, channel: 'phone', reason: '物流客户回访' }, 201);
    expect(run.body).toMatchObject({ matched: 2, sent: 2, skipped: {} });
    const surveys = await steps.surveysOf(run.body.campaignId, run.body.position);
    expect(surveys.map(({ customerId, subjectId }) => ({ customerId, subjectId })).sort((a, b) => a.customerId.localeCompare(b.customerId))).toEqual([
      { customerId: 'cust-lg-group', subjectId: branchComplaint },
      { customerId: 'cust-lg-own', subjectId: ownComplaint },
    ]);
    expect(surveys.map((survey) => survey.subjectId)).not.toContain(erasedComplaint);
  });
});

describe('a survey campaign cut short (no Idempotency-Key, the process stopped part-way)', () => {
  it('is completed when the API starts again, before it serves: the rest of its surveys are sent, each subject once, and the campaign is recorded completed', async () => {
    let app = await startApp();
    const { dataDir } = app;
    try {
      const steps = stepsOn(() => app);
      const complaints: string[] = [];
      for (const id of ['cust-cut-1', 'cust-cut-2', 'cust-cut-3']) {
        await steps.openFile(id);
        complaints.push(await steps.calledBack(id));
      }
      await steps.caughtUp();

      // The test hook: the process "dies" after the first survey went out (the send of the second throws).
      const sender = app.get(SendSatisfactionSurveyHandler);
      const send = sender.execute.bind(sender);
      let sends = 0;
      const spy = jest.spyOn(sender, 'execute').mockImplementation(async (command) => {
        sends += 1;
        if (sends > 1) throw new Error('the process died');
        return send(command);
      });
      const cut = await app.request('POST', '/surveys/campaigns', { role: 'supervisor', body: { segments: { driverType: 'long-haul-truck' }, channel: 'phone', reason: '物流客户回访' } });
      expect(cut.status).toBe(500);
      spy.mockRestore();
      const recorded = [];
      for await (const event of eventsAfter(app.get(EventStore), 0, { eventTypes: ['SurveyCampaignRun', 'SurveyCampaignCompleted'] })) recorded.push(event);
      expect(recorded.map((event) => event.type)).toEqual(['SurveyCampaignRun']);
      const campaignId = String(recorded[0]!.data['campaignId']);
      const before = [];
      for await (const event of eventsAfter(app.get(EventStore), 0, { eventTypes: ['SatisfactionSurveySent'] })) if (event.data['campaignId'] === campaignId) before.push(event);
      expect(before).toHaveLength(1);
      await app.stop();

      // Started again on the same data: the campaign is completed before the first request is served.
      app = await startApp(dataDir);
      const after = [];
      for await (const event of eventsAfter(app.get(EventStore), 0, { eventTypes: ['SurveyCampaignCompleted', 'SatisfactionSurveySent'] })) after.push(event);
      expect(after.filter((event) => event.type === 'SurveyCampaignCompleted').map((event) => event.data)).toEqual([expect.objectContaining({ campaignId, matched: 3, sent: 3, skipped: {} })]);
      const sent = after.filter((event) => event.type === 'SatisfactionSurveySent' && event.data['campaignId'] === campaignId);
      expect(sent.map((event) => (event.data['subject'] as { id: string }).id).sort()).toEqual([...complaints].sort());
      const position = Math.max(...after.map((event) => event.position));
      expect((await steps.surveysOf(campaignId, position)).map((survey) => survey.subjectId).sort()).toEqual([...complaints].sort());

      // A third start completes nothing again: one survey per subject stays one.
      await app.stop();
      app = await startApp(dataDir);
      let surveysSent = 0;
      for await (const event of eventsAfter(app.get(EventStore), 0, { eventTypes: ['SatisfactionSurveySent', 'SurveyCampaignCompleted'] })) surveysSent += 1;
      expect(surveysSent).toBe(4);
      // Each start kept how far it read: the next one reads only the campaigns recorded since (ADR 0012).
      expect(await app.get(ReadStore).checkpoint(COMPLETION_CHECKPOINTS.surveyCampaigns)).toBeGreaterThanOrEqual(recorded[0]!.position);
    } finally {
      await app.stop();
      removeDataDir(dataDir);
    }
  });
});
