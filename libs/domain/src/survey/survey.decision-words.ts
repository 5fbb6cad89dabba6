import { assertNever } from '../assert-never';
import { taxonomyLabel, type Words } from '../decision-words';
import type { SatisfactionSurveyEvent } from './survey.events';
import { surveyLabel } from './survey.taxonomy';

/** The decision a survey event records, in plain words, for auditors. */
export function satisfactionSurveyDecisionWords(event: SatisfactionSurveyEvent): Words {
  switch (event.type) {
    case 'SatisfactionSurveySent': {
      const { surveyId, subject, customerId, channel, questions, expiresAt } = event.data;
      const kind = surveyLabel('surveySubject', subject.kind);
      const asked = questions.length;
      return {
        'zh-CN': `向客户 ${customerId} 发送满意度调查 ${surveyId}（${kind['zh-CN']} ${subject.id}，${taxonomyLabel('channel', channel)['zh-CN']}，${asked} 个问题：${questions.map((question) => question.label['zh-CN']).join('、')}），${expiresAt} 前答复有效`,
        en: `Sent satisfaction survey ${surveyId} to customer ${customerId} (${kind.en.toLowerCase()} ${subject.id}, ${taxonomyLabel('channel', channel).en}, ${asked} question${asked === 1 ? '' : 's'}: ${questions.map((question) => question.label.en).join(', ')}), open until ${expiresAt}`,
      };
    }
    case 'SatisfactionSurveyAnswered': {
      // The comments are the customer's own words: never quoted here, so an erasure leaves none in the decisions (docs/adr/0019).
      const scores = event.data.answers.map((answer) => `${answer.questionId} ${answer.score}/5`);
      return {
        'zh-CN': `记录满意度调查 ${event.data.surveyId} 的答复：${scores.join('，')}`,
        en: `Recorded the answer to satisfaction survey ${event.data.surveyId}: ${scores.join(', ')}`,
      };
    }
    case 'SatisfactionSurveyCancelled':
      return {
        'zh-CN': `取消满意度调查 ${event.data.surveyId}。原因：${event.data.reason}`,
        en: `Cancelled satisfaction survey ${event.data.surveyId}. Reason: ${event.data.reason}`,
      };
    default:
      return assertNever(event);
  }
}
