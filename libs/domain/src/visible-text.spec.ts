import { isMeaningfulText } from './visible-text';

describe('meaningful text', () => {
  it.each([
    ['a Chinese reason', '客户自行损坏'],
    ['a Latin word between zero-width spaces', '\u200bdamaged\u200b'],
    ['a digit', '7'],
    ['a punctuation mark', '？'],
    ['a symbol', '✓'],
    ['an emoji with its variation selector', '\u2764\ufe0f'],
    ['a letter with a combining accent', 'e\u0301'],
  ])('takes %s', (_name, text) => expect(isMeaningfulText(text)).toBe(true));

  it.each([
    ['nothing', ''],
    ['spaces, tabs and line breaks', ' \t\r\n'],
    ['ideographic spaces (U+3000)', '\u3000\u3000'],
    ['a zero-width space and a word joiner', '\u200b\u2060'],
    ['zero-width joiners and non-joiners', '\u200d\u200c'],
    ['a byte order mark', '\ufeff'],
    ['bidi marks and isolates', '\u200e\u200f\u2066\u2069'],
    ['the soft hyphen and the invisible operators', '\u00ad\u2062\u2063\u2064'],
    ['variation selectors alone', '\ufe0f\u{e0100}'],
    ['a combining mark on no base', '\u0301\u034f'],
    ['tag characters', '\u{e0041}\u{e007f}'],
    ['Hangul fillers', '\u3164\u115f\u1160\uffa0'],
    ['the Braille blank', '\u2800\u2800'],
    ['the Mongolian vowel separator', '\u180e'],
    ['the object replacement character (a symbol that stands for nothing)', '\ufffc'],
    ['object replacement characters between spaces and joiners', ' \ufffc\u200d\ufffc '],
    ['the musical null notehead (a symbol drawn as nothing)', '\u{1d159}'],
    ['null noteheads between spaces', ' \u{1d159} \u{1d159}\u200b'],
  ])('refuses %s', (_name, text) => expect(isMeaningfulText(text)).toBe(false));
});
