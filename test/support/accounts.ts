/**
 * Support for the account tests: a real SMTP server on loopback that receives what Maillage sends (parsed with
 * mailparser), and a small cookie-keeping client over app.inject() that reads the CSRF field of the pages the
 * way a browser submits forms.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { sql } from 'drizzle-orm';
import { firstRow, type Db } from '../../src/db/database.ts';
import type { Grant } from '../../src/domain/authorization.ts';
import { hashPassword } from '../../src/features/accounts/passwords.ts';
import { createSession, SESSION_COOKIE } from '../../src/platform/http/sessions.ts';
import { smtpMailer, type Mailer } from '../../src/platform/mail/mailer.ts';

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  parsed: ParsedMail;
}

export interface SmtpCapture {
  /** A mailer sending to this server over SMTP (nodemailer, as in production). */
  mailer: Mailer;
  received: ReceivedMail[];
  /** The next message for `to` not taken yet (waits for it; fails after `timeoutMs`). */
  next(to: string, timeoutMs?: number): Promise<ReceivedMail>;
  /** Messages received for `to` so far (taken or not). */
  all(to: string): ReceivedMail[];
  close(): Promise<void>;
}

/** Starts an SMTP server on 127.0.0.1 (free port) that accepts every message. */
export async function startSmtpCapture(): Promise<SmtpCapture> {
  const received: ReceivedMail[] = [];
  const taken = new Set<ReceivedMail>();
  const waiters: (() => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          const to = (Array.isArray(parsed.to) ? parsed.to : parsed.to ? [parsed.to] : []).flatMap((a) => a.value.map((v) => v.address ?? ''));
          for (const address of to) {
            received.push({ to: address.toLowerCase(), subject: parsed.subject ?? '', text: parsed.text ?? '', html: parsed.html || '', parsed });
          }
          for (const wake of waiters.splice(0)) wake();
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  const mailer = smtpMailer(`smtp://127.0.0.1:${port}`, 'Maillage <ne-pas-repondre@localhost>');
  const all = (to: string) => received.filter((m) => m.to === to.toLowerCase());
  return {
    mailer,
    received,
    all,
    async next(to, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = all(to).find((m) => !taken.has(m));
        if (found) {
          taken.add(found);
          return found;
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`Aucun courriel reçu pour ${to}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    async close() {
      await mailer.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The first link of a mail's text that points to `path` on Maillage, as a path with its query. */
export function linkIn(mail: ReceivedMail, path: string): string {
  const match = mail.text.match(new RegExp(`https?://[^\\s]+${path.replace(/[/.?]/g, '\\$&')}[^\\s]*`));
  if (!match) throw new Error(`Pas de lien vers ${path} dans « ${mail.subject} » :\n${mail.text}`);
  const url = new URL(match[0]);
  return url.pathname + url.search;
}

export function csrfOf(body: string): string {
  const match = body.match(/name="_csrf" value="([^"]+)"/);
  if (!match) throw new Error('Pas de champ _csrf dans la page');
  return match[1]!;
}

let nextIp = 1;
/** A distinct client address for each client, so that per-address rate limits of one test do not touch another. */
export function freshIp(): string {
  const n = nextIp++;
  return `198.51.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`;
}

/** A browser-like client: keeps cookies, submits forms with the CSRF field of the page they came from. */
export class Client {
  readonly cookies = new Map<string, string>();
  readonly ip: string;
  constructor(
    private readonly app: FastifyInstance,
    options: { ip?: string; https?: boolean } = {},
  ) {
    this.ip = options.ip ?? freshIp();
    this.https = options.https ?? false;
  }
  private readonly https: boolean;

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    const headers: Record<string, string> = { ...extra };
    if (this.cookies.size) headers.cookie = this.cookieHeader();
    if (this.https) headers['x-forwarded-proto'] = 'https';
    return headers;
  }

  private keep(response: LightMyRequestResponse): LightMyRequestResponse {
    for (const cookie of response.cookies as { name: string; value: string; maxAge?: number }[]) {
      if (cookie.maxAge === 0 || cookie.value === '') this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    return response;
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.keep(await this.app.inject({ method: 'GET', url, headers: this.headers(headers), remoteAddress: this.ip }));
  }

  /** The `_csrf` field of the form on `page` (a visitor's token is signed for the pre-session of its cookie). */
  async csrf(page = '/compte/connexion'): Promise<string> {
    return csrfOf((await this.get(page)).body);
  }

  /** The Cookie header this client sends. */
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** Posts a form as a browser does; `_csrf` is taken from `formPage` (GET first) unless given in `fields`. */
  async submit(formPage: string, action: string, fields: Record<string, string>): Promise<LightMyRequestResponse> {
    const page = await this.get(formPage);
    return this.post(action, { _csrf: csrfOf(page.body), ...fields });
  }

  async postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.keep(
      await this.app.inject({
        method: 'POST',
        url,
        remoteAddress: this.ip,
        payload: JSON.stringify(body),
        headers: this.headers({ 'content-type': 'application/json', ...headers }),
      }),
    );
  }

  async post(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.keep(
      await this.app.inject({
        method: 'POST',
        url,
        remoteAddress: this.ip,
        payload: new URLSearchParams(fields).toString(),
        headers: this.headers({ 'content-type': 'application/x-www-form-urlencoded', ...headers }),
      }),
    );
  }
}

export interface TestAccount {
  id: number;
  email: string;
  client: Client;
  /** The session's CSRF token: `_csrf` of forms, `x-csrf-token` of API calls. */
  csrf: string;
}

let nextAccount = 1;
/** One argon2id hash for every test account: hashing is slow on purpose, and these accounts sign in by cookie. */
let testPasswordHash: Promise<string> | undefined;
/** The test password's hash, computed once (argon2 is slow on purpose). */
function testPasswordHashOnce(): Promise<string> {
  testPasswordHash ??= hashPassword(TEST_PASSWORD);
  return testPasswordHash;
}
export const TEST_PASSWORD = 'mot de passe de test 123';
/**
 * An account written straight into the database (verified unless told otherwise) with the given roles, and a
 * client already signed in with a real server-side session: for the tests whose subject is not signing in
 * (authorisation matrix, contributions, moderation…).
 */
export async function signedInAs(
  app: FastifyInstance,
  db: Db,
  grants: readonly Grant[] = [],
  options: { email?: string; displayName?: string; verified?: boolean } = {},
): Promise<TestAccount> {
  const email = options.email ?? `compte-${process.pid}-${nextAccount++}@exemple.test`;
  const created = await firstRow<{ id: number }>(
    db,
    sql`insert into account (email, password_hash, display_name, email_verified_at)
    values (${email}, ${await testPasswordHashOnce()}, ${options.displayName ?? email.split('@')[0]!},
      ${options.verified === false ? null : new Date().toISOString()}::timestamptz)
    returning id::int as id`,
  );
  const id = created!.id;
  for (const grant of [{ role: 'contributor', scopeKind: 'platform', scopeCode: '' } as Grant, ...grants]) {
    await db.execute(sql`insert into account_role (account_id, role, scope_kind, scope_code)
      values (${id}, ${grant.role}, ${grant.scopeKind}, ${grant.scopeCode}) on conflict do nothing`);
  }
  const { token, session } = await createSession(db, id, 'test');
  const client = new Client(app);
  client.cookies.set(SESSION_COOKIE, token);
  return { id, email, client, csrf: session.csrfSecret };
}
