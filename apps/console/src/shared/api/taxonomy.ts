import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { Language } from '../i18n/catalogue';

export type TaxonomyName = 'cause' | 'behaviour' | 'purpose' | 'channel' | 'severity' | 'resolutionClass' | 'remedy' | 'customerSegment' | 'callbackOutcome' | 'attachmentKind';
export type Taxonomy = Record<TaxonomyName, ReadonlyArray<{ readonly code: string; readonly labels: Record<Language, string> }>>;

/** The codes and their zh-CN / en names, as the API defines them: the console has no list of its own. */
export const taxonomyQuery = () => queryOptions({ queryKey: ['taxonomy'], queryFn: async () => (await api<Taxonomy>('/taxonomy')).body, staleTime: Infinity });

export function useTaxonomy() {
  return useQuery(taxonomyQuery());
}

export function useTaxonomyLabel(language: Language): (name: TaxonomyName, code: string | null | undefined) => string {
  const { data } = useTaxonomy();
  return (name, code) => {
    if (code === null || code === undefined) return '—';
    return data?.[name].find((entry) => entry.code === code)?.labels[language] ?? code;
  };
}

export function useTaxonomyOptions(language: Language): (name: TaxonomyName) => Array<{ value: string; label: string }> {
  const { data } = useTaxonomy();
  return (name) => (data?.[name] ?? []).map((entry) => ({ value: entry.code, label: entry.labels[language] }));
}
