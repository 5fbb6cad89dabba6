import { describeNotifications, loadNotificationConfig } from './notification-config';

describe('the notification settings', () => {
  it('are on by default, with no SMTP server (e-mails recorded as skipped), zh-CN staff e-mails and Beijing time', () => {
    const config = loadNotificationConfig({});
    expect(config).toMatchObject({ enabled: true, smtpUrl: null, from: 'Complaint Desk <no-reply@localhost>', intervalMs: 500, messages: { timeZone: 'Asia/Shanghai', staffLanguage: 'zh-CN', surveyUrl: null, consoleUrl: null } });
    expect(config.staff.size).toBe(0);
    expect(describeNotifications(config, 'in-process')).toBe('e-mail not configured (SMTP_URL): recorded as skipped; text messages to the log; staff addresses for 0 keys (STAFF_EMAILS)');
  });

  it('read every setting, and never print the SMTP password', () => {
    const config = loadNotificationConfig({
      SMTP_URL: 'smtp://desk:s3cret@mail.example.com:587', NOTIFY_FROM: 'Desk <desk@example.com>', STAFF_EMAILS: 'dept:ops=ops@example.com',
      NOTIFY_TIME_ZONE: 'Europe/Berlin', NOTIFY_STAFF_LANGUAGE: 'en', NOTIFY_SURVEY_URL: 'https://survey.example.com/rate', NOTIFY_CONSOLE_URL: 'https://desk.example.com', NOTIFY_INTERVAL_MS: '1000',
    });
    expect(config).toMatchObject({ smtpUrl: 'smtp://desk:s3cret@mail.example.com:587', from: 'Desk <desk@example.com>', intervalMs: 1000, messages: { timeZone: 'Europe/Berlin', staffLanguage: 'en', surveyUrl: 'https://survey.example.com/rate', consoleUrl: 'https://desk.example.com' } });
    expect(config.staff.get('dept:ops')).toEqual(['ops@example.com']);
    const line = describeNotifications(config, 'external');
    expect(line).toBe('sent by the projector (npm run start:projector); e-mail via smtp://mail.example.com:587 from Desk <desk@example.com>; text messages to the log; staff addresses for 1 key (STAFF_EMAILS)');
    expect(line).not.toContain('s3cret');
    expect(describeNotifications(loadNotificationConfig({ NOTIFICATIONS: 'off' }), 'inline')).toBe('off (NOTIFICATIONS=off)');
  });

  it.each([
    [{ NOTIFICATIONS: 'maybe' }, 'NOTIFICATIONS must be on or off'],
    [{ SMTP_URL: 'http://mail.example.com' }, 'SMTP_URL must be smtp://'],
    [{ SMTP_URL: 'not a url' }, 'SMTP_URL must be smtp://'],
    [{ STAFF_EMAILS: 'ops=ops@example.com' }, 'STAFF_EMAILS: "ops=ops@example.com" is not dept:<code>=<address>'],
    [{ NOTIFY_TIME_ZONE: 'Mars/Olympus' }, 'NOTIFY_TIME_ZONE must be an IANA time zone'],
    [{ NOTIFY_STAFF_LANGUAGE: 'fr' }, 'NOTIFY_STAFF_LANGUAGE must be one of zh-CN, en'],
    [{ NOTIFY_SURVEY_URL: 'javascript:alert(1)' }, 'NOTIFY_SURVEY_URL must be an http(s) address'],
    [{ NOTIFY_INTERVAL_MS: '10' }, 'NOTIFY_INTERVAL_MS must be an integer from 50 to 60000'],
  ])('refuse %p with a message that says how to fix it', (env, message) => {
    expect(() => loadNotificationConfig(env)).toThrow(message);
  });
});
