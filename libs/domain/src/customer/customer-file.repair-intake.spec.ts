import { deciderSpecification } from '@app/event-sourcing/testing';
import { customerFileDecider } from './customer-file.decider';
import { customerFileDecisionWords } from './customer-file.decision-words';
import { CustomerFileMergedError, InvalidCustomerFileCommandError } from './customer-file.errors';
import type { CustomerFileEvent } from './customer-file.events';
import { foldCustomerFile } from './customer-file.evolve';
import { EMPTY_SECTIONS } from './customer-file.sections';
import { agent, customerCommand, customerId, opened, openedAtIntake, T0 } from './testing/customer-file.fixtures';

/*
 * A repair reported (报修) for a customer with no file opens a minimal one, as a complaint's intake
 * does (docs/adr/0013, "Repair intake"): floating, no personal part, the work order named.
 */
const spec = deciderSpecification(customerFileDecider);
const WORK_ORDER = '5f0c1b2a-3d4e-4f60-8a7b-9c0d1e2f3a4b';
const repairIntake = (data: object = {}) => customerCommand('OpenCustomerFileAtIntake', { workOrderId: WORK_ORDER, ...data }, 0, agent);
const openedAtRepair: CustomerFileEvent = {
  type: 'CustomerFileOpened',
  data: {
    customerId, openedAt: T0, by: agent, category: 'floating', complaintId: null, workOrderId: WORK_ORDER, reason: null,
    customerType: null, creditRating: null, segments: EMPTY_SECTIONS.segments, contactIds: [], personal: null,
  },
};

describe('customer file decider: repair intake', () => {
  it('opens a minimal floating file for a repair of an unknown customer, naming the work order', () => {
    spec.given([]).when(repairIntake()).then([openedAtRepair]);
  });

  it('decides nothing when the customer has a file, however it was opened', () => {
    spec.given([opened]).when(repairIntake()).then([]);
    spec.given([openedAtIntake]).when(repairIntake()).then([]);
    spec.given([openedAtRepair]).when(repairIntake()).then([]);
  });

  it('is refused on a merged file like a complaint\'s intake (the caller learns the survivor)', () => {
    const merged: CustomerFileEvent = { type: 'CustomerFileMerged', data: { customerId, survivorId: 'cust-other', mergedAt: T0, by: agent, reason: 'same company', personal: null } };
    spec.given([openedAtRepair, merged]).when(repairIntake()).thenThrows(CustomerFileMergedError, (error) => expect(error.survivorId).toBe('cust-other'));
  });

  it('refuses an intake that names both a complaint and a work order, or neither', () => {
    spec.given([]).when(repairIntake({ complaintId: 'c-1' })).thenThrows(InvalidCustomerFileCommandError, (error) => expect(error).toMatchObject({ code: 'required', field: 'workOrderId' }));
    spec.given([]).when(customerCommand('OpenCustomerFileAtIntake', {}, 0, agent)).thenThrows(InvalidCustomerFileCommandError, (error) => expect(error).toMatchObject({ code: 'required', field: 'complaintId' }));
  });

  it('folds into a file that remembers the work order, and says so in the trail\'s words', () => {
    expect(foldCustomerFile([openedAtRepair])).toMatchObject({ status: 'active', category: 'floating', openedForComplaint: null, openedForWorkOrder: WORK_ORDER });
    expect(foldCustomerFile([openedAtIntake])).toMatchObject({ openedForWorkOrder: null });
    expect(customerFileDecisionWords(openedAtRepair)).toEqual({
      'zh-CN': `受理报修 ${WORK_ORDER} 时建立客户档案（流动客户）`, en: `Opened the customer file at the report of repair ${WORK_ORDER} (Floating customer)`,
    });
  });
});
