import { codeTableLookups } from '../taxonomy';

/**
 * The codes of satisfaction surveys (seed 002 §满意度调查), with labels in Chinese and English. The
 * default question set is every code of `surveyQuestion`, in declaration order.
 */
export const SURVEY_TAXONOMY = {
  surveyQuestion: {
    attitude: { 'zh-CN': '服务态度', en: 'Service attitude' },
    speed: { 'zh-CN': '响应速度', en: 'Speed of response' },
    result: { 'zh-CN': '处理结果', en: 'Outcome' },
    overall: { 'zh-CN': '总体满意度', en: 'Overall satisfaction' },
  },
  /** What a survey asks about: a complaint after its callback, a work order after its hand-over, or a campaign. */
  surveySubject: {
    complaint: { 'zh-CN': '投诉', en: 'Complaint' },
    'work-order': { 'zh-CN': '维修工单', en: 'Work order' },
    campaign: { 'zh-CN': '调查活动', en: 'Campaign' },
  },
} as const;

export type SurveyQuestionCode = keyof typeof SURVEY_TAXONOMY.surveyQuestion;
export type SurveySubjectKind = keyof typeof SURVEY_TAXONOMY.surveySubject;

export const { codes: surveyCodes, isCode: isSurveyCode, label: surveyLabel } = codeTableLookups(SURVEY_TAXONOMY);
