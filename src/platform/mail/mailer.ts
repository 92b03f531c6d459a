/**
 * Outgoing mail. One interface, two ways out: SMTP through nodemailer when SMTP_URL is set (production, and the
 * tests, which run a real SMTP server on loopback), otherwise one .eml file per message under
 * MAILLAGE_DATA_DIR/mail (development: open them with any mail client). Features do not call it: they write
 * a mail job in their transaction (jobs/mail.ts), which the job queue delivers through it.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../../config.ts';

export interface MailMessage {
  /** What the mail is for (a key of MAIL_PURPOSES, templates.ts): all that the admins' list of failing mail shows of it. */
  purpose: string;
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

/** What nodemailer sends of a message. */
function envelope(from: string, { to, subject, text, html, attachments }: MailMessage) {
  return { from, to, subject, text, html, attachments };
}

/** Sends through the SMTP server of `url` (smtp://user:pass@host:port, smtps://… for implicit TLS). */
export function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url);
  const parsed = new URL(url);
  return {
    description: `${parsed.protocol}//${parsed.host}`,
    async send(message) {
      await transport.sendMail(envelope(from, message));
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
      const info = await transport.sendMail(envelope(from, message));
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
