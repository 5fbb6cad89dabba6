import { Tag } from 'antd';
import { useI18n } from '../../shared/i18n/i18n';
import type { Clock } from './api';
import { deadlineState } from './deadlines';
import { STATE_COLOURS } from '../../shared/ui/colours';


/** A running clock as a live countdown, marked breached / at risk / on track. */
export function DeadlineTag({ clock, now }: { clock: Clock | null; now: number }) {
  const { t, formatDuration, formatInstant } = useI18n();
  if (clock === null) return <span>{t('deadline.none')}</span>;
  const state = deadlineState(clock, now);
  const left = Date.parse(clock.deadline) - now;
  const clockName = t(`clock.${clock.clock}`);
  const marker = state === 'breached' ? t('deadline.breached') : state === 'at-risk' ? t('deadline.atRisk') : t('deadline.onTrack');
  return (
    <span title={formatInstant(clock.deadline)}>
      <Tag color={STATE_COLOURS[state]}>{marker}</Tag>
      <time dateTime={clock.deadline}>
        {left < 0 ? t('deadline.overdue', { clock: clockName, duration: formatDuration(left) }) : t('deadline.in', { clock: clockName, duration: formatDuration(left) })}
      </time>
    </span>
  );
}
