import { TOKENS, filesHolding, newComplaint, useApp } from './support/test-app';

/**
 * A survey answer's comments are the customer's own words ("call me on 139…"): an attacker found them
 * readable after the customer's erasure in every survey read, the decisions, the feed and the files
 * (issue 19). They are sealed with the customer's key since SatisfactionSurveyAnswered v2 (docs/adr/0019).
 */
const PHONE = '13977776666';
const OVERALL = `请打 ${PHONE} 找我`;
const PER_QUESTION = '等了整整三天没人来';
const CUSTOMER = 'cust-survey-words';
const REQUEST = { ground: 'consent-withdrawn', reason: 'Written request received at the station.', requestReference: 'PIPL-2026-090' };

describe('an erasure leaves no survey comment', () => {
  const app = useApp();

  const ok = async (method: string, path: string, role: 'agent' | 'supervisor' | 'admin' | 'auditor' | 'analyst', body?: unknown, status = 200) => {
    const response = await app().request(method, path, { role, ...(body === undefined ? {} : { body }) });
    expect({ path, status: response.status }).toEqual({ path, status });
    return response;
  };
  const csv = async (path: string) => (await fetch(`${app().baseUrl}${path}`, { headers: { authorization: `Bearer ${TOKENS.supervisor}` } })).text();

  it('shows the comments while the customer is on file, and nowhere once erased, not even in the bytes of the data directory', async () => {
    const id = (await ok('POST', '/complaints', 'agent', { ...newComplaint, customerId: CUSTOMER }, 201)).body.id as string;
    await ok('POST', `/complaints/${id}/validate`, 'supervisor', { reason: 'Meter log shows a shortfall.' });
    await ok('POST', `/complaints/${id}/assign`, 'supervisor', { department: 'station-ops', assignee: 'zhang.wei', reason: 'metering' });
    await ok('POST', `/complaints/${id}/resolve`, 'agent', { resolutionClass: 'immediate', remedy: 'refund', customerAccepted: true });
    await ok('POST', `/complaints/${id}/callback`, 'agent', { outcome: 'satisfied', satisfaction: 4 });
    const surveyId = (await ok('POST', '/surveys', 'agent', { subject: { kind: 'complaint', id }, channel: 'phone' }, 201)).body.id as string;
    const answered = await ok('POST', `/surveys/${surveyId}/answer`, 'agent', { answers: [{ questionId: 'overall', score: 2 }, { questionId: 'speed', score: 1, comment: PER_QUESTION }], comment: OVERALL });
    expect((await ok('GET', `/surveys/${surveyId}`, 'analyst')).body.answer).toMatchObject({ answers: [{ questionId: 'overall', comment: null }, { questionId: 'speed', comment: PER_QUESTION }], comment: OVERALL });
    const listed = await ok('GET', `/surveys?customerId=${CUSTOMER}&minPosition=${answered.body.position}`, 'analyst');
    expect(listed.body.items).toMatchObject([{ id: surveyId, comment: OVERALL }]);
    // The decisions name the scores, never the customer's words.
    const decisions = await ok('GET', `/audit/decisions?type=SatisfactionSurveyAnswered&minPosition=${answered.body.position}`, 'auditor');
    expect(JSON.stringify(decisions.body)).toContain('overall 2/5');
    expect(JSON.stringify(decisions.body)).not.toContain(PHONE);
    // A generation built as of now holds the comments too: the erasure has to reach it (found by an attacker).
    await ok('POST', '/analytics/as-of', 'analyst', { until: String(answered.body.position), name: 'surveyed' }, 202);
    for (const deadline = Date.now() + 60_000; ;) {
      const job = (await ok('GET', '/analytics/as-of/surveyed', 'analyst')).body as { status: string };
      if (job.status === 'done') break;
      if (!['queued', 'running'].includes(job.status) || Date.now() > deadline) throw new Error(`as-of surveyed: ${JSON.stringify(job)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await ok('GET', `/surveys?asOf=surveyed&customerId=${CUSTOMER}`, 'analyst')).body.items).toMatchObject([{ id: surveyId, comment: OVERALL }]);

    const erased = await ok('POST', `/customers/${CUSTOMER}/erase`, 'admin', REQUEST);
    const position = erased.body.position as number;
    const survey = (await ok('GET', `/surveys/${surveyId}`, 'analyst')).body;
    expect(survey.answer).toMatchObject({ answers: [{ questionId: 'overall', score: 2, comment: null }, { questionId: 'speed', score: 1, comment: null }], comment: null });
    const reads = [
      survey,
      (await ok('GET', `/surveys?customerId=${CUSTOMER}&minPosition=${position}`, 'analyst')).body,
      await csv(`/surveys?format=csv&minPosition=${position}`),
      (await ok('GET', `/audit/decisions?type=SatisfactionSurveyAnswered&minPosition=${position}`, 'auditor')).body,
      (await ok('GET', '/feed?format=json&after=0&limit=200', 'admin')).body,
      (await ok('GET', `/customers/${CUSTOMER}?minPosition=${position}`, 'supervisor')).body,
      (await ok('GET', `/surveys?asOf=surveyed&customerId=${CUSTOMER}`, 'analyst')).body,
      await csv('/surveys?asOf=surveyed&format=csv'),
    ].map((read) => (typeof read === 'string' ? read : JSON.stringify(read)));
    expect(reads[1]).toContain(surveyId);
    for (const read of reads) for (const words of [PHONE, PER_QUESTION]) expect(read).not.toContain(words);
    expect(filesHolding(app().dataDir, PHONE)).toEqual([]);
    expect(filesHolding(app().dataDir, PER_QUESTION)).toEqual([]);
  });
});
