import type { Actor } from '../principal';
import type { Channel } from '../taxonomy';
import type { ConsumptionAlertPolicy } from './customer-file.consumption';
import type { ContactDetails, SectionClear, SectionName, SectionPersonal, Volume } from './customer-file.sections';
import type { CustomerCategory, ErasureGround } from './customer-file.taxonomy';

/*
 * The stored event types are the contract: a type string is never reused for another meaning. All
 * of them start with `CustomerFile`, so a reader can pick them out of the log by type prefix.
 * Every event's data has a `personal` key: the personal values it carries, or null. Nothing
 * personal is anywhere else in an event (a property test checks it), so the key-per-customer slice
 * can encrypt exactly `data.personal`. A reader that cannot decrypt it (the customer was erased)
 * passes `personal: null`, and evolve() then folds those fields as unknown (null).
 */

/** The file opened at complaint intake gives the complaint; one opened by hand gives a reason. */
export interface CustomerFileOpened {
  readonly type: 'CustomerFileOpened';
  readonly data: {
    readonly customerId: string;
    readonly openedAt: string;
    readonly by: Actor;
    readonly category: CustomerCategory;
    /** The complaint whose intake opened this file, or null for a file opened by hand or at a repair's report. */
    readonly complaintId: string | null;
    /** The work order whose report (报修) opened this file; absent on every other opening (and on events recorded before repairs opened files). */
    readonly workOrderId?: string;
    readonly reason: string | null;
    readonly customerType: SectionClear['basics']['customerType'];
    readonly creditRating: SectionClear['basics']['creditRating'];
    readonly segments: SectionClear['segments'];
    /** The ids the file gave its first contacts, in the order of `personal.contacts`. */
    readonly contactIds: readonly string[];
    readonly personal: {
      readonly name: string | null;
      readonly address: string | null;
      readonly contacts: readonly ContactDetails[];
    } | null;
  };
}

export interface CustomerFileReclassified {
  readonly type: 'CustomerFileReclassified';
  readonly data: {
    readonly customerId: string;
    readonly reclassifiedAt: string;
    readonly by: Actor;
    readonly reason: string;
    readonly from: CustomerCategory;
    readonly to: CustomerCategory;
    readonly personal: null;
  };
}

/**
 * A partial update of one section: only the fields that changed, their new values split into clear
 * `changes` and `personal` ones. `changed` names them all, so the audit trail can say what changed
 * even where it may not show (or can no longer read) the personal values.
 */
export interface SectionUpdate<S extends SectionName> {
  readonly customerId: string;
  readonly updatedAt: string;
  readonly by: Actor;
  readonly reason: string;
  readonly changed: ReadonlyArray<keyof SectionClear[S] | keyof SectionPersonal[S]>;
  readonly changes: Partial<SectionClear[S]>;
  readonly personal: Partial<SectionPersonal[S]> | null;
}

export interface CustomerFileBasicsUpdated {
  readonly type: 'CustomerFileBasicsUpdated';
  readonly data: SectionUpdate<'basics'>;
}

export interface CustomerFileConsumptionProfileUpdated {
  readonly type: 'CustomerFileConsumptionProfileUpdated';
  readonly data: SectionUpdate<'consumption'>;
}

export interface CustomerFileContractUpdated {
  readonly type: 'CustomerFileContractUpdated';
  readonly data: SectionUpdate<'contract'> & {
    /** 合同变更: the day the contract itself changed; null when the file is only corrected. */
    readonly amendedOn: string | null;
  };
}

export interface CustomerFileFacilitiesUpdated {
  readonly type: 'CustomerFileFacilitiesUpdated';
  readonly data: SectionUpdate<'facilities'>;
}

export interface CustomerFileOtherChannelsUpdated {
  readonly type: 'CustomerFileOtherChannelsUpdated';
  readonly data: SectionUpdate<'otherChannels'>;
}

export interface CustomerFileImportanceUpdated {
  readonly type: 'CustomerFileImportanceUpdated';
  readonly data: SectionUpdate<'importance'>;
}

export interface CustomerFileSegmentsUpdated {
  readonly type: 'CustomerFileSegmentsUpdated';
  readonly data: SectionUpdate<'segments'>;
}

export interface CustomerFileContactAdded {
  readonly type: 'CustomerFileContactAdded';
  readonly data: {
    readonly customerId: string;
    readonly addedAt: string;
    readonly by: Actor;
    readonly reason: string;
    readonly contactId: string;
    readonly personal: ContactDetails | null;
  };
}

export interface CustomerFileContactChanged {
  readonly type: 'CustomerFileContactChanged';
  readonly data: {
    readonly customerId: string;
    readonly changedAt: string;
    readonly by: Actor;
    readonly reason: string;
    readonly contactId: string;
    readonly changed: ReadonlyArray<keyof ContactDetails>;
    readonly personal: Partial<ContactDetails> | null;
  };
}

export interface CustomerFileContactRemoved {
  readonly type: 'CustomerFileContactRemoved';
  readonly data: { readonly customerId: string; readonly removedAt: string; readonly by: Actor; readonly reason: string; readonly contactId: string; readonly personal: null };
}

/** 客户对加油站的评价: the customer's own rating of the station, an observation in time. */
export interface CustomerFileEvaluationRecorded {
  readonly type: 'CustomerFileEvaluationRecorded';
  readonly data: {
    readonly customerId: string;
    readonly recordedAt: string;
    readonly by: Actor;
    /** 1 (very poor) – 5 (very good). */
    readonly rating: number;
    readonly personal: { readonly comment: string | null } | null;
  };
}

/** 客户拜访与沟通: one entry of the file's visit and communication log. */
export interface CustomerFileVisitLogged {
  readonly type: 'CustomerFileVisitLogged';
  readonly data: {
    readonly customerId: string;
    readonly loggedAt: string;
    readonly by: Actor;
    readonly visitId: string;
    readonly visitedAt: string;
    readonly channel: Channel;
    /** Who of the station's staff visited or spoke to the customer. */
    readonly staff: string;
    /** Whom they met or spoke to, when it is one of the file's contacts. */
    readonly contactId: string | null;
    readonly nextStepDue: string | null;
    readonly personal: { readonly summary: string; readonly nextStep: string | null } | null;
  };
}

/** The customer's volume in one calendar month; a second figure for the month corrects the first. */
export interface CustomerFileConsumptionRecorded {
  readonly type: 'CustomerFileConsumptionRecorded';
  readonly data: {
    readonly customerId: string;
    readonly recordedAt: string;
    readonly by: Actor;
    /** YYYY-MM. */
    readonly period: string;
    readonly volume: Volume;
    /** The figure this one corrects, or null for the month's first. */
    readonly previous: Volume | null;
    readonly reason: string | null;
    readonly personal: null;
  };
}

/**
 * Seed 003: 分析销售情况及时发现异常，当发现客户加油量异常时…必须及时了解. Raised with the figure
 * that shows it, for a key customer only; the policy in force is recorded whole, so a later change
 * of the threshold never rewrites an alert.
 */
export interface CustomerFileConsumptionDropDetected {
  readonly type: 'CustomerFileConsumptionDropDetected';
  readonly data: {
    readonly customerId: string;
    readonly detectedAt: string;
    readonly by: Actor;
    readonly period: string;
    readonly volume: Volume;
    /** Mean of the compared months' figures, to three decimals. */
    readonly recentAverage: Volume;
    readonly comparedPeriods: readonly string[];
    /** How much lower than the average, as a share (0.4 = 40 % lower), to four decimals. */
    readonly drop: number;
    readonly policy: ConsumptionAlertPolicy;
    readonly personal: null;
  };
}

/**
 * A figure recorded since (a correction, or a month filled in) shows that a month's drop alert no
 * longer holds: the month is no longer lower than its recent average by more than the alert's own
 * policy's share. The alert leaves the open list; this event keeps it and its cause on record.
 */
export interface CustomerFileConsumptionDropCleared {
  readonly type: 'CustomerFileConsumptionDropCleared';
  readonly data: {
    readonly customerId: string;
    readonly clearedAt: string;
    readonly by: Actor;
    /** The alert's month. */
    readonly period: string;
    /** The month's figure now. */
    readonly volume: Volume;
    /** Mean of the compared months' figures now, to three decimals; null when too few months are left to compare. */
    readonly recentAverage: Volume | null;
    /** The figure that cleared it: its month, the figure it replaced (null for a month's first) and why. */
    readonly cause: { readonly period: string; readonly volume: Volume; readonly previous: Volume | null; readonly reason: string | null };
    /** The version of the policy the alert was raised and is judged under. */
    readonly policyVersion: string;
    readonly personal: null;
  };
}

/** On the absorbed file: it is closed and points to the file that stays. */
export interface CustomerFileMerged {
  readonly type: 'CustomerFileMerged';
  readonly data: { readonly customerId: string; readonly mergedAt: string; readonly by: Actor; readonly reason: string; readonly survivorId: string; readonly personal: null };
}

/** On the surviving file: it now also stands for the absorbed one (its complaints, its history). */
export interface CustomerFileAbsorbed {
  readonly type: 'CustomerFileAbsorbed';
  readonly data: { readonly customerId: string; readonly absorbedAt: string; readonly by: Actor; readonly reason: string; readonly absorbedId: string; readonly personal: null };
}

export interface CustomerFilePersonalDataErased {
  readonly type: 'CustomerFilePersonalDataErased';
  readonly data: {
    readonly customerId: string;
    readonly erasedAt: string;
    readonly by: Actor;
    readonly ground: ErasureGround;
    readonly reason: string;
    /** The request's reference (a ticket, a letter), when there is one. */
    readonly requestReference: string | null;
    /** The personal fields erased (CUSTOMER_FILE_PERSONAL_FIELDS when it was decided). */
    readonly personalFields: readonly string[];
    /** This file and the files it absorbed: whose personal data (keys) the erasure covers. */
    readonly coveredFileIds: readonly string[];
    /**
     * The data keys it destroys (their ids, as every envelope names them). Absent in erasures
     * recorded before erasure was repeatable: those destroyed every key the covered files had then.
     */
    readonly keyIds?: readonly string[];
    readonly personal: null;
  };
}

export type CustomerFileSectionUpdated =
  | CustomerFileBasicsUpdated
  | CustomerFileConsumptionProfileUpdated
  | CustomerFileContractUpdated
  | CustomerFileFacilitiesUpdated
  | CustomerFileOtherChannelsUpdated
  | CustomerFileImportanceUpdated
  | CustomerFileSegmentsUpdated;

/** The customer's opt-out of notifications changed: `optedOut` lists the channels they now get nothing by. */
export interface CustomerFileNotificationOptOutChanged {
  readonly type: 'CustomerFileNotificationOptOutChanged';
  readonly data: {
    readonly customerId: string;
    readonly changedAt: string;
    readonly by: Actor;
    readonly reason: string;
    /** What was asked: out of (true) or back into (false) a channel, or all. */
    readonly channel: 'email' | 'sms' | 'all';
    readonly optedOutOf: boolean;
    readonly optedOut: ReadonlyArray<'email' | 'sms'>;
    readonly personal: null;
  };
}

export type CustomerFileEvent =
  | CustomerFileNotificationOptOutChanged
  | CustomerFileOpened
  | CustomerFileReclassified
  | CustomerFileSectionUpdated
  | CustomerFileContactAdded
  | CustomerFileContactChanged
  | CustomerFileContactRemoved
  | CustomerFileEvaluationRecorded
  | CustomerFileVisitLogged
  | CustomerFileConsumptionRecorded
  | CustomerFileConsumptionDropDetected
  | CustomerFileConsumptionDropCleared
  | CustomerFileMerged
  | CustomerFileAbsorbed
  | CustomerFilePersonalDataErased;

export type CustomerFileEventType = CustomerFileEvent['type'];

/** Which section each section event updates. */
export const SECTION_OF_EVENT: { readonly [T in CustomerFileSectionUpdated['type']]: SectionName } = {
  CustomerFileBasicsUpdated: 'basics',
  CustomerFileConsumptionProfileUpdated: 'consumption',
  CustomerFileContractUpdated: 'contract',
  CustomerFileFacilitiesUpdated: 'facilities',
  CustomerFileOtherChannelsUpdated: 'otherChannels',
  CustomerFileImportanceUpdated: 'importance',
  CustomerFileSegmentsUpdated: 'segments',
};
