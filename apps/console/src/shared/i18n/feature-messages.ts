import { createElement, type ReactElement } from 'react';
import { useI18n } from './i18n';
import { interpolate, type Language } from './catalogue';

/** A screen's own messages in both languages, kept with the screen so that they load with it. */
export type Messages<K extends string> = Readonly<Record<Language, Readonly<Record<K, string>>>>;

/** zh-CN must have every key en has (NoInfer: the keys are en's). */
export function defineMessages<K extends string>(en: Record<K, string>, zhCN: Record<NoInfer<K>, string>): Messages<K> {
  return { en, 'zh-CN': zhCN };
}

/** One message, rendered in the language picked at each render. */
function LiveMessage<K extends string>({ messages, name, values }: { messages: Messages<K>; name: K; values?: Record<string, string | number> }): string {
  return interpolate(messages[useI18n().language][name], values);
}

/**
 * The messages in the language picked; `has` says whether a key made from the API's words (a kind, a status) is one of them;
 * `live` gives a message as an element that follows a language switch, for what is kept once made (a form rule's message:
 * a string would stay in the language it was made in).
 */
export function useMessages<K extends string>(messages: Messages<K>) {
  const { language } = useI18n();
  return {
    m: (key: K, values?: Record<string, string | number>): string => interpolate(messages[language][key], values),
    has: (key: string): key is K => key in messages.en,
    /** The message for a key made from the API's words (a status), or the API's word itself when there is none. */
    known: (key: string, fallback: string): string => (key in messages.en ? interpolate(messages[language][key as K]) : fallback),
    live: (key: K, values?: Record<string, string | number>): ReactElement => createElement(LiveMessage<K>, { messages, name: key, ...(values ? { values } : {}) }),
  };
}
