import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server in the test process: it keeps every message it accepted, parsed. */
export class SmtpReceiver {
  readonly messages: ParsedMail[] = [];
  /** Messages this matches are kept but not answered until release(): a relay that is slow to say it took them. */
  hold: ((message: ParsedMail) => boolean) | undefined;
  private readonly held: Array<() => void> = [];
  private readonly server = new SMTPServer({
    authOptional: true,
    // Plain SMTP on loopback: no certificate to make for the test.
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData: (stream, _session, callback) => {
      simpleParser(stream).then((message) => {
        this.messages.push(message);
        if (this.hold?.(message)) this.held.push(() => callback());
        else callback();
      }, callback);
    },
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  /** Answers the messages held so far (the relay says it took them). */
  release(): void {
    for (const answer of this.held.splice(0)) answer();
  }

  get waiting(): number {
    return this.held.length;
  }

  async stop(): Promise<void> {
    this.release();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Waits until a message matching `match` arrives (up to 15 s), and returns it. */
  async waitFor(match: (message: ParsedMail) => boolean, what: string): Promise<ParsedMail> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no e-mail ${what} arrived; received: ${JSON.stringify(this.messages.map((message) => message.subject))}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** The addresses a parsed message was sent to. */
export const recipientsOf = (message: ParsedMail): string[] => [message.to ?? []].flat().flatMap((to) => to.value.map((address) => address.address ?? ''));
