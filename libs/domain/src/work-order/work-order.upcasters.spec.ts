import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evolveWorkOrder } from './work-order.evolve';
import { initialWorkOrderState } from './work-order.state';
import { WORK_ORDER_EVENT_SCHEMA_VERSIONS, upcastWorkOrderEvent } from './work-order.upcasters';
import { freeRepairHistory, quoteConfirmed, reported, signedOff, testPassed } from './testing/work-order.fixtures';

const fixture = JSON.parse(readFileSync(join(__dirname, '../../../../test/fixtures/work-order-reported.v1.json'), 'utf8')) as {
  type: string; data: Record<string, unknown>; metadata: Record<string, unknown>;
};

describe('work-order event versioning', () => {
  it('writes WorkOrderReported as schema v2, its contact and address under personal', () => {
    expect(WORK_ORDER_EVENT_SCHEMA_VERSIONS.WorkOrderReported).toBe(2);
    expect(reported.data).not.toHaveProperty('contact');
    expect(reported.type === 'WorkOrderReported' && reported.data.personal).toEqual({ contact: { name: '李先生', phone: '+86 415 000 0000' }, address: '丹东市振兴区 加油站 3 号岛' });
  });

  it('upcasts a stored v1 report: the contact and the address move under personal, the rest stays', () => {
    const event = upcastWorkOrderEvent(fixture.type, fixture.data, () => fixture.metadata['schemaVersion']);
    expect(event).toEqual(reported);
    expect(fixture.data['contact']).toEqual({ name: '李先生', phone: '+86 415 000 0000' });
  });

  it('folds a v1 report and a v2 one to the same order', () => {
    const fromV1 = evolveWorkOrder(initialWorkOrderState, upcastWorkOrderEvent(fixture.type, fixture.data, () => 1));
    expect(fromV1).toEqual(evolveWorkOrder(initialWorkOrderState, reported));
    expect(fromV1).toMatchObject({ status: 'reported', contact: { name: '李先生' }, address: '丹东市振兴区 加油站 3 号岛' });
  });

  it('folds a report whose personal part cannot be read (an erased customer) with the contact and address unknown', () => {
    const erased = { ...reported, data: { ...reported.data, personal: null } } as typeof reported;
    expect(evolveWorkOrder(initialWorkOrderState, erased)).toMatchObject({ status: 'reported', customerId: 'cust-001', contact: null, address: null });
  });

  it('leaves a v2 report alone', () => {
    expect(upcastWorkOrderEvent('WorkOrderReported', reported.data as unknown as Record<string, unknown>, () => 2).data).toBe(reported.data);
  });

  describe('the customer\'s name at the quote confirmation and the sign-off (v2: under personal, issue 19)', () => {
    // As they were stored before issue 19: the name at the top of the data, in plain text.
    const v1 = (event: typeof signedOff, name: 'confirmedBy' | 'signedBy'): Record<string, unknown> => {
      const { personal, ...rest } = event.data as unknown as { personal: Record<string, string> };
      return { ...rest, [name]: personal[name] };
    };
    const v1Confirmed = v1(quoteConfirmed, 'confirmedBy');
    const v1SignedOff = v1(signedOff, 'signedBy');

    it('writes both as schema v2, the name under personal and nowhere at the top', () => {
      expect([WORK_ORDER_EVENT_SCHEMA_VERSIONS.WorkOrderQuoteConfirmed, WORK_ORDER_EVENT_SCHEMA_VERSIONS.WorkOrderSignedOff]).toEqual([2, 2]);
      expect(quoteConfirmed.data).not.toHaveProperty('confirmedBy');
      expect(signedOff.data).not.toHaveProperty('signedBy');
    });

    it('upcasts a stored v1 confirmation and sign-off: the name moves under personal, the rest stays', () => {
      expect(v1SignedOff).toMatchObject({ signedBy: '李先生' });
      expect(upcastWorkOrderEvent('WorkOrderQuoteConfirmed', v1Confirmed, () => 1)).toEqual(quoteConfirmed);
      expect(upcastWorkOrderEvent('WorkOrderSignedOff', v1SignedOff, () => undefined)).toEqual(signedOff);
    });

    it('leaves v2 events alone', () => {
      expect(upcastWorkOrderEvent('WorkOrderSignedOff', signedOff.data as unknown as Record<string, unknown>, () => 2).data).toBe(signedOff.data);
      expect(upcastWorkOrderEvent('WorkOrderQuoteConfirmed', quoteConfirmed.data as unknown as Record<string, unknown>, () => 2).data).toBe(quoteConfirmed.data);
    });

    it('folds a v1 sign-off to the signer\'s name, and an erased one (personal unreadable) to null', () => {
      const fold = (last: ReturnType<typeof upcastWorkOrderEvent>) => [...freeRepairHistory, testPassed, last].reduce(evolveWorkOrder, initialWorkOrderState);
      expect(fold(upcastWorkOrderEvent('WorkOrderSignedOff', v1SignedOff, () => 1))).toEqual(fold(signedOff));
      expect(fold(signedOff)).toMatchObject({ status: 'signed-off', signOff: { signedBy: '李先生' } });
      expect(fold({ ...signedOff, data: { ...signedOff.data, personal: null } } as typeof signedOff)).toMatchObject({ status: 'signed-off', signOff: { signedBy: null, at: v1SignedOff['signedOffAt'] } });
    });
  });

  describe('the comments of the order\'s own survey (WorkOrderSurveyAnswered v2: under personal, issue 19)', () => {
    const answered = JSON.parse(readFileSync(join(__dirname, '../../../../test/fixtures/work-order-survey-answered.v1.json'), 'utf8')) as typeof fixture;

    it('writes WorkOrderSurveyAnswered as schema v2', () => {
      expect(WORK_ORDER_EVENT_SCHEMA_VERSIONS.WorkOrderSurveyAnswered).toBe(2);
    });

    it('upcasts a stored v1 answer: the comments move under personal, the scores stay', () => {
      expect(upcastWorkOrderEvent(answered.type, answered.data, () => answered.metadata['schemaVersion']).data).toEqual({
        workOrderId: answered.data['workOrderId'], answeredAt: '2026-03-03T09:00:00.000Z', by: { id: 'agent-1', role: 'agent' }, surveyId: 'repair-2026',
        answers: [{ questionId: 'speed', score: 2 }, { questionId: 'quality', score: 4 }],
        personal: { comment: '请回电 13900002222', answerComments: { speed: '等了三天才来' } },
      });
    });

    it('leaves a v2 answer alone, and takes data that already holds personal as v2', () => {
      const v2 = { ...answered.data, answers: [{ questionId: 'speed', score: 2 }], comment: undefined, personal: null };
      expect(upcastWorkOrderEvent('WorkOrderSurveyAnswered', v2, () => 2).data).toBe(v2);
      expect(upcastWorkOrderEvent('WorkOrderSurveyAnswered', v2, () => undefined).data).toBe(v2);
    });
  });
});
