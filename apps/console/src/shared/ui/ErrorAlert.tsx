import { Alert } from 'antd';
import { ApiError } from '../api/client';
import { useI18n } from '../i18n/i18n';

/** An API refusal as the API worded it (problem+json detail), with the field messages. */
export function ErrorAlert({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (error instanceof ApiError && error.status === 403) return <Alert role="alert" type="error" showIcon message={t('error.forbidden')} description={error.message} />;
  const detail = error instanceof Error ? error.message : String(error);
  const fields = error instanceof ApiError ? error.problem.errors ?? [] : [];
  return (
    <Alert
      role="alert"
      type="error"
      showIcon
      message={t('error.generic', { detail })}
      description={fields.length > 0 ? <ul>{fields.map((field) => <li key={field.field}>{field.message}</li>)}</ul> : undefined}
    />
  );
}
