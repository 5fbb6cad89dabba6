import type { Actor } from '../principal';
import type { Channel, CustomerSegment } from '../taxonomy';
import type { ConsumptionAlertPolicy } from './customer-file.consumption';
import type { SectionClear, SectionPersonal, Volume } from './customer-file.sections';
import type { CustomerFileStanding } from './customer-file.state';
import type { CreditRating, CustomerType, ErasureGround } from './customer-file.taxonomy';

/** Every command carries the time, the file's customer id and the acting principal: decide() reads no clock. */
interface CommandBase<Type extends string, Data> {
  readonly type: Type;
  readonly customerId: string;
  readonly at: string;
  readonly actor: Actor;
  readonly data: Data;
}

/**
 * A partial update: a field left out stays as it is, null clears it, a value sets it. Every
 * update says why (the reason goes into the event and the audit trail; it is not personal data,
 * so it must not quote the customer's personal details).
 */
type Patch<T> = { readonly [K in keyof T]?: T[K] } & { readonly reason: string };

export interface ContactInput {
  readonly name: string;
  readonly role?: string;
  /** 7–15 digits, optionally after + and a country code; spaces, hyphens and brackets are allowed. */
  readonly phone?: string;
  readonly email?: string;
}

export type SegmentsInput = { readonly [K in keyof SectionClear['segments']]?: SectionClear['segments'][K] };

/** 建立客户档案: a fixed customer, or a potential one within the supply radius. */
export type OpenCustomerFile = CommandBase<'OpenCustomerFile', {
  readonly category: 'fixed' | 'potential';
  readonly reason: string;
  readonly name: string;
  readonly customerType?: CustomerType;
  readonly address?: string;
  readonly creditRating?: CreditRating;
  readonly contacts?: readonly ContactInput[];
  readonly segments?: SegmentsInput;
}>;

/**
 * Complaint intake for a customer id that has no file yet opens a minimal one (a floating
 * customer, or a fixed one if the complaint says so). It is the one command that is not refused on
 * an existing file: it then decides nothing, so the intake can send it every time.
 */
/** Sent by a complaint's intake (complaintId) or a repair's report (workOrderId): exactly one of the two. */
export type OpenCustomerFileAtIntake = CommandBase<'OpenCustomerFileAtIntake', {
  readonly complaintId?: string;
  readonly workOrderId?: string;
  readonly name?: string;
  readonly segment?: CustomerSegment;
}>;

/** Potential → fixed or floating, floating → fixed, fixed → floating. Nobody becomes potential again. */
export type ReclassifyCustomer = CommandBase<'ReclassifyCustomer', { readonly category: 'fixed' | 'floating'; readonly reason: string }>;

export type UpdateCustomerBasics = CommandBase<'UpdateCustomerBasics', Patch<SectionClear['basics'] & SectionPersonal['basics']>>;

export type AddCustomerContact = CommandBase<'AddCustomerContact', ContactInput & { readonly reason: string }>;
export type ChangeCustomerContact = CommandBase<'ChangeCustomerContact', {
  readonly contactId: string;
  readonly reason: string;
  readonly name?: string;
  readonly role?: string | null;
  readonly phone?: string | null;
  readonly email?: string | null;
}>;
export type RemoveCustomerContact = CommandBase<'RemoveCustomerContact', { readonly contactId: string; readonly reason: string }>;

export type UpdateCustomerConsumptionProfile = CommandBase<'UpdateCustomerConsumptionProfile', Patch<SectionClear['consumption'] & SectionPersonal['consumption']>>;
export type UpdateCustomerContract = CommandBase<'UpdateCustomerContract', Patch<SectionClear['contract']> & {
  /** Set when the contract itself changed (合同变更) on that day; left out when the file is only corrected. */
  readonly amendedOn?: string;
}>;
export type UpdateCustomerFacilities = CommandBase<'UpdateCustomerFacilities', Patch<SectionClear['facilities'] & SectionPersonal['facilities']>>;
export type UpdateCustomerOtherChannels = CommandBase<'UpdateCustomerOtherChannels', { readonly reason: string; readonly channels: ReadonlyArray<OtherChannelInput> }>;
export type UpdateCustomerImportance = CommandBase<'UpdateCustomerImportance', Patch<SectionClear['importance']>>;
export type UpdateCustomerSegments = CommandBase<'UpdateCustomerSegments', Patch<SectionClear['segments']>>;

export type OtherChannelInput = { readonly supplier: string; readonly products?: string | null; readonly share?: number | null };

/** An observation: recorded each time, even when the rating is the same as last time. */
export type RecordCustomerEvaluation = CommandBase<'RecordCustomerEvaluation', { readonly rating: number; readonly comment?: string }>;

export type LogCustomerVisit = CommandBase<'LogCustomerVisit', {
  /** A day or a date-time with its offset, not after the command. */
  readonly visitedAt: string;
  readonly channel: Channel;
  /** Who visited or spoke to the customer; the actor when left out. */
  readonly staff?: string;
  readonly contactId?: string;
  readonly summary: string;
  readonly nextStep?: string;
  readonly nextStepDue?: string;
}>;

/** The month's figure; a different figure for a month already recorded corrects it and needs a reason. */
export type RecordCustomerConsumption = CommandBase<'RecordCustomerConsumption', {
  readonly period: string;
  readonly volume: Volume;
  readonly reason?: string;
  /** The alert policy in force, looked up by the handler. */
  readonly policy: ConsumptionAlertPolicy;
}>;

/** Sent to the file that is absorbed; `survivor` is what the handler found in the other file's stream. */
export type MergeCustomerFile = CommandBase<'MergeCustomerFile', {
  readonly survivorId: string;
  readonly reason: string;
  readonly survivor: CustomerFileStanding;
}>;

/** Sent to the surviving file once the absorbed one records its merge (decideMerge does both). */
export type RecordAbsorbedCustomerFile = CommandBase<'RecordAbsorbedCustomerFile', { readonly absorbedId: string; readonly reason: string }>;

/**
 * Erasure is repeatable (docs/adr/0019): what was recorded since the last erasure (a new complaint,
 * an attachment, under a new data key) can be erased too. The handler looks up what there is to
 * erase and passes it in; absent means nothing was found.
 */
export type EraseCustomerPersonalData = CommandBase<'EraseCustomerPersonalData', {
  readonly ground: ErasureGround;
  readonly reason: string;
  readonly requestReference?: string;
  /** The live data keys of the files the erasure covers: the keys it destroys. */
  readonly keyIds?: readonly string[];
  /** The files merged into this one at any depth (followMerges over their streams): the same person, covered too. */
  readonly mergedFileIds?: readonly string[];
  /** How many stored files (attachments) the erasure would delete now. */
  readonly storedFiles?: number;
  /** For a customer without a file: the first record that names it (an intake cut short before the file was opened). */
  readonly namedBy?: ErasureNamedBy | null;
}>;

/** A record naming a customer id that has no file: a complaint, or a repair (one reported before repairs opened files, or one a crash left without its file). */
export interface ErasureNamedBy {
  readonly kind: 'complaint' | 'work-order';
  readonly id: string;
}

/** The customer channels a customer may opt out of (or all of them, `all`). */
export const NOTIFICATION_OPT_OUT_CHANNELS = ['email', 'sms'] as const;
export type NotificationOptOutChannel = (typeof NOTIFICATION_OPT_OUT_CHANNELS)[number];

/**
 * The customer does not want (optedOut true), or wants again (false), the messages the desk sends on
 * its own (acknowledgements, answers, survey invitations) through a channel or all of them.
 */
export type SetNotificationOptOut = CommandBase<'SetNotificationOptOut', {
  readonly channel: NotificationOptOutChannel | 'all';
  readonly optedOut: boolean;
  readonly reason: string;
}>;

export type CustomerFileCommand =
  | SetNotificationOptOut
  | OpenCustomerFile
  | OpenCustomerFileAtIntake
  | ReclassifyCustomer
  | UpdateCustomerBasics
  | AddCustomerContact
  | ChangeCustomerContact
  | RemoveCustomerContact
  | UpdateCustomerConsumptionProfile
  | UpdateCustomerContract
  | UpdateCustomerFacilities
  | UpdateCustomerOtherChannels
  | UpdateCustomerImportance
  | UpdateCustomerSegments
  | RecordCustomerEvaluation
  | LogCustomerVisit
  | RecordCustomerConsumption
  | MergeCustomerFile
  | RecordAbsorbedCustomerFile
  | EraseCustomerPersonalData;

export type CustomerFileCommandType = CustomerFileCommand['type'];

/** Section updates, one command per section. */
export type SectionUpdateCommand =
  | UpdateCustomerBasics
  | UpdateCustomerConsumptionProfile
  | UpdateCustomerContract
  | UpdateCustomerFacilities
  | UpdateCustomerOtherChannels
  | UpdateCustomerImportance
  | UpdateCustomerSegments;

