import type { Language } from '../i18n/catalogue';

/** A noun's forms per language, by the CLDR plural category (Intl.PluralRules); `other` is the one every language has. */
export type CountForms = Readonly<Record<Language, Readonly<Partial<Record<Intl.LDMLPluralRule, string>> & { readonly other: string }>>>;

/**
 * "1 event", "11,354 events", "3 个事件": the form the language's plural rules pick for the count, with the count's
 * digits grouped as the language groups them. Not a "(s)" left for the reader to resolve.
 */
export function countOf(forms: CountForms, language: Language, count: number): string {
  const byLanguage = forms[language];
  const form = byLanguage[new Intl.PluralRules(language).select(count)] ?? byLanguage.other;
  return form.replace('{count}', new Intl.NumberFormat(language).format(count));
}
