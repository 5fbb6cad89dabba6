import { Timeline, Typography } from 'antd';
import { useI18n } from '../../shared/i18n/i18n';
import { CATALOGUE, type MessageKey } from '../../shared/i18n/catalogue';
import type { StoredEvent, TrailEntry } from './api';

/** The decisions on a complaint in order: what, who, when, why (the trail's plain words where the role may read it). */
export function EventTimeline({ events, trail }: { events: readonly StoredEvent[]; trail?: readonly TrailEntry[] | undefined }) {
  const { t, language, formatInstant } = useI18n();
  const words = new Map((trail ?? []).map((entry) => [entry.revision, entry.decision[language]]));
  return (
    <Timeline
      items={events.map((event) => {
        const reason = typeof event.data['reason'] === 'string' ? event.data['reason'] : event.metadata.reason;
        const statement = typeof event.data['statement'] === 'string' ? event.data['statement'] : undefined;
        const known = `event.${event.type}` as MessageKey;
        return {
          key: event.revision,
          color: event.type === 'SlaBreached' ? 'red' : event.type === 'SlaAtRisk' ? 'orange' : 'blue',
          children: (
            <div>
              <Typography.Text strong>{words.get(event.revision) ?? (known in CATALOGUE.en ? t(known) : event.type)}</Typography.Text>
              <div>
                <time dateTime={event.recordedAt}>{formatInstant(event.recordedAt)}</time>
                {event.metadata.actor ? <> · {t('complaint.by', { actor: event.metadata.actor.id })}</> : null}
              </div>
              {reason ? <div>{t('complaint.reason', { reason })}</div> : null}
              {statement ? <div>“{statement}”</div> : null}
            </div>
          ),
        };
      })}
    />
  );
}
