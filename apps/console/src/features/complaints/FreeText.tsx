import { Tooltip, Typography } from 'antd';
import { useI18n } from '../../shared/i18n/i18n';

/**
 * A free text the caller may have marked personal: the text as written, or, once the customer was erased
 * and the API answers null (docs/adr/0019), a muted marker that says so instead of an empty space.
 */
export function FreeText({ text }: { text: string | null }) {
  const { t } = useI18n();
  return text === null ? <Typography.Text type="secondary" italic>{t('text.erased')}</Typography.Text> : <>{text}</>;
}

/** How much of a description a row of a list shows. */
export const EXCERPT_LENGTH = 40;

/**
 * The start of a free text for a row of a list, the whole of it in a tooltip when cut (focusable, so
 * that it is read without a mouse). Cut by characters, not UTF-16 units, so no emoji is broken in two.
 */
export function FreeTextExcerpt({ text }: { text: string | null }) {
  const characters = text === null ? [] : Array.from(text);
  if (text === null || characters.length <= EXCERPT_LENGTH) return <FreeText text={text} />;
  return (
    <Tooltip title={text}>
      <span tabIndex={0}>{`${characters.slice(0, EXCERPT_LENGTH).join('')}…`}</span>
    </Tooltip>
  );
}
