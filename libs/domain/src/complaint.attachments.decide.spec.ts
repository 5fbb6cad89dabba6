import { deciderSpecification } from '@app/event-sourcing/testing';
import { complaintActionRefusal } from './complaint.actions';
import { complaintDecider } from './complaint.decider';
import { IllegalTransitionError, InvalidComplaintCommandError } from './complaint.errors';
import type { ComplaintEvent } from './complaint.events';
import { fold } from './complaint.evolve';
import type { ExistingComplaint } from './complaint.state';
import { ATTACHMENT_FILE_NAME_MAX, attachmentFileName } from './complaint.workspace';
import { decisionWords } from './decision-words';
import {
  agent, assigned, at, calledBackSatisfied, calledBackUnsatisfied, command, complaintId, received, rejected, resolvedAccepted, validated,
} from './testing/complaint.fixtures';

const spec = deciderSpecification(complaintDecider);
const receiptHash = 'a'.repeat(64);
const photoHash = '0123456789abcdef'.repeat(4);
const attach = (data: Partial<Parameters<typeof command<'AddComplaintAttachment'>>[1]> = {}, minutes = 40) =>
  command('AddComplaintAttachment', { sha256: receiptHash, size: 48_213, mediaType: 'image/jpeg', fileName: '小票-0302.jpg', kind: 'receipt', ...data }, minutes, agent);
const attached = (overrides: Partial<Extract<ComplaintEvent, { type: 'ComplaintAttachmentAdded' }>['data']> = {}, minutes = 40): ComplaintEvent => ({
  type: 'ComplaintAttachmentAdded',
  data: {
    complaintId, addedAt: at(minutes), by: agent, sha256: receiptHash, size: 48_213, mediaType: 'image/jpeg', kind: 'receipt', description: null,
    personal: { fileName: '小票-0302.jpg' }, ...overrides,
  },
});
const closed = [received, validated, assigned, resolvedAccepted, calledBackSatisfied];

describe('attachments on a complaint', () => {
  describe('given an open complaint', () => {
    it('records the file by its hash, size, found type and kind, with the file name under personal', () => {
      spec.given([received]).when(attach({ description: '  加油小票，显示 20 升  ' })).then([attached({ description: '加油小票，显示 20 升' })]);
    });

    it.each([
      ['received', [received]],
      ['validated', [received, validated]],
      ['assigned', [received, validated, assigned]],
      ['resolved', [received, validated, assigned, resolvedAccepted]],
      ['follow-up-required', [received, validated, assigned, resolvedAccepted, calledBackUnsatisfied]],
      ['rejected', [received, rejected]],
    ])('takes an attachment on a %s complaint without changing its status', (status, history) => {
      spec.given(history).when(attach()).then([attached()]);
      const state = fold([...history, attached()]) as ExistingComplaint;
      expect(state.status).toBe(status);
      expect(state.attachments).toEqual([receiptHash]);
    });

    it('keeps every different file, in order', () => {
      spec.given([received, attached()]).when(attach({ sha256: photoHash, kind: 'photo', mediaType: 'image/png', fileName: 'pump.png' }, 50))
        .then([attached({ sha256: photoHash, kind: 'photo', mediaType: 'image/png', personal: { fileName: 'pump.png' } }, 50)]);
      expect((fold([received, attached(), attached({ sha256: photoHash }, 50)]) as ExistingComplaint).attachments).toEqual([receiptHash, photoHash]);
    });

    it('refuses the same file twice on one complaint (409), naming its hash', () => {
      spec.given([received, attached()]).when(attach({ fileName: 'another-name.jpg', kind: 'other' }, 50)).thenThrows(IllegalTransitionError, (error) => {
        expect(error).toMatchObject({ code: 'attachment-already-added', currentStatus: 'received' });
        expect(error.message).toContain(receiptHash);
      });
    });

    it('takes the same bytes again once the one recorded was erased with its customer: the customer came back (ADR 0019), a new attachment', () => {
      spec.given([received, attached()]).when(attach({ fileName: '小票-重发.jpg', erasedFiles: [receiptHash] }, 50))
        .then([attached({ personal: { fileName: '小票-重发.jpg' } }, 50)]);
    });

    it('still refuses a double upload when only another file was erased', () => {
      spec.given([received, attached()]).when(attach({ erasedFiles: [photoHash] }, 50)).thenThrows(IllegalTransitionError, (error) => {
        expect(error).toMatchObject({ code: 'attachment-already-added' });
      });
    });
  });

  describe('given a closed complaint', () => {
    it('refuses an attachment until the complaint is reopened (409 not-open)', () => {
      spec.given(closed).when(attach({}, 200)).thenThrows(IllegalTransitionError, (error) => {
        expect(error).toMatchObject({ code: 'not-open', currentStatus: 'closed' });
        expect(error.message).toMatch(/reopen it first/);
      });
    });

    it('says so in allowedActions, and allows it again on an open one', () => {
      const state = fold(closed) as ExistingComplaint;
      expect(complaintActionRefusal('attachments', state, at(200), agent)).toMatchObject({ code: 'not-open' });
      expect(complaintActionRefusal('attachments', fold([received]) as ExistingComplaint, at(5), agent)).toBeNull();
    });
  });

  describe('given no complaint', () => {
    it('refuses as not found', () => {
      spec.given([]).when(attach()).thenThrows(Error, (error) => expect(error).toMatchObject({ code: 'complaint-not-found' }));
    });
  });

  describe('bad data, whatever the status', () => {
    it.each([
      ['sha256', { sha256: 'A'.repeat(64) }],
      ['sha256', { sha256: '../../etc/passwd' }],
      ['size', { size: 0 }],
      ['size', { size: 1.5 }],
      ['mediaType', { mediaType: 'jpeg' }],
      ['description', { description: '长'.repeat(501) }],
    ])('refuses a bad %s (invalid-attachment)', (field, data) => {
      spec.given([received]).when(attach(data)).thenThrows(InvalidComplaintCommandError, (error) => expect(error).toMatchObject({ code: 'invalid-attachment', field }));
    });

    it('refuses a blank description', () => {
      spec.given([received]).when(attach({ description: '   ' })).thenThrows(InvalidComplaintCommandError, (error) => expect(error).toMatchObject({ code: 'blank-text', field: 'description' }));
    });
  });

  describe('the file name kept', () => {
    it.each([
      ['C:\\Users\\li\\Desktop\\receipt.jpg', 'receipt.jpg'],
      ['../../etc/passwd', 'passwd'],
      ['..hidden', 'hidden'],
      ['evil\u202Egpj.exe', 'evilgpj.exe'],
      ['a\u0000b\r\nc.pdf', 'abc.pdf'],
      ['what?*<>|:".txt', 'what_______.txt'],
      ['  计量纠纷   判断表.pdf ', '计量纠纷 判断表.pdf'],
      ['', 'attachment'],
      ['/', 'attachment'],
      ['\u200B', 'attachment'],
    ])('%j is kept as %j', (given, kept) => {
      expect(attachmentFileName(given)).toBe(kept);
    });

    it(`is at most ${ATTACHMENT_FILE_NAME_MAX} characters, its extension kept`, () => {
      const kept = attachmentFileName(`${'照'.repeat(300)}.jpeg`);
      expect([...kept]).toHaveLength(ATTACHMENT_FILE_NAME_MAX);
      expect(kept.endsWith('照.jpeg')).toBe(true);
    });

    it('is recorded cleaned', () => {
      spec.given([received]).when(attach({ fileName: '../../x/\u202Ereceipt.jpg' })).thenProduces(([event]) => {
        expect(event).toMatchObject({ data: { personal: { fileName: 'receipt.jpg' } } });
      });
    });
  });

  it('says in the audit words what was attached, never the file name', () => {
    const words = decisionWords(attached());
    expect(words).toEqual({ 'zh-CN': '添加附件：票据/小票（image/jpeg，47.1 KiB）', en: 'Attached a file: Receipt (image/jpeg, 47.1 KiB)' });
    expect(JSON.stringify(words)).not.toContain('小票-0302');
  });
});
