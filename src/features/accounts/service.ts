/**
 * What accounts do, whatever the door (HTML forms now, a JSON API or OpenID Connect later): sign up, verify the
 * address, sign in and out, ask for and use a password reset link. Every multi-row write is one transaction;
 * each mail is a job written in the transaction of the change it speaks of (platform/jobs/mail.ts).
 *
 * Nothing here tells whether an address has an account: sign-up answers the same (the owner of an existing
 * account gets a mail instead), sign-in refuses an unknown address and a wrong password with the same answer
 * after the same work (argon2 runs against a dummy hash) and throttles both alike, a reset request answers the
 * same.
 */
import { sql } from 'drizzle-orm';
import { type Db, checkedFirstRow, idRow } from '../../db/database.ts';
import { enqueueMail } from '../../platform/jobs/mail.ts';
import { existingAccountMail, passwordChangedMail, resetMail, verificationMail } from '../../platform/mail/templates.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { emailSubject, hitAll, RATE_RULES } from '../../platform/http/rate-limit.ts';
import { attemptSucceeded, forgetAccountThrottles, reserveAttempt, signInThrottles } from '../../platform/http/throttle.ts';
import type { SignInInput, SignUpInput } from './schemas.ts';
import { createSession, deleteAllSessions, type CurrentAccount, type CurrentSession } from '../../platform/http/sessions.ts';
import { hashToken, newToken } from '../../platform/http/tokens.ts';
import { z } from 'zod';

export interface AccountsDeps {
  db: Db;
  /** BASE_URL: the links in mail point there. */
  baseUrl: string;
}

export const VERIFY_TOKEN_HOURS = 48;
export const RESET_TOKEN_MINUTES = 60;

export type RateLimited = { status: 'rate_limited'; retryAfterSeconds: number };

export function link(deps: Pick<AccountsDeps, 'baseUrl'>, path: string, token?: string): string {
  const url = new URL(path, deps.baseUrl);
  if (token) url.searchParams.set('jeton', token);
  return url.toString();
}

async function insertToken(db: Db, accountId: number, purpose: 'verify' | 'reset', seconds: number): Promise<string> {
  const token = newToken();
  await db.execute(sql`insert into one_time_token (purpose, token_hash, account_id, expires_at)
    values (${purpose}, ${hashToken(token)}, ${accountId}, now() + make_interval(secs => ${seconds}))`);
  return token;
}

const accountRow = z.object({ id: z.number(), email: z.string(), display_name: z.string(), password_hash: z.string(), verified: z.boolean() });
type AccountRow = z.infer<typeof accountRow>;

async function findByEmail(db: Db, email: string): Promise<AccountRow | undefined> {
  return checkedFirstRow(
    db,
    accountRow,
    sql`select id::int as id, email, display_name, password_hash, email_verified_at is not null as verified
    from account where lower(email) = ${email} and deleted_at is null`,
  );
}

/**
 * Creates the account (role contributor, address not verified yet) and mails a verification link; when the
 * address already has an account, mails its owner instead. The caller answers the same in both cases.
 */
export async function signUp(deps: AccountsDeps, input: SignUpInput, ip: string): Promise<{ status: 'done' } | RateLimited> {
  const limit = await hitAll(deps.db, [
    [RATE_RULES.signUpPerEmail, emailSubject(input.email)],
    [RATE_RULES.signUpPerIp, ip],
  ]);
  if (!limit.allowed) return { status: 'rate_limited', retryAfterSeconds: limit.retryAfterSeconds };
  // Hashed whether or not the address is taken: both answers take the same time.
  const passwordHash = await hashPassword(input.mot_de_passe);
  await deps.db.transaction(async (tx) => {
    const created = await checkedFirstRow(
      tx,
      idRow,
      sql`insert into account (email, password_hash, display_name)
      values (${input.email}, ${passwordHash}, ${input.nom})
      on conflict (lower(email)) where deleted_at is null do nothing
      returning id::int as id`,
    );
    if (created) {
      await tx.execute(sql`insert into account_role (account_id, role) values (${created.id}, 'contributor')`);
      const token = await insertToken(tx, created.id, 'verify', VERIFY_TOKEN_HOURS * 3600);
      await enqueueMail(tx, verificationMail(input.email, link(deps, '/compte/verification', token)));
      return;
    }
    const existing = await findByEmail(tx, input.email);
    if (existing) {
      await enqueueMail(
        tx,
        existingAccountMail(existing.email, existing.display_name, {
          signIn: link(deps, '/compte/connexion'),
          forgot: link(deps, '/compte/mot-de-passe-oublie'),
        }),
      );
    }
  });
  return { status: 'done' };
}

const accountIdRow = z.object({ account_id: z.number() });

/** Consumes a verification link: the address is verified. A used, expired or unknown link is 'invalid'. */
export async function verifyEmail(deps: AccountsDeps, token: string): Promise<'verified' | 'invalid'> {
  return deps.db.transaction(async (tx) => {
    const used = await checkedFirstRow(
      tx,
      accountIdRow,
      sql`update one_time_token set used_at = now()
      where token_hash = ${hashToken(token)} and purpose = 'verify' and used_at is null and expires_at > now()
      returning account_id::int as account_id`,
    );
    if (!used) return 'invalid';
    const verified = await checkedFirstRow(
      tx,
      idRow,
      sql`update account
      set email_verified_at = coalesce(email_verified_at, now()), updated_at = now()
      where id = ${used.account_id} and deleted_at is null returning id::int as id`,
    );
    return verified ? 'verified' : 'invalid';
  });
}

/** A new verification link for a signed-in account whose address is not verified yet. */
export async function resendVerification(deps: AccountsDeps, account: CurrentAccount): Promise<{ status: 'done' } | RateLimited> {
  if (account.emailVerified) return { status: 'done' };
  const limit = await hitAll(deps.db, [[RATE_RULES.resendPerAccount, String(account.id)]]);
  if (!limit.allowed) return { status: 'rate_limited', retryAfterSeconds: limit.retryAfterSeconds };
  await deps.db.transaction(async (tx) => {
    const token = await insertToken(tx, account.id, 'verify', VERIFY_TOKEN_HOURS * 3600);
    await enqueueMail(tx, verificationMail(account.email, link(deps, '/compte/verification', token)));
  });
  return { status: 'done' };
}

export type SignInResult = { status: 'signed_in'; token: string; session: CurrentSession; accountId: number } | { status: 'invalid' } | RateLimited;

/**
 * Checks the address and password. Refused alike: unknown address, wrong password. Throttled per client address
 * and per account and address (throttle.ts), never per account alone: failures sent from elsewhere do not keep
 * the owner out. Success opens a new session and deletes the one the request came with.
 */
export async function signIn(
  deps: AccountsDeps,
  input: SignInInput,
  context: { ip: string; userAgent?: string; previousSessionId?: string },
): Promise<SignInResult> {
  // Counted as a failure until the password proves right.
  const attempt = await reserveAttempt(deps.db, signInThrottles(input.email, context.ip));
  if (!attempt.allowed) return { status: 'rate_limited', retryAfterSeconds: attempt.retryAfterSeconds };
  const account = await findByEmail(deps.db, input.email);
  const valid = await verifyPassword(account?.password_hash, input.mot_de_passe);
  if (!account || !valid) return { status: 'invalid' };
  return deps.db.transaction(async (tx) => {
    await attemptSucceeded(tx, attempt);
    if (context.previousSessionId) await tx.execute(sql`delete from session where id = ${context.previousSessionId}`);
    const { token, session } = await createSession(tx, account.id, context.userAgent);
    return { status: 'signed_in' as const, token, session, accountId: account.id };
  });
}

export async function signOut(deps: AccountsDeps, sessionId: string): Promise<void> {
  await deps.db.execute(sql`delete from session where id = ${sessionId}`);
}

/** Mails a reset link (valid 1 hour, single use) when the address has an account; answers the same otherwise. */
export async function requestPasswordReset(deps: AccountsDeps, email: string, ip: string): Promise<{ status: 'done' } | RateLimited> {
  const limit = await hitAll(deps.db, [
    [RATE_RULES.resetPerEmail, emailSubject(email)],
    [RATE_RULES.resetPerIp, ip],
  ]);
  if (!limit.allowed) return { status: 'rate_limited', retryAfterSeconds: limit.retryAfterSeconds };
  const account = await findByEmail(deps.db, email);
  if (!account) return { status: 'done' };
  await deps.db.transaction(async (tx) => {
    // Only the latest link works.
    await tx.execute(sql`update one_time_token set used_at = now()
      where account_id = ${account.id} and purpose = 'reset' and used_at is null`);
    const token = await insertToken(tx, account.id, 'reset', RESET_TOKEN_MINUTES * 60);
    await enqueueMail(tx, resetMail(account.email, account.display_name, link(deps, '/compte/reinitialisation', token)));
  });
  return { status: 'done' };
}

const okRow = z.object({ ok: z.boolean() });

/** Whether a reset link can still be used (shown before the form; resetPassword checks again). */
export async function isResetTokenUsable(deps: AccountsDeps, token: string): Promise<boolean> {
  const row = await checkedFirstRow(
    deps.db,
    okRow,
    sql`select true as ok from one_time_token t join account a on a.id = t.account_id
    where t.token_hash = ${hashToken(token)} and t.purpose = 'reset' and t.used_at is null and t.expires_at > now() and a.deleted_at is null`,
  );
  return row !== undefined;
}

const updatedRow = z.object({ id: z.number(), email: z.string(), display_name: z.string() });

/**
 * Uses a reset link: new password, sign-in throttles of the account cleared, address verified (the link
 * reached its mailbox), every session closed, every other reset link voided. Returns 'invalid' for a used, expired or
 * unknown link, having written nothing.
 */
export async function resetPassword(deps: AccountsDeps, token: string, password: string): Promise<'done' | 'invalid'> {
  const passwordHash = await hashPassword(password);
  const account = await deps.db.transaction(async (tx) => {
    const used = await checkedFirstRow(
      tx,
      accountIdRow,
      sql`update one_time_token set used_at = now()
      where token_hash = ${hashToken(token)} and purpose = 'reset' and used_at is null and expires_at > now()
      returning account_id::int as account_id`,
    );
    if (!used) return undefined;
    const updated = await checkedFirstRow(
      tx,
      updatedRow,
      sql`update account set
        password_hash = ${passwordHash},
        email_verified_at = coalesce(email_verified_at, now()), updated_at = now()
      where id = ${used.account_id} and deleted_at is null
      returning id::int as id, email, display_name`,
    );
    if (!updated) return undefined;
    await tx.execute(sql`update one_time_token set used_at = now()
      where account_id = ${updated.id} and purpose = 'reset' and used_at is null`);
    await deleteAllSessions(tx, updated.id);
    await enqueueMail(tx, passwordChangedMail(updated.email, updated.display_name, link(deps, '/compte/mot-de-passe-oublie')));
    await forgetAccountThrottles(tx, updated.email);
    return updated;
  });
  return account ? 'done' : 'invalid';
}
