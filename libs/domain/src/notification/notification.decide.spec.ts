import { deciderSpecification } from '@app/event-sourcing/testing';
import { NotificationAlreadyRecordedError, notificationDecider, type NotificationOutcome, type RecordNotification } from './notification.decider';
import { NOTIFIER, type NotificationEvent, type NotificationFacts } from './notification.events';
import { notificationWords } from './notification.words';

const spec = deciderSpecification(notificationDecider);
const complaintId = '0c8f3f0e-5a7d-5b1e-9c4e-2f1a3b4c5d6e';
const at = '2026-03-01T08:00:05.000Z';
const facts: Omit<NotificationFacts, 'by'> = {
  complaintId, notificationId: 'e1:acknowledgement:email', audience: 'customer', template: 'acknowledgement', channel: 'email',
  language: 'zh-CN', to: ['w***@example.com'], trigger: { eventId: 'e1', type: 'ComplaintReceived', revision: 0 },
};
const record = (outcome: NotificationOutcome, overrides: Partial<typeof facts> = {}): RecordNotification => ({ type: 'RecordNotification', data: { ...facts, ...overrides, outcome }, at, actor: NOTIFIER });
const sent: NotificationEvent = {
  type: 'NotificationSent', data: { ...facts, by: NOTIFIER, sentAt: at, subject: '投诉受理确认', text: '您好', messageId: '<m1@example.com>' },
};

describe('the notifications of a complaint', () => {
  describe('on a stream with no notification yet', () => {
    it('records a send with what was said and to whom (masked)', () => {
      spec.given([]).when(record({ kind: 'sent', subject: '投诉受理确认', text: '您好', messageId: '<m1@example.com>' })).then([sent]);
    });

    it('records a skipped send with its reason', () => {
      spec.given([]).when(record({ kind: 'skipped', reason: 'no-address' }, { to: [] })).then([
        { type: 'NotificationSkipped', data: { ...facts, to: [], by: NOTIFIER, skippedAt: at, reason: 'no-address' } },
      ]);
    });

    it('records a send given up after its attempts, with the last error', () => {
      spec.given([]).when(record({ kind: 'failed', attempts: 5, error: '550 mailbox unavailable' })).then([
        { type: 'NotificationFailed', data: { ...facts, by: NOTIFIER, failedAt: at, attempts: 5, error: '550 mailbox unavailable' } },
      ]);
    });
  });

  describe('on a stream that has sends', () => {
    it('refuses to record the same send twice, whatever its outcome (a sender that crashed after recording it)', () => {
      spec.given([sent]).when(record({ kind: 'skipped', reason: 'channel-not-configured' }))
        .thenThrows(NotificationAlreadyRecordedError, (error) => expect(error.notificationId).toBe('e1:acknowledgement:email'));
    });

    it('records another send of the same complaint', () => {
      spec.given([sent]).when(record({ kind: 'skipped', reason: 'no-address' }, { notificationId: 'e1:acknowledgement:sms', channel: 'sms', to: [] }))
        .thenProduces(([event]) => expect(event).toMatchObject({ type: 'NotificationSkipped', data: { notificationId: 'e1:acknowledgement:sms', channel: 'sms' } }));
    });
  });

  it('says in both languages what was sent to whom, and why nothing was', () => {
    expect(notificationWords(sent)).toEqual({ 'zh-CN': '已通过电子邮件向客户发送受理确认 (w***@example.com)', en: 'Sent the acknowledgement of receipt to the customer by e-mail (w***@example.com)' });
    expect(notificationWords({ type: 'NotificationSkipped', data: { ...facts, to: [], by: NOTIFIER, skippedAt: at, reason: 'channel-not-configured' } })).toEqual({
      'zh-CN': '未通过电子邮件向客户发送受理确认：该渠道未配置', en: 'Did not send the acknowledgement of receipt to the customer by e-mail: the channel is not configured',
    });
  });
});
