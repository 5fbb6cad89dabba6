import { afterSalesCodes, isAfterSalesCode, type ChargeKind } from '../after-sales-taxonomy';
import { assertNever } from '../assert-never';
import { MEANINGFUL_TEXT_RULE, isMeaningfulText } from '../visible-text';
import { addMonthsToDate, isLocalDate, latestLocalDayAt } from '../local-date';
import type { ProductCommand } from './product.commands';
import { InvalidProductCommandError, ProductAlreadyRegisteredError, ProductConflictError, ProductNotFoundError } from './product.errors';
import { SERIAL_NUMBER_RULE, isSerialNumber, type ProductEvent, type WarrantyTerms } from './product.events';
import type { ProductState } from './product.state';

/** Fifty years: far beyond any warranty, near enough to catch a typing slip. */
export const MAX_WARRANTY_MONTHS = 600;
/** How long after its registration a warranty may start, in months (the acceptance may come weeks after the installation). */
export const MAX_WARRANTY_LEAD_MONTHS = 12;

/** decide(command, product) → events, for the registry of one serial number. */
export function decideProduct(command: ProductCommand, state: ProductState): ProductEvent[] {
  const { serialNumber } = command;
  if (command.type === 'RegisterProduct') {
    if (state.status !== 'none') throw new ProductAlreadyRegisteredError(serialNumber);
    if (!isSerialNumber(serialNumber)) throw new InvalidProductCommandError('invalid-serial-number', 'serialNumber', `A serial number is ${SERIAL_NUMBER_RULE}; got ${JSON.stringify(serialNumber)}.`);
    const data = command.data;
    if (!isMeaningfulText(data.model)) throw new InvalidProductCommandError('model-required', 'model', `Name the product model: model ${MEANINGFUL_TEXT_RULE}.`);
    if (data.customerId.trim() === '') throw new InvalidProductCommandError('customer-required', 'customerId', 'A registered product belongs to a customer.');
    const today = latestLocalDayAt(command.at);
    localDate(data.installedOn, 'installedOn');
    if (data.installedOn > today) {
      throw new InvalidProductCommandError('date-in-future', 'installedOn', `installedOn ${data.installedOn} is still to come (${today} at the latest): register the product once it is installed, and check the year.`);
    }
    const startsOn = data.warrantyStartsOn ?? data.installedOn;
    localDate(startsOn, 'warrantyStartsOn');
    // A warranty may start after the installation (at the acceptance), but not beyond a year: further is a typing slip (2999 for 2026).
    const latestStart = addMonthsToDate(today, MAX_WARRANTY_LEAD_MONTHS);
    if (startsOn > latestStart) {
      throw new InvalidProductCommandError('date-too-far-ahead', 'warrantyStartsOn', `warrantyStartsOn ${startsOn} is more than a year ahead (${latestStart} at the latest); check the year.`);
    }
    months(data.warrantyMonths, 0, 'warrantyMonths');
    const warranty: WarrantyTerms = { startsOn, months: data.warrantyMonths, covers: coverage(data.covers) };
    return [{
      type: 'ProductRegistered',
      data: {
        serialNumber, model: data.model, customerId: data.customerId, installedOn: data.installedOn, warranty,
        registeredAt: command.at, by: command.actor, reason: data.reason ?? null,
      },
    }];
  }

  if (state.status === 'none') throw new ProductNotFoundError(serialNumber);
  switch (command.type) {
    case 'ExtendWarranty': {
      const previous = state.warranty;
      months(command.data.months, 1, 'months');
      if (previous.months + command.data.months > MAX_WARRANTY_MONTHS) {
        throw new InvalidProductCommandError('invalid-months', 'months', `A warranty runs at most ${MAX_WARRANTY_MONTHS} months; this one has ${previous.months} already.`);
      }
      const covers = command.data.covers === undefined ? previous.covers : coverage(command.data.covers);
      const dropped = previous.covers.filter((kind) => !covers.includes(kind));
      if (dropped.length > 0) {
        throw new InvalidProductCommandError('coverage-narrowed', 'covers', `An extension adds to the warranty; it cannot stop covering ${dropped.join(', ')}.`);
      }
      requireReason(command.data.reason);
      return [{
        type: 'ProductWarrantyExtended',
        data: {
          serialNumber, addedMonths: command.data.months, warranty: { ...previous, months: previous.months + command.data.months, covers },
          previousWarranty: previous, extendedAt: command.at, by: command.actor, reason: command.data.reason,
        },
      }];
    }

    case 'ChangeProductOwner': {
      const { customerId, reason } = command.data;
      if (customerId.trim() === '') throw new InvalidProductCommandError('customer-required', 'customerId', 'Name the new owner.');
      if (customerId === state.customerId) throw new ProductConflictError('same-owner', command.type, `Customer ${customerId} already owns ${serialNumber}.`);
      requireReason(reason);
      return [{
        type: 'ProductOwnerChanged',
        data: { serialNumber, customerId, previousCustomerId: state.customerId, changedAt: command.at, by: command.actor, reason },
      }];
    }

    default:
      return assertNever(command);
  }
}

function localDate(value: string, field: string): void {
  if (!isLocalDate(value)) throw new InvalidProductCommandError('invalid-date', field, `${field} is a date written YYYY-MM-DD (e.g. 2026-03-02), from 1900 on; got ${JSON.stringify(value)}.`);
}

function months(value: number, minimum: number, field: string): void {
  if (!Number.isInteger(value) || value < minimum || value > MAX_WARRANTY_MONTHS) {
    throw new InvalidProductCommandError('invalid-months', field, `${field} is a whole number of months from ${minimum} to ${MAX_WARRANTY_MONTHS}; got ${JSON.stringify(value)}.`);
  }
}

/** The covered kinds, each once, in the table's order (so equal coverage is always written the same). */
function coverage(covers: readonly string[]): ChargeKind[] {
  covers.forEach((kind, index) => {
    if (!isAfterSalesCode('chargeKind', kind)) {
      throw new InvalidProductCommandError('invalid-coverage', `covers[${index}]`, `A warranty covers ${afterSalesCodes('chargeKind').join(', ')}; got ${JSON.stringify(kind)}.`);
    }
  });
  return afterSalesCodes('chargeKind').filter((kind) => covers.includes(kind));
}

function requireReason(reason: string): void {
  if (!isMeaningfulText(reason)) throw new InvalidProductCommandError('reason-required', 'reason', `A change to a registered product states its reason: reason ${MEANINGFUL_TEXT_RULE}.`);
}
