import { useId, type ReactElement } from 'react';
import { Typography } from 'antd';
import { defineMessages, useMessages } from '../../shared/i18n/feature-messages';
import { useI18n } from '../../shared/i18n/i18n';
import { partialPeriods, periodNamer, type Interval } from './periods';

/** The words a period is named with on every screen that charts periods (the dashboard, the surveys' figures), in both languages. */
export const PERIOD_MESSAGES = defineMessages(
  {
    'period.quarter': '{year} Q{quarter}',
    'period.week': 'Week of {date}',
    'period.partial': '{period}*',
    'period.partialNote': '* Partial period: not over yet, or, read as of a moment, not over at that moment. Its figures cover only part of it: do not compare them with a whole period\'s.',
  },
  {
    'period.quarter': '{year}年第{quarter}季度',
    'period.week': '{date} 当周',
    'period.partial': '{period}*',
    'period.partialNote': '* 不完整周期：尚未结束；按某一时刻查看时，在该时刻尚未结束。其数据只涵盖该周期的一部分，请勿与完整周期的数据直接比较。',
  },
);

/** A screen's period names: the namer, the id of the note each chart names as its description (when a period is partial), and the note. */
export interface PeriodNames {
  readonly periodName: (period: string) => string;
  readonly describedBy: string | undefined;
  readonly note: ReactElement | null;
}

/**
 * The one way a screen names the periods of the statistics' answers (axes, tooltips, text alternatives, the heat map):
 * a period some row marks `partial` (cut short, or not over yet) is marked wherever it is named (Apr 2026*), and one note,
 * which each chart names as its description (`describedBy`), says what the mark means. No note when no period is partial.
 */
export function usePeriodNames(interval: Interval, ...answers: ReadonlyArray<ReadonlyArray<{ readonly period?: string; readonly partial?: boolean }>>): PeriodNames {
  const { language } = useI18n();
  const { m } = useMessages(PERIOD_MESSAGES);
  const noteId = useId();
  const partial = partialPeriods(...answers);
  const periodName = periodNamer(interval, language, {
    quarter: (year, quarter) => m('period.quarter', { year, quarter }),
    week: (date) => m('period.week', { date }),
    partial: (period) => m('period.partial', { period }),
  }, partial);
  if (partial.size === 0) return { periodName, describedBy: undefined, note: null };
  return { periodName, describedBy: noteId, note: <Typography.Paragraph type="secondary" id={noteId}>{m('period.partialNote')}</Typography.Paragraph> };
}
