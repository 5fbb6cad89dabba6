import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { ApiError, tokenStore } from '../../shared/api/client';
import { fetchSession, sessionQueryKey } from '../../shared/api/session';
import { useI18n } from '../../shared/i18n/i18n';
import { LanguageSwitch } from '../../app/LanguageSwitch';

/** Sign in with a token: checked against GET /session before it is kept (sessionStorage: this tab only). */
export function SignInScreen({ onSignedIn }: { onSignedIn: () => void }) {
  const { t, live } = useI18n();
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const signIn = async ({ token }: { token: string }) => {
    setBusy(true);
    setProblem(null);
    try {
      const session = await fetchSession(token.trim());
      tokenStore.set(token.trim());
      queryClient.setQueryData(sessionQueryKey, session);
      onSignedIn();
    } catch (error) {
      setProblem(error instanceof ApiError && error.status === 401 ? t('signIn.invalid') : t('error.generic', { detail: error instanceof Error ? error.message : String(error) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main style={{ maxWidth: 480, margin: '10vh auto', padding: 16 }}>
      <div style={{ display: 'flex', justifyContent: 'flex-end', marginBottom: 12 }}><LanguageSwitch /></div>
      <Card>
        <Typography.Title level={1} style={{ fontSize: 24 }}>{t('appName')} · {t('signIn.title')}</Typography.Title>
        <Typography.Paragraph>{t('signIn.intro')}</Typography.Paragraph>
        {problem ? <Alert role="alert" type="error" showIcon message={problem} style={{ marginBottom: 16 }} /> : null}
        <Form layout="vertical" name="sign-in" onFinish={(values: { token: string }) => void signIn(values)} requiredMark={false}>
          <Form.Item name="token" label={t('signIn.token')} rules={[{ required: true, whitespace: true, message: live('signIn.tokenRequired') }]}>
            <Input.Password autoComplete="off" autoFocus />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} block>{t('signIn.submit')}</Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 16 }}>{t('signIn.whereTokens')}</Typography.Paragraph>
      </Card>
    </main>
  );
}
