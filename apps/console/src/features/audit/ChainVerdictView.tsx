import { Alert, Descriptions, Typography } from 'antd';
import { useMessages } from '../../shared/i18n/feature-messages';
import { AUDIT_COUNTS, AUDIT_MESSAGES } from './messages';
import { countOf } from '../../shared/format/counts';
import { useI18n } from '../../shared/i18n/i18n';
import type { ChainVerdict } from './api';

/** One chain's verdict in words: intact with how many events, or the first broken link with the hash expected and the one found. */
export function ChainVerdictView({ verdict }: { verdict: ChainVerdict }) {
  const { m } = useMessages(AUDIT_MESSAGES);
  const { language } = useI18n();
  if (verdict.ok) {
    return (
      <Alert
        type="success"
        showIcon
        message={m('verify.chainIntact', { stream: verdict.stream, events: countOf(AUDIT_COUNTS.events, language, verdict.events ?? 0) })}
        description={verdict.head ? <>{m('verify.head')}: <Typography.Text code copyable>{verdict.head}</Typography.Text></> : undefined}
      />
    );
  }
  return (
    <Alert
      role="alert"
      type="error"
      showIcon
      message={m('verify.chainBroken', { stream: verdict.stream, revision: verdict.revision ?? '?' })}
      description={(
        <Descriptions column={1} size="small" bordered>
          <Descriptions.Item label={m('verify.expected')}><Typography.Text code>{verdict.expected ?? '—'}</Typography.Text></Descriptions.Item>
          <Descriptions.Item label={m('verify.found')}><Typography.Text code>{verdict.found ?? m('verify.none')}</Typography.Text></Descriptions.Item>
          <Descriptions.Item label={m('verify.why')}>{verdict.reason ?? '—'}</Descriptions.Item>
        </Descriptions>
      )}
    />
  );
}
