/**
 * Protection against cross-site request forgery, checked by one hook on every request that is not GET, HEAD
 * or OPTIONS:
 *
 * - an Origin header, when the browser sends one, must be this site's own origin;
 * - HTML forms (every path outside /api/) must send `_csrf`: with a session, the session's synchronizer token;
 *   without one, a token signed for the visitor's pre-session: the cookie `maillage_csrf` holds a random
 *   pre-session id (HttpOnly, SameSite=Lax, set by the page that rendered the form) and the token is its
 *   HMAC under a server secret (OWASP's signed double submit), so a cookie planted by someone else is worth
 *   nothing without the token only the server can make for it. When BASE_URL is https the cookie is
 *   `__Host-maillage_csrf` (Secure, Path=/, no Domain): neither a sibling subdomain nor a plain-http
 *   attacker can set it;
 * - API calls (/api/…) that come with a session cookie must send the session's token in `x-csrf-token`
 *   (pages give it in <meta name="csrf-token">). API calls without a session carry no ambient authority (the
 *   public API is stateless), so there is nothing to forge and they are not asked for a token.
 *
 * A refusal is a 403 with a French message (an HTML page, or problem+json under /api/).
 *
 * Beware: a page sent with `Referrer-Policy: no-referrer` makes Chromium send `Origin: null` with its form
 * posts, which this check refuses; the site-wide strict-origin-when-cross-origin is fine.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedRows, type Db } from '../../db/database.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import { HttpError } from '../../web/errors.ts';
import { readCookie, setCookie } from './cookies.ts';
import { isTokenShaped, newToken, sameSecret } from './tokens.ts';

export const CSRF_COOKIE = 'maillage_csrf';
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface CsrfSettings {
  /** HMAC key of the anonymous tokens. */
  key: Buffer;
  /** The pre-session cookie's name: `__Host-` prefixed over HTTPS. */
  cookie: string;
  /** Whether that cookie is always sent Secure (the prefix requires it). */
  secure: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Set once by the accounts feature (loadCsrfSettings), read by every form. */
    csrfSettings: CsrfSettings;
  }
}

/**
 * The key (made once per database, in server_secret, so that every instance and every restart agree) and the
 * cookie's name for this BASE_URL.
 */
export async function loadCsrfSettings(db: Db, baseUrl: string): Promise<CsrfSettings> {
  await db.execute(sql`insert into server_secret (name, value) values ('csrf', decode(${randomBytes(32).toString('hex')}, 'hex'))
    on conflict (name) do nothing`);
  const [row] = await checkedRows(db, z.object({ key: z.string() }), sql`select encode(value, 'hex') as key from server_secret where name = 'csrf'`);
  const secure = new URL(baseUrl).protocol === 'https:';
  return { key: Buffer.from(row!.key, 'hex'), cookie: secure ? `__Host-${CSRF_COOKIE}` : CSRF_COOKIE, secure };
}

/** The token of a pre-session: only a holder of the key can make it. */
function signedFor(settings: CsrfSettings, preSession: string): string {
  return createHmac('sha256', settings.key).update(`csrf:${preSession}`).digest('base64url');
}

/** Pre-session ids made while rendering this request, to be set as a cookie when the response leaves. */
const issued = new WeakMap<FastifyRequest, string>();

/** The pre-session id the request's cookie holds, if it is one this module could have made. */
function preSessionOf(request: FastifyRequest): string | undefined {
  const cookie = readCookie(request, request.server.csrfSettings.cookie);
  return isTokenShaped(cookie) ? cookie : undefined;
}

/**
 * The token a form of this response must carry: the session's, or (nobody signed in) the one signed for the
 * pre-session of the cookie, which is created when the request had none.
 */
export function csrfToken(request: FastifyRequest): string {
  if (request.accountSession) return request.accountSession.csrfSecret;
  let preSession = preSessionOf(request) ?? issued.get(request);
  if (!preSession) {
    preSession = newToken();
    issued.set(request, preSession);
  }
  return signedFor(request.server.csrfSettings, preSession);
}

/** The hidden field every form that POSTs must contain. */
export function csrfField(request: FastifyRequest): SafeHtml {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${csrfToken(request)}">`;
}

/** onSend: sets the pre-session cookie if a form of this response used a new one; such pages are never stored. */
export function issueCsrfCookie(request: FastifyRequest, reply: FastifyReply): void {
  const preSession = issued.get(request);
  if (!preSession) return;
  const { cookie, secure } = request.server.csrfSettings;
  setCookie(request, reply, cookie, preSession, { secure });
  reply.header('cache-control', 'no-store');
}

const REFUSED = 'Cette action a été refusée : le formulaire a expiré ou ne vient pas de Maillage. Rechargez la page, puis réessayez.';

function refuse(): never {
  throw new HttpError(403, REFUSED, 'Action refusée');
}

function sentToken(request: FastifyRequest): string | undefined {
  const body = request.body;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const value = (body as Record<string, unknown>)[CSRF_FIELD];
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') return first;
  }
  const header = request.headers[CSRF_HEADER];
  return typeof header === 'string' ? header : undefined;
}

/** Compares origins as URLs do (a default port written or not is the same origin). */
function isOwnOrigin(request: FastifyRequest, origin: string): boolean {
  try {
    return new URL(origin).origin === new URL(`${request.protocol}://${request.host}`).origin;
  } catch {
    return false;
  }
}

/** preValidation: refuses a state-changing request without the right token (see the module comment). */
export function checkCsrf(request: FastifyRequest): void {
  if (SAFE_METHODS.has(request.method)) return;
  const origin = request.headers.origin;
  if (origin !== undefined && !isOwnOrigin(request, origin)) refuse();
  const isApi = request.url.startsWith('/api/');
  if (isApi) {
    if (!request.accountSession) return;
    const header = request.headers[CSRF_HEADER];
    if (!sameSecret(typeof header === 'string' ? header : undefined, request.accountSession.csrfSecret)) refuse();
    return;
  }
  const preSession = preSessionOf(request);
  const expected = request.accountSession ? request.accountSession.csrfSecret : preSession && signedFor(request.server.csrfSettings, preSession);
  if (!isTokenShaped(expected) || !sameSecret(sentToken(request), expected)) refuse();
}
