import type { LinkDuplicate, RelateComplaint, TagComplaint, UnlinkDuplicate, UnrelateComplaint } from './complaint.commands';
import { IllegalTransitionError, InvalidComplaintCommandError } from './complaint.errors';
import type { ComplaintDuplicateLinked, ComplaintDuplicateUnlinked, ComplaintRelated, ComplaintTagged, ComplaintUnrelated } from './complaint.events';
import { isMeaningfulText } from './visible-text';
import type { ExistingComplaint } from './complaint.state';

/*
 * Tags and links between complaints (issue 19). Neither changes the status; both are taken in every
 * status, a closed complaint included (they are for finding and grouping complaints, not steps of
 * handling one). Pure, like decide(), which calls these.
 */

export const MAX_TAGS = 20;
export const MAX_TAG_LENGTH = 32;
export const COMPLAINT_RELATIONS = ['duplicate-of', 'related'] as const;
export type ComplaintRelation = (typeof COMPLAINT_RELATIONS)[number];

/** Letters and digits of any script, with - or _ between them (not first, not last): no spaces, dots, quotes or controls. */
const TAG = /^[\p{L}\p{N}](?:[\p{L}\p{N}\p{M}_-]*[\p{L}\p{N}\p{M}])?$/u;
export const TAG_RULE = `1 to ${MAX_TAG_LENGTH} letters (any script) or digits, with - or _ inside: no spaces, dots or other signs (e.g. metering, 油品, repeat-caller)`;

/**
 * A tag in its one form: NFKC (full-width → plain), invisible marks dropped (variation selectors,
 * joiners), trimmed, case folded (lower case, then ß → ss, ς → σ and the dot İ leaves on i dropped, so
 * each reads as one tag), NFC again; null when it is not a tag (or piles up combining marks).
 */
export function normaliseTag(value: string): string | null {
  const tag = value.normalize('NFKC').replace(/(?!\p{Bidi_Control})\p{Default_Ignorable_Code_Point}/gu, '').trim().toLowerCase()
    .replace(/ß/g, 'ss').replace(/ς/g, 'σ').replace(/i\u0307/g, 'i').normalize('NFC');
  // A pile of combining marks reads as nothing a person would type (and draws over its neighbours).
  // Counted decomposed: NFC folds the first mark into its letter (á), which hid a third one.
  return [...tag].length <= MAX_TAG_LENGTH && TAG.test(tag) && !/\p{M}{3}/u.test(tag.normalize('NFD')) ? tag : null;
}

/** A refused value as JSON, its controls and invisible or bidirectional characters escaped (\\u202e), so a message cannot be turned around by them. */
export const shown = (value: unknown): string => String(JSON.stringify(value)).replace(/[\p{Cc}\p{Cf}]/gu, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * Scripts a tag's letters may be written in together: one script, or Latin with the CJK scripts
 * (Unicode TR39's "highly restrictive" level), so 加油机a3 is a tag and vаlve with a Cyrillic а is not.
 * Digits, - and _ (Common) and combining marks (Inherited) belong to any script.
 */
const SCRIPT_SETS: readonly (readonly string[])[] = [['Latin', 'Han', 'Hiragana', 'Katakana'], ['Latin', 'Han', 'Bopomofo'], ['Latin', 'Han', 'Hangul']];
const SCRIPTS = [
  'Latin', 'Greek', 'Cyrillic', 'Armenian', 'Georgian', 'Cherokee', 'Hebrew', 'Arabic', 'Syriac', 'Thaana', 'Devanagari', 'Bengali', 'Gurmukhi', 'Gujarati', 'Oriya',
  'Tamil', 'Telugu', 'Kannada', 'Malayalam', 'Sinhala', 'Thai', 'Lao', 'Tibetan', 'Myanmar', 'Khmer', 'Mongolian', 'Ethiopic', 'Han', 'Hiragana', 'Katakana', 'Bopomofo',
  'Hangul', 'Yi', 'Tifinagh', 'Runic', 'Ogham', 'Coptic', 'Lisu', 'Vai', 'Canadian_Aboriginal',
].map((name) => ({ name, test: new RegExp(`^\\p{Script=${name}}$`, 'u') }));
const NEUTRAL = /^[\p{Script=Common}\p{Script=Inherited}]$/u;

const scriptOf = (char: string): string | null => (NEUTRAL.test(char) ? null : SCRIPTS.find((script) => script.test.test(char))?.name ?? 'another script');
const codePoint = (char: string): string => `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Where a tag mixes scripts that may not be mixed (a Cyrillic а or a Greek ο among Latin letters reads
 * as the Latin tag but is another one): the first letter outside the script most of its letters are
 * in, with that script; null when the tag keeps to one script, or to Latin with Chinese or Japanese or Korean.
 */
export function tagScriptMix(tag: string): { readonly char: string; readonly script: string; readonly among: string } | null {
  const letters = [...tag].flatMap((char) => {
    const script = scriptOf(char);
    return script === null ? [] : [{ char, script }];
  });
  const scripts = [...new Set(letters.map((letter) => letter.script))];
  if (scripts.length <= 1 || SCRIPT_SETS.some((set) => scripts.every((script) => set.includes(script)))) return null;
  const count = (script: string) => letters.filter((letter) => letter.script === script).length;
  // On a tie Latin is the main script: the odd letter named is then the one that reads like a Latin one (µ in µm).
  const main = scripts.reduce((best, script) => (count(script) > count(best) || (count(script) === count(best) && script === 'Latin') ? script : best));
  const odd = letters.find((letter) => letter.script !== main && !SCRIPT_SETS.some((set) => set.includes(main) && set.includes(letter.script)))
    ?? letters.find((letter) => letter.script !== main);
  return odd === undefined ? null : { char: odd.char, script: odd.script, among: main };
}

/** The key under which a read model stores a tag (hex of its UTF-8): read stores filter on plain ASCII field names. */
export const complaintTagKey = (tag: string): string => `t_${[...new TextEncoder().encode(tag)].map((byte) => byte.toString(16).padStart(2, '0')).join('')}`;

function tagsOf(field: 'add' | 'remove', values: readonly string[] | undefined, recorded: readonly string[] = []): string[] {
  const tags: string[] = [];
  (values ?? []).forEach((value, index) => {
    // A tag to remove, sent as the complaint has it, is that tag: one recorded under an earlier form
    // of these rules may not fold to itself any more, and must still be removable.
    const tag = typeof value !== 'string' ? null : field === 'remove' && recorded.includes(value) ? value : normaliseTag(value);
    if (tag === null) throw new InvalidComplaintCommandError('invalid-tag', `${field}[${index}]`, `${shown(value)} is not a tag: a tag is ${TAG_RULE}.`);
    // Only a new tag: one recorded before this rule can still be removed.
    const mix = field === 'add' ? tagScriptMix(tag) : null;
    if (mix !== null) {
      throw new InvalidComplaintCommandError('mixed-script-tag', `${field}[${index}]`,
        `${shown(value)} mixes scripts: ${shown(mix.char)} (${codePoint(mix.char)}) is ${mix.script === 'another script' ? 'in another script' : mix.script} among ${mix.among} letters, so the tag would read like another one. `
        + 'Type it in one script (Latin letters together with Chinese are fine, e.g. 加油机a3).');
    }
    if (!tags.includes(tag)) tags.push(tag);
  });
  return tags;
}

export function tagComplaint(command: TagComplaint, state: ExistingComplaint): ComplaintTagged {
  const add = tagsOf('add', command.data.add);
  const remove = tagsOf('remove', command.data.remove, state.tags);
  if (add.length === 0 && remove.length === 0) throw new InvalidComplaintCommandError('nothing-to-change', 'add', 'Send the tags to add (add) or to remove (remove).');
  const both = add.find((tag) => remove.includes(tag));
  if (both !== undefined) throw new InvalidComplaintCommandError('invalid-tag', 'remove', `Tag ${both} is both added and removed: send it in one of the two lists.`);
  // null as absent: an optional field of the request may arrive as null.
  const reason = command.data.reason == null ? null : command.data.reason.trim() || null;
  const removed = remove.filter((tag) => state.tags.includes(tag));
  const kept = state.tags.filter((tag) => !removed.includes(tag));
  const added = add.filter((tag) => !kept.includes(tag));
  if (added.length === 0 && removed.length === 0) {
    throw new IllegalTransitionError('nothing-changed', command.type, state.status, `The complaint's tags are already ${state.tags.length > 0 ? state.tags.join(', ') : '(none)'}; nothing was recorded.`);
  }
  const tags = [...kept, ...added];
  if (tags.length > MAX_TAGS) throw new InvalidComplaintCommandError('too-many-tags', 'add', `A complaint has at most ${MAX_TAGS} tags; it would have ${tags.length}: remove some first.`);
  return { type: 'ComplaintTagged', data: { complaintId: command.complaintId, taggedAt: command.at, by: command.actor, added, removed, tags, reason } };
}

export function relateComplaint(command: RelateComplaint, state: ExistingComplaint): ComplaintRelated {
  const { relatedId, relation, target } = command.data;
  if (relatedId === command.complaintId) throw new InvalidComplaintCommandError('relation-to-itself', 'complaintId', 'A complaint is not linked to itself: name another complaint.');
  if (target === null) {
    throw new InvalidComplaintCommandError('unknown-related-complaint', 'complaintId', `No complaint with id ${relatedId} that you may see: take the id from the complaint list (GET /complaints).`);
  }
  const reason = command.data.reason.trim();
  if (!isMeaningfulText(reason)) throw new InvalidComplaintCommandError('blank-text', 'reason', 'reason must not be blank (spaces or invisible characters alone): say why the complaints belong together.');
  const existing = state.related.find((link) => link.complaintId === relatedId);
  if (existing?.relation === relation) {
    throw new IllegalTransitionError('nothing-changed', command.type, state.status, `This complaint is already linked to ${relatedId} as ${relation}; nothing was recorded.`);
  }
  if (relation === 'duplicate-of') {
    // Duplicates are one level deep: an original is never a duplicate itself, so no chain and no cycle can form (docs/adr/0013, "Duplicates").
    const original = state.related.find((link) => link.relation === 'duplicate-of');
    if (original) {
      throw new IllegalTransitionError('already-duplicate', command.type, state.status, `This complaint is already a duplicate of ${original.complaintId}; link ${relatedId} as related instead.`);
    }
    if (target.duplicateOf !== null) throw duplicateOfADuplicate(command.type, state.status, command.complaintId, relatedId, target.duplicateOf);
    if (state.duplicates.length > 0) {
      const duplicates = state.duplicates.map((each) => each.complaintId).join(', ');
      // Its duplicates' markings are theirs (they link to it): withdrawn on each duplicate, not here.
      throw new IllegalTransitionError('has-duplicates', command.type, state.status,
        `This complaint is the original of ${duplicates}, so it is not marked a duplicate itself. To mark it a duplicate of ${relatedId}, first withdraw the marking of ${duplicates} `
        + `(POST /complaints/{duplicate}/unrelate with complaintId ${command.complaintId}, on each), then mark this complaint, and them if they are, duplicates of ${relatedId}; `
        + `or mark ${relatedId} a duplicate of this complaint instead.`);
    }
  }
  return { type: 'ComplaintRelated', data: { complaintId: command.complaintId, relatedAt: command.at, by: command.actor, relatedId, relation, reason } };
}

export function unrelateComplaint(command: UnrelateComplaint, state: ExistingComplaint): ComplaintUnrelated {
  const { relatedId } = command.data;
  if (state.related.length === 0) {
    // Its duplicates link to it, not it to them: a link is removed from the complaint that made it.
    const incoming = state.duplicates.length === 0 ? '' : ` Its duplicates (${state.duplicates.map((each) => each.complaintId).join(', ')}) link to it: remove such a link from the duplicate (POST /complaints/{duplicate}/unrelate).`;
    throw new IllegalTransitionError('not-linked', command.type, state.status, `This complaint has made no link to another complaint: there is no link of its own to remove.${incoming}`);
  }
  if (relatedId === command.complaintId) throw new InvalidComplaintCommandError('relation-to-itself', 'complaintId', 'A complaint is not linked to itself: name the complaint whose link to remove.');
  const link = state.related.find((each) => each.complaintId === relatedId);
  if (link === undefined) {
    const links = state.related.map((each) => `${each.complaintId} (${each.relation})`).join(', ');
    throw new IllegalTransitionError('not-linked', command.type, state.status, `This complaint is not linked to ${relatedId}; its links: ${links}. Nothing was recorded.`);
  }
  const reason = command.data.reason.trim();
  if (!isMeaningfulText(reason)) throw new InvalidComplaintCommandError('blank-text', 'reason', 'reason must not be blank (spaces or invisible characters alone): say why the complaints do not belong together.');
  return { type: 'ComplaintUnrelated', data: { complaintId: command.complaintId, unrelatedAt: command.at, by: command.actor, relatedId, relation: link.relation, reason } };
}

/**
 * A duplicate-of link to a complaint that is itself a duplicate (of `root`, found by following its
 * links): refused, naming the original to use, as Zammad refuses a merge into a merged ticket.
 */
function duplicateOfADuplicate(command: string, status: string, complaintId: string, relatedId: string, root: string): IllegalTransitionError {
  return new IllegalTransitionError('duplicate-of-a-duplicate', command, status, root === complaintId
    ? `${relatedId} is a duplicate of this complaint: this one is the original.`
    : `${relatedId} is itself a duplicate of ${root}: mark this complaint a duplicate of ${root}, the original.`);
}

/** The original's side of a duplicate-of link; nothing when it is recorded already (a retry). */
export function linkDuplicate(command: LinkDuplicate, state: ExistingComplaint): ComplaintDuplicateLinked[] {
  const { duplicateId } = command.data;
  if (duplicateId === command.complaintId) throw new InvalidComplaintCommandError('relation-to-itself', 'complaintId', 'A complaint is not a duplicate of itself: name another complaint.');
  const original = state.related.find((link) => link.relation === 'duplicate-of');
  // Read again on this stream, after the duplicate's own checks: two markings that cross meet here.
  if (original) throw duplicateOfADuplicate(command.type, state.status, duplicateId, command.complaintId, original.complaintId);
  if (state.duplicates.some((each) => each.complaintId === duplicateId)) return [];
  return [{ type: 'ComplaintDuplicateLinked', data: { complaintId: command.complaintId, linkedAt: command.at, by: command.actor, duplicateId, reason: command.data.reason } }];
}

/** The original's side of a link that is no longer duplicate-of; nothing when there is none. */
export function unlinkDuplicate(command: UnlinkDuplicate, state: ExistingComplaint): ComplaintDuplicateUnlinked[] {
  const { duplicateId } = command.data;
  if (!state.duplicates.some((each) => each.complaintId === duplicateId)) return [];
  return [{ type: 'ComplaintDuplicateUnlinked', data: { complaintId: command.complaintId, unlinkedAt: command.at, by: command.actor, duplicateId, reason: command.data.reason } }];
}
