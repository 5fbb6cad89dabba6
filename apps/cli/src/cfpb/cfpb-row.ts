/**
 * One complaint row of a CFPB extract, whatever its vintage. The three schemas differ:
 * - today's download: "Date received" (by CFPB) and "Date sent to company";
 * - the Bank of America extract renamed them "Date submitted" and "Date received";
 * - early 2015: "Company response" for "Company response to consumer", dates as M/D/YYYY.
 */
export interface CfpbRow {
  readonly complaintId: string;
  /** The day CFPB received the complaint (YYYY-MM-DD). */
  readonly receivedOn: string;
  /** The day CFPB sent it to the company. */
  readonly sentOn: string;
  /** "Submitted via"; null when the file has no such column. */
  readonly submittedVia: string | null;
  readonly product: string;
  readonly subProduct: string;
  readonly issue: string;
  readonly subIssue: string;
  readonly narrative: string;
  readonly company: string | null;
  readonly state: string;
  readonly zip: string;
  readonly companyResponse: string;
  readonly timely: 'Yes' | 'No' | null;
  readonly disputed: 'Yes' | 'No' | null;
}

export interface CfpbSchema {
  readonly received: string;
  readonly sent: string;
  readonly response: string;
}

/** Which columns hold what in this file, or the reason it is no CFPB extract. */
export function schemaOf(header: readonly string[]): CfpbSchema | string {
  const has = (name: string) => header.includes(name);
  if (!has('Complaint ID')) return 'the header has no "Complaint ID" column: not a CFPB extract';
  const response = has('Company response to consumer') ? 'Company response to consumer' : has('Company response') ? 'Company response' : undefined;
  if (response === undefined) return 'the header has neither "Company response to consumer" nor "Company response"';
  if (has('Date submitted') && has('Date received')) return { received: 'Date submitted', sent: 'Date received', response };
  if (has('Date received') && has('Date sent to company')) return { received: 'Date received', sent: 'Date sent to company', response };
  return 'the header has no pair of dates ("Date received" and "Date sent to company", or "Date submitted" and "Date received")';
}

/** YYYY-MM-DD from ISO or M/D/YYYY text, or undefined when it is no real calendar day. */
export function dayOf(text: string | undefined): string | undefined {
  const value = (text ?? '').trim();
  let year: number;
  let month: number;
  let day: number;
  let match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match) [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else {
    match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
    if (!match) return undefined;
    [month, day, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  }
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}

const yesNo = (value: string | undefined): 'Yes' | 'No' | null => (value === 'Yes' || value === 'No' ? value : null);

/** The row, or what is wrong with it. */
export function rowOf(record: Readonly<Record<string, string | undefined>>, schema: CfpbSchema): CfpbRow | { problem: string } {
  const text = (column: string) => (record[column] ?? '').trim();
  const complaintId = text('Complaint ID');
  if (!/^\d{1,12}$/.test(complaintId)) return { problem: complaintId === '' ? 'no Complaint ID' : `Complaint ID is not a number: ${JSON.stringify(complaintId.slice(0, 40))}` };
  const receivedOn = dayOf(record[schema.received]);
  if (receivedOn === undefined) return { problem: `${schema.received} is not a date: ${JSON.stringify(text(schema.received).slice(0, 40))}` };
  const sentOn = dayOf(record[schema.sent]);
  if (sentOn === undefined) return { problem: `${schema.sent} is not a date: ${JSON.stringify(text(schema.sent).slice(0, 40))}` };
  if (sentOn < receivedOn) return { problem: `${schema.sent} ${sentOn} is before ${schema.received} ${receivedOn}` };
  return {
    complaintId,
    receivedOn,
    sentOn,
    submittedVia: 'Submitted via' in record ? text('Submitted via') : null,
    product: text('Product'),
    subProduct: text('Sub-product'),
    issue: text('Issue'),
    subIssue: text('Sub-issue'),
    narrative: text('Consumer complaint narrative'),
    company: 'Company' in record ? text('Company') || null : null,
    state: text('State'),
    zip: text('ZIP code'),
    companyResponse: text(schema.response),
    timely: yesNo(text('Timely response?')),
    disputed: yesNo(text('Consumer disputed?')),
  };
}
