import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Role } from '@app/domain';
import { newWorkOrder, useApp, type TestResponse } from './support/test-app';

/**
 * The customer's name at the quote confirmation and the sign-off is personal data (issue 19,
 * docs/adr/0019): stored encrypted under data.personal, readable until the customer is erased, then
 * in none of the order's view, its events, the decisions' words, the feed, nor the log's bytes.
 * So are the comments of the order's own survey (WorkOrderSurveyAnswered v2), the customer's words.
 */
const SIGNER = '欧阳娜娜';
const SURVEY_COMMENT = '请打 13955554444 找我';
const QUESTION_COMMENT = '师傅迟到了两个钟头';
const CUSTOMER = 'cust-signer-e2e';
/** Out of its warranty: the repair is quoted, so the customer confirms a quote and then signs. */
const SERIAL = 'TQ2240-009901';

type Who = Role | { readonly token: string };

/** The event log's files (the SQLite database and its write-ahead log) whose bytes hold the text. */
const logFilesHolding = (dataDir: string, text: string): string[] =>
  readdirSync(dataDir).filter((name) => name.startsWith('events.sqlite') && readFileSync(join(dataDir, name)).includes(Buffer.from(text, 'utf8')));

describe('the customer who confirmed a quote and signed a work order, erased', () => {
  const app = useApp();
  let engineer = '';
  let id = '';
  let position = 0;

  async function ok(method: string, path: string, who: Who, body?: unknown, status = 200): Promise<TestResponse> {
    const response = await app().request(method, path, { ...(typeof who === 'string' ? { role: who } : { token: who.token }), ...(body === undefined ? {} : { body }) });
    expect({ path, status: response.status, problem: response.status >= 300 ? response.body : undefined }).toEqual({ path, status, problem: undefined });
    if (typeof response.body?.position === 'number') position = Math.max(position, response.body.position);
    return response;
  }
  const order = async () => (await ok('GET', `/work-orders/${id}`, 'agent')).body;
  const events = async () => (await ok('GET', `/work-orders/${id}/events`, 'auditor')).body.events as Array<{ type: string; data: Record<string, unknown> }>;
  const decisions = async () => (await ok('GET', `/audit/decisions?workOrderId=${id}&minPosition=${position}`, 'auditor')).body;
  const feed = async () => (await ok('GET', '/feed?format=json&after=0&limit=200', 'admin')).body;
  const surveys = async () => (await ok('GET', `/surveys?customerId=${CUSTOMER}&minPosition=${position}`, 'analyst')).body;

  beforeAll(async () => {
    await ok('POST', '/service-network/units', 'admin', { code: 'cs-centre', kind: 'centre', name: { 'zh-CN': '客服中心', en: 'Customer service centre' }, reason: '一个中心' }, 201);
    await ok('POST', '/service-network/units', 'admin', { code: 'dandong-station', kind: 'station', name: { 'zh-CN': '丹东服务站', en: 'Dandong service station' }, parent: 'cs-centre', regions: ['210600'], reason: 'station' }, 201);
    await ok('POST', '/service-network/engineers', 'admin', { engineerId: 'eng-wang', name: '王工', station: 'dandong-station', skills: ['dispenser'], reason: 'hired' }, 201);
    await ok('POST', '/products', 'admin', { serialNumber: SERIAL, model: 'TQ-2240 税控加油机', customerId: CUSTOMER, installedOn: '2024-01-15', warrantyMonths: 12, covers: ['parts', 'labour', 'on-site'] }, 201);
    engineer = (await ok('POST', '/access/tokens', 'admin', { principalId: 'eng-wang', role: 'engineer', departments: ['dandong-station'], reason: 'engineer' }, 201)).body.token;
  });

  it('records the names encrypted in the log and shows them until the erasure', async () => {
    const wang = { token: engineer };
    id = (await ok('POST', '/work-orders', 'agent', { ...newWorkOrder, customerId: CUSTOMER, product: { model: 'TQ-2240 税控加油机', serialNumber: SERIAL } }, 201)).body.id;
    await ok('POST', `/work-orders/${id}/dispatch`, 'agent', { stationCode: 'dandong-station', engineerId: 'eng-wang' });
    await ok('POST', `/work-orders/${id}/arrive`, wang, {});
    await ok('POST', `/work-orders/${id}/findings`, wang, { findings: 'Pulser encoder worn.', faultCause: 'wear-and-tear' });
    await ok('POST', `/work-orders/${id}/quote`, wang, { lines: [{ kind: 'parts', description: 'Pulser encoder', amount: { currency: 'CNY', minorUnits: 48000 } }] });
    await ok('POST', `/work-orders/${id}/confirm-quote`, 'agent', { quoteNumber: 1, confirmedBy: SIGNER, channel: 'phone' });
    await ok('POST', `/work-orders/${id}/work`, wang, { description: 'Replaced the pulser encoder.', chargeable: true });
    await ok('POST', `/work-orders/${id}/fee`, wang, { amount: { currency: 'CNY', minorUnits: 48000 }, method: 'cash' });
    await ok('POST', `/work-orders/${id}/test`, wang, { passed: true });
    await ok('POST', `/work-orders/${id}/sign-off`, wang, { signedBy: SIGNER });

    expect((await order()).signOff).toMatchObject({ signedBy: SIGNER });
    const stored = await events();
    expect(stored.find((event) => event.type === 'WorkOrderQuoteConfirmed')?.data).toMatchObject({ personal: { confirmedBy: SIGNER } });
    expect(stored.find((event) => event.type === 'WorkOrderSignedOff')?.data).toMatchObject({ personal: { signedBy: SIGNER } });
    expect(stored.find((event) => event.type === 'WorkOrderSignedOff')?.data).not.toHaveProperty('signedBy');
    // The decisions' words (newest first) say what happened without the name, before the erasure already.
    const words = (await decisions()).items.filter((item: { type: string }) => ['WorkOrderQuoteConfirmed', 'WorkOrderSignedOff'].includes(item.type)).map((item: { decision: unknown }) => item.decision);
    expect(words).toEqual([
      { 'zh-CN': '客户签字确认', en: 'The customer signed the work order' },
      { 'zh-CN': '客户确认报价 #1（CNY 480.00，电话）', en: 'The customer confirmed quote #1 (CNY 480.00, Phone)' },
    ]);
    expect(logFilesHolding(app().dataDir, SIGNER)).toEqual([]);
  });

  it('after the erasure, the name is in none of the order, its events, the decisions, the feed, nor the log', async () => {
    await ok('POST', `/customers/${CUSTOMER}/erase`, 'admin', { ground: 'consent-withdrawn', reason: 'Written request received at the station.', requestReference: 'PIPL-2026-077' });

    const view = await order();
    expect(view).toMatchObject({ customerId: CUSTOMER, status: 'signed-off', signOff: { signedBy: null }, repair: { quote: { status: 'confirmed' } } });
    const stored = await events();
    expect(stored.find((event) => event.type === 'WorkOrderSignedOff')?.data).toMatchObject({ personal: null });
    expect(stored.find((event) => event.type === 'WorkOrderQuoteConfirmed')?.data).toMatchObject({ personal: null, quoteNumber: 1 });
    const reads = { view, stored, decisions: await decisions(), feed: await feed() };
    expect(JSON.stringify(reads.feed)).toContain(id);
    for (const [read, body] of Object.entries(reads)) expect({ read, holdsName: JSON.stringify(body).includes(SIGNER) }).toEqual({ read, holdsName: false });
    expect(logFilesHolding(app().dataDir, SIGNER)).toEqual([]);
  });

  it('the comments of the order\'s own survey, answered when the customer came back, are sealed and go with the next erasure', async () => {
    const wang = { token: engineer };
    await ok('POST', `/work-orders/${id}/hand-over`, wang, {});
    await ok('POST', `/work-orders/${id}/survey`, 'agent', { surveyId: 'repair-2026', channel: 'phone', questions: [{ id: 'speed', text: '维修是否及时？' }, { id: 'quality', text: '维修质量是否满意？' }] });
    await ok('POST', `/work-orders/${id}/survey-answer`, 'agent', { answers: [{ questionId: 'speed', score: 2, comment: QUESTION_COMMENT }, { questionId: 'quality', score: 4 }], comment: SURVEY_COMMENT });
    expect((await order()).survey.answer).toMatchObject({ answers: [{ questionId: 'speed', score: 2, comment: QUESTION_COMMENT }, { questionId: 'quality', score: 4, comment: null }], comment: SURVEY_COMMENT });
    expect((await events()).find((event) => event.type === 'WorkOrderSurveyAnswered')?.data).toMatchObject({
      answers: [{ questionId: 'speed', score: 2 }, { questionId: 'quality', score: 4 }], personal: { comment: SURVEY_COMMENT, answerComments: { speed: QUESTION_COMMENT } },
    });
    expect((await surveys()).items).toMatchObject([{ subjectKind: 'work-order', comment: SURVEY_COMMENT }]);
    // The decisions' words give the scores, never the customer's words.
    const answered = JSON.stringify(await decisions());
    expect(answered).toContain('speed 2/5');
    for (const words of [SURVEY_COMMENT, QUESTION_COMMENT]) expect({ words, inDecisions: answered.includes(words), inLog: logFilesHolding(app().dataDir, words) }).toEqual({ words, inDecisions: false, inLog: [] });

    await ok('POST', `/customers/${CUSTOMER}/erase`, 'admin', { ground: 'consent-withdrawn', reason: 'Second written request.', requestReference: 'PIPL-2026-078' });
    const view = await order();
    expect(view.survey.answer).toMatchObject({ answers: [{ questionId: 'speed', score: 2, comment: null }, { questionId: 'quality', score: 4, comment: null }], comment: null });
    const stored = await events();
    expect(stored.find((event) => event.type === 'WorkOrderSurveyAnswered')?.data).toMatchObject({ personal: null, answers: [{ questionId: 'speed', score: 2 }, { questionId: 'quality', score: 4 }] });
    const reads = { view, stored, decisions: await decisions(), feed: await feed(), surveys: await surveys() };
    expect(reads.surveys.items).toMatchObject([{ subjectKind: 'work-order', comment: null, scores: { speed: 2, quality: 4 } }]);
    for (const [read, body] of Object.entries(reads)) {
      for (const words of [SURVEY_COMMENT, QUESTION_COMMENT]) expect({ read, words, held: JSON.stringify(body).includes(words) }).toEqual({ read, words, held: false });
    }
    for (const words of [SURVEY_COMMENT, QUESTION_COMMENT]) expect(logFilesHolding(app().dataDir, words)).toEqual([]);
  });
});
