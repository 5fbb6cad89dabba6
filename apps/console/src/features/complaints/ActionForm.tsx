import { Button, Checkbox, Form, Input, InputNumber, Rate, Select, Typography, Upload, type FormInstance } from 'antd';
import { useI18n } from '../../shared/i18n/i18n';
import { useTaxonomyOptions } from '../../shared/api/taxonomy';
import type { MessageKey } from '../../shared/i18n/catalogue';
import type { ComplaintAction } from './api';

const GUIDANCE: Partial<Record<ComplaintAction, MessageKey>> = {
  apologise: 'action.apologiseGuidance',
  validate: 'action.validateGuidance',
  reject: 'action.validateGuidance',
  assign: 'action.assignGuidance',
  callback: 'action.callbackGuidance',
  notes: 'action.notesGuidance',
  correct: 'action.correctGuidance',
  attachments: 'action.attachmentsGuidance',
  tags: 'action.tagsGuidance',
  related: 'action.relatedGuidance',
  unrelate: 'action.unrelateGuidance',
};

const COMPLAINT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The fields of one command, as its route takes them; pickers list the taxonomy from the API. */
export function ActionForm({ action, form }: { action: ComplaintAction; form: FormInstance }) {
  const { t, live, language } = useI18n();
  const options = useTaxonomyOptions(language);
  const required = [{ required: true, whitespace: true, message: live('field.required') }];
  const text = (name: string, label: MessageKey, isRequired = false, rows = 3) => (
    <Form.Item name={name} label={t(label)} rules={isRequired ? required : []}>
      <Input.TextArea rows={rows} maxLength={2000} />
    </Form.Item>
  );
  const guidance = GUIDANCE[action];
  return (
    <Form form={form} layout="vertical" name={`action-${action}`} preserve>
      {guidance ? <Typography.Paragraph type="secondary">{t(guidance)}</Typography.Paragraph> : null}
      {action === 'apologise' ? (
        <>
          {text('statement', 'field.statement', true)}
          <Form.Item name="channel" label={t('field.channel')} rules={[{ required: true, message: live('field.required') }]}>
            <Select options={options('channel')} />
          </Form.Item>
        </>
      ) : null}
      {action === 'validate' ? <>{text('reason', 'field.reason', true)}{text('evidence', 'field.evidence')}</> : null}
      {action === 'reject' || action === 'reopen' ? text('reason', 'field.reason', true) : null}
      {action === 'assign' ? (
        <>
          <Form.Item name="department" label={t('field.department')} rules={[...required, { pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, message: live('field.department') }]}>
            <Input />
          </Form.Item>
          <Form.Item name="assignee" label={t('field.assignee')} rules={required}><Input /></Form.Item>
          {text('reason', 'field.reason')}
        </>
      ) : null}
      {action === 'escalate' ? (
        <>
          <Form.Item name="to" label={t('field.to')} rules={required}><Input /></Form.Item>
          <Form.Item name="level" label={t('field.level')}><InputNumber min={1} max={10} /></Form.Item>
          {text('reason', 'field.reason', true)}
        </>
      ) : null}
      {action === 'resolve' ? (
        <>
          <Form.Item name="resolutionClass" label={t('field.resolutionClass')} rules={[{ required: true, message: live('field.required') }]}>
            <Select options={options('resolutionClass')} />
          </Form.Item>
          <Form.Item name="remedy" label={t('field.remedy')} rules={[{ required: true, message: live('field.required') }]}>
            <Select options={options('remedy')} />
          </Form.Item>
          {text('rootCause', 'field.rootCause', false, 2)}
          {text('correctiveAction', 'field.correctiveAction', false, 2)}
          <Form.Item name="customerAccepted" valuePropName="checked" initialValue={true}>
            <Checkbox>{t('field.customerAccepted')}</Checkbox>
          </Form.Item>
        </>
      ) : null}
      {action === 'callback' ? (
        <>
          <Form.Item name="outcome" label={t('field.outcome')} rules={[{ required: true, message: live('field.required') }]}>
            <Select options={options('callbackOutcome')} />
          </Form.Item>
          <Form.Item name="satisfaction" label={t('field.satisfaction')} rules={[{ required: true, message: live('field.required') }]}>
            <Rate count={5} aria-label={t('field.satisfaction')} />
          </Form.Item>
          {text('remarks', 'field.remarks', false, 2)}
        </>
      ) : null}
      {action === 'visit' ? text('notes', 'field.notes') : null}
      {action === 'notes' ? (
        <>
          <Form.Item name="visibility" label={t('field.visibility')} initialValue="internal" rules={[{ required: true, message: live('field.required') }]}>
            <Select options={[{ value: 'internal', label: t('field.visibility.internal') }, { value: 'customer', label: t('field.visibility.customer') }]} />
          </Form.Item>
          {text('text', 'field.text', true)}
          <Form.Item name="personal" valuePropName="checked">
            <Checkbox>{t('field.personal')}</Checkbox>
          </Form.Item>
          <Form.Item noStyle shouldUpdate={(before, after) => before.visibility !== after.visibility}>
            {() => (form.getFieldValue('visibility') === 'customer'
              ? <Form.Item name="channel" label={t('field.channel')}><Select allowClear options={options('channel')} /></Form.Item>
              : null)}
          </Form.Item>
        </>
      ) : null}
      {action === 'contact' ? (
        <>
          <Form.Item name="phone" label={t('field.phone')}><Input /></Form.Item>
          <Form.Item name="email" label={t('field.email')}><Input /></Form.Item>
          {text('address', 'field.address', false, 2)}
          <Form.Item name="preferredChannel" label={t('field.preferredChannel')}><Select allowClear options={options('channel')} /></Form.Item>
          <Form.Item name="preferredTime" label={t('field.preferredTime')}><Input maxLength={100} /></Form.Item>
          <Form.Item name="language" label={t('field.language')}><Select allowClear options={[{ value: 'zh-CN', label: '中文' }, { value: 'en', label: 'English' }]} /></Form.Item>
          {text('reason', 'field.reason', true)}
        </>
      ) : null}
      {action === 'attachments' ? (
        <>
          {/* The file stays in the form until Record: nothing is sent when it is chosen. */}
          <Form.Item name="file" label={t('field.file')} valuePropName="fileList" getValueFromEvent={(event: { fileList?: unknown[] }) => event?.fileList?.slice(-1)}
            rules={[{ required: true, message: live('field.required') }]}>
            <Upload beforeUpload={() => false} maxCount={1}>
              <Button>{t('field.file.choose')}</Button>
            </Upload>
          </Form.Item>
          <Form.Item name="kind" label={t('field.kind')} rules={[{ required: true, message: live('field.required') }]}>
            <Select options={options('attachmentKind')} />
          </Form.Item>
          <Form.Item name="description" label={t('field.description')}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        </>
      ) : null}
      {action === 'correct' ? (
        <>
          {(['cause', 'behaviour', 'purpose', 'severity', 'channel'] as const).map((name) => (
            <Form.Item key={name} name={name} label={t(`field.${name}`)}><Select allowClear options={options(name)} /></Form.Item>
          ))}
          {text('reason', 'field.reason', true)}
        </>
      ) : null}
      {action === 'related' || action === 'unrelate' ? (
        <>
          <Form.Item name="complaintId" label={t('field.relatedComplaint')} rules={[...required, { pattern: COMPLAINT_ID, message: live('field.relatedComplaint') }]}>
            <Input />
          </Form.Item>
          {action === 'related' ? (
            <Form.Item name="relation" label={t('field.relation')} initialValue="related" rules={[{ required: true, message: live('field.required') }]}>
              <Select options={(['related', 'duplicate-of'] as const).map((value) => ({ value, label: t(`field.relation.${value}`) }))} />
            </Form.Item>
          ) : null}
          {text('reason', 'field.reason', true)}
        </>
      ) : null}
    </Form>
  );
}

/** The form's values as the command's body: empty optional texts and lists left out. */
export function commandBody(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '') && !(Array.isArray(value) && value.length === 0)));
}
