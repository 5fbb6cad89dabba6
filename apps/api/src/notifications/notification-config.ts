import { CUSTOMER_LANGUAGES, type CustomerLanguage } from '@app/domain';
import { parseStaffDirectory, type MessageSettings, type StaffDirectory } from '@app/notifications';

/** The notification settings (docs/adr/0017, README "Notifications"), read once from the environment. */
export interface NotificationConfig {
  /** NOTIFICATIONS=off turns the notifier off (default on). */
  readonly enabled: boolean;
  /** SMTP_URL; none: e-mail sends are recorded as skipped (channel-not-configured). */
  readonly smtpUrl: string | null;
  /** NOTIFY_FROM. */
  readonly from: string;
  /** STAFF_EMAILS. */
  readonly staff: StaffDirectory;
  readonly messages: Partial<MessageSettings>;
  /** NOTIFY_INTERVAL_MS: how often the sender looks for pending sends. */
  readonly intervalMs: number;
  /** Waits between attempts of a failing send (tests shorten them). */
  readonly retryDelaysMs?: readonly number[];
}

export class NotificationConfigError extends Error {}

export function loadNotificationConfig(env: NodeJS.ProcessEnv): NotificationConfig {
  const switchValue = (env['NOTIFICATIONS'] ?? 'on').trim().toLowerCase();
  if (switchValue !== 'on' && switchValue !== 'off') throw new NotificationConfigError(`NOTIFICATIONS must be on or off (got ${JSON.stringify(env['NOTIFICATIONS'])}).`);
  const smtpUrl = blankToNull(env['SMTP_URL']);
  if (smtpUrl !== null) {
    let protocol: string | undefined;
    try {
      protocol = new URL(smtpUrl).protocol;
    } catch {
      protocol = undefined;
    }
    if (protocol !== 'smtp:' && protocol !== 'smtps:') throw new NotificationConfigError('SMTP_URL must be smtp://[user:password@]host[:port] or smtps://… (TLS from the start), with the user and password URL-encoded.');
  }
  let staff: StaffDirectory;
  try {
    staff = parseStaffDirectory(env['STAFF_EMAILS'] ?? '');
  } catch (error) {
    throw new NotificationConfigError(`STAFF_EMAILS: ${(error as Error).message} (for example dept:ops=ops@example.com,user:alice=alice@example.com,*=desk@example.com).`);
  }
  const timeZone = blankToNull(env['NOTIFY_TIME_ZONE']) ?? 'Asia/Shanghai';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new NotificationConfigError(`NOTIFY_TIME_ZONE must be an IANA time zone such as Asia/Shanghai (got ${JSON.stringify(timeZone)}).`);
  }
  const staffLanguage = blankToNull(env['NOTIFY_STAFF_LANGUAGE']) ?? 'zh-CN';
  if (!(CUSTOMER_LANGUAGES as readonly string[]).includes(staffLanguage)) throw new NotificationConfigError(`NOTIFY_STAFF_LANGUAGE must be one of ${CUSTOMER_LANGUAGES.join(', ')} (got ${JSON.stringify(staffLanguage)}).`);
  const surveyUrl = httpUrl(env, 'NOTIFY_SURVEY_URL');
  const consoleUrl = httpUrl(env, 'NOTIFY_CONSOLE_URL');
  const rawInterval = blankToNull(env['NOTIFY_INTERVAL_MS']);
  const intervalMs = rawInterval === null ? 500 : Number(rawInterval);
  if (!Number.isInteger(intervalMs) || intervalMs < 50 || intervalMs > 60_000) throw new NotificationConfigError(`NOTIFY_INTERVAL_MS must be an integer from 50 to 60000 (got ${JSON.stringify(rawInterval)}).`);
  return {
    enabled: switchValue === 'on',
    smtpUrl,
    from: blankToNull(env['NOTIFY_FROM']) ?? 'Complaint Desk <no-reply@localhost>',
    staff,
    messages: { timeZone, staffLanguage: staffLanguage as CustomerLanguage, surveyUrl, consoleUrl },
    intervalMs,
  };
}

function blankToNull(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value.trim();
}

function httpUrl(env: NodeJS.ProcessEnv, name: string): string | null {
  const value = blankToNull(env[name]);
  if (value === null) return null;
  if (!/^https?:\/\/[^\s]+$/.test(value)) throw new NotificationConfigError(`${name} must be an http(s) address (got ${JSON.stringify(value)}).`);
  return value;
}

/** The start-up line: where e-mail goes (the server, never its password), and whose addresses are known. */
export function describeNotifications(config: NotificationConfig | undefined, projections: string): string {
  if (!config?.enabled) return 'off (NOTIFICATIONS=off)';
  const email = config.smtpUrl === null
    ? 'e-mail not configured (SMTP_URL): recorded as skipped'
    : `e-mail via ${new URL(config.smtpUrl).protocol}//${new URL(config.smtpUrl).host} from ${config.from}`;
  const where = projections === 'external' ? 'sent by the projector (npm run start:projector); ' : '';
  return `${where}${email}; text messages to the log; staff addresses for ${config.staff.size} ${config.staff.size === 1 ? 'key' : 'keys'} (STAFF_EMAILS)`;
}
