import { generationOf } from '@app/projections';
import { project } from '@app/projections/testing';
import { SqliteReadStore, generationCollection } from '@app/read-store';
import { ReadModelReader } from '../read-model-reader';
import { at, freeRepair, workOrder } from '../testing';
import { SURVEY_LIST, surveyListProjection, type StoredSurvey, type SurveyStatsBucket } from './survey-list.projection';
import { SurveyListQuery } from './survey-list.query';

const S1 = '11111111-1111-4111-8111-111111111111';
const S2 = '22222222-2222-4222-8222-222222222222';
const S3 = '33333333-3333-4333-8333-333333333333';
const desk = { id: 'agent-1', role: 'agent' };
const questions = [{ id: 'speed', label: { 'zh-CN': '响应速度', en: 'Speed of response' } }, { id: 'overall', label: { 'zh-CN': '总体满意度', en: 'Overall satisfaction' } }];

interface SentOptions { kind?: 'complaint' | 'work-order'; department?: string | null; station?: string | null; engineer?: string | null; cause?: string | null; customerId?: string; campaignId?: string }

const sent = (surveyId: string, sentAt: string, options: SentOptions = {}) => ({
  stream: `survey-${surveyId}`, type: 'SatisfactionSurveySent',
  data: {
    surveyId, subject: { kind: options.kind ?? 'work-order', id: `subject-of-${surveyId.slice(0, 1)}` }, customerId: options.customerId ?? 'cust-1', channel: 'phone', questions,
    sentAt, expiresAt: new Date(Date.parse(sentAt) + 2 * 86_400_000).toISOString(), by: desk,
    department: options.department === undefined ? 'dandong-station' : options.department, stationCode: options.station === undefined ? 'dandong-station' : options.station,
    engineerId: options.engineer === undefined ? 'eng-wang' : options.engineer, cause: options.cause === undefined ? 'wear-and-tear' : options.cause, reason: null,
    ...(options.campaignId === undefined ? {} : { campaignId: options.campaignId }),
  },
});
const answered = (surveyId: string, answeredAt: string, scores: Record<string, number>) => ({
  stream: `survey-${surveyId}`, type: 'SatisfactionSurveyAnswered',
  data: { surveyId, answeredAt, by: desk, answers: Object.entries(scores).map(([questionId, score]) => ({ questionId, score, comment: null })), comment: '谢谢' },
});
const cancelled = (surveyId: string, cancelledAt: string) => ({ stream: `survey-${surveyId}`, type: 'SatisfactionSurveyCancelled', data: { surveyId, cancelledAt, by: desk, reason: '重复发送' } });

const history = [
  sent(S1, '2026-03-02T08:00:00.000Z'),
  sent(S2, '2026-03-03T08:00:00.000Z', { kind: 'complaint', department: 'station-ops', station: null, engineer: null, cause: 'metering', customerId: 'cust-2' }),
  answered(S1, '2026-03-02T10:00:00.000Z', { speed: 4, overall: 5 }),
  sent(S3, '2026-04-10T08:00:00.000Z'),
  answered(S2, '2026-03-04T08:00:00.000Z', { overall: 2 }),
  cancelled(S3, '2026-04-10T09:00:00.000Z'),
  // History imported as it was: an answer after a cancellation changes nothing (evolve does the same).
  answered(S3, '2026-04-10T10:00:00.000Z', { overall: 1 }),
];

async function readerOf(events: ReadonlyArray<{ type: string; data: object; stream?: string }>): Promise<{ query: SurveyListQuery; close: () => Promise<void> }> {
  const store = new SqliteReadStore({ filename: ':memory:' });
  const context = await project(surveyListProjection, events);
  const generation = generationOf(surveyListProjection);
  await store.ensureCollections(surveyListProjection.collections.map((spec) => ({ ...spec, name: generationCollection(generation, spec.name) })));
  await store.commit(generation, surveyListProjection.collections.flatMap((spec) => context.all(spec.name).map((document) => ({ kind: 'put' as const, collection: generationCollection(generation, spec.name), document }))), 1);
  await store.activateGeneration(SURVEY_LIST, generation);
  return { query: new SurveyListQuery(new ReadModelReader(store, [surveyListProjection])), close: () => store.close() };
}

describe('survey list', () => {
  it('keeps one document per survey: sent, then answered with its scores and their mean, or cancelled', async () => {
    const context = await project(surveyListProjection, history);
    expect(context.get<StoredSurvey>('surveys', S1)).toEqual({
      id: S1, source: 'survey', status: 'answered', subjectKind: 'work-order', subjectId: 'subject-of-1', customerId: 'cust-1', channel: 'phone', department: 'dandong-station',
      stationCode: 'dandong-station', engineerId: 'eng-wang', cause: 'wear-and-tear', campaignId: null, questions: ['speed', 'overall'], sentAt: '2026-03-02T08:00:00.000Z', sentBy: 'agent-1',
      expiresAt: '2026-03-04T08:00:00.000Z', answeredAt: '2026-03-02T10:00:00.000Z', scores: { speed: 4, overall: 5 }, meanScore: 4.5, comment: '谢谢',
      cancelledAt: null, cancelReason: null, revision: expect.any(Number), updatedAt: '2026-03-02T10:00:00.000Z', visibleTo: 'department:dandong-station',
      expiryKey: '2026-03-04T08:00:00.000Z',
    });
    expect(context.get<StoredSurvey>('surveys', S3)).toMatchObject({ status: 'cancelled', cancelledAt: '2026-04-10T09:00:00.000Z', cancelReason: '重复发送', scores: {}, meanScore: null });
  });

  it('lists a work order\'s own survey (POST /work-orders/{id}/survey) too, grouped by the order\'s station, engineer and fault cause, with no expiry; a repeat repair\'s survey apart', async () => {
    const O = 'a0000000-0000-4000-8000-000000000001';
    const repair = workOrder(O);
    const events = [
      ...freeRepair(O), repair.surveySent(21 * 60), repair.surveyAnswered(22 * 60, [4, 5]),
      repair.reopened(3 * 24 * 60, 2, 20 * 60), repair.surveySent(4 * 24 * 60),
    ];
    const context = await project(surveyListProjection, events);
    expect(context.get<StoredSurvey>('surveys', `${O}:1:repair-2026`)).toMatchObject({
      source: 'work-order', status: 'answered', subjectKind: 'work-order', subjectId: O, customerId: 'cust-001', department: 'dandong-station', stationCode: 'dandong-station',
      engineerId: 'eng-wang', cause: 'product-defect', questions: ['speed', 'quality'], sentAt: at(21 * 60), expiresAt: null, scores: { speed: 4, quality: 5 }, meanScore: 4.5,
    });
    // The new cycle's survey: nothing found yet when it was sent.
    expect(context.get<StoredSurvey>('surveys', `${O}:2:repair-2026`)).toMatchObject({ status: 'sent', cause: null, answeredAt: null });
    const { query, close } = await readerOf(events);
    try {
      const later = new Date(Date.parse(at(400 * 24 * 60)));
      expect((await query.list({ status: 'open' }, { limit: 10 }, later)).items.map((item) => [item.id, item.expired])).toEqual([[`${O}:2:repair-2026`, false]]);
      const { rows, totals } = await query.stats({ by: 'cause', interval: 'year' });
      expect(rows.map((row) => [row.value, row.sent, row.answered, row.meanScore])).toEqual([['none', 1, 0, null], ['product-defect', 1, 1, 4.5]]);
      expect(totals).toMatchObject({ sent: 2, answered: 1, responseRatePercent: 50, questions: [{ questionId: 'quality', answers: 1, meanScore: 5 }, { questionId: 'speed', answers: 1, meanScore: 4 }] });
    } finally {
      await close();
    }
  });

  it('lists a work order\'s own survey sent after its customer\'s file was merged away under the surviving file, down the chain of merges, as POST /surveys records it', async () => {
    const [before, after] = ['a0000000-0000-4000-8000-000000000002', 'a0000000-0000-4000-8000-000000000003'];
    const merged = (customerId: string, survivorId: string, minutes: number) => ({
      stream: `customer-${customerId}`, type: 'CustomerFileMerged',
      data: { customerId, mergedAt: at(minutes), by: desk, reason: 'Same company, two files.', survivorId, personal: null },
    });
    const events = [
      ...freeRepair(before), workOrder(before).surveySent(21 * 60),
      merged('cust-001', 'cust-002', 22 * 60), merged('cust-002', 'cust-003', 23 * 60),
      ...freeRepair(after, { minutes: 24 * 60 }), workOrder(after, { minutes: 24 * 60 }).surveySent(45 * 60),
    ];
    const context = await project(surveyListProjection, events);
    // Sent before the merges: the file it went to then, as a survey of POST /surveys keeps it.
    expect(context.get<StoredSurvey>('surveys', `${before}:1:repair-2026`)).toMatchObject({ customerId: 'cust-001' });
    expect(context.get<StoredSurvey>('surveys', `${after}:1:repair-2026`)).toMatchObject({ customerId: 'cust-003' });
    const again = await project(surveyListProjection, events);
    expect(JSON.stringify(again.all('surveys'))).toBe(JSON.stringify(context.all('surveys')));
  });

  it('clears the comment of an erased customer\'s surveys (and of the files the erasure covers), and keeps the others\'', async () => {
    const commented = (surveyId: string, comment: string) => ({
      stream: `survey-${surveyId}`, type: 'SatisfactionSurveyAnswered',
      data: { surveyId, answeredAt: '2026-03-05T08:00:00.000Z', by: desk, answers: [{ questionId: 'overall', score: 1 }], personal: { comment, answerComments: {} } },
    });
    const erasure = {
      stream: 'customer-cust-1', type: 'CustomerFilePersonalDataErased',
      data: { customerId: 'cust-1', erasedAt: '2026-03-06T08:00:00.000Z', by: { id: 'admin-1', role: 'admin' }, ground: 'consent-withdrawn', reason: 'r', requestReference: null, personalFields: [], coveredFileIds: ['cust-1', 'cust-0'], keyIds: [] },
    };
    const context = await project(surveyListProjection, [
      sent(S1, '2026-03-02T08:00:00.000Z'), sent(S2, '2026-03-02T08:00:00.000Z', { customerId: 'cust-2' }), sent(S3, '2026-03-02T08:00:00.000Z', { customerId: 'cust-0' }),
      commented(S1, '请回电 139'), commented(S2, '另一位客户'), commented(S3, '合并前的档案'), erasure,
    ]);
    expect([S1, S2, S3].map((id) => context.get<StoredSurvey>('surveys', id)?.comment)).toEqual([null, '另一位客户', null]);
    expect(context.get<StoredSurvey>('surveys', S1)).toMatchObject({ status: 'answered', scores: { overall: 1 } });
  });

  it('writes the same documents when the same events are applied again from scratch', async () => {
    const withOrder = [...history, ...freeRepair('a0000000-0000-4000-8000-000000000001'), workOrder('a0000000-0000-4000-8000-000000000001').surveySent(21 * 60)];
    const [first, second] = [await project(surveyListProjection, withOrder), await project(surveyListProjection, withOrder)];
    for (const collection of ['surveys', 'buckets', 'orders']) expect(JSON.stringify(second.all(collection))).toBe(JSON.stringify(first.all(collection)));
  });

  it('counts answers and scores in the buckets of the day the survey was sent, per dimension', async () => {
    const context = await project(surveyListProjection, history);
    expect(context.get<SurveyStatsBucket>('buckets', 'engineer|work-order|dandong-station|eng-wang|2026-03-02|none')).toMatchObject({
      sent: 1, answered: 1, cancelled: 0, scoreSum: 9, scoreCount: 2, questions: { overall: { count: 1, sum: 5 }, speed: { count: 1, sum: 4 } },
    });
    expect(context.get<SurveyStatsBucket>('buckets', 'engineer|complaint|station-ops|unassigned|2026-03-03|none')).toMatchObject({ sent: 1, answered: 1, scoreSum: 2 });
    expect(context.get<SurveyStatsBucket>('buckets', 'cause|work-order|dandong-station|wear-and-tear|2026-04-10|none')).toMatchObject({ sent: 1, answered: 0, cancelled: 1, scoreCount: 0 });
  });

  it('lists newest first with filters, open and expired measured against now, and a reader limited to departments', async () => {
    const { query, close } = await readerOf([...history, sent('44444444-4444-4444-8444-444444444444', '2026-04-11T08:00:00.000Z', { customerId: 'cust-4' })]);
    try {
      const now = new Date('2026-04-12T08:00:00.000Z');
      const all = await query.list({}, { limit: 10 }, now);
      expect(all.items.map((item) => item.id)).toEqual(['44444444-4444-4444-8444-444444444444', S3, S2, S1]);
      expect((await query.list({ status: 'open' }, { limit: 10 }, now)).items.map((item) => [item.id, item.expired])).toEqual([['44444444-4444-4444-8444-444444444444', false]]);
      expect((await query.list({ status: 'expired' }, { limit: 10 }, new Date('2026-04-14T08:00:00.001Z'))).items.map((item) => [item.id, item.expired])).toEqual([['44444444-4444-4444-8444-444444444444', true]]);
      expect((await query.list({ status: 'answered', subjectKind: 'complaint' }, { limit: 10 }, now)).items.map((item) => item.id)).toEqual([S2]);
      expect((await query.list({ engineerId: 'eng-wang', from: '2026-04-01T00:00:00Z' }, { limit: 10 }, now)).items.map((item) => item.id)).toEqual(['44444444-4444-4444-8444-444444444444', S3]);
      expect((await query.list({ customerId: 'cust-2' }, { limit: 10 }, now)).items.map((item) => item.id)).toEqual([S2]);
      const limited = await query.list({}, { limit: 10 }, now, undefined, { actorId: 'someone', scope: ['station-ops'] });
      expect(limited.items.map((item) => item.id)).toEqual([S2]);
      expect(limited.items[0]).not.toHaveProperty('visibleTo');
      const paged = await query.list({}, { limit: 3 }, now);
      const rest = await query.list({}, { limit: 3, cursor: paged.nextCursor! }, now);
      expect(rest.items.map((item) => item.id)).toEqual([S1]);
    } finally {
      await close();
    }
  });

  // ?department=unassigned (and ?station=, ?engineer=) was compared with the stored value, which is null while there is none: an empty page.
  it('finds the surveys sent with no department, station or engineer by the word unassigned, within what a limited reader sees', async () => {
    const S4 = '44444444-4444-4444-8444-444444444444';
    const S5 = '55555555-5555-4555-8555-555555555555';
    const sentBy = (event: ReturnType<typeof sent>, by: { id: string; role: string }) => ({ ...event, data: { ...event.data, by } });
    const { query, close } = await readerOf([
      ...history,
      sent(S4, '2026-04-11T08:00:00.000Z', { kind: 'complaint', department: null, station: null, engineer: null, customerId: 'cust-4' }),
      sentBy(sent(S5, '2026-04-11T09:00:00.000Z', { kind: 'complaint', department: null, station: null, engineer: null, customerId: 'cust-5' }), { id: 'li.na', role: 'agent' }),
    ]);
    try {
      const now = new Date('2026-04-12T08:00:00.000Z');
      const ids = async (filter: Parameters<SurveyListQuery['list']>[0], reader?: { actorId: string; scope: string[] }) => (await query.list(filter, { limit: 10 }, now, undefined, reader)).items.map((item) => item.id);
      expect(await ids({ department: 'unassigned' })).toEqual([S5, S4]);
      expect(await ids({ stationCode: 'unassigned' })).toEqual([S5, S4, S2]);
      expect(await ids({ engineerId: 'unassigned' })).toEqual([S5, S4, S2]);
      expect(await ids({ department: 'unassigned', subjectKind: 'work-order' })).toEqual([]);
      // Paged as the list is: the second page holds the rest.
      const first = await query.list({ stationCode: 'unassigned' }, { limit: 2 }, now);
      expect((await query.list({ stationCode: 'unassigned' }, { limit: 2, cursor: first.nextCursor! }, now)).items.map((item) => item.id)).toEqual([S2]);
      // A limited reader: only those it sent among the surveys with none (it sees no other reader's).
      expect(await ids({ department: 'unassigned' }, { actorId: 'LI.NA', scope: ['station-ops'] })).toEqual([S5]);
      expect(await ids({ stationCode: 'unassigned' }, { actorId: 'li.na', scope: ['station-ops'] })).toEqual([S5, S2]);
    } finally {
      await close();
    }
  });

  // The statistics filed "none yet" under the word none, which is also a plain department code: a department `none` merged with that row.
  it('files surveys with no department, station or engineer under the statistics\' word unassigned, apart from a department called none', async () => {
    const S4 = '44444444-4444-4444-8444-444444444444';
    const S5 = '55555555-5555-4555-8555-555555555555';
    const { query, close } = await readerOf([
      sent(S4, '2026-04-11T08:00:00.000Z', { kind: 'complaint', department: 'none', station: 'none', engineer: 'none', customerId: 'cust-4' }),
      sent(S5, '2026-04-11T09:00:00.000Z', { kind: 'complaint', department: null, station: null, engineer: null, cause: null, customerId: 'cust-5' }),
    ]);
    try {
      for (const by of ['department', 'station', 'engineer'] as const) {
        expect((await query.stats({ by, interval: 'year' })).rows.map((row) => [row.value, row.sent])).toEqual([['none', 1], ['unassigned', 1]]);
      }
      // A cause is a taxonomy code, never the word none: a survey without one stays under none.
      expect((await query.stats({ by: 'cause', interval: 'year' })).rows.map((row) => [row.value, row.sent])).toEqual([['none', 1], ['wear-and-tear', 1]]);
      // ?department=unassigned: the surveys with none; a reader limited to a department `none` sees only that department's.
      expect((await query.stats({ by: 'kind', interval: 'year', departments: ['unassigned'] })).totals).toMatchObject({ sent: 1 });
      expect((await query.stats({ by: 'department', interval: 'year', departments: ['none'] })).rows.map((row) => [row.value, row.sent])).toEqual([['none', 1]]);
    } finally {
      await close();
    }
  });

  it('answers the statistics per period and value: sent, answered, response rate, mean score overall and per question, and the totals', async () => {
    const { query, close } = await readerOf(history);
    try {
      // Every month of the history over (a now of the test's own): no row is partial.
      const byEngineer = await query.stats({ by: 'engineer', interval: 'month', now: new Date('2027-01-01T00:00:00.000Z') });
      expect(byEngineer.rows).toEqual([
        { period: '2026-03-01', partial: false, value: 'eng-wang', sent: 1, answered: 1, cancelled: 0, responseRatePercent: 100, meanScore: 4.5, questions: [{ questionId: 'overall', answers: 1, meanScore: 5 }, { questionId: 'speed', answers: 1, meanScore: 4 }] },
        { period: '2026-03-01', partial: false, value: 'unassigned', sent: 1, answered: 1, cancelled: 0, responseRatePercent: 100, meanScore: 2, questions: [{ questionId: 'overall', answers: 1, meanScore: 2 }] },
        { period: '2026-04-01', partial: false, value: 'eng-wang', sent: 1, answered: 0, cancelled: 1, responseRatePercent: 0, meanScore: null, questions: [] },
      ]);
      expect(byEngineer.totals).toEqual({
        sent: 3, answered: 2, cancelled: 1, responseRatePercent: 66.7, meanScore: 3.67, questions: [{ questionId: 'overall', answers: 2, meanScore: 3.5 }, { questionId: 'speed', answers: 1, meanScore: 4 }],
      });
      const byDepartment = await query.stats({ by: 'department', interval: 'year', departments: ['station-ops'] });
      expect(byDepartment.rows.map((row) => [row.period, row.value, row.sent])).toEqual([['2026-01-01', 'station-ops', 1]]);
      expect((await query.stats({ by: 'kind', interval: 'day', from: '2026-03-03', to: '2026-04-01' })).rows.map((row) => [row.period, row.value])).toEqual([['2026-03-03', 'complaint']]);
      expect((await query.stats({ by: 'cause', interval: 'month', kind: 'complaint' })).rows.map((row) => row.value)).toEqual(['metering']);
      expect(await query.stats({ by: 'station', interval: 'month', from: '2027-01-01' })).toEqual({ rows: [], totals: null });
    } finally {
      await close();
    }
  });

  it('keeps the campaign that sent a survey: the list and the statistics filter by it, the statistics without the filter count every survey', async () => {
    const campaign = '55555555-5555-4555-8555-555555555555';
    const S5 = '66666666-6666-4666-8666-666666666666';
    const { query, close } = await readerOf([...history, sent(S5, '2026-03-02T09:00:00.000Z', { campaignId: campaign, customerId: 'cust-5' }), answered(S5, '2026-03-02T11:00:00.000Z', { overall: 3 })]);
    try {
      const now = new Date('2026-03-02T12:00:00.000Z');
      const listed = await query.list({ campaignId: campaign }, { limit: 10 }, now);
      expect(listed.items.map((item) => [item.id, item.campaignId])).toEqual([[S5, campaign]]);
      expect((await query.list({ customerId: 'cust-1' }, { limit: 10 }, now)).items.map((item) => item.campaignId)).toEqual([null, null]);
      expect((await query.stats({ by: 'engineer', interval: 'month', campaignId: campaign })).totals).toMatchObject({ sent: 1, answered: 1, meanScore: 3 });
      const all = await query.stats({ by: 'engineer', interval: 'month' });
      expect(all.totals).toMatchObject({ sent: 4, answered: 3 });
      // The campaign's survey and the other of the same day, engineer and department add up in one row.
      expect(all.rows.find((row) => row.period === '2026-03-01' && row.value === 'eng-wang')).toMatchObject({ sent: 2, answered: 2 });
    } finally {
      await close();
    }
  });
});
