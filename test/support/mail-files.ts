/**
 * The mail the development mailer writes as .eml files (buildTestApp: MAILLAGE_DATA_DIR=./var/test), read back
 * by the end-to-end tests, whose application is started without an SMTP server.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';

const MAIL_DIR = resolve('var/test/mail');

/** The newest .eml for `to` whose subject matches, written after `since` (waits for it up to 20 s). */
export async function emlFor(to: string, since: number, subject: RegExp): Promise<{ text: string; parsed: ParsedMail }> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (existsSync(MAIL_DIR)) {
      const files = readdirSync(MAIL_DIR)
        .filter((f) => f.endsWith('.eml'))
        .sort()
        .reverse();
      for (const file of files) {
        const raw = readFileSync(join(MAIL_DIR, file));
        if (!raw.includes(to)) continue;
        const parsed = await simpleParser(raw);
        if (parsed.date && parsed.date.getTime() < since - 2000) continue;
        if (subject.test(parsed.subject ?? '')) return { text: parsed.text ?? '', parsed };
      }
    }
    if (Date.now() > deadline) throw new Error(`Aucun fichier .eml pour ${to} (${subject}) dans ${MAIL_DIR}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The path (with its query) of the first link of a mail's text to `path` on Maillage. */
export function pathOfLink(text: string, path: string): string {
  const match = text.match(new RegExp(`https?://\\S+${path}\\S*`));
  assert.ok(match, `lien ${path} dans le courriel`);
  const url = new URL(match[0]);
  return url.pathname + url.search;
}
