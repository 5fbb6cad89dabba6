import { deciderSpecification } from '@app/event-sourcing/testing';
import { complaintDecider } from './complaint.decider';
import { clockMet, clockStepsOf } from './complaint.decide';
import { IllegalTransitionError, InvalidComplaintCommandError } from './complaint.errors';
import type { ComplaintEvent } from './complaint.events';
import { fold } from './complaint.evolve';
import type { ExistingComplaint } from './complaint.state';
import { decisionWords } from './decision-words';
import {
  agent, assigned, at, calledBackSatisfied, command, complaintId, receive, received, rejected, resolvedAccepted, supervisor, validated,
} from './testing/complaint.fixtures';

const spec = deciderSpecification(complaintDecider);
/** What the decider records for a command after these events (for the steps a test takes next). */
const decided = (events: ComplaintEvent[], cmd: Parameters<typeof complaintDecider.decide>[0]): ComplaintEvent[] => complaintDecider.decide(cmd, fold(events));
const closed = [received, validated, assigned, resolvedAccepted, calledBackSatisfied];
const note = (visibility: 'internal' | 'customer', extra: { channel?: 'phone' | 'social-media' } = {}, minutes = 30) =>
  command('AddComplaintNote', { visibility, text: '  已联系加油站核实计量记录，明天回复客户。 ', ...extra }, minutes, agent);
const reply = command('AddComplaintNote', { visibility: 'customer', text: '您好，我们正在核实，明天给您答复。', channel: 'phone' }, 30, agent);

const replied = (minutes: number): ComplaintEvent => ({
  type: 'ComplaintNoteAdded',
  data: { complaintId, addedAt: at(minutes), by: agent, visibility: 'customer', channel: 'phone', text: '您好，我们正在核实，明天给您答复。', personal: null, firstReply: true },
});

describe('the complaint workspace', () => {
  describe('notes and replies', () => {
    it('keeps a note\'s text the caller marks personal under personal, trimmed, and its text null', () => {
      spec.given([received]).when(command('AddComplaintNote', { visibility: 'internal', text: '  客户说邻居也被多收了 ', personal: true }, 30, agent)).then([{
        type: 'ComplaintNoteAdded',
        data: { complaintId, addedAt: at(30), by: agent, visibility: 'internal', channel: null, text: null, personal: { text: '客户说邻居也被多收了' }, firstReply: false },
      }]);
    });

    it('keeps an unmarked note\'s text in plain text (personal false)', () => {
      spec.given([received]).when(command('AddComplaintNote', { visibility: 'internal', text: '已核实', personal: false }, 30, agent)).then([{
        type: 'ComplaintNoteAdded',
        data: { complaintId, addedAt: at(30), by: agent, visibility: 'internal', channel: null, text: '已核实', personal: null, firstReply: false },
      }]);
    });

    it('records an internal note, trimmed, that changes neither the status nor the first-reply clock', () => {
      spec.given([received]).when(note('internal')).then([{
        type: 'ComplaintNoteAdded',
        data: { complaintId, addedAt: at(30), by: agent, visibility: 'internal', channel: null, text: '已联系加油站核实计量记录，明天回复客户。', personal: null, firstReply: false },
      }]);
      const state = fold([received, decided([received], note('internal'))[0]!]) as ExistingComplaint;
      expect(state.status).toBe('received');
      expect(state.firstReplyAt).toBeNull();
      expect(clockMet(state, 'first-reply')).toBe(false);
    });

    it('records a reply to the customer as the first reply while the first-reply clock runs (适时回访)', () => {
      spec.given([received]).when(reply).then([replied(30)]);
      const state = fold([received, replied(30)]) as ExistingComplaint;
      expect(state).toMatchObject({ status: 'received', firstReplyAt: at(30) });
      expect(clockMet(state, 'first-reply')).toBe(true);
      expect(clockStepsOf(replied(30))).toEqual([{ clock: 'first-reply', at: at(30) }]);
    });

    it('a later reply is not the first one, and does not move the first reply', () => {
      spec.given([received, replied(30)]).when(command('AddComplaintNote', { visibility: 'customer', text: '再次致歉' }, 90, agent)).thenProduces(([event]) => {
        expect(event).toMatchObject({ type: 'ComplaintNoteAdded', data: { firstReply: false, channel: null } });
        expect((fold([received, replied(30), event!]) as ExistingComplaint).firstReplyAt).toBe(at(30));
      });
    });

    it('a reply after an answer (a rejection) is not the first reply either', () => {
      spec.given([received, rejected]).when(reply).thenProduces(([event]) => expect(event).toMatchObject({ data: { firstReply: false } }));
    });

    it('an internal note counts for no clock', () => {
      spec.given([received]).when(note('internal')).thenProduces(([event]) => expect(clockStepsOf(event!)).toEqual([]));
    });

    it('takes an internal note on a closed complaint, but refuses a reply to the customer until it is reopened', () => {
      spec.given(closed).when(note('internal')).thenProduces(([event]) => expect(event?.type).toBe('ComplaintNoteAdded'));
      spec.given(closed).when(reply).thenThrows(IllegalTransitionError, (error) => {
        expect(error).toMatchObject({ code: 'not-open', currentStatus: 'closed' });
        expect(error.message).toMatch(/reopen it first/);
      });
    });

    it('refuses a channel on an internal note, and a blank text', () => {
      spec.given([received]).when(note('internal', { channel: 'phone' })).thenThrows(InvalidComplaintCommandError, (error) => {
        expect(error).toMatchObject({ code: 'channel-not-for-internal-note', field: 'channel' });
      });
      spec.given([received]).when(command('AddComplaintNote', { visibility: 'internal', text: '   ' }, 30, agent)).thenThrows(InvalidComplaintCommandError, (error) => {
        expect(error).toMatchObject({ code: 'blank-text', field: 'text' });
      });
      spec.given([received]).when(command('AddComplaintNote', { visibility: 'internal', text: '\u200b\u2060' }, 30, agent)).thenThrows(InvalidComplaintCommandError, (error) => {
        expect(error).toMatchObject({ code: 'blank-text', field: 'text' });
      });
    });

    it('says in the audit words what was done, never what the note says', () => {
      const words = decisionWords(replied(30));
      expect(words).toEqual({ 'zh-CN': '回复客户（电话），首次回复', en: 'Replied to the customer (Phone), the first reply' });
      const internal = decided([received], note('internal'))[0]!;
      expect(decisionWords(internal)).toEqual({ 'zh-CN': '添加内部备注', en: 'Added an internal note' });
    });
  });

  describe('contact details', () => {
    it('records the contact details given at intake beside the receipt, normalised, the personal ones apart', () => {
      spec.given([]).when(receive({ contact: { phone: '138 0013-8000', email: 'Wang.Li@Example.COM', preferredChannel: 'social-media', preferredTime: '工作日晚上' } }))
        .thenProduces((events) => {
          expect(events.map((event) => event.type)).toEqual(['ComplaintReceived', 'ComplaintContactRecorded']);
          expect(events[1]).toEqual({
            type: 'ComplaintContactRecorded',
            data: {
              complaintId, recordedAt: at(0), by: agent, reason: null, changed: ['phone', 'email', 'preferredChannel', 'preferredTime'],
              changes: { preferredChannel: 'social-media' }, personal: { phone: '13800138000', email: 'Wang.Li@example.com', preferredTime: '工作日晚上' },
            },
          });
          expect((fold(events) as ExistingComplaint).contact).toEqual({
            phone: '13800138000', email: 'Wang.Li@example.com', address: null, preferredChannel: 'social-media', preferredTime: '工作日晚上', language: null,
          });
        });
    });

    it('records no contact event when none is given (or only nulls)', () => {
      spec.given([]).when(receive()).thenProduces((events) => expect(events).toHaveLength(1));
      spec.given([]).when(receive({ contact: { phone: null } })).thenProduces((events) => expect(events).toHaveLength(1));
    });

    it.each([
      [{ phone: '12345' }, 'invalid-phone', 'phone'],
      [{ phone: '12800138000' }, 'invalid-phone', 'phone'],
      [{ email: 'wang.li@example' }, 'invalid-email', 'email'],
      [{ address: '   ' }, 'blank-text', 'address'],
    ])('refuses the whole intake on bad contact details (%p)', (contact, code, field) => {
      spec.given([]).when(receive({ contact })).thenThrows(InvalidComplaintCommandError, (error) => {
        expect(error).toMatchObject({ code, field });
      });
    });

    it('changes them later with a reason, recording only what changes; null clears', () => {
      const atIntake = decided([], receive({ contact: { phone: '13800138000', address: '北京市朝阳区建国路 99 号' } }));
      spec.given(atIntake).when(command('UpdateComplaintContact', { reason: 'customer moved', phone: '13800138000', address: null, preferredChannel: 'phone' }, 40, agent))
        .thenProduces(([event]) => {
          expect(event).toEqual({
            type: 'ComplaintContactRecorded',
            data: {
              complaintId, recordedAt: at(40), by: agent, reason: 'customer moved', changed: ['address', 'preferredChannel'],
              changes: { preferredChannel: 'phone' }, personal: { address: null },
            },
          });
          expect((fold([...atIntake, event!]) as ExistingComplaint).contact).toEqual({
            phone: '13800138000', email: null, address: null, preferredChannel: 'phone', preferredTime: null, language: null,
          });
          expect(decisionWords(event!)).toEqual({ 'zh-CN': '更新联系方式（地址、首选联系渠道）：customer moved', en: 'Updated the contact details (address, preferred channel): customer moved' });
        });
    });

    it('refuses a change that changes nothing (409) and one that names no field (400)', () => {
      const atIntake = decided([], receive({ contact: { phone: '13800138000' } }));
      spec.given(atIntake).when(command('UpdateComplaintContact', { reason: 'check', phone: '138-0013-8000' }, 40, agent))
        .thenThrows(IllegalTransitionError, (error) => expect(error.code).toBe('nothing-changed'));
      spec.given(atIntake).when(command('UpdateComplaintContact', { reason: 'check' }, 40, agent))
        .thenThrows(InvalidComplaintCommandError, (error) => expect(error.code).toBe('nothing-to-change'));
    });

    it('records the language to write to the customer in with the personal details, and changes it later', () => {
      const atIntake = decided([], receive({ contact: { email: 'wang.li@example.com', language: 'en' } }));
      expect(atIntake[1]).toMatchObject({ data: { changed: ['email', 'language'], changes: {}, personal: { email: 'wang.li@example.com', language: 'en' } } });
      expect((fold(atIntake) as ExistingComplaint).contact.language).toBe('en');
      spec.given(atIntake).when(command('UpdateComplaintContact', { reason: 'prefers Chinese', language: 'zh-CN' }, 40, agent))
        .thenProduces(([event]) => {
          expect(event).toMatchObject({ data: { changed: ['language'], personal: { language: 'zh-CN' } } });
          expect(decisionWords(event!)).toEqual({ 'zh-CN': '更新联系方式（通知语言）：prefers Chinese', en: 'Updated the contact details (language): prefers Chinese' });
        });
    });

    it('refuses a language notifications cannot be written in', () => {
      spec.given([]).when(receive({ contact: { email: 'wang.li@example.com', language: 'fr' } }))
        .thenThrows(InvalidComplaintCommandError, (error) => expect(error).toMatchObject({ code: 'unknown-language', field: 'language' }));
    });

    it('takes a change on a closed complaint too', () => {
      spec.given(closed).when(command('UpdateComplaintContact', { reason: 'new number', phone: '13900139000' }, 400, agent))
        .thenProduces(([event]) => expect(event?.type).toBe('ComplaintContactRecorded'));
    });
  });

  describe('corrections', () => {
    const correction = (data: Record<string, unknown>, minutes = 50) =>
      command('CorrectComplaint', { reason: 'the meter log shows a quality problem', ...data } as never, minutes, supervisor);

    it('records what changes, from and to, with the reason; the SLA terms stay as promised at receipt', () => {
      spec.given([received, validated]).when(correction({ cause: 'quantity-metering', severity: 'high', channel: 'phone', behaviour: 'angry-venting' })).then([{
        type: 'ComplaintCorrected',
        data: {
          complaintId, correctedAt: at(50), by: supervisor, reason: 'the meter log shows a quality problem', changed: ['cause', 'behaviour', 'severity'],
          from: { cause: 'product-quality', behaviour: null, severity: 'medium' }, to: { cause: 'quantity-metering', behaviour: 'angry-venting', severity: 'high' },
        },
      }]);
      const before = fold([received, validated]) as ExistingComplaint;
      const event = decided([received, validated], correction({ cause: 'quantity-metering', severity: 'high' }))[0]!;
      const after = fold([received, validated, event]) as ExistingComplaint;
      expect(after).toMatchObject({ status: 'validated', cause: 'quantity-metering', severity: 'high', corrections: 1 });
      expect(after.sla).toEqual(before.sla);
    });

    it('clears behaviour or purpose with null, but refuses to clear cause, severity or channel', () => {
      const withPurpose = decided([], receive({ purpose: 'criticism' }));
      spec.given(withPurpose).when(correction({ purpose: null })).thenProduces(([event]) => {
        expect(event).toMatchObject({ data: { changed: ['purpose'], from: { purpose: 'criticism' }, to: { purpose: null } } });
      });
      spec.given([received]).when(correction({ severity: null })).thenThrows(InvalidComplaintCommandError, (error) => {
        expect(error).toMatchObject({ code: 'cannot-clear', field: 'severity' });
      });
    });

    it('refuses a correction that changes nothing (409) or names no field (400)', () => {
      spec.given([received]).when(correction({ cause: 'product-quality' })).thenThrows(IllegalTransitionError, (error) => expect(error.code).toBe('nothing-changed'));
      spec.given([received]).when(correction({})).thenThrows(InvalidComplaintCommandError, (error) => expect(error.code).toBe('nothing-to-change'));
    });

    it('corrects a closed complaint too (statistics are fixed after the fact)', () => {
      spec.given(closed).when(correction({ cause: 'service-attitude' }, 500)).thenProduces(([event]) => expect(event?.type).toBe('ComplaintCorrected'));
    });

    it('names the change in the audit words, in both languages', () => {
      const event = decided([received], correction({ cause: 'quantity-metering' }))[0]!;
      const words = decisionWords(event);
      expect(words.en).toMatch(/^Corrected the classification \(cause .+ → .+\): the meter log shows a quality problem$/);
      expect(words['zh-CN']).toMatch(/^更正分类（原因 .+ → .+）：the meter log shows a quality problem$/);
    });
  });
});
