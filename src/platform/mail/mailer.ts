/**
 * Outgoing mail. One interface, two ways out: SMTP through nodemailer when SMTP_URL is set (production, and the
 * tests, which run a real SMTP server on loopback), otherwise one .eml file per message under
 * MAILLAGE_DATA_DIR/mail (development: open them with any mail client).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../../config.ts';

export interface MailMessage {
  to: string;
  subject: string;
  /** Plain-text version (always sent, first). */
  text: string;
  /** HTML version, built with the escaping html`` templates. */
  html: string;
  /** Files sent with the message (a receipt's PDF), as MIME parts; the .eml files of development keep them. */
  attachments?: { filename: string; content: Buffer; contentType: string }[];
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  /** Closes connections the mailer holds (SMTP pool); safe to call more than once. */
  close(): Promise<void>;
  /** Where mail goes, for logs: 'smtp://host:port' or the folder of .eml files. */
  readonly description: string;
}

/** The sender: MAIL_FROM, or « Maillage <ne-pas-repondre@host of BASE_URL> ». */
export function mailFrom(config: Pick<Config, 'MAIL_FROM' | 'BASE_URL'>): string {
  return config.MAIL_FROM ?? `Maillage <ne-pas-repondre@${new URL(config.BASE_URL).hostname}>`;
}

/** Sends through the SMTP server of `url` (smtp://user:pass@host:port, smtps://… for implicit TLS). */
export function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url);
  const parsed = new URL(url);
  return {
    description: `${parsed.protocol}//${parsed.host}`,
    async send(message) {
      await transport.sendMail({ from, ...message });
    },
    async close() {
      transport.close();
    },
  };
}

/** Writes each message as an RFC 5322 .eml file in `dir` (created when needed); names sort by time. */
export function emlFileMailer(dir: string, from: string): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    description: dir,
    async send(message) {
      const info = await transport.sendMail({ from, ...message });
      await mkdir(dir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      await writeFile(join(dir, `${stamp}-${randomBytes(4).toString('hex')}.eml`), info.message as Buffer);
    },
    async close() {},
  };
}

/** The mailer the configuration asks for. */
export function createMailer(config: Config): Mailer {
  const from = mailFrom(config);
  return config.SMTP_URL ? smtpMailer(config.SMTP_URL, from) : emlFileMailer(join(config.dataDir, 'mail'), from);
}

interface Log {
  error(object: unknown, message?: string): void;
}

/**
 * Mail that leaves after the transaction that decided it has committed, without making the request wait: the
 * time a response takes must not tell whether a mail was sent (that would reveal whether an address has an
 * account). A failure is logged; the person can ask again (new link). `drain()` waits for what is on its way
 * (the app calls it when closing). A table of jobs (with retries) can replace this later behind the same call.
 */
export class Outbox {
  readonly #pending = new Set<Promise<void>>();
  constructor(
    private readonly mailer: Mailer,
    private readonly log: Log,
  ) {}

  /** Call only once the data the message speaks of is committed. */
  post(message: MailMessage): void {
    const sending = this.mailer.send(message).catch((error: unknown) => {
      this.log.error({ err: error, subject: message.subject }, `Envoi du courriel impossible (${this.mailer.description})`);
    });
    this.#pending.add(sending);
    void sending.finally(() => this.#pending.delete(sending));
  }

  async drain(): Promise<void> {
    while (this.#pending.size) await Promise.allSettled([...this.#pending]);
  }
}
