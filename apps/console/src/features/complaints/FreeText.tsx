import { Typography } from 'antd';
import { useI18n } from '../../shared/i18n/i18n';

/**
 * A free text the caller may have marked personal: the text as written, or, once the customer was erased
 * and the API answers null (docs/adr/0019), a muted marker that says so instead of an empty space.
 */
export function FreeText({ text }: { text: string | null }) {
  const { t } = useI18n();
  return text === null ? <Typography.Text type="secondary" italic>{t('text.erased')}</Typography.Text> : <>{text}</>;
}
