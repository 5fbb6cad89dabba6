import { describe, expect, it } from '@jest/globals';
import { formDefaults, requestBody, WORK_ORDER_ACTIONS, withOffset } from './work-order-bodies';

describe('a work-order form\'s request body', () => {
  it('has a body for every POST /work-orders/{id}/<action> of the typed client', () => {
    expect([...WORK_ORDER_ACTIONS].sort()).toEqual([
      'arrive', 'cancel', 'confirm-quote', 'contact', 'dispatch', 'escalate', 'failed-visit', 'fee', 'findings', 'hand-over', 'link-complaint', 'quote',
      'redispatch', 'refuse-quote', 'remote-diagnosis', 'reopen', 'schedule-visit', 'sign-off', 'survey', 'survey-answer', 'test', 'work',
    ]);
  });

  it('sends a quote\'s lines in integer minor units of the one currency picked, read digit by digit (0.1 is exactly 10 fen)', () => {
    expect(requestBody('quote', { currency: 'CNY', lines: [{ kind: 'parts', description: ' Encoder ', amount: '480' }, { kind: 'labour', description: '2 h', amount: '0.1' }, undefined] }))
      .toEqual({ lines: [
        { kind: 'parts', description: 'Encoder', amount: { currency: 'CNY', minorUnits: 48000 } },
        { kind: 'labour', description: '2 h', amount: { currency: 'CNY', minorUnits: 10 } },
      ] });
    expect(() => requestBody('fee', { currency: 'CNY', amount: '1.005', method: 'cash' })).toThrow(/decimal/);
    expect(requestBody('fee', { currency: 'JPY', amount: '1200', method: 'cash', receiptNumber: '  ' })).toEqual({ amount: { currency: 'JPY', minorUnits: 1200 }, method: 'cash', receiptNumber: undefined });
  });

  it('always sends the quote number with a confirmation or a refusal, and a refusal\'s yes/no as a boolean', () => {
    expect(requestBody('confirm-quote', { quoteNumber: 2, confirmedBy: '李先生', channel: 'phone' })).toEqual({ quoteNumber: 2, confirmedBy: '李先生', channel: 'phone' });
    expect(requestBody('refuse-quote', { quoteNumber: 1, reason: '太贵', continueWithFreeWork: false })).toEqual({ quoteNumber: 1, reason: '太贵', continueWithFreeWork: false });
    expect(formDefaults('refuse-quote', { repair: { quote: { number: 3, total: { currency: 'CNY', minorUnits: 100 } } } })).toEqual({ quoteNumber: 3 });
    expect(formDefaults('confirm-quote', { repair: null })).toEqual({});
  });

  it('sends the parts used as a list, leaving out empty names, and the work as chargeable only when it was said so', () => {
    expect(requestBody('work', { description: 'Replaced the encoder.', parts: [{ partNumber: 'PUL-2240-07', quantity: 2, name: '' }] }))
      .toEqual({ description: 'Replaced the encoder.', parts: [{ partNumber: 'PUL-2240-07', name: undefined, quantity: 2 }], chargeable: false });
  });

  it('starts a survey answer with a row for each question of the order\'s survey, and sends only the question\'s code with the score', () => {
    const survey = { surveyId: 'repair-2026', questions: [{ id: 'speed', text: '维修是否及时？' }, { id: 'price', text: '报价是否清楚？' }], answer: null };
    expect(formDefaults('survey-answer', { survey })).toEqual({
      answers: [{ questionId: 'speed', question: '维修是否及时？' }, { questionId: 'price', question: '报价是否清楚？' }],
    });
    // No survey known (an order not read yet, or a survey of no questions): one empty row to type in, as before.
    expect(formDefaults('survey-answer', { survey: null })).toEqual({ answers: [{}] });
    expect(formDefaults('survey-answer', {})).toEqual({ answers: [{}] });
    expect(requestBody('survey-answer', { answers: [{ questionId: 'speed', question: '维修是否及时？', score: 4 }] }))
      .toEqual({ answers: [{ questionId: 'speed', score: 4, comment: undefined }], comment: undefined });
  });

  it('gives a visit\'s local time the offset the API requires', () => {
    expect(withOffset('2026-03-03T09:00', 480)).toBe('2026-03-03T09:00:00+08:00');
    expect(withOffset('2026-03-03T09:00', -330)).toBe('2026-03-03T09:00:00-05:30');
    expect(requestBody('failed-visit', { reason: 'customer-absent', nextVisitAt: '2026-03-04T14:30' }).nextVisitAt).toMatch(/^2026-03-04T14:30:00[+-]\d\d:\d\d$/);
  });
});
