import type { Actor } from '../../principal';
import type { SatisfactionSurveyCommand, SurveySubjectFacts } from '../survey.commands';
import type { SatisfactionSurveySent } from '../survey.events';

export const surveyId = '7c1d9e20-4b3a-4f6e-9d21-0a1b2c3d4e5f';
export const deskAgent: Actor = { id: 'agent-li', role: 'agent' };
export const T0 = '2026-03-02T08:00:00.000Z';
export const minutesAfter = (minutes: number): string => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

export const calledBackComplaint: SurveySubjectFacts = {
  kind: 'complaint', id: 'c-2026-0001', customerId: 'cust-001', ready: true, status: 'closed', department: 'billing', stationCode: null, engineerId: null, cause: 'billing-error',
};
export const handedOverOrder: SurveySubjectFacts = {
  kind: 'work-order', id: '3b9e1f52-6c0d-4f7a-8e21-5d4c3b2a1f00', customerId: 'cust-002', ready: true, status: 'closed', department: 'dandong-station', stationCode: 'dandong-station', engineerId: 'eng-wang', cause: 'wear-and-tear',
};

type Data<T extends SatisfactionSurveyCommand['type']> = Extract<SatisfactionSurveyCommand, { type: T }>['data'];

export function surveyCommand<T extends SatisfactionSurveyCommand['type']>(type: T, data: Data<T>, minutes = 0, actor: Actor = deskAgent): Extract<SatisfactionSurveyCommand, { type: T }> {
  return { type, surveyId, at: minutesAfter(minutes), actor, data } as Extract<SatisfactionSurveyCommand, { type: T }>;
}

/** The survey of the called-back complaint, default questions, 30 days to answer, sent at T0. */
export const surveySent: SatisfactionSurveySent = {
  type: 'SatisfactionSurveySent',
  data: {
    surveyId, subject: { kind: 'complaint', id: 'c-2026-0001' }, customerId: 'cust-001', channel: 'phone',
    questions: [
      { id: 'attitude', label: { 'zh-CN': '服务态度', en: 'Service attitude' } },
      { id: 'speed', label: { 'zh-CN': '响应速度', en: 'Speed of response' } },
      { id: 'result', label: { 'zh-CN': '处理结果', en: 'Outcome' } },
      { id: 'overall', label: { 'zh-CN': '总体满意度', en: 'Overall satisfaction' } },
    ],
    sentAt: T0, expiresAt: '2026-04-01T08:00:00.000Z', by: deskAgent,
    department: 'billing', stationCode: null, engineerId: null, cause: 'billing-error', reason: null,
  },
};
