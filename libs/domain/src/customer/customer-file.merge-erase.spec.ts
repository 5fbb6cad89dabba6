import { deciderSpecification } from '@app/event-sourcing/testing';
import type { CustomerFileCommand, MergeCustomerFile } from './customer-file.commands';
import { decideMerge } from './customer-file.decide';
import { customerFileDecider } from './customer-file.decider';
import {
  CustomerFileConflictError, CustomerFileErasedError, CustomerFileMergedError, CustomerFileNotFoundError, InvalidCustomerFileCommandError, NothingToChangeError,
} from './customer-file.errors';
import type { CustomerFileEvent } from './customer-file.events';
import { foldCustomerFile } from './customer-file.evolve';
import { CUSTOMER_FILE_PERSONAL_FIELDS, EMPTY_SECTIONS } from './customer-file.sections';
import { standingOf } from './customer-file.state';
import {
  admin, at, commandsOnAFile, customerCommand, customerId, erased, figureRecorded, mergedInto, openFixed, opened, otherCustomerId, supervisor,
} from './testing/customer-file.fixtures';

const spec = deciderSpecification(customerFileDecider);
const merge = (survivor: MergeCustomerFile['data']['survivor'], survivorId = otherCustomerId) =>
  customerCommand('MergeCustomerFile', { survivorId, reason: 'same company, two files', survivor }, 30, supervisor);
const absorb = (absorbedId = customerId) =>
  customerCommand('RecordAbsorbedCustomerFile', { absorbedId, reason: 'same company, two files' }, 30, supervisor, otherCustomerId);
const erase = (data: Partial<Extract<CustomerFileCommand, { type: 'EraseCustomerPersonalData' }>['data']> = {}) =>
  customerCommand('EraseCustomerPersonalData', { ground: 'consent-withdrawn', reason: 'written request', requestReference: 'PIPL-2026-007', ...data }, 30, admin);

/** What a handler that loaded both files asks decideMerge. */
const mergeBoth = { type: 'MergeCustomerFile', customerId, at: at(30), actor: supervisor, data: { survivorId: otherCustomerId, reason: 'same company, two files' } } as const;

/** The other file, opened as the one that stays. */
const survivorOpened: CustomerFileEvent = { ...opened, data: { ...(opened.data as object), customerId: otherCustomerId } } as CustomerFileEvent;
const absorbedRecorded: CustomerFileEvent = {
  type: 'CustomerFileAbsorbed', data: { customerId: otherCustomerId, absorbedAt: at(30), by: supervisor, reason: 'same company, two files', absorbedId: customerId, personal: null },
};

/** One command of every type, to show that a closed file refuses them all. */
const everyCommand: CustomerFileCommand[] = [openFixed(), ...commandsOnAFile];

describe('merging two files of the same customer', () => {
  it('closes the absorbed file, pointing to the file that stays', () => {
    spec.given([opened]).when(merge({ status: 'active' })).then([mergedInto(otherCustomerId)]);
  });

  it('refuses to merge a file into itself', () => {
    spec.given([opened]).when(merge({ status: 'active' }, customerId)).thenThrows(InvalidCustomerFileCommandError, (error) => {
      expect(error).toMatchObject({ code: 'merge-into-itself', field: 'survivorId' });
    });
  });

  it('refuses to merge into a file that does not exist', () => {
    spec.given([opened]).when(merge({ status: 'none' })).thenThrows(InvalidCustomerFileCommandError, (error) => expect(error).toMatchObject({ code: 'unknown-survivor', field: 'survivorId' }));
  });

  it('refuses to merge into an absorbed file, naming the file that absorbed it', () => {
    spec.given([opened]).when(merge({ status: 'merged', survivorId: 'cust-30000' })).thenThrows(CustomerFileConflictError, (error) => {
      expect(error.code).toBe('survivor-merged');
      expect(error.message).toContain(`merge ${customerId} into cust-30000 instead`);
    });
  });

  it('refuses to merge back into a file this one absorbed, naming this file as the one that stays', () => {
    spec.given([opened]).when(merge({ status: 'merged', survivorId: customerId })).thenThrows(CustomerFileConflictError, (error) => {
      expect(error.code).toBe('survivor-merged');
      expect(error.message).toBe(`Customer file ${otherCustomerId} was already merged into ${customerId}, so ${customerId} is the file that stays for both: there is nothing left to merge. Send what was meant for ${otherCustomerId} to ${customerId}.`);
    });
  });

  it('refuses to close a longer circle of merges, naming the file it went through', () => {
    spec.given([opened]).when(merge({ status: 'merged', survivorId: 'cust-30000', lastSurvivorId: customerId })).thenThrows(CustomerFileConflictError, (error) => {
      expect(error.message).toContain(`was already merged into ${customerId} (through cust-30000), so ${customerId} is the file that stays for both`);
    });
  });

  it('refuses to merge into a file merged down a chain, naming the file at the end of it', () => {
    spec.given([opened]).when(merge({ status: 'merged', survivorId: 'cust-30000', lastSurvivorId: 'cust-40000' })).thenThrows(CustomerFileConflictError, (error) => {
      expect(error.message).toBe(`Customer file ${otherCustomerId} was itself merged into cust-30000, and the file that stays for it now is cust-40000: merge ${customerId} into cust-40000 instead.`);
    });
  });

  it('refuses to merge into a file whose personal data were erased', () => {
    spec.given([opened]).when(merge({ status: 'erased' })).thenThrows(CustomerFileConflictError, (error) => expect(error.code).toBe('survivor-erased'));
  });

  it('records on the surviving file which file it absorbed', () => {
    spec.given([survivorOpened]).when(absorb()).then([absorbedRecorded]);
  });

  it('keeps, merged away, the files merged into it before: its survivor stands for them too', () => {
    const absorbedHere: CustomerFileEvent = { ...absorbedRecorded, data: { ...(absorbedRecorded.data as object), customerId, absorbedId: 'cust-old' } } as CustomerFileEvent;
    expect(foldCustomerFile([opened, absorbedHere, mergedInto(otherCustomerId)])).toEqual({ status: 'merged', id: customerId, survivorId: otherCustomerId, mergedAt: at(30), absorbed: ['cust-old'] });
  });

  it('refuses to record the same absorbed file twice, or the file itself', () => {
    spec.given([survivorOpened, absorbedRecorded]).when(absorb()).thenThrows(NothingToChangeError);
    spec.given([survivorOpened]).when(absorb(otherCustomerId)).thenThrows(InvalidCustomerFileCommandError, (error) => expect(error.code).toBe('merge-into-itself'));
  });

  it('decides both halves from the two files as loaded', () => {
    const decided = decideMerge(mergeBoth, foldCustomerFile([opened]), foldCustomerFile([survivorOpened]));
    expect(decided).toEqual({ absorbed: [mergedInto(otherCustomerId)], survivor: [absorbedRecorded] });
  });

  it('refuses both halves when the file to merge into was absorbed meanwhile', () => {
    const survivor = foldCustomerFile([survivorOpened, { type: 'CustomerFileMerged', data: { customerId: otherCustomerId, mergedAt: at(20), by: supervisor, reason: 'r', survivorId: 'cust-30000', personal: null } }]);
    expect(standingOf(survivor)).toEqual({ status: 'merged', survivorId: 'cust-30000' });
    expect(() => decideMerge(mergeBoth, foldCustomerFile([opened]), survivor)).toThrow(CustomerFileConflictError);
  });

  describe('an absorbed file', () => {
    it.each(everyCommand)('refuses $type, naming the file to send it to', (command) => {
      spec.given([opened, mergedInto(otherCustomerId)]).when(command).thenThrows(CustomerFileMergedError, (error) => {
        expect(error).toMatchObject({ code: 'customer-file-merged', customerId, survivorId: otherCustomerId, mergedAt: at(30) });
        expect(error.message).toContain(`send this to ${otherCustomerId} instead`);
      });
    });

    it('refuses complaint intake too, so the complaint goes to the surviving file', () => {
      spec.given([opened, mergedInto(otherCustomerId)]).when(customerCommand('OpenCustomerFileAtIntake', { complaintId: 'c-1' })).thenThrows(CustomerFileMergedError);
    });
  });
});

describe("erasing a customer's personal data", () => {
  it('records the legal ground, the reason and every personal field it covers', () => {
    spec.given([opened]).when(erase()).then([{
      type: 'CustomerFilePersonalDataErased',
      data: {
        customerId, erasedAt: at(30), by: admin, ground: 'consent-withdrawn', reason: 'written request', requestReference: 'PIPL-2026-007',
        personalFields: CUSTOMER_FILE_PERSONAL_FIELDS, coveredFileIds: [customerId], keyIds: [], personal: null,
      },
    }]);
  });

  it('records the data keys it destroys, as the handler found them live', () => {
    spec.given([opened]).when(erase({ keyIds: ['key-1', 'key-1'] })).thenProduces(([event]) => expect(event).toMatchObject({ data: { keyIds: ['key-1'] } }));
  });

  it('lists the personal fields of every section, the contacts, the evaluation and the visit log', () => {
    expect(CUSTOMER_FILE_PERSONAL_FIELDS).toEqual([
      'basics.name', 'basics.address', 'consumption.habits', 'consumption.qualityRequirements', 'consumption.meteringRequirements', 'consumption.otherNeeds',
      'facilities.description', 'contacts.name', 'contacts.role', 'contacts.phone', 'contacts.email', 'evaluation.comment', 'visits.summary', 'visits.nextStep',
    ]);
  });

  it('covers the files the erased file absorbed: they were the same person', () => {
    const survivor: CustomerFileEvent = { ...survivorOpened, data: { ...(survivorOpened.data as object), customerId } } as CustomerFileEvent;
    const absorbedHere: CustomerFileEvent = { ...absorbedRecorded, data: { ...(absorbedRecorded.data as object), customerId, absorbedId: 'cust-old' } } as CustomerFileEvent;
    spec.given([survivor, absorbedHere]).when(erase()).thenProduces(([event]) => expect(event).toMatchObject({ data: { coveredFileIds: [customerId, 'cust-old'] } }));
  });

  it('covers the files merged into those, at any depth, as the handler found them in their streams', () => {
    const survivor: CustomerFileEvent = { ...survivorOpened, data: { ...(survivorOpened.data as object), customerId } } as CustomerFileEvent;
    const absorbedHere: CustomerFileEvent = { ...absorbedRecorded, data: { ...(absorbedRecorded.data as object), customerId, absorbedId: 'cust-old' } } as CustomerFileEvent;
    spec.given([survivor, absorbedHere]).when(erase({ mergedFileIds: ['cust-old', 'cust-older'] }))
      .thenProduces(([event]) => expect(event).toMatchObject({ data: { coveredFileIds: [customerId, 'cust-old', 'cust-older'] } }));
  });

  it('covers, erasing again, the files an earlier erasure left out, and the file then says it covers them all', () => {
    const earlier = erased;
    const again = spec.given([opened, earlier]).when(erase({ keyIds: ['key-2'], mergedFileIds: ['cust-older'] }));
    again.thenProduces(([event]) => expect(event).toMatchObject({ data: { coveredFileIds: [customerId, 'cust-older'] } }));
    const [event] = customerFileDecider.decide(erase({ keyIds: ['key-2'], mergedFileIds: ['cust-older'] }), foldCustomerFile([opened, earlier]));
    expect(foldCustomerFile([opened, earlier, event!])).toMatchObject({ status: 'erased', coveredFileIds: [customerId, 'cust-older'] });
  });

  it.each([
    [{ ground: 'because' as 'objection' }, 'unknown-erasureGround', 'ground'],
    [{ reason: '' }, 'blank-text', 'reason'],
  ])('refuses %p', (data, code, field) => {
    spec.given([opened]).when(erase(data)).thenThrows(InvalidCustomerFileCommandError, (error) => {
      expect(error).toMatchObject({ code, field });
      if (code === 'unknown-erasureGround') expect(error.message).toContain('consent-withdrawn');
    });
  });

  describe('a customer without a file', () => {
    it('is not found when no record names it', () => {
      spec.given([]).when(erase()).thenThrows(CustomerFileNotFoundError);
      spec.given([]).when(erase({ namedBy: null, keyIds: ['key-1'] })).thenThrows(CustomerFileNotFoundError);
    });

    it('that a complaint names (an intake cut short before the file) gets its file opened with the erasure, nothing personal in it', () => {
      spec.given([]).when(erase({ namedBy: { kind: 'complaint', id: 'c-7' }, keyIds: ['key-1'] })).then([
        {
          type: 'CustomerFileOpened',
          data: {
            customerId, openedAt: at(30), by: admin, category: 'floating', complaintId: 'c-7',
            reason: 'Opened to record an erasure: complaint c-7 names this customer, whose file was never opened',
            customerType: null, creditRating: null, segments: { ...EMPTY_SECTIONS.segments }, contactIds: [], personal: null,
          },
        },
        {
          type: 'CustomerFilePersonalDataErased',
          data: {
            customerId, erasedAt: at(30), by: admin, ground: 'consent-withdrawn', reason: 'written request', requestReference: 'PIPL-2026-007',
            personalFields: CUSTOMER_FILE_PERSONAL_FIELDS, coveredFileIds: [customerId], keyIds: ['key-1'], personal: null,
          },
        },
      ]);
    });

    it('that only a repair names is opened and erased the same way, its reason naming the work order', () => {
      spec.given([]).when(erase({ namedBy: { kind: 'work-order', id: 'wo-3' } })).thenProduces(([opening, erasure]) => {
        expect(opening).toMatchObject({ type: 'CustomerFileOpened', data: { complaintId: null, reason: expect.stringContaining('work order wo-3') } });
        expect(erasure).toMatchObject({ type: 'CustomerFilePersonalDataErased', data: { coveredFileIds: [customerId], keyIds: [] } });
      });
    });

    it('is refused with the same checks as any erasure', () => {
      spec.given([]).when(erase({ namedBy: { kind: 'complaint', id: 'c-7' }, reason: '' })).thenThrows(InvalidCustomerFileCommandError, (error) => expect(error.field).toBe('reason'));
    });
  });

  describe('an erased file asked to erase again', () => {
    it('records a new erasure of what was recorded since: the new data key', () => {
      spec.given([opened, erased]).when(erase({ keyIds: ['key-2'] })).thenProduces(([event]) => {
        expect(event).toMatchObject({ type: 'CustomerFilePersonalDataErased', data: { customerId, coveredFileIds: [customerId], keyIds: ['key-2'] } });
      });
    });

    it('records a new erasure when only a stored file was added since (an attachment holds no encrypted value)', () => {
      spec.given([opened, erased]).when(erase({ storedFiles: 1 })).thenProduces(([event]) => expect(event).toMatchObject({ data: { keyIds: [] } }));
    });

    it('covers the files the first erasure covered', () => {
      const erasedBoth = { ...erased, data: { ...(erased.data as object), coveredFileIds: [customerId, 'cust-old'] } } as unknown as CustomerFileEvent;
      spec.given([opened, erasedBoth]).when(erase({ keyIds: ['key-3'] })).thenProduces(([event]) => expect(event).toMatchObject({ data: { coveredFileIds: [customerId, 'cust-old'] } }));
    });

    it('refuses when nothing was recorded since: there is nothing left to erase', () => {
      spec.given([opened, erased]).when(erase({ keyIds: [], storedFiles: 0 })).thenThrows(CustomerFileErasedError, (error) => {
        expect(error).toMatchObject({ code: 'customer-file-erased', customerId, erasedAt: at(30) });
        expect(error.message).toContain('nothing left to erase');
      });
    });

    it('says when it was last erased', () => {
      const again = foldCustomerFile([opened, erased, { ...erased, data: { ...(erased.data as object), erasedAt: at(50), ground: 'objection' } } as CustomerFileEvent]);
      expect(again).toMatchObject({ status: 'erased', erasedAt: at(50), ground: 'objection' });
    });
  });

  describe('an erased file', () => {
    // Erasing again and opting out have their own tests (customer-file.decide.spec): every other command is refused.
    it.each(everyCommand.filter((command) => command.type !== 'EraseCustomerPersonalData' && command.type !== 'SetNotificationOptOut'))('refuses $type: it takes no more changes', (command) => {
      spec.given([opened, erased]).when(command).thenThrows(CustomerFileErasedError, (error) => {
        expect(error).toMatchObject({ code: 'customer-file-erased', customerId, erasedAt: at(30) });
        expect(error.message).toContain('open a new file under a new id');
      });
    });

    it('decides nothing on complaint intake: the complaint keeps its own record', () => {
      spec.given([opened, erased]).when(customerCommand('OpenCustomerFileAtIntake', { complaintId: 'c-1', name: '王立' })).then([]);
    });

    it('keeps no personal field in its state', () => {
      const state = foldCustomerFile([opened, figureRecorded('2026-02', 11000), erased]);
      expect(state).toEqual({ status: 'erased', id: customerId, category: 'fixed', erasedAt: at(30), ground: 'consent-withdrawn', coveredFileIds: [customerId], notificationOptOut: [] });
    });
  });
});
