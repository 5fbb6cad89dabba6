import type {
  ConsumerKind, ConsumerUsage, CreditRating, CustomerType, DriverType, ImportanceLevel, Locality, Settlement, VolumeUnit,
} from './customer-file.taxonomy';

/** An amount of fuel: at most three decimals, never negative. */
export interface Volume {
  readonly amount: number;
  readonly unit: VolumeUnit;
}

/** 其他渠道进货情况: where else the customer buys, what, and which share of its purchases. */
export interface OtherChannel {
  /** The other seller (a station, a supplier): a business, not a person. */
  readonly supplier: string;
  readonly products: string | null;
  /** Share of the customer's purchases bought there, 0–1. */
  readonly share: number | null;
}

/*
 * Each section of a file is split into the fields anyone may read for as long as the history lasts
 * (codes, numbers, dates, flags, business terms) and its personal fields: a person's identity and
 * contact data, and free text recording what the customer said, does or wants. Events keep the
 * personal values under one `personal` key, so that they can be stored encrypted per customer and
 * erased by destroying the key while the rest of the event, and the hash chain, stay as they are.
 */
export interface SectionClear {
  /** 客户基本情况: 名称、详细地址、客户类型、信用等级. */
  readonly basics: { readonly customerType: CustomerType | null; readonly creditRating: CreditRating | null };
  /** 油品消费情况: 月消费量、加油周期、加油习惯、对质量与计量的特殊要求、其他需求. */
  readonly consumption: { readonly monthlyVolume: Volume | null; readonly refuellingCycleDays: number | null };
  /** 供油合同情况: 是否签订、日期、合同期限、续约条件. */
  readonly contract: {
    readonly signed: boolean | null;
    readonly signedOn: string | null;
    readonly validFrom: string | null;
    readonly validUntil: string | null;
    readonly renewalConditions: string | null;
  };
  /** 储运设施情况. */
  readonly facilities: { readonly storageTanks: number | null; readonly storageCapacity: Volume | null; readonly tankerVehicles: number | null };
  readonly otherChannels: { readonly channels: readonly OtherChannel[] };
  /** 客户的重要程度. */
  readonly importance: { readonly key: boolean; readonly level: ImportanceLevel | null };
  /** The segment dimensions but fixed / floating, which is the file's category. */
  readonly segments: {
    readonly consumerKind: ConsumerKind | null;
    readonly usage: ConsumerUsage | null;
    readonly driverType: DriverType | null;
    readonly locality: Locality | null;
    readonly settlement: Settlement | null;
  };
}

export interface SectionPersonal {
  readonly basics: { readonly name: string | null; readonly address: string | null };
  readonly consumption: {
    readonly habits: string | null;
    readonly qualityRequirements: string | null;
    readonly meteringRequirements: string | null;
    readonly otherNeeds: string | null;
  };
  readonly contract: Record<never, never>;
  readonly facilities: { readonly description: string | null };
  readonly otherChannels: Record<never, never>;
  readonly importance: Record<never, never>;
  readonly segments: Record<never, never>;
}

export type SectionName = keyof SectionClear;
export type Section<S extends SectionName> = SectionClear[S] & SectionPersonal[S];
export type SectionField<S extends SectionName> = keyof Section<S> & string;

/** The fields of each section in the order events list them: the clear ones, then the personal ones. */
export const SECTION_FIELDS = {
  basics: { clear: ['customerType', 'creditRating'], personal: ['name', 'address'] },
  consumption: { clear: ['monthlyVolume', 'refuellingCycleDays'], personal: ['habits', 'qualityRequirements', 'meteringRequirements', 'otherNeeds'] },
  contract: { clear: ['signed', 'signedOn', 'validFrom', 'validUntil', 'renewalConditions'], personal: [] },
  facilities: { clear: ['storageTanks', 'storageCapacity', 'tankerVehicles'], personal: ['description'] },
  otherChannels: { clear: ['channels'], personal: [] },
  importance: { clear: ['key', 'level'], personal: [] },
  segments: { clear: ['consumerKind', 'usage', 'driverType', 'locality', 'settlement'], personal: [] },
} as const satisfies { readonly [S in SectionName]: { readonly clear: ReadonlyArray<keyof SectionClear[S]>; readonly personal: ReadonlyArray<keyof SectionPersonal[S]> } };

export const SECTION_NAMES = Object.keys(SECTION_FIELDS) as SectionName[];

/** What a file holds before anyone has said anything about a section. */
export const EMPTY_SECTIONS: { readonly [S in SectionName]: Section<S> } = {
  basics: { customerType: null, creditRating: null, name: null, address: null },
  consumption: { monthlyVolume: null, refuellingCycleDays: null, habits: null, qualityRequirements: null, meteringRequirements: null, otherNeeds: null },
  contract: { signed: null, signedOn: null, validFrom: null, validUntil: null, renewalConditions: null },
  facilities: { storageTanks: null, storageCapacity: null, tankerVehicles: null, description: null },
  otherChannels: { channels: [] },
  importance: { key: false, level: null },
  segments: { consumerKind: null, usage: null, driverType: null, locality: null, settlement: null },
};

/** A contact person (联系人): all of it personal but its id, which the file gives. */
export interface ContactDetails {
  readonly name: string | null;
  readonly role: string | null;
  readonly phone: string | null;
  readonly email: string | null;
}

export const CONTACT_FIELDS = ['name', 'role', 'phone', 'email'] as const satisfies ReadonlyArray<keyof ContactDetails>;

/**
 * Every personal field of a customer file, as `section.field`: what an erasure covers. The
 * erasure event records this list as it was, so a field added later never widens an old erasure.
 */
export const CUSTOMER_FILE_PERSONAL_FIELDS: readonly string[] = [
  ...SECTION_NAMES.flatMap((section) => SECTION_FIELDS[section].personal.map((field) => `${section}.${field}`)),
  ...CONTACT_FIELDS.map((field) => `contacts.${field}`),
  'evaluation.comment',
  'visits.summary',
  'visits.nextStep',
];
