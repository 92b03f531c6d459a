/**
 * Server-side sessions. The cookie `maillage_session` holds a random token (256 bits); the database keeps only
 * its SHA-256 as the session id, with the account, the CSRF secret of the session and the expiry (30 days,
 * sliding: pushed back at most once a day as the session is used). Signing in always creates a new session
 * (the old one, if any, is deleted): a token known before signing in is worth nothing after.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import { type Db, checkedFirstRow } from '../../db/database.ts';
import type { Actor, Grant } from '../../domain/authorization.ts';
import { clearCookie, readCookie, setCookie } from './cookies.ts';
import { hashToken, isTokenShaped, newToken } from './tokens.ts';
import { z } from 'zod';

export const SESSION_COOKIE = 'maillage_session';
export const SESSION_SECONDS = 30 * 24 * 3600;
/** The expiry is pushed back when less than this remains (so that a session writes at most once a day). */
const RENEW_BELOW_SECONDS = SESSION_SECONDS - 24 * 3600;

/** A role on a scope: the whole platform (scopeKind 'platform', scopeCode ''), a region (COG code)… */
export type AccountRole = Grant;

/** The signed-in person, as later features see it through `request.account` (an Actor of the authorization rules). */
export interface CurrentAccount extends Actor {
  email: string;
  displayName: string;
  roles: AccountRole[];
}

export interface CurrentSession {
  /** SHA-256 of the cookie's token. */
  id: string;
  /** The synchronizer token that forms (`_csrf`) and API calls (`x-csrf-token`) of this session must send. */
  csrfSecret: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in account, or null; loaded from the session cookie before any handler runs. */
    account: CurrentAccount | null;
    /** The session the request came with, or null. */
    accountSession: CurrentSession | null;
  }
}

/** Creates a session for the account; returns the token to put in the cookie (never stored as such). */
export async function createSession(db: Db, accountId: number, userAgent: string | undefined): Promise<{ token: string; session: CurrentSession }> {
  const token = newToken();
  const session = { id: hashToken(token), csrfSecret: newToken() };
  await db.execute(sql`insert into session (id, account_id, csrf_secret, expires_at, user_agent)
    values (${session.id}, ${accountId}, ${session.csrfSecret}, now() + make_interval(secs => ${SESSION_SECONDS}), ${userAgent?.slice(0, 300) ?? null})`);
  return { token, session };
}

const sessionRow = z.object({
  id: z.string(),
  csrf_secret: z.string(),
  remaining: z.number(),
  account_id: z.number(),
  email: z.string(),
  display_name: z.string(),
  verified: z.boolean(),
  roles: z.string(),
});

/** The live session of a cookie token and its account; renews the expiry when due. */
export async function loadSession(db: Db, token: string): Promise<{ account: CurrentAccount; session: CurrentSession; renewed: boolean } | undefined> {
  const row = await checkedFirstRow(
    db,
    sessionRow,
    sql`
    select s.id, s.csrf_secret, extract(epoch from (s.expires_at - now()))::float8 as remaining,
      a.id::int as account_id, a.email, a.display_name, a.email_verified_at is not null as verified,
      coalesce((select json_agg(json_build_object('role', r.role, 'scopeKind', r.scope_kind, 'scopeCode', r.scope_code)
        order by r.role, r.scope_kind, r.scope_code) from account_role r where r.account_id = a.id), '[]')::text as roles
    from session s join account a on a.id = s.account_id
    where s.id = ${hashToken(token)} and s.expires_at > now() and a.deleted_at is null`,
  );
  if (!row) return undefined;
  const renewed = row.remaining < RENEW_BELOW_SECONDS;
  if (renewed) {
    await db.execute(sql`update session set expires_at = now() + make_interval(secs => ${SESSION_SECONDS}), last_seen_at = now()
      where id = ${row.id}`);
  }
  return {
    account: {
      id: row.account_id,
      email: row.email,
      displayName: row.display_name,
      emailVerified: row.verified,
      roles: JSON.parse(row.roles) as AccountRole[],
    },
    session: { id: row.id, csrfSecret: row.csrf_secret },
    renewed,
  };
}

export async function deleteSession(db: Db, sessionId: string): Promise<void> {
  await db.execute(sql`delete from session where id = ${sessionId}`);
}

/** Signs the account out everywhere (password reset). */
export async function deleteAllSessions(db: Db, accountId: number): Promise<void> {
  await db.execute(sql`delete from session where account_id = ${accountId}`);
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string): void {
  setCookie(request, reply, SESSION_COOKIE, token, { maxAge: SESSION_SECONDS });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  clearCookie(request, reply, SESSION_COOKIE);
}

/** Deletes expired sessions, and e-mailed links a week past their expiry (used or not). */
export async function pruneExpired(db: Db): Promise<void> {
  await db.execute(sql`delete from session where expires_at <= now()`);
  await db.execute(sql`delete from one_time_token where expires_at < now() - interval '7 days'`);
}

/**
 * Fills request.account and request.accountSession from the cookie. A cookie that names no live session
 * (expired, revoked, malformed) is cleared, and expired rows are deleted now and then (pruneExpired).
 */
export async function attachSession(db: Db, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  request.account = null;
  request.accountSession = null;
  const token = readCookie(request, SESSION_COOKIE);
  if (token === undefined) return;
  const loaded = isTokenShaped(token) ? await loadSession(db, token) : undefined;
  if (!loaded) {
    clearSessionCookie(request, reply);
    if (Math.random() < 0.05) await pruneExpired(db);
    return;
  }
  request.account = loaded.account;
  request.accountSession = loaded.session;
  if (loaded.renewed) setSessionCookie(request, reply, token);
}
