import type { ExistingComplaint, NotificationChannel, StaffNotificationTemplate } from '@app/domain';

/** A@B → a***@b: enough for an auditor to tell two addresses apart, not enough to write to one. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${address[0]}***${address.slice(at)}`;
}

/** 13800138000 → 138****8000; a short number keeps its last two digits only. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/[^0-9+]/g, '');
  if (digits.length < 8) return `***${digits.slice(-2)}`;
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

/**
 * Who on the staff gets which e-mail: `dept:<code>` (a department, a station), `user:<id>` (a handler,
 * by the id the complaint names) and `*` (every staff notification, a supervisors' mailbox).
 */
export type StaffDirectory = ReadonlyMap<string, readonly string[]>;

const KEY = /^(dept:[A-Za-z0-9._-]{1,64}|user:[A-Za-z0-9._@:-]{1,100}|\*)$/;
const ADDRESS = /^[^\s@,;=]+@[^\s@,;=]+\.[^\s@,;=]+$/;

/**
 * Reads `dept:ops=ops@example.com,user:alice=alice@example.com,*=desk@example.com`: entries
 * separated by commas, a key, `=`, and one or more addresses separated by `;`. A key may come back
 * (its addresses add up). Throws an Error that names the bad entry.
 */
export function parseStaffDirectory(text: string): StaffDirectory {
  const directory = new Map<string, string[]>();
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const equals = entry.indexOf('=');
    const key = equals < 0 ? entry : entry.slice(0, equals).trim();
    if (equals < 0 || !KEY.test(key)) throw new Error(`"${entry}" is not dept:<code>=<address>, user:<id>=<address> or *=<address>`);
    const addresses = entry.slice(equals + 1).split(';').map((address) => address.trim()).filter((address) => address !== '');
    const bad = addresses.find((address) => !ADDRESS.test(address));
    if (addresses.length === 0 || bad !== undefined) throw new Error(`"${entry}" needs e-mail addresses after = (separated by ;)${bad === undefined ? '' : `; "${bad}" is not one`}`);
    directory.set(key, [...(directory.get(key) ?? []), ...addresses]);
  }
  return directory;
}

/** The people a staff notification concerns: the handler and department it names, else the complaint's own. */
export function staffConcerned(template: StaffNotificationTemplate, complaint: ExistingComplaint, trigger: { readonly data: Record<string, unknown> }): string[] {
  const assignment = 'assignment' in complaint ? complaint.assignment : undefined;
  switch (template) {
    case 'staff-assigned':
      return [`user:${String(trigger.data['assignee'])}`, `dept:${String(trigger.data['department'])}`];
    case 'staff-escalated':
      // `to` names a person or a unit: both keys are looked up; the department keeps hearing of it.
      return [`user:${String(trigger.data['to'])}`, `dept:${String(trigger.data['to'])}`, ...(assignment ? [`dept:${assignment.department}`] : [])];
    case 'staff-at-risk':
    case 'staff-breached':
      return assignment ? [`user:${assignment.assignee}`, `dept:${assignment.department}`] : [];
    default: {
      const never: never = template;
      return never;
    }
  }
}

/** The staff addresses of a notification: those of the people concerned and of `*`, each once, in that order. */
export function staffAddresses(directory: StaffDirectory, concerned: readonly string[]): string[] {
  return [...new Set([...concerned, '*'].flatMap((key) => directory.get(key) ?? []))];
}

/** How to reach a customer: a complaint's contact details, or a work order's phone. */
export interface CustomerContact {
  readonly email: string | null;
  readonly phone: string | null;
}

/** The customer's address for a channel, from the complaint's contact details (null: none). */
export function customerAddress(complaint: ExistingComplaint, channel: NotificationChannel): string | null {
  return contactAddress(complaint.contact, channel);
}

/** The address for a channel among contact details (null: none). */
export function contactAddress(contact: CustomerContact, channel: NotificationChannel): string | null {
  switch (channel) {
    case 'email':
      return contact.email;
    case 'sms':
      return contact.phone;
    case 'wechat':
      // The complaint's contact details have no WeChat id yet: a sender for it is plugged in, never asked.
      return null;
    default: {
      const never: never = channel;
      return never;
    }
  }
}
