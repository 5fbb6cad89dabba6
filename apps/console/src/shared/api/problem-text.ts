import { ApiError } from './client';
import { CATALOGUE, translate, type Language, type MessageKey } from '../i18n/catalogue';

/** The console's words for problem codes, by language (shared/i18n/problem-messages.ts, loaded on demand). */
export type ProblemWords = Readonly<Record<Language, Readonly<Record<string, string>>>>;

export const NO_PROBLEM_WORDS: ProblemWords = { en: {}, 'zh-CN': {} };

/**
 * The console's words for a problem code in a language: its own, else the complaint page's words for
 * that refusal (`refusal.<code>` in the catalogue), else none (the API's detail is shown).
 */
export function problemWords(code: string | undefined, language: Language, words: ProblemWords): string | undefined {
  if (code === undefined) return undefined;
  if (Object.hasOwn(words[language], code)) return words[language][code];
  const refusal = `refusal.${code}`;
  return Object.hasOwn(CATALOGUE[language], refusal) ? CATALOGUE[language][refusal as MessageKey] : undefined;
}

/**
 * What an alert says of a failed request: one message, in the language picked where the console has
 * words for the problem's code, else the API's detail; and the field messages that say more than that
 * detail (a domain refusal repeats its detail as its one field's message: shown once).
 */
export function describeFailure(error: unknown, language: Language, words: ProblemWords): { readonly message: string; readonly fields: readonly string[] } {
  if (!(error instanceof ApiError)) return { message: translate(language, 'error.generic', { detail: error instanceof Error ? error.message : String(error) }), fields: [] };
  const reason = problemWords(error.problem.code, language, words);
  // A 403 the console has words for (agent-deactivated, engineer-deactivated) says why; any other, that the token may not.
  if (error.status === 403 && reason === undefined) return { message: translate(language, 'error.forbidden'), fields: [] };
  if (reason !== undefined) return { message: translate(language, 'error.refused', { reason }), fields: [] };
  const detail = error.message;
  return { message: translate(language, 'error.generic', { detail }), fields: (error.problem.errors ?? []).map((field) => field.message).filter((message) => message !== detail) };
}
