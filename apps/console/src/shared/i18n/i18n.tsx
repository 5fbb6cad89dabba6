import { createContext, useContext, useEffect, useMemo, useState, type ReactElement, type ReactNode } from 'react';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import 'dayjs/locale/en';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';

dayjs.extend(utc);
dayjs.extend(timezone);
import { translate, type Language, type MessageKey } from './catalogue';

/** The browser's own zone, and the desk's: times are shown in the one the person picks. */
export const SHANGHAI = 'Asia/Shanghai';
export const browserZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

interface I18n {
  readonly language: Language;
  readonly setLanguage: (language: Language) => void;
  readonly zone: string;
  readonly setZone: (zone: string) => void;
  readonly t: (key: MessageKey, values?: Record<string, string | number>) => string;
  /** A message as an element that follows a language switch, for what is kept once made (a form rule's message). */
  readonly live: (key: MessageKey, values?: Record<string, string | number>) => ReactElement;
  /** An instant (ISO 8601) as a date and time in the chosen zone, with the zone's name. */
  readonly formatInstant: (iso: string | null | undefined) => string;
  /** A length of time, e.g. 1 h 5 min / 1小时5分钟. */
  readonly formatDuration: (milliseconds: number) => string;
}

const I18nContext = createContext<I18n | null>(null);

// Preferences, not secrets: kept across visits.
const LANGUAGE_KEY = 'complaint-desk.language';
const ZONE_KEY = 'complaint-desk.zone';

function initialLanguage(): Language {
  const stored = localStorage.getItem(LANGUAGE_KEY);
  if (stored === 'zh-CN' || stored === 'en') return stored;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** One message of the catalogue, in the language picked at each render. */
function Translated({ name, values }: { name: MessageKey; values: Record<string, string | number> | undefined }) {
  return <>{useI18n().t(name, values)}</>;
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  const [zone, setZoneState] = useState<string>(() => localStorage.getItem(ZONE_KEY) ?? browserZone());
  useEffect(() => {
    document.documentElement.lang = language;
    dayjs.locale(language === 'zh-CN' ? 'zh-cn' : 'en');
  }, [language]);
  const value = useMemo<I18n>(() => {
    const instant = new Intl.DateTimeFormat(language, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone, timeZoneName: 'short' });
    const units: Array<[Intl.NumberFormatOptions['unit'], number]> = [['day', 86_400_000], ['hour', 3_600_000], ['minute', 60_000], ['second', 1000]];
    const unitFormats = new Map(units.map(([unit]) => [unit, new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'narrow' })]));
    return {
      language,
      zone,
      setLanguage: (next) => {
        localStorage.setItem(LANGUAGE_KEY, next);
        setLanguageState(next);
      },
      setZone: (next) => {
        localStorage.setItem(ZONE_KEY, next);
        setZoneState(next);
      },
      t: (key, values) => translate(language, key, values),
      live: (key, values) => <Translated name={key} values={values} />,
      formatInstant: (iso) => (iso ? instant.format(new Date(iso)) : '—'),
      formatDuration: (milliseconds) => {
        // The two largest units that are not zero, e.g. 2d 3h, 1h 5min, 45s; Intl names each unit in the language.
        let rest = Math.max(0, Math.floor(Math.abs(milliseconds) / 1000) * 1000);
        const parts: string[] = [];
        for (const [unit, size] of units) {
          const count = Math.floor(rest / size);
          rest -= count * size;
          if (count > 0 || parts.length > 0 || unit === 'second') parts.push(unitFormats.get(unit)!.format(count));
          if (parts.length === 2) break;
        }
        return parts.join(language === 'zh-CN' ? '' : ' ');
      },
    };
  }, [language, zone]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
