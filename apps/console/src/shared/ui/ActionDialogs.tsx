import type { ReactNode } from 'react';
import { Button, Modal, Tooltip, Typography } from 'antd';
import { useI18n } from '../i18n/i18n';

/** An entry of a resource's allowedActions (the API decides; the console only shows it). */
interface RefusedEntry {
  readonly action: string;
}

/**
 * The actions the API refuses now, each a disabled button with its reason in a tooltip and beside it
 * (aria-describedby), so that the reason is read without hovering.
 */
export function RefusedActions<E extends RefusedEntry>({ entries, label, reason, listLabel }: {
  entries: readonly E[];
  label: (entry: E) => string;
  reason: (entry: E) => string;
  listLabel: string;
}) {
  if (entries.length === 0) return null;
  return (
    <ul aria-label={listLabel} style={{ marginTop: 12, paddingLeft: 0, listStyle: 'none' }}>
      {entries.map((entry) => (
        <li key={entry.action} style={{ marginBottom: 4 }}>
          <Tooltip title={reason(entry)}>
            <Button disabled size="small" aria-describedby={`refusal-${entry.action}`}>{label(entry)}</Button>
          </Tooltip>{' '}
          <Typography.Text type="secondary" id={`refusal-${entry.action}`}>{reason(entry)}</Typography.Text>
        </li>
      ))}
    </ul>
  );
}

interface DialogProps {
  readonly open: boolean;
  readonly title: string;
  readonly onClose: () => void;
  readonly children: ReactNode;
}

/** The form of one action, recorded with the page's Record / Cancel buttons (or the action's own word for Record: okText). */
export function ActionDialog({ title, open, submitting, onSubmit, onClose, okText, children }: DialogProps & {
  readonly submitting: boolean;
  readonly onSubmit: () => void;
  readonly okText?: string;
}) {
  const { t } = useI18n();
  return (
    <Modal
      open={open}
      title={title}
      okText={okText ?? t('action.submit')}
      cancelText={t('action.cancel')}
      confirmLoading={submitting}
      onOk={onSubmit}
      onCancel={onClose}
      forceRender
      // The scroll lock writes a <style> that cannot carry the CSP nonce (rc-component's locker takes none); the page behind may scroll.
      scrollLock={false}
    >
      {children}
    </Modal>
  );
}

/** After a 412: what changed (children), what was typed is kept, and a reload to decide again. */
export function ConflictDialog({ open, title, reloadText, onReload, onClose, children }: DialogProps & { readonly reloadText: string; readonly onReload: () => void }) {
  const { t } = useI18n();
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onClose}
      scrollLock={false}
      footer={[
        <Button key="cancel" onClick={onClose}>{t('action.cancel')}</Button>,
        <Button key="reload" type="primary" onClick={onReload}>{reloadText}</Button>,
      ]}
    >
      {children}
    </Modal>
  );
}
