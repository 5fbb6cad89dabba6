import type { AddComplaintAttachment, AddComplaintNote, ContactDetailsInput, CorrectComplaint, UpdateComplaintContact } from './complaint.commands';
import { IllegalTransitionError, InvalidComplaintCommandError } from './complaint.errors';
import {
  CORRECTABLE_FIELDS, CUSTOMER_LANGUAGES, type Classification, type ComplaintAttachmentAdded, type ComplaintContactRecorded, type ComplaintCorrected, type ComplaintNoteAdded, type ContactField,
  type ContactPersonalField, type CorrectableField,
} from './complaint.events';
import type { ComplaintContact, ExistingComplaint } from './complaint.state';
import type { Actor } from './principal';
import { isMeaningfulText } from './visible-text';
import { checkEmail, checkPhone } from './customer/customer-file.validation';
import { InvalidCustomerFileCommandError } from './customer/customer-file.errors';

/*
 * The complaint workspace: the notes thread, the customer's contact details and corrections of the
 * classification. None of them changes the status. Pure, like decide(), which calls these.
 */

export const CONTACT_TEXT_LIMITS = { address: 500, preferredTime: 100 } as const;

/** A note or a reply. Internal notes are taken in every status; a reply to the customer not on a closed complaint (reopen it first). */
export function addNote(command: AddComplaintNote, state: ExistingComplaint): ComplaintNoteAdded {
  const { visibility, channel } = command.data;
  const text = trimmed('text', command.data.text);
  if (visibility === 'internal' && channel !== undefined) {
    throw new InvalidComplaintCommandError('channel-not-for-internal-note', 'channel', 'An internal note reaches no customer: leave channel out, or send visibility "customer" for a reply to the customer.');
  }
  if (visibility === 'customer' && state.status === 'closed') {
    throw new IllegalTransitionError('not-open', command.type, state.status, 'A closed complaint takes no reply to the customer; reopen it first (an internal note is still taken).');
  }
  return {
    type: 'ComplaintNoteAdded',
    data: {
      complaintId: command.complaintId,
      addedAt: command.at,
      by: command.actor,
      visibility,
      channel: channel ?? null,
      text: command.data.personal === true ? null : text,
      personal: command.data.personal === true ? { text } : null,
      firstReply: visibility === 'customer' && state.firstReplyAt === null && state.answeredAt === null,
    },
  };
}

/** The contact details given at intake, or null when none is. */
export function contactAtIntake(complaintId: string, at: string, by: Actor, input: ContactDetailsInput | undefined): ComplaintContactRecorded | null {
  if (input === undefined) return null;
  const given = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined && value !== null)) as ContactDetailsInput;
  return contactChange(complaintId, at, by, null, given, null);
}

/** A change of the contact details, with its reason; one that changes nothing is refused. */
export function updateContact(command: UpdateComplaintContact, state: ExistingComplaint): ComplaintContactRecorded {
  const { reason, ...input } = command.data;
  const event = contactChange(command.complaintId, command.at, command.actor, trimmed('reason', reason), input, state.contact);
  if (event === null) {
    throw new InvalidComplaintCommandError('nothing-to-change', 'phone', 'Send at least one of phone, email, address, preferredChannel, preferredTime, language (null clears one).');
  }
  if (event.data.changed.length === 0) {
    throw new IllegalTransitionError('nothing-changed', command.type, state.status, 'The contact details already say this; nothing was recorded.');
  }
  return event;
}

function contactChange(
  complaintId: string, at: string, by: Actor, reason: string | null, input: ContactDetailsInput, current: ComplaintContact | null,
): ComplaintContactRecorded | null {
  const next: { -readonly [F in keyof ComplaintContact]?: ComplaintContact[F] } = {};
  if (input.phone !== undefined) next.phone = input.phone === null ? null : domainCheck(() => checkPhone('phone', input.phone));
  if (input.email !== undefined) next.email = input.email === null ? null : domainCheck(() => checkEmail('email', input.email));
  if (input.address !== undefined) next.address = input.address === null ? null : trimmed('address', input.address);
  if (input.preferredChannel !== undefined) next.preferredChannel = input.preferredChannel;
  if (input.preferredTime !== undefined) next.preferredTime = input.preferredTime === null ? null : trimmed('preferredTime', input.preferredTime);
  if (input.language !== undefined) next.language = input.language === null ? null : languageOf(input.language);
  if (Object.keys(next).length === 0) return null;
  const changed = (Object.keys(next) as ContactField[]).filter((field) => current === null || current[field] !== next[field]);
  const personal: { [F in ContactPersonalField]?: string | null } = {};
  for (const field of changed) if (field !== 'preferredChannel') personal[field] = next[field] ?? null;
  return {
    type: 'ComplaintContactRecorded',
    data: {
      complaintId, recordedAt: at, by, reason, changed,
      changes: changed.includes('preferredChannel') ? { preferredChannel: next.preferredChannel ?? null } : {},
      personal: Object.keys(personal).length === 0 ? null : personal,
    },
  };
}

/** The contact details after a recorded change (a personal part that cannot be read, null, leaves them as they were). */
export function contactAfter(contact: ComplaintContact, event: ComplaintContactRecorded): ComplaintContact {
  const next: Record<string, unknown> = { ...contact };
  if (event.data.changes.preferredChannel !== undefined) next['preferredChannel'] = event.data.changes.preferredChannel;
  for (const [field, value] of Object.entries(event.data.personal ?? {})) if (value !== undefined) next[field] = value;
  return next as unknown as ComplaintContact;
}

/** A re-categorisation, with its reason; the fields that do not change are left out of the event. */
export function correct(command: CorrectComplaint, state: ExistingComplaint): ComplaintCorrected {
  const reason = trimmed('reason', command.data.reason);
  const given = CORRECTABLE_FIELDS.filter((field) => command.data[field] !== undefined);
  if (given.length === 0) {
    throw new InvalidComplaintCommandError('nothing-to-change', 'cause', `Send at least one of ${CORRECTABLE_FIELDS.join(', ')} to correct.`);
  }
  // The edge lets null through for every optional field; only behaviour and purpose may be unknown.
  const cleared = (['cause', 'severity', 'channel'] as const).find((name) => (command.data as Record<string, unknown>)[name] === null);
  if (cleared !== undefined) {
    throw new InvalidComplaintCommandError('cannot-clear', cleared, `${cleared} cannot be cleared: every complaint has one. Send a code, or leave the field out.`);
  }
  const changed: CorrectableField[] = given.filter((field) => state[field] !== command.data[field]);
  if (changed.length === 0) {
    throw new IllegalTransitionError('nothing-changed', command.type, state.status, 'The complaint is already classified like this; nothing was recorded.');
  }
  const from: Record<string, unknown> = {};
  const to: Record<string, unknown> = {};
  for (const field of changed) {
    from[field] = state[field];
    to[field] = command.data[field];
  }
  return {
    type: 'ComplaintCorrected',
    data: { complaintId: command.complaintId, correctedAt: command.at, by: command.actor, reason, changed, from: from as Partial<Classification>, to: to as Partial<Classification> },
  };
}

/** A language notifications can be written in (CUSTOMER_LANGUAGES). */
function languageOf(value: string): string {
  if (!(CUSTOMER_LANGUAGES as readonly string[]).includes(value)) {
    throw new InvalidComplaintCommandError('unknown-language', 'language', `language must be one of ${CUSTOMER_LANGUAGES.join(', ')} (got ${JSON.stringify(value)}).`);
  }
  return value;
}

/** The longest file name kept, in characters (the extension is kept whole within it). */
export const ATTACHMENT_FILE_NAME_MAX = 120;
export const ATTACHMENT_DESCRIPTION_MAX = 500;
const SHA256 = /^[0-9a-f]{64}$/;
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/**
 * The file name as it is kept: the last part of any path, Unicode NFC, without control or format
 * characters (bidirectional overrides, zero-width ones), without the characters no file system or
 * header takes (\ / : * ? " < > |), blanks collapsed, no leading dots, at most
 * ATTACHMENT_FILE_NAME_MAX characters with the extension kept; "attachment" when nothing is left.
 */
export function attachmentFileName(given: string): string {
  const base = given.split(/[\\/]/).pop() ?? '';
  const cleaned = base.normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cs}\u2028\u2029]/gu, '')
    .replace(/[:*?"<>|]/g, '_')
    .replace(/\s+/gu, ' ')
    .trim()
    .replace(/^[.\s]+/u, '');
  const characters = [...cleaned];
  if (characters.length === 0) return 'attachment';
  if (characters.length <= ATTACHMENT_FILE_NAME_MAX) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const extension = dot > 0 && cleaned.length - dot <= 16 ? [...cleaned.slice(dot)] : [];
  return [...characters.slice(0, ATTACHMENT_FILE_NAME_MAX - extension.length), ...extension].join('').trim();
}

/**
 * A file attached by its hash. Taken in every status but closed (reopen it first: a closed complaint's
 * record is what was decided); the same file twice on one complaint is refused, as it would say nothing new,
 * unless the one recorded was erased with its customer: given again after that, it is new (ADR 0019).
 */
export function addAttachment(command: AddComplaintAttachment, state: ExistingComplaint): ComplaintAttachmentAdded {
  const { sha256, size, mediaType, fileName, kind, description } = command.data;
  if (!SHA256.test(sha256)) throw new InvalidComplaintCommandError('invalid-attachment', 'sha256', 'sha256 must be 64 lowercase hexadecimal digits (the SHA-256 of the file).');
  if (!Number.isSafeInteger(size) || size < 1) throw new InvalidComplaintCommandError('invalid-attachment', 'size', 'size must be a whole number of bytes above zero: an empty file is not an attachment.');
  if (!MEDIA_TYPE.test(mediaType)) throw new InvalidComplaintCommandError('invalid-attachment', 'mediaType', 'mediaType must be a media type such as image/jpeg.');
  const text = description === undefined ? null : trimmed('description', description);
  if (text !== null && [...text].length > ATTACHMENT_DESCRIPTION_MAX) {
    throw new InvalidComplaintCommandError('invalid-attachment', 'description', `description must be at most ${ATTACHMENT_DESCRIPTION_MAX} characters.`);
  }
  if (state.status === 'closed') {
    throw new IllegalTransitionError('not-open', command.type, state.status, 'A closed complaint takes no attachment; reopen it first.');
  }
  if (state.attachments.includes(sha256) && !(command.data.erasedFiles ?? []).includes(sha256)) {
    throw new IllegalTransitionError('attachment-already-added', command.type, state.status, `This file (sha256 ${sha256}) is already attached to the complaint.`);
  }
  return {
    type: 'ComplaintAttachmentAdded',
    data: {
      complaintId: command.complaintId, addedAt: command.at, by: command.actor, sha256, size, mediaType, kind, description: text,
      personal: { fileName: attachmentFileName(fileName) },
    },
  };
}

function trimmed(field: string, value: string): string {
  const text = value.trim();
  if (!isMeaningfulText(text)) throw new InvalidComplaintCommandError('blank-text', field, `${field} must not be blank (spaces or invisible characters alone); write something${field === 'text' || field === 'reason' ? '' : ' or leave the field out'}.`);
  return text;
}

/** The customer file's checks of a phone and an e-mail, refusing as a complaint command does. */
function domainCheck<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof InvalidCustomerFileCommandError && (error.code === 'invalid-phone' || error.code === 'invalid-email')) {
      throw new InvalidComplaintCommandError(error.code, error.field, error.message);
    }
    throw error;
  }
}
