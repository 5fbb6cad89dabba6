import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Checkbox, DatePicker, Form, Input, Select, Space, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { api } from '../../shared/api/client';
import { useTaxonomyOptions } from '../../shared/api/taxonomy';
import { useI18n } from '../../shared/i18n/i18n';
import { ErrorAlert } from '../../shared/ui/ErrorAlert';
import { commandBody } from './ActionForm';
import type { CommandAccepted } from './api';

interface IntakeForm {
  customerId: string;
  customerName?: string;
  segment?: string;
  channel: string;
  cause: string;
  behaviour?: string;
  purpose?: string;
  severity?: string;
  description: string;
  desiredOutcome?: string;
  occurredAt?: Dayjs;
  onSiteRequired?: boolean;
  descriptionIsPersonal?: boolean;
}

/** POST /complaints: the complaint as the customer tells it, with the taxonomy as pickers. */
export default function IntakeScreen() {
  const { t, live, language, zone } = useI18n();
  const options = useTaxonomyOptions(language);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<IntakeForm>();
  const [failure, setFailure] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  const required = [{ required: true, whitespace: true, message: live('field.required') }];

  const submit = async (values: IntakeForm) => {
    setSubmitting(true);
    setFailure(null);
    try {
      const { occurredAt, ...rest } = values;
      // The picked wall-clock time is in the chosen zone; the API gets the instant with its offset.
      const body = commandBody({ ...rest, occurredAt: occurredAt ? occurredAt.tz(zone, true).format() : undefined });
      const { body: accepted } = await api<CommandAccepted>('/complaints', { method: 'POST', body });
      // An element, not a string: the toast follows a language switch made while it shows.
      void message.success(live('intake.done'));
      // The lists refetch in the background: the complaint opens at once, whatever they are doing.
      void queryClient.invalidateQueries({ queryKey: ['complaints'] });
      void navigate(`/complaints/${accepted.id}`);
    } catch (error) {
      setFailure(error);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%', maxWidth: 760 }}>
      <Typography.Title level={2}>{t('intake.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('intake.intro')}</Typography.Paragraph>
      {failure ? <ErrorAlert error={failure} /> : null}
      <Form form={form} layout="vertical" name="intake" onFinish={(values) => void submit(values)} initialValues={{ channel: 'phone', severity: 'medium' }}>
        <Space wrap size="large">
          <Form.Item name="customerId" label={t('intake.customerId')} rules={[...required, { pattern: /^[A-Za-z0-9][A-Za-z0-9._:@-]*$/, message: live('intake.customerId') }]}>
            <Input style={{ width: 220 }} />
          </Form.Item>
          <Form.Item name="customerName" label={t('intake.customerName')}><Input style={{ width: 220 }} maxLength={200} /></Form.Item>
          <Form.Item name="segment" label={t('complaint.segment')}><Select allowClear style={{ width: 220 }} options={options('customerSegment')} /></Form.Item>
        </Space>
        <Space wrap size="large">
          <Form.Item name="channel" label={t('complaint.channel')} rules={[{ required: true, message: live('field.required') }]}>
            <Select style={{ width: 220 }} options={options('channel')} />
          </Form.Item>
          <Form.Item name="cause" label={t('complaint.cause')} tooltip={t('intake.causeHelp')} rules={[{ required: true, message: live('field.required') }]}>
            <Select style={{ width: 220 }} options={options('cause')} />
          </Form.Item>
          <Form.Item name="severity" label={t('complaint.severity')} tooltip={t('intake.severityHelp')}>
            <Select style={{ width: 220 }} options={options('severity')} />
          </Form.Item>
        </Space>
        <Space wrap size="large">
          <Form.Item name="behaviour" label={t('complaint.behaviour')} tooltip={t('intake.behaviourHelp')}>
            <Select allowClear style={{ width: 220 }} options={options('behaviour')} />
          </Form.Item>
          <Form.Item name="purpose" label={t('complaint.purpose')} tooltip={t('intake.purposeHelp')}>
            <Select allowClear style={{ width: 220 }} options={options('purpose')} />
          </Form.Item>
          <Form.Item name="occurredAt" label={t('intake.occurredAt')}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: 220 }} />
          </Form.Item>
        </Space>
        <Form.Item name="description" label={t('intake.description')} rules={required}>
          <Input.TextArea rows={4} maxLength={5000} showCount />
        </Form.Item>
        <Form.Item name="descriptionIsPersonal" valuePropName="checked">
          <Checkbox>{t('intake.descriptionIsPersonal')}</Checkbox>
        </Form.Item>
        <Form.Item name="desiredOutcome" label={t('intake.desiredOutcome')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item name="onSiteRequired" valuePropName="checked">
          <Checkbox>{t('intake.onSiteRequired')}</Checkbox>
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={submitting}>{t('intake.submit')}</Button>
      </Form>
    </Space>
  );
}
