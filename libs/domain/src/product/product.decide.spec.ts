import { deciderSpecification } from '@app/event-sourcing/testing';
import { productDecider } from './product.decider';
import { InvalidProductCommandError, ProductAlreadyRegisteredError, ProductConflictError, ProductNotFoundError } from './product.errors';
import { canonicalSerialNumber, isSerialNumber, productStreamName, type ProductEvent } from './product.events';
import { foldProduct } from './product.evolve';
import type { RegisterProduct } from './product.commands';
import { productCommand, productRegistered, serialNumber } from './testing/product.fixtures';
import { agent, at } from '../testing/complaint.fixtures';

const spec = deciderSpecification(productDecider);
const register = (overrides: Partial<RegisterProduct['data']> = {}) => ({
  ...productCommand('RegisterProduct', { model: 'TQ-2240 税控加油机', customerId: 'cust-001', installedOn: '2026-01-15', warrantyMonths: 12, covers: ['labour', 'parts', 'labour'], ...overrides }),
  at: at(-60 * 24 * 45),
});
const extend = productCommand('ExtendWarranty', { months: 24, covers: ['parts', 'labour', 'on-site'], reason: '客户购买延保' }, 30);
const changeOwner = productCommand('ChangeProductOwner', { customerId: 'cust-002', reason: 'station sold to a new operator' }, 40);

describe('product registry decider', () => {
  describe('registering', () => {
    it('registers a product with its warranty terms, the covered kinds each once in a fixed order', () => {
      spec.given([]).when(register()).then([productRegistered]);
    });

    it('starts the warranty on its own date when one is given', () => {
      spec.given([]).when(register({ warrantyStartsOn: '2026-02-01' })).thenProduces(([event]) => {
        expect(event?.type === 'ProductRegistered' && event.data.warranty.startsOn).toBe('2026-02-01');
      });
    });

    it('accepts a product sold without warranty (0 months)', () => {
      spec.given([]).when(register({ warrantyMonths: 0, covers: [] })).thenProduces(([event]) => expect(event?.type).toBe('ProductRegistered'));
    });

    it('refuses a serial number registered before', () => {
      spec.given([productRegistered]).when(register()).thenThrows(ProductAlreadyRegisteredError, (error) => expect(error).toMatchObject({ serialNumber, kind: 'conflict' }));
    });

    it.each(['tq2240-000731', ' TQ2240', 'TQ 2240', '', '-TQ'])('refuses a serial number not in canonical form (%p)', (bad) => {
      spec.given([]).when({ ...register(), serialNumber: bad }).thenThrows(InvalidProductCommandError, (error) => expect(error).toMatchObject({ code: 'invalid-serial-number', field: 'serialNumber' }));
    });

    // The command is at 2026-01-16T08:00:00Z.
    it('takes an installation up to the day after the command\'s own (a time zone ahead of UTC)', () => {
      spec.given([]).when(register({ installedOn: '2026-01-17' })).thenProduces(([event]) => {
        expect(event).toMatchObject({ type: 'ProductRegistered', data: { installedOn: '2026-01-17', warranty: { startsOn: '2026-01-17' } } });
      });
    });

    it.each(['2026-01-18', '2999-01-15', '9999-12-31'])('refuses an installation still to come (%s)', (installedOn) => {
      spec.given([]).when(register({ installedOn })).thenThrows(InvalidProductCommandError, (error) => {
        expect(error).toMatchObject({ code: 'date-in-future', field: 'installedOn', kind: 'invalid' });
        expect(error.message).toContain('2026-01-17');
      });
    });

    it('takes a warranty that starts up to a year after the registration (at the acceptance, say)', () => {
      spec.given([]).when(register({ warrantyStartsOn: '2027-01-17' })).thenProduces(([event]) => {
        expect(event).toMatchObject({ type: 'ProductRegistered', data: { warranty: { startsOn: '2027-01-17' } } });
      });
    });

    it.each(['2027-01-18', '2999-01-15', '9999-12-31'])('refuses a warranty that starts more than a year ahead (%s)', (warrantyStartsOn) => {
      spec.given([]).when(register({ warrantyStartsOn })).thenThrows(InvalidProductCommandError, (error) => {
        expect(error).toMatchObject({ code: 'date-too-far-ahead', field: 'warrantyStartsOn', kind: 'invalid' });
        expect(error.message).toContain('2027-01-17');
      });
    });

    it.each(['0001-01-15', '0099-01-15', '1899-12-31'])('refuses an installation or a warranty start before 1900 (%s)', (day) => {
      spec.given([]).when(register({ installedOn: day })).thenThrows(InvalidProductCommandError, (error) => expect(error).toMatchObject({ code: 'invalid-date', field: 'installedOn' }));
      spec.given([]).when(register({ warrantyStartsOn: day })).thenThrows(InvalidProductCommandError, (error) => expect(error).toMatchObject({ code: 'invalid-date', field: 'warrantyStartsOn' }));
    });

    it.each([
      [{ model: ' ' }, 'model-required', 'model'],
      [{ model: '\u200b\u3164' }, 'model-required', 'model'],
      [{ customerId: '' }, 'customer-required', 'customerId'],
      [{ installedOn: '2026-02-30' }, 'invalid-date', 'installedOn'],
      [{ warrantyStartsOn: '15/01/2026' }, 'invalid-date', 'warrantyStartsOn'],
      [{ warrantyMonths: 12.5 }, 'invalid-months', 'warrantyMonths'],
      [{ warrantyMonths: -1 }, 'invalid-months', 'warrantyMonths'],
      [{ warrantyMonths: 601 }, 'invalid-months', 'warrantyMonths'],
      [{ covers: ['parts', 'travel'] as never }, 'invalid-coverage', 'covers[1]'],
    ])('refuses %o (%s)', (overrides, code, field) => {
      spec.given([]).when(register(overrides)).thenThrows(InvalidProductCommandError, (error) => expect(error).toMatchObject({ code, field, kind: 'invalid' }));
    });
  });

  describe('when registered', () => {
    it('extends the warranty, keeping the terms before in the event', () => {
      spec.given([productRegistered]).when(extend).then([{
        type: 'ProductWarrantyExtended',
        data: {
          serialNumber, addedMonths: 24, warranty: { startsOn: '2026-01-15', months: 36, covers: ['parts', 'labour', 'on-site'] },
          previousWarranty: { startsOn: '2026-01-15', months: 12, covers: ['parts', 'labour'] }, extendedAt: at(30), by: agent, reason: '客户购买延保',
        },
      }]);
    });

    it('keeps the coverage when an extension names none', () => {
      spec.given([productRegistered]).when(productCommand('ExtendWarranty', { months: 6, reason: 'goodwill' })).thenProduces(([event]) => {
        expect(event?.type === 'ProductWarrantyExtended' && event.data.warranty).toEqual({ startsOn: '2026-01-15', months: 18, covers: ['parts', 'labour'] });
      });
    });

    it('refuses an extension that stops covering something', () => {
      spec.given([productRegistered]).when(productCommand('ExtendWarranty', { months: 6, covers: ['parts'], reason: 'r' }))
        .thenThrows(InvalidProductCommandError, (error) => expect(error).toMatchObject({ code: 'coverage-narrowed', field: 'covers' }));
    });

    it.each([0, 1.5, 589])('refuses an extension of %p months (none, a fraction, or past fifty years in all)', (months) => {
      spec.given([productRegistered]).when(productCommand('ExtendWarranty', { months, reason: 'r' })).thenThrows(InvalidProductCommandError, (error) => expect(error.code).toBe('invalid-months'));
    });

    it('changes the owner', () => {
      spec.given([productRegistered]).when(changeOwner).then([{
        type: 'ProductOwnerChanged',
        data: { serialNumber, customerId: 'cust-002', previousCustomerId: 'cust-001', changedAt: at(40), by: agent, reason: 'station sold to a new operator' },
      }]);
    });

    it('refuses to give the product to its owner, or to no one', () => {
      spec.given([productRegistered]).when(productCommand('ChangeProductOwner', { customerId: 'cust-001', reason: 'r' })).thenThrows(ProductConflictError, (error) => expect(error.code).toBe('same-owner'));
      spec.given([productRegistered]).when(productCommand('ChangeProductOwner', { customerId: '', reason: 'r' })).thenThrows(InvalidProductCommandError, (error) => expect(error.code).toBe('customer-required'));
    });

    it.each([extend, changeOwner])('refuses $type with no reason', (command) => {
      spec.given([productRegistered]).when({ ...command, data: { ...command.data, reason: ' ' } } as typeof command)
        .thenThrows(InvalidProductCommandError, (error) => expect(error.code).toBe('reason-required'));
    });

    it.each([extend, changeOwner])('refuses $type whose reason is invisible characters only (as a command without HTTP may bring)', (command) => {
      spec.given([productRegistered]).when({ ...command, data: { ...command.data, reason: '\u200b\u2060\u3164' } } as typeof command)
        .thenThrows(InvalidProductCommandError, (error) => expect(error).toMatchObject({ code: 'reason-required', field: 'reason', message: expect.stringContaining('invisible characters') }));
    });
  });

  describe('with no product registered', () => {
    it.each([extend, changeOwner])('refuses $type', (command) => {
      spec.given([]).when(command).thenThrows(ProductNotFoundError, (error) => expect(error).toMatchObject({ serialNumber, kind: 'not-found' }));
    });
  });
});

describe('product evolve and serial numbers', () => {
  it('folds registration, extension and change of owner', () => {
    const extended: ProductEvent = {
      type: 'ProductWarrantyExtended',
      data: { serialNumber, addedMonths: 12, warranty: { startsOn: '2026-01-15', months: 24, covers: ['parts', 'labour'] }, previousWarranty: { startsOn: '2026-01-15', months: 12, covers: ['parts', 'labour'] }, extendedAt: at(1), by: agent, reason: 'r' },
    };
    const sold: ProductEvent = { type: 'ProductOwnerChanged', data: { serialNumber, customerId: 'cust-009', previousCustomerId: 'cust-001', changedAt: at(2), by: agent, reason: 'r' } };
    expect(foldProduct([productRegistered, extended, sold])).toMatchObject({ status: 'registered', customerId: 'cust-009', warranty: { months: 24 } });
    expect(foldProduct([sold]).status).toBe('none');
  });

  it('canonicalises serial numbers as customers type them, and names the stream after the canonical form', () => {
    expect(canonicalSerialNumber('  tq2240-000731 ')).toBe(serialNumber);
    expect(isSerialNumber(canonicalSerialNumber(' sn/2026.01_a '))).toBe(true);
    expect(productStreamName(serialNumber)).toBe('product-TQ2240-000731');
  });

  // Only what the rule names is trimmed: a space, a tab, a line feed or a carriage return; VT and FF were trimmed unnamed (a LOW).
  it('trims ASCII spaces, tabs and line breaks around a serial number, and leaves a vertical tab or a form feed, so it is refused', () => {
    expect(canonicalSerialNumber(' \t\r\ntq2240-000731\r\n\t ')).toBe(serialNumber);
    for (const typed of ['\u000bTQ2240-000731', 'TQ2240-000731\u000c', '\f tq2240-000731 \v']) expect(isSerialNumber(canonicalSerialNumber(typed))).toBe(false);
  });

  // String.prototype.toUpperCase maps ﬀ to FF, ı to I, ſ to S and ß to SS: upper-cased first, they passed as ASCII serials.
  it.each(['ﬀ-6454', 'ıX-1', 'ſN-1', 'maß-1', 'ＴＱ2240', 'tq2240-ö'])('leaves the non-ASCII letters of %p as they are, so the serial is refused', (typed) => {
    expect(isSerialNumber(canonicalSerialNumber(typed))).toBe(false);
  });
});
