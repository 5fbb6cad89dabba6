/**
 * Letters and symbols that show nothing: the Hangul fillers (U+115F, U+1160, U+3164, U+FFA0) are
 * letters to Unicode and the Braille blank (U+2800) a symbol, yet each renders as an empty space; the
 * object replacement character (U+FFFC) is a symbol that stands in for an embedded object the text
 * does not carry, so it says nothing either (found by the attacker: a reason of U+FFFC alone passed);
 * the musical null notehead (U+1D159) is a symbol drawn as nothing (a note of it alone passed too).
 */
const BLANK_GLYPHS = /[\u115F\u1160\u3164\uFFA0\u2800\uFFFC\u{1D159}]/gu;
/** What a reader can see: a letter, a digit, a punctuation mark or a symbol (marks need a base to sit on). */
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;

/**
 * Whether a text says something a reader can see: at least one letter, number, punctuation mark or
 * symbol once whitespace, format characters (\p{Cf}: zero-width spaces and joiners, bidi marks, the
 * BOM), controls, variation selectors and other marks on no base, and blank glyphs are set aside. A
 * required reason or name of "\u200b\u2060" is as empty as one of spaces, but passes trim().
 */
export function isMeaningfulText(text: string): boolean {
  return VISIBLE.test(text.replace(BLANK_GLYPHS, ''));
}

/** What to tell the caller whose text shows nothing, after the field's name. */
export const MEANINGFUL_TEXT_RULE = 'must not be blank: write something a reader can see (a letter, digit, punctuation mark or symbol); spaces and invisible characters alone '
  + '(zero-width spaces and joiners, the byte-order mark, format characters, variation selectors, blank fillers, the object replacement character U+FFFC, the null notehead U+1D159) show nothing. Leave an optional field out rather than send it blank';

/** A character as JavaScript writes it: \u200b, and \u{1f600} above U+FFFF (\u1f600 would read as U+1F60 and a 0). */
const escapedCodePoint = (code: number): string => (code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`);

/**
 * A text a refusal repeats, with what is not printable ASCII escaped (a zero-width space, a bidi override or a look-alike
 * letter is not seen otherwise) and a backslash doubled (a typed `\u200b` is not one).
 */
export function asciiShown(text: string): string {
  return text.replace(/[^\x20-\x7e]|\\/gu, (character) => (character === '\\' ? '\\\\' : escapedCodePoint(character.codePointAt(0)!)));
}
