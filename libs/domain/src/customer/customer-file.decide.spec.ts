import { deciderSpecification } from '@app/event-sourcing/testing';
import type { CustomerFileCommand } from './customer-file.commands';
import { customerFileDecider } from './customer-file.decider';
import {
  CustomerFileAlreadyExistsError, CustomerFileConflictError, CustomerFileNotFoundError, InvalidCustomerFileCommandError, NothingToChangeError,
} from './customer-file.errors';
import type { CustomerFileEvent } from './customer-file.events';
import { foldCustomerFile } from './customer-file.evolve';
import { EMPTY_SECTIONS } from './customer-file.sections';
import {
  agent, at, commandsOnAFile, customerCommand, customerId, erased, madeKeyCustomer, openFixed, opened, openedAtIntake, openedPotential, supervisor, T0,
} from './testing/customer-file.fixtures';

const spec = deciderSpecification(customerFileDecider);
const intake = (overrides: Partial<Extract<CustomerFileCommand, { type: 'OpenCustomerFileAtIntake' }>['data']> = {}) =>
  customerCommand('OpenCustomerFileAtIntake', { complaintId: '7d4c2a8e-0b6f-4c1a-9f3e-2a1b3c4d5e6f', name: '李女士', segment: 'taxi', ...overrides }, 0, agent);
const updateBasics = (data: Partial<Extract<CustomerFileCommand, { type: 'UpdateCustomerBasics' }>['data']>) =>
  customerCommand('UpdateCustomerBasics', { reason: 'checked with the customer', ...data });
const refusedAs = (code: string, field?: string) => (error: InvalidCustomerFileCommandError) => {
  expect(error.code).toBe(code);
  if (field !== undefined) expect(error.field).toBe(field);
};

describe('customer file decider', () => {
  describe('with no file yet', () => {
    it("opens a fixed customer's file with its basic facts, contacts and segments, the personal values kept apart", () => {
      spec.given([]).when(openFixed()).then([opened]);
    });

    it("opens a potential customer's file (供油半径内的潜在客户)", () => {
      spec.given([]).when(openFixed({
        category: 'potential', name: '锦江宾馆', reason: 'boiler fuel user within the supply radius', address: undefined, contacts: [],
        segments: { consumerKind: 'non-vehicle', usage: 'hotel-boiler' },
      })).then([openedPotential]);
    });

    it("refuses to open a floating customer's file by hand: that file comes with the first complaint", () => {
      spec.given([]).when(openFixed({ category: 'floating' as 'fixed' })).thenThrows(InvalidCustomerFileCommandError, refusedAs('invalid-category', 'category'));
    });

    it("opens a minimal floating customer's file at complaint intake, the driver type taken from the complaint's segment", () => {
      spec.given([]).when(intake()).then([openedAtIntake]);
    });

    it("opens a fixed customer's file when the complaint says fixed, and records no personal part without a name (a blank one is none)", () => {
      spec.given([]).when(intake({ name: '  ', segment: 'fixed' })).thenProduces(([event]) => {
        expect(event).toMatchObject({ type: 'CustomerFileOpened', data: { category: 'fixed', segments: EMPTY_SECTIONS.segments, personal: null } });
      });
    });

    it('refuses an intake with a segment the complaint taxonomy does not know', () => {
      spec.given([]).when(intake({ segment: 'lorry' as 'taxi' })).thenThrows(InvalidCustomerFileCommandError, (error) => {
        expect(error).toMatchObject({ code: 'unknown-customerSegment', field: 'segment' });
        expect(error.message).toContain('long-haul-truck');
      });
    });

    it.each(['cust 1', '', 'x'.repeat(101), 'cust/1'])('refuses a customer id that cannot name a stream (%p)', (id) => {
      spec.given([]).when({ ...openFixed(), customerId: id }).thenThrows(InvalidCustomerFileCommandError, refusedAs('invalid-customer-id', 'customerId'));
    });

    it.each(commandsOnAFile)('refuses $type: there is no file', (command) => {
      spec.given([]).when(command).thenThrows(CustomerFileNotFoundError, (error) => expect(error.customerId).toBe(customerId));
    });
  });

  describe('checking what a new file is given', () => {
    it.each([
      ['138 0013 8000', '13800138000'],
      ['010-6552 9988', '01065529988'],
      ['+86 10 6552 9988', '+861065529988'],
      ['(0755) 8888-6666', '075588886666'],
    ])('stores the phone %p as %p', (phone, stored) => {
      spec.given([]).when(openFixed({ contacts: [{ name: '王立', phone }] })).thenProduces(([event]) => {
        expect(event?.type === 'CustomerFileOpened' && event.data.personal?.contacts[0]?.phone).toBe(stored);
      });
    });

    it.each(['12345', '138-0013-800a', '+86 138 0013 8000 123 4', '12800138000', 'call me'])('refuses the phone %p, saying how to write one', (phone) => {
      spec.given([]).when(openFixed({ contacts: [{ name: '王立', phone }] })).thenThrows(InvalidCustomerFileCommandError, (error) => {
        expect(error).toMatchObject({ code: 'invalid-phone', field: 'contacts[0].phone' });
        expect(error.message).toMatch(/e\.g\.|starts with 13–19/);
      });
    });

    it('stores an e-mail with its domain in lower case', () => {
      spec.given([]).when(openFixed({ contacts: [{ name: '王立', email: ' Wang.Li@Shunda-Logistics.COM ' }] })).thenProduces(([event]) => {
        expect(event?.type === 'CustomerFileOpened' && event.data.personal?.contacts[0]?.email).toBe('Wang.Li@shunda-logistics.com');
      });
    });

    it.each(['wang', 'wang@localhost', 'wang li@example.com', 'wang@@example.com', 'wang@example..com', `${'w'.repeat(65)}@example.com`])('refuses the e-mail %p', (email) => {
      spec.given([]).when(openFixed({ contacts: [{ name: '王立', email }] })).thenThrows(InvalidCustomerFileCommandError, (error) => {
        expect(error).toMatchObject({ code: 'invalid-email', field: 'contacts[0].email' });
        expect(error.message).toContain('wang.li@example.com');
      });
    });

    it('refuses a contact with neither a phone nor an e-mail', () => {
      spec.given([]).when(openFixed({ contacts: [{ name: '王立', role: '车队长' }] })).thenThrows(InvalidCustomerFileCommandError, refusedAs('contact-unreachable', 'contacts[0]'));
    });

    it('refuses more contacts than a file keeps', () => {
      const contacts = Array.from({ length: 21 }, (_, index) => ({ name: `联系人${index}`, phone: '13800138000' }));
      spec.given([]).when(openFixed({ contacts })).thenThrows(InvalidCustomerFileCommandError, refusedAs('too-many-contacts', 'contacts'));
    });

    it.each([
      [{ name: '  ' }, 'blank-text', 'name'],
      [{ reason: '' }, 'blank-text', 'reason'],
      [{ reason: '\u200b\u2060' }, 'blank-text', 'reason'],
      [{ name: '\u3164' }, 'blank-text', 'name'],
      [{ name: 'x'.repeat(201) }, 'text-too-long', 'name'],
      [{ customerType: 'company' as 'person' }, 'unknown-customerType', 'customerType'],
      [{ creditRating: 'aaa' as 'a' }, 'unknown-creditRating', 'creditRating'],
    ])('refuses %p with %s on %s', (overrides, code, field) => {
      spec.given([]).when(openFixed(overrides)).thenThrows(InvalidCustomerFileCommandError, refusedAs(code, field));
    });

    it('refuses a segment code its dimension does not have, listing the codes it has', () => {
      spec.given([]).when(openFixed({ segments: { settlement: 'bitcoin' as 'cash' } })).thenThrows(InvalidCustomerFileCommandError, (error) => {
        expect(error).toMatchObject({ code: 'unknown-settlement', field: 'settlement' });
        expect(error.message).toContain('cash, cheque, unionpay-card, ic-card, mobile-payment, other');
      });
    });

    it.each([
      [{ consumerKind: 'vehicle' as const, usage: 'hotel-boiler' as const }, 'usage'],
      [{ consumerKind: 'non-vehicle' as const, driverType: 'taxi' as const }, 'driverType'],
      [{ usage: 'industrial' as const, driverType: 'long-haul-truck' as const }, 'driverType'],
    ])('refuses segments that contradict each other (%p)', (segments, field) => {
      spec.given([]).when(openFixed({ segments })).thenThrows(InvalidCustomerFileCommandError, refusedAs('segments-disagree', field));
    });

    it('lets a drum buyer be a non-vehicle user (drums for a boiler or a farm)', () => {
      spec.given([]).when(openFixed({ segments: { consumerKind: 'non-vehicle', usage: 'agricultural', driverType: 'drum-buyer' } })).thenProduces(([event]) => {
        expect(event?.type).toBe('CustomerFileOpened');
      });
    });
  });

  describe('when open', () => {
    it('refuses to open it again', () => {
      spec.given([opened]).when(openFixed()).thenThrows(CustomerFileAlreadyExistsError);
    });

    it('decides nothing on complaint intake, so the intake can send it every time', () => {
      spec.given([opened]).when(intake()).then([]);
    });

    describe('category', () => {
      it('converts a potential customer into a fixed one', () => {
        spec.given([openedPotential]).when(customerCommand('ReclassifyCustomer', { category: 'fixed', reason: 'signed the supply contract' })).then([{
          type: 'CustomerFileReclassified',
          data: { customerId, reclassifiedAt: at(10), by: agent, reason: 'signed the supply contract', from: 'potential', to: 'fixed', personal: null },
        }]);
      });

      it('turns a floating customer met at intake into a fixed one', () => {
        spec.given([openedAtIntake]).when(customerCommand('ReclassifyCustomer', { category: 'fixed', reason: 'buys every week now' })).thenProduces(([event]) => {
          expect(event).toMatchObject({ data: { from: 'floating', to: 'fixed' } });
        });
      });

      it('refuses a change to the category the file has', () => {
        spec.given([opened]).when(customerCommand('ReclassifyCustomer', { category: 'fixed', reason: 'r' })).thenThrows(NothingToChangeError);
      });

      it('refuses to make a customer on file potential again', () => {
        spec.given([opened]).when(customerCommand('ReclassifyCustomer', { category: 'potential' as 'fixed', reason: 'r' })).thenThrows(InvalidCustomerFileCommandError, refusedAs('invalid-category'));
      });
    });

    describe('opting out of notifications', () => {
      const optOut = (channel: 'all' | 'email' | 'sms', optedOut = true, reason = 'asked on the phone not to be written to') =>
        customerCommand('SetNotificationOptOut', { channel, optedOut, reason });
      const changedTo = (channel: 'all' | 'email' | 'sms', optedOutOf: boolean, optedOut: Array<'email' | 'sms'>, reason = 'asked on the phone not to be written to'): CustomerFileEvent => ({
        type: 'CustomerFileNotificationOptOutChanged', data: { customerId, changedAt: at(10), by: agent, reason, channel, optedOutOf, optedOut, personal: null },
      });

      it('records an opt-out of every channel', () => {
        spec.given([opened]).when(optOut('all')).then([changedTo('all', true, ['email', 'sms'])]);
      });

      it('records an opt-out of one channel, keeping the others', () => {
        spec.given([opened, changedTo('sms', true, ['sms'])]).when(optOut('email')).then([changedTo('email', true, ['email', 'sms'])]);
      });

      it('opts back in to one channel, or to all', () => {
        spec.given([opened, changedTo('all', true, ['email', 'sms'])]).when(optOut('email', false, 'wants the answer by e-mail')).then([changedTo('email', false, ['sms'], 'wants the answer by e-mail')]);
        spec.given([opened, changedTo('all', true, ['email', 'sms'])]).when(optOut('all', false, 'r')).then([changedTo('all', false, [], 'r')]);
      });

      it('folds the channels opted out of into the file', () => {
        expect(foldCustomerFile([opened, changedTo('sms', true, ['sms'])])).toMatchObject({ notificationOptOut: ['sms'] });
        expect(foldCustomerFile([opened])).toMatchObject({ notificationOptOut: [] });
      });

      it('records an opt-out on an erased file too (it is no personal datum), kept through the erasure: a customer who came back may still say stop', () => {
        spec.given([opened, erased]).when(optOut('all')).then([changedTo('all', true, ['email', 'sms'])]);
        expect(foldCustomerFile([opened, changedTo('sms', true, ['sms']), erased])).toMatchObject({ status: 'erased', notificationOptOut: ['sms'] });
        expect(foldCustomerFile([opened, erased, changedTo('email', true, ['email'])])).toMatchObject({ status: 'erased', notificationOptOut: ['email'] });
        spec.given([opened, changedTo('sms', true, ['sms']), erased]).when(optOut('sms')).thenThrows(NothingToChangeError);
      });

      it('refuses a change that changes nothing, an unknown channel and a missing reason', () => {
        spec.given([opened]).when(optOut('all', false)).thenThrows(NothingToChangeError);
        spec.given([opened, changedTo('email', true, ['email'])]).when(optOut('email')).thenThrows(NothingToChangeError);
        spec.given([opened]).when(optOut('pigeon' as 'sms')).thenThrows(InvalidCustomerFileCommandError, refusedAs('unknown-channel', 'channel'));
        spec.given([opened]).when(optOut('sms', true, ' ')).thenThrows(InvalidCustomerFileCommandError, refusedAs('blank-text', 'reason'));
      });
    });

    describe('basic facts', () => {
      it('records only the fields that change, the personal ones apart', () => {
        spec.given([opened]).when(updateBasics({ name: '顺达物流有限公司', creditRating: 'a', address: '北京市朝阳区建国路 99 号', customerType: 'organisation' })).then([{
          type: 'CustomerFileBasicsUpdated',
          data: {
            customerId, updatedAt: at(10), by: agent, reason: 'checked with the customer',
            changed: ['creditRating', 'address'], changes: { creditRating: 'a' }, personal: { address: '北京市朝阳区建国路 99 号' },
          },
        }]);
      });

      it('clears a field given as null', () => {
        spec.given([opened]).when(updateBasics({ address: null })).thenProduces(([event]) => {
          expect(event).toMatchObject({ data: { changed: ['address'], changes: {}, personal: { address: null } } });
        });
      });

      it('records no personal part when only clear fields change', () => {
        spec.given([opened]).when(updateBasics({ creditRating: 'b' })).thenProduces(([event]) => expect(event).toMatchObject({ data: { personal: null } }));
      });

      it('refuses an update that changes nothing, saying to send only what differs', () => {
        spec.given([opened]).when(updateBasics({ name: ' 顺达物流有限公司 ', customerType: 'organisation' })).thenThrows(NothingToChangeError, (error) => {
          expect(error.message).toContain('basic facts');
          expect(error.message).toContain('Send only the fields that differ');
        });
      });

      it('refuses to remove the name', () => {
        spec.given([opened]).when(updateBasics({ name: null as unknown as string })).thenThrows(InvalidCustomerFileCommandError, refusedAs('required', 'name'));
      });

      it('refuses an update without a reason', () => {
        spec.given([opened]).when(updateBasics({ creditRating: 'a', reason: ' ' })).thenThrows(InvalidCustomerFileCommandError, refusedAs('blank-text', 'reason'));
      });
    });

    describe('consumption profile', () => {
      const update = (data: object) => customerCommand('UpdateCustomerConsumptionProfile', { reason: 'from the fleet manager', ...data });

      it('records the monthly volume and cycle in clear and the habits and requirements as personal', () => {
        spec.given([opened]).when(update({ monthlyVolume: { amount: 12000, unit: 'litre' }, refuellingCycleDays: 3, habits: '每周一、四上午加油', meteringRequirements: '要求每车打印小票' })).thenProduces(([event]) => {
          expect(event).toMatchObject({
            type: 'CustomerFileConsumptionProfileUpdated',
            data: {
              changed: ['monthlyVolume', 'refuellingCycleDays', 'habits', 'meteringRequirements'],
              changes: { monthlyVolume: { amount: 12000, unit: 'litre' }, refuellingCycleDays: 3 },
              personal: { habits: '每周一、四上午加油', meteringRequirements: '要求每车打印小票' },
            },
          });
        });
      });

      it.each([
        [{ monthlyVolume: { amount: -1, unit: 'litre' } }, 'invalid-volume', 'monthlyVolume.amount'],
        [{ monthlyVolume: { amount: 10.1234, unit: 'litre' } }, 'invalid-volume', 'monthlyVolume.amount'],
        [{ monthlyVolume: { amount: Number.NaN, unit: 'litre' } }, 'invalid-volume', 'monthlyVolume.amount'],
        [{ monthlyVolume: { amount: 100, unit: 'gallon' } }, 'unknown-volumeUnit', 'monthlyVolume.unit'],
        [{ refuellingCycleDays: 0 }, 'invalid-count', 'refuellingCycleDays'],
        [{ refuellingCycleDays: 2.5 }, 'invalid-count', 'refuellingCycleDays'],
      ])('refuses %p', (data, code, field) => {
        spec.given([opened]).when(update(data)).thenThrows(InvalidCustomerFileCommandError, refusedAs(code, field));
      });
    });

    describe('supply contract', () => {
      const update = (data: object) => customerCommand('UpdateCustomerContract', { reason: 'contract on file', ...data });
      const signedContract: CustomerFileEvent = {
        type: 'CustomerFileContractUpdated',
        data: {
          customerId, updatedAt: at(5), by: agent, reason: 'contract on file', changed: ['signed', 'signedOn', 'validFrom', 'validUntil'],
          changes: { signed: true, signedOn: '2026-01-10', validFrom: '2026-02-01', validUntil: '2027-01-31' }, personal: null, amendedOn: null,
        },
      };

      it('records whether and when it was signed, its term and renewal conditions', () => {
        spec.given([opened]).when(update({ signed: true, signedOn: '2026-01-10', validFrom: '2026-02-01', validUntil: '2027-01-31' })).then([{
          ...signedContract, data: { ...signedContract.data, updatedAt: at(10) },
        } as CustomerFileEvent]);
      });

      it('records a change of the contract itself (合同变更) with the day it took effect', () => {
        spec.given([opened, signedContract]).when(update({ validUntil: '2028-01-31', renewalConditions: '提前 30 天书面通知续约', amendedOn: '2026-03-01', reason: 'extended by one year' })).thenProduces(([event]) => {
          expect(event).toMatchObject({ data: { changed: ['validUntil', 'renewalConditions'], amendedOn: '2026-03-01', personal: null } });
        });
      });

      it.each([
        [{ signed: false, signedOn: '2026-01-10' }, 'unsigned-contract-dated', 'signedOn'],
        [{ validFrom: '2026-02-01', validUntil: '2026-01-31' }, 'term-ends-before-it-starts', 'validUntil'],
        [{ signedOn: '2026-02-30' }, 'invalid-date', 'signedOn'],
        [{ signedOn: '2026-03-05' }, 'date-in-future', 'signedOn'],
        [{ signed: 'yes' }, 'invalid-flag', 'signed'],
        [{ validFrom: '2026-01-01', amendedOn: '2026-04-01' }, 'date-in-future', 'amendedOn'],
        [{ validFrom: '2026-01-01', validUntil: '9999-12-31' }, 'date-too-far-ahead', 'validUntil'],
        [{ validFrom: '2046-03-04' }, 'date-too-far-ahead', 'validFrom'],
        [{ validUntil: '2999-12-31' }, 'date-too-far-ahead', 'validUntil'],
        [{ validFrom: '0001-01-01' }, 'invalid-date', 'validFrom'],
        [{ signedOn: '0099-01-05' }, 'invalid-date', 'signedOn'],
      ])('refuses %p', (data, code, field) => {
        spec.given([opened]).when(update(data)).thenThrows(InvalidCustomerFileCommandError, refusedAs(code, field));
      });

      it('takes a term that runs up to twenty years ahead', () => {
        spec.given([opened]).when(update({ validFrom: '2026-03-01', validUntil: '2046-03-03' })).thenProduces(([event]) => {
          expect(event).toMatchObject({ data: { changes: { validFrom: '2026-03-01', validUntil: '2046-03-03' } } });
        });
      });

      it('checks the term against what the file already holds', () => {
        spec.given([opened, signedContract]).when(update({ validUntil: '2026-01-31' })).thenThrows(InvalidCustomerFileCommandError, refusedAs('term-ends-before-it-starts'));
      });

      it('refuses an amendment that changes nothing', () => {
        spec.given([opened, signedContract]).when(update({ validUntil: '2027-01-31', amendedOn: '2026-03-01' })).thenThrows(NothingToChangeError);
      });
    });

    describe('facilities, other channels and importance', () => {
      it('records storage and transport facilities, the description as personal', () => {
        spec.given([opened]).when(customerCommand('UpdateCustomerFacilities', {
          reason: 'site visit', storageTanks: 2, storageCapacity: { amount: 30, unit: 'tonne' }, tankerVehicles: 1, description: '院内地埋罐两座',
        })).thenProduces(([event]) => {
          expect(event).toMatchObject({
            type: 'CustomerFileFacilitiesUpdated',
            data: { changes: { storageTanks: 2, storageCapacity: { amount: 30, unit: 'tonne' }, tankerVehicles: 1 }, personal: { description: '院内地埋罐两座' } },
          });
        });
      });

      it('records where else the customer buys, and refuses the same list again', () => {
        const channels = [{ supplier: '中石化建国路站', products: '0# 柴油', share: 0.25 }, { supplier: '民营油库' }];
        const update = customerCommand('UpdateCustomerOtherChannels', { reason: 'asked at the visit', channels });
        const stored = [{ supplier: '中石化建国路站', products: '0# 柴油', share: 0.25 }, { supplier: '民营油库', products: null, share: null }];
        spec.given([opened]).when(update).thenProduces(([event]) => {
          expect(event).toMatchObject({ type: 'CustomerFileOtherChannelsUpdated', data: { changed: ['channels'], changes: { channels: stored }, personal: null } });
        });
        const recorded = customerFileDecider.decide(update, foldCustomerFile([opened]));
        spec.given([opened, ...recorded]).when(update).thenThrows(NothingToChangeError);
      });

      it.each([
        [[{ supplier: 'A', share: 0.7 }, { supplier: 'B', share: 0.5 }], 'shares-above-whole', 'channels'],
        [[{ supplier: 'A', share: 1.5 }], 'invalid-share', 'channels[0].share'],
        [[{ supplier: 'A' }, { supplier: 'a' }], 'duplicate-channel', 'channels[1].supplier'],
        [[{ supplier: '' }], 'blank-text', 'channels[0].supplier'],
      ])('refuses the channels %p', (channels, code, field) => {
        spec.given([opened]).when(customerCommand('UpdateCustomerOtherChannels', { reason: 'r', channels })).thenThrows(InvalidCustomerFileCommandError, refusedAs(code, field));
      });

      it('makes a key customer with a level', () => {
        spec.given([opened]).when(customerCommand('UpdateCustomerImportance', { reason: 'largest fleet in the district', key: true, level: 'a' }, 5, supervisor)).then([madeKeyCustomer]);
      });

      it('refuses to leave the key-customer flag empty', () => {
        spec.given([opened]).when(customerCommand('UpdateCustomerImportance', { reason: 'r', key: null as unknown as boolean })).thenThrows(InvalidCustomerFileCommandError, refusedAs('required', 'key'));
      });
    });

    describe('segments', () => {
      const update = (data: object) => customerCommand('UpdateCustomerSegments', { reason: 'reviewed', ...data });

      it('changes some dimensions and clears another, recording only those', () => {
        spec.given([opened]).when(update({ locality: 'local', settlement: 'ic-card', driverType: null, consumerKind: 'vehicle' })).thenProduces(([event]) => {
          expect(event).toMatchObject({ data: { changed: ['driverType', 'locality', 'settlement'], changes: { driverType: null, locality: 'local', settlement: 'ic-card' } } });
        });
      });

      it('refuses a dimension that contradicts what the file already says', () => {
        spec.given([opened]).when(update({ usage: 'industrial' })).thenThrows(InvalidCustomerFileCommandError, refusedAs('segments-disagree', 'usage'));
      });
    });

    describe('contacts', () => {
      const added: CustomerFileEvent = {
        type: 'CustomerFileContactAdded',
        data: { customerId, addedAt: at(10), by: agent, reason: 'new accountant', contactId: 'contact-2', personal: { name: '赵敏', role: '会计', phone: null, email: 'zhao.min@shunda.cn' } },
      };
      const removedFirst: CustomerFileEvent = {
        type: 'CustomerFileContactRemoved', data: { customerId, removedAt: at(20), by: agent, reason: 'left the company', contactId: 'contact-1', personal: null },
      };

      it('refuses to add a contact with a malformed e-mail, naming the field as the command has it', () => {
      spec.given([opened]).when(customerCommand('AddCustomerContact', { reason: 'r', name: '赵敏', email: 'zhao.min' })).thenThrows(InvalidCustomerFileCommandError, refusedAs('invalid-email', 'email'));
    });

    it('adds a contact under the next id', () => {
        spec.given([opened]).when(customerCommand('AddCustomerContact', { reason: 'new accountant', name: '赵敏', role: '会计', email: 'zhao.min@shunda.cn' })).then([added]);
      });

      it('never reuses the id of a removed contact', () => {
        spec.given([opened, added, removedFirst]).when(customerCommand('AddCustomerContact', { reason: 'r', name: '钱', phone: '13900139000' })).thenProduces(([event]) => {
          expect(event).toMatchObject({ data: { contactId: 'contact-3' } });
        });
      });

      it('changes only the fields that differ', () => {
        spec.given([opened]).when(customerCommand('ChangeCustomerContact', { contactId: 'contact-1', reason: 'new phone', name: '王立', phone: '139 0013 9000', email: 'wang.li@shunda.cn' })).then([{
          type: 'CustomerFileContactChanged',
          data: {
            customerId, changedAt: at(10), by: agent, reason: 'new phone', contactId: 'contact-1', changed: ['phone', 'email'],
            personal: { phone: '13900139000', email: 'wang.li@shunda.cn' },
          },
        }]);
      });

      it('refuses a change that leaves no way to reach the contact', () => {
        spec.given([opened]).when(customerCommand('ChangeCustomerContact', { contactId: 'contact-1', reason: 'r', phone: null })).thenThrows(InvalidCustomerFileCommandError, refusedAs('contact-unreachable', 'phone'));
      });

      it('refuses a change that changes nothing', () => {
        spec.given([opened]).when(customerCommand('ChangeCustomerContact', { contactId: 'contact-1', reason: 'r', phone: '13800138000' })).thenThrows(NothingToChangeError, (error) => expect(error.what).toBe('contact contact-1'));
      });

      it.each([
        customerCommand('ChangeCustomerContact', { contactId: 'contact-1', reason: 'r', role: '经理' }),
        customerCommand('RemoveCustomerContact', { contactId: 'contact-1', reason: 'r' }),
      ])('refuses $type on a contact that is not on file, naming those that are', (command) => {
        spec.given([opened, added, removedFirst]).when(command).thenThrows(InvalidCustomerFileCommandError, (error) => {
          expect(error).toMatchObject({ code: 'unknown-contact', field: 'contactId' });
          expect(error.message).toContain('its contacts are contact-2');
        });
      });

      it('removes a contact', () => {
        spec.given([opened, added]).when(customerCommand('RemoveCustomerContact', { contactId: 'contact-1', reason: 'left the company' }, 20)).then([removedFirst]);
      });

      it('refuses a contact beyond the most a file keeps', () => {
        const many = Array.from({ length: 19 }, (_, index): CustomerFileEvent => ({ ...added, data: { ...added.data, contactId: `contact-${index + 2}` } } as CustomerFileEvent));
        spec.given([opened, ...many]).when(customerCommand('AddCustomerContact', { reason: 'r', name: '孙', phone: '13900139000' })).thenThrows(CustomerFileConflictError, (error) => expect(error.code).toBe('too-many-contacts'));
      });
    });

    describe('evaluation and visits', () => {
      it("records the customer's evaluation of the station, the comment as personal", () => {
        spec.given([opened]).when(customerCommand('RecordCustomerEvaluation', { rating: 4, comment: '服务热情，高峰期排队略长' })).then([{
          type: 'CustomerFileEvaluationRecorded',
          data: { customerId, recordedAt: at(10), by: agent, rating: 4, personal: { comment: '服务热情，高峰期排队略长' } },
        }]);
      });

      it.each([0, 6, 3.5, '4'])('refuses the rating %p', (rating) => {
        spec.given([opened]).when(customerCommand('RecordCustomerEvaluation', { rating: rating as number })).thenThrows(InvalidCustomerFileCommandError, refusedAs('invalid-rating', 'rating'));
      });

      it('logs a visit: when (in UTC), how, who met whom, and the next step', () => {
        spec.given([opened]).when(customerCommand('LogCustomerVisit', {
          visitedAt: '2026-03-02T15:30:00+08:00', channel: 'in-person', contactId: 'contact-1', summary: '了解车队扩编计划', nextStep: '报送团购优惠方案', nextStepDue: '2026-03-09',
        }, 60, supervisor)).then([{
          type: 'CustomerFileVisitLogged',
          data: {
            customerId, loggedAt: at(60), by: supervisor, visitId: 'visit-1', visitedAt: '2026-03-02T07:30:00.000Z', channel: 'in-person', staff: 'sup-wang',
            contactId: 'contact-1', nextStepDue: '2026-03-09', personal: { summary: '了解车队扩编计划', nextStep: '报送团购优惠方案' },
          },
        }]);
      });

      it('names the staff member who visited when someone else logs it', () => {
        spec.given([opened]).when(customerCommand('LogCustomerVisit', { visitedAt: T0, channel: 'phone', staff: 'mgr-liu', summary: '回访用油情况' })).thenProduces(([event]) => {
          expect(event).toMatchObject({ data: { staff: 'mgr-liu', contactId: null, personal: { nextStep: null } } });
        });
      });

      it('takes a next step due up to a year after the day the visit is logged (the day after the UTC day, for the time zones ahead of it)', () => {
        spec.given([opened]).when(customerCommand('LogCustomerVisit', { visitedAt: T0, channel: 'phone', summary: 's', nextStepDue: '2027-03-03' })).thenProduces(([event]) => {
          expect(event).toMatchObject({ type: 'CustomerFileVisitLogged', data: { nextStepDue: '2027-03-03' } });
        });
      });

      it('refuses a next step due before the visit, naming both dates, and takes one due on the visit\'s own day (as its offset dates it)', () => {
        const visit = { visitedAt: '2026-03-02T07:30:00+08:00', channel: 'phone', summary: 's' } as const;
        spec.given([opened]).when(customerCommand('LogCustomerVisit', { ...visit, nextStepDue: '2026-03-01' })).thenThrows(InvalidCustomerFileCommandError, (error) => {
          expect(error).toMatchObject({ code: 'invalid-date', field: 'nextStepDue' });
          expect(error.message).toBe('nextStepDue 2026-03-01 is before the visit (visitedAt 2026-03-02T07:30:00+08:00): a next step is due on the visit\'s day or later; check both dates');
        });
        // 07:30 at +08:00 is still 2026-03-01 in UTC: the day is the visit's as written.
        spec.given([opened]).when(customerCommand('LogCustomerVisit', { ...visit, nextStepDue: '2026-03-02' })).thenProduces(([event]) => {
          expect(event).toMatchObject({ type: 'CustomerFileVisitLogged', data: { nextStepDue: '2026-03-02' } });
        });
      });

      it('says how far ahead a next step may be due', () => {
        spec.given([opened]).when(customerCommand('LogCustomerVisit', { visitedAt: T0, channel: 'phone', summary: 's', nextStepDue: '2999-03-09' })).thenThrows(InvalidCustomerFileCommandError, (error) => {
          expect(error.message).toMatch(/2027-03-03 at the latest/);
        });
      });

      it.each([
        [{ visitedAt: '2026-03-03T08:00:00Z' }, 'date-in-future', 'visitedAt'],
        [{ visitedAt: 'yesterday' }, 'invalid-date', 'visitedAt'],
        [{ channel: 'pigeon' }, 'unknown-channel', 'channel'],
        [{ contactId: 'contact-9' }, 'unknown-contact', 'contactId'],
        [{ summary: '' }, 'blank-text', 'summary'],
        [{ nextStepDue: '2026-3-9' }, 'invalid-date', 'nextStepDue'],
        [{ visitedAt: '0001-03-02T08:00:00Z' }, 'invalid-date', 'visitedAt'],
        [{ visitedAt: '0099-03-02' }, 'invalid-date', 'visitedAt'],
        [{ visitedAt: '1899-12-31T23:00:00+08:00' }, 'invalid-date', 'visitedAt'],
        [{ nextStepDue: '0001-03-09' }, 'invalid-date', 'nextStepDue'],
        [{ nextStepDue: '2027-03-04' }, 'date-too-far-ahead', 'nextStepDue'],
        [{ nextStepDue: '9999-12-31' }, 'date-too-far-ahead', 'nextStepDue'],
      ])('refuses a visit with %p', (data, code, field) => {
        spec.given([opened]).when(customerCommand('LogCustomerVisit', { visitedAt: T0, channel: 'phone', summary: 's', ...data } as Extract<CustomerFileCommand, { type: 'LogCustomerVisit' }>['data'])).thenThrows(InvalidCustomerFileCommandError, refusedAs(code, field));
      });
    });
  });
});
