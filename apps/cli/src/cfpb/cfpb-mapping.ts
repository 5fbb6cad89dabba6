import type { Cause, Channel, Purpose, Remedy } from '@app/domain';

/**
 * How the columns of the CFPB Consumer Complaint Database map onto this project's taxonomy.
 * docs/cfpb-import.md shows the same tables; a value no rule covers maps to "other" and is
 * counted in the import report, never dropped.
 */

export const CHANNELS: Readonly<Record<string, Channel>> = {
  Web: 'web',
  'Web Referral': 'referral',
  Referral: 'referral',
  Phone: 'phone',
  'Postal mail': 'postal-mail',
  Fax: 'fax',
  Email: 'email',
};

/** The responsible department: one per product family, the names of 2015 and of today alike. */
export const DEPARTMENTS: Readonly<Record<string, string>> = {
  'Checking or savings account': 'deposits',
  'Bank account or service': 'deposits',
  'Credit card or prepaid card': 'cards',
  'Credit card': 'cards',
  'Prepaid card': 'cards',
  'Credit reporting, credit repair services, or other personal consumer reports': 'credit-reporting',
  'Credit reporting': 'credit-reporting',
  Mortgage: 'mortgages',
  'Debt collection': 'collections',
  'Money transfer, virtual currency, or money service': 'payments',
  'Money transfers': 'payments',
  'Virtual currency': 'payments',
  'Vehicle loan or lease': 'consumer-lending',
  'Consumer loan': 'consumer-lending',
  'Consumer Loan': 'consumer-lending',
  'Payday loan, title loan, or personal loan': 'consumer-lending',
  'Payday loan': 'consumer-lending',
  'Student loan': 'student-loans',
  'Other financial service': 'other-services',
};

/**
 * Cause from the Issue column, first matching rule wins. Order matters: an accusation of fraud
 * is integrity even when it mentions a fee; identity-theft *protection services* are safety.
 */
export const CAUSE_RULES: ReadonlyArray<{ readonly cause: Cause; readonly pattern: RegExp }> = [
  { cause: 'safety', pattern: /privacy|security freeze|fraud alert|identity (theft )?protection|monitoring services|credit monitoring|lost or stolen|damaged or destroyed/i },
  {
    cause: 'integrity',
    pattern: /fraud|scam|identity theft|embezzlement|unauthori[sz]ed|not owed|not mine|not yours|false statement|representation|threat|illegal|improper (use|contact)|sharing info|share information|didn't apply|did not apply|unsolicited|advertising|marketing|charging your account|can't stop (charges|withdrawals)|repossessed|arbitration/i,
  },
  { cause: 'quantity-metering', pattern: /billing|wrong amount|wrong day or amt|not credited|wasn't credited|exchange rate|purchase shown on your statement|balance transfer$/i },
  { cause: 'price', pattern: /fee|interest|\bAPR\b|\brate\b|costs?\b|rewards/i },
  {
    cause: 'product-quality',
    pattern: /incorrect information|credit report|investigation|trouble using|using a debit|transaction (issue|problem)|features, terms|disclosure|funds being low|deposits and withdrawals|overdraft|not available when promised|credit limit|credit line|add-on products|debt protection|convenience checks|cash advance|adding money|sale of account|account terms/i,
  },
  {
    cause: 'service',
    pattern: /managing|opening|closing|cancelling|payment|paying|pay your|pay mortgage|repay|unable to pay|loan modification|servicing|servicer|lender|communication|customer (service|relations)|contact|application|applying|applied|getting|shopping|taking out|payoff|forbearance|delinquent|written notification|collect|delay|bankruptcy|settlement|credit decision|underwriting|credit determination|money order|mobile wallet|transfer|sending money|problems at the end|service (problem|issues)|struggling|receive (the )?money/i,
  },
];

export function causeOf(issue: string): Cause | undefined {
  return CAUSE_RULES.find((rule) => rule.pattern.test(issue))?.cause;
}

/** A complaint alleging wrongdoing accuses (控告性); every other complaint to a regulator criticises (批评性). */
export function purposeOf(cause: Cause): Purpose {
  return cause === 'integrity' ? 'accusation' : 'criticism';
}

/** What the company's closing response gave the consumer; undefined for responses that close nothing. */
export const REMEDIES: Readonly<Record<string, Remedy>> = {
  'Closed with explanation': 'explanation',
  'Closed with monetary relief': 'compensation',
  'Closed with relief': 'compensation',
  'Closed with non-monetary relief': 'repair',
  'Closed without relief': 'none',
  Closed: 'none',
};

export const OPEN_RESPONSES = new Set(['In progress']);
export const UNTIMELY_RESPONSE = 'Untimely response';

/** A lower-case identifier of a company name: "BANK OF AMERICA, NATIONAL ASSOCIATION" → "bank-of-america-national-association". */
export function slug(text: string): string {
  return text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'unnamed';
}
