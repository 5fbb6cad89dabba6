import type { Actor } from '../principal';
import type { Channel } from '../taxonomy';
import type { ConsumptionAlertPolicy, ConsumptionFigure } from './customer-file.consumption';
import type { ContactDetails, Section } from './customer-file.sections';
import type { CustomerCategory, ErasureGround } from './customer-file.taxonomy';

export interface ContactPerson extends ContactDetails {
  /** Given by the file (contact-1, contact-2, …), never reused after a removal. */
  readonly id: string;
}

export interface VisitEntry {
  readonly id: string;
  readonly visitedAt: string;
  readonly channel: Channel;
  readonly staff: string;
  readonly contactId: string | null;
  readonly summary: string | null;
  readonly nextStep: string | null;
  readonly nextStepDue: string | null;
  readonly loggedAt: string;
  readonly loggedBy: Actor;
}

export interface ContractAmendment {
  readonly amendedOn: string;
  readonly changed: readonly string[];
  readonly reason: string;
}

export interface Evaluation {
  readonly rating: number;
  readonly comment: string | null;
  readonly recordedAt: string;
}

/**
 * A customer file as its history tells it. Personal fields are null when never given, and also
 * when the history's personal part could not be read (an erased customer replayed later).
 */
export interface CustomerFile {
  readonly id: string;
  readonly category: CustomerCategory;
  readonly openedAt: string;
  readonly openedBy: Actor;
  /** The complaint whose intake opened the file, if it was opened that way. */
  readonly openedForComplaint: string | null;
  /** The work order whose report opened the file, if it was opened that way. */
  readonly openedForWorkOrder: string | null;
  readonly basics: Section<'basics'>;
  readonly contacts: readonly ContactPerson[];
  /** How many contacts were ever added: the number of the next contact id. */
  readonly contactsAdded: number;
  readonly consumption: Section<'consumption'>;
  readonly contract: Section<'contract'> & { readonly amendments: readonly ContractAmendment[] };
  readonly facilities: Section<'facilities'>;
  readonly otherChannels: Section<'otherChannels'>;
  readonly importance: Section<'importance'>;
  readonly segments: Section<'segments'>;
  /** The latest evaluation the customer gave. */
  readonly evaluation: Evaluation | null;
  readonly visits: readonly VisitEntry[];
  /** Monthly figures, one per month, in month order. */
  readonly figures: readonly ConsumptionFigure[];
  /** Months with an open drop alert (raised and not cleared by a correction): at most one per month. */
  readonly alertedPeriods: readonly string[];
  /** The open alerts with the policy each was raised under: a correction is judged by that policy. */
  readonly openAlerts: readonly OpenConsumptionAlert[];
  /** Months whose alert a correction cleared, not alerted since: a correction that brings their drop back alerts them again, latest or not. */
  readonly clearedAlertPeriods: readonly string[];
  /** Files merged into this one. */
  readonly absorbed: readonly string[];
  /** The channels the customer wants no notification by (SetNotificationOptOut); empty: every channel. */
  readonly notificationOptOut: ReadonlyArray<'email' | 'sms'>;
}

export interface OpenConsumptionAlert {
  readonly period: string;
  readonly policy: ConsumptionAlertPolicy;
}

export type NoCustomerFile = { readonly status: 'none' };
export type ActiveCustomerFile = CustomerFile & { readonly status: 'active' };
/** Absorbed into another file: closed, and every command is sent on to the survivor. */
export type MergedCustomerFile = {
  readonly status: 'merged';
  readonly id: string;
  readonly survivorId: string;
  readonly mergedAt: string;
  /** The files merged into this one before it was merged away: its survivor stands for them too. */
  readonly absorbed: readonly string[];
};
/** Personal data erased: the file keeps no personal field and takes no more changes. */
export type ErasedCustomerFile = {
  readonly status: 'erased';
  readonly id: string;
  readonly category: CustomerCategory;
  readonly erasedAt: string;
  readonly ground: ErasureGround;
  readonly coveredFileIds: readonly string[];
  /** The channels the customer opted out of: no personal datum, so kept through the erasure, and still changeable after it. */
  readonly notificationOptOut: ReadonlyArray<'email' | 'sms'>;
};

export type CustomerFileState = NoCustomerFile | ActiveCustomerFile | MergedCustomerFile | ErasedCustomerFile;
export type CustomerFileStatus = CustomerFileState['status'];

export const initialCustomerFileState: CustomerFileState = { status: 'none' };

/**
 * What a merge needs to know about the file it merges into, looked up by the handler from that
 * file's stream (standingOf) and passed in with the command.
 */
export type CustomerFileStanding =
  | { readonly status: 'none' }
  | { readonly status: 'active' }
  /**
   * `survivorId`: the file it was merged into; `lastSurvivorId`: the file at the end of that chain of
   * merges, when the handler followed it (the one that stays for all of them).
   */
  | { readonly status: 'merged'; readonly survivorId: string; readonly lastSurvivorId?: string }
  | { readonly status: 'erased' };

export function standingOf(state: CustomerFileState): CustomerFileStanding {
  switch (state.status) {
    case 'merged':
      return { status: 'merged', survivorId: state.survivorId };
    default:
      return { status: state.status };
  }
}
