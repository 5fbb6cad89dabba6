import { createTransport, type Transporter } from 'nodemailer';
import type { NotificationChannel } from '@app/domain';
import { maskPhone } from './recipients';

export interface EmailMessage {
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly language: string;
  /** Sent as X-Complaint-Desk-Notification: the receiving side can tell a resend (at-least-once) by it. */
  readonly notificationId: string;
}

/** Sends e-mail. send() resolves when the server accepted the message, and throws when it did not. */
export abstract class EmailTransport {
  abstract send(message: EmailMessage): Promise<{ readonly messageId: string | null }>;
  abstract close(): Promise<void>;
}

/** E-mail over SMTP with nodemailer: SMTP_URL such as smtp://user:pass@mail.example.com:587 (smtps:// for TLS from the start). */
export class SmtpEmailTransport extends EmailTransport {
  private readonly transporter: Transporter;

  constructor(url: string, options: { readonly timeoutMs?: number } = {}) {
    super();
    const timeout = options.timeoutMs ?? 30_000;
    const parsed = new URL(url);
    const secure = parsed.protocol === 'smtps:';
    this.transporter = createTransport({
      host: parsed.hostname, port: parsed.port === '' ? (secure ? 465 : 587) : Number(parsed.port), secure,
      ...(parsed.username === '' ? {} : { auth: { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) } }),
      // STARTTLS is used whenever the server offers it; ?requireTLS=true refuses a server that does not.
      requireTLS: parsed.searchParams.get('requireTLS') === 'true',
      connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout,
    });
  }

  async send(message: EmailMessage): Promise<{ readonly messageId: string | null }> {
    const info = await this.transporter.sendMail({
      from: message.from, to: [...message.to], subject: message.subject, text: message.text,
      headers: { 'Content-Language': message.language, 'X-Complaint-Desk-Notification': message.notificationId },
    });
    return { messageId: typeof info.messageId === 'string' ? info.messageId : null };
  }

  async close(): Promise<void> {
    this.transporter.close();
  }
}

/**
 * The pluggable sender of text messages (SMS, WeChat): implement it for a gateway (an SMS provider's
 * API, a WeChat official account's template messages) and give it to the notifier. send() resolves
 * when the gateway took the message and throws when it did not.
 */
export interface TextMessageSender {
  readonly channel: Exclude<NotificationChannel, 'email'>;
  send(to: string, text: string, notificationId: string): Promise<{ readonly messageId: string | null }>;
}

/**
 * The default sender: writes the message to the process's log instead of a gateway, so that what
 * would have been sent can be read there (the number masked). Its message ids start with `log:`, so the trail says which
 * sends only reached a log.
 */
export class LoggingTextMessageSender implements TextMessageSender {
  constructor(
    readonly channel: Exclude<NotificationChannel, 'email'>,
    private readonly log: (entry: Record<string, unknown>) => void,
  ) {}

  async send(to: string, text: string, notificationId: string): Promise<{ readonly messageId: string | null }> {
    // The number is masked here too: a log is no place for personal data.
    this.log({ channel: this.channel, to: maskPhone(to), notificationId, text });
    return { messageId: `log:${notificationId}` };
  }
}
