/**
 * Protection against cross-site request forgery, checked by one hook on every request that is not GET, HEAD
 * or OPTIONS:
 *
 * - an Origin header, when the browser sends one, must be this site's own origin;
 * - HTML forms (every path outside /api/) must send `_csrf`: with a session, the session's synchronizer token;
 *   without one, the value of the `maillage_csrf` cookie (double submit; the cookie is HttpOnly and
 *   SameSite=Lax, set by the page that rendered the form);
 * - API calls (/api/…) that come with a session cookie must send the session's token in `x-csrf-token`
 *   (pages give it in <meta name="csrf-token">). API calls without a session carry no ambient authority (the
 *   public API is stateless), so there is nothing to forge and they are not asked for a token.
 *
 * A refusal is a 403 with a French message (an HTML page, or problem+json under /api/).
 *
 * Beware: a page sent with `Referrer-Policy: no-referrer` makes Chromium send `Origin: null` with its form
 * posts, which this check refuses; the site-wide strict-origin-when-cross-origin is fine.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { html, type SafeHtml } from '../../web/html.ts';
import { HttpError } from '../../web/errors.ts';
import { readCookie, setCookie } from './cookies.ts';
import { isTokenShaped, newToken, sameSecret } from './tokens.ts';

export const CSRF_COOKIE = 'maillage_csrf';
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Anonymous tokens issued while rendering this request, to be set as a cookie when the response leaves. */
const issued = new WeakMap<FastifyRequest, string>();

/**
 * The token a form of this response must carry: the session's, or (nobody signed in) the anonymous cookie's,
 * which is created when the request had none.
 */
export function csrfToken(request: FastifyRequest): string {
  if (request.accountSession) return request.accountSession.csrfSecret;
  const cookie = readCookie(request, CSRF_COOKIE);
  if (isTokenShaped(cookie)) return cookie;
  let token = issued.get(request);
  if (!token) {
    token = newToken();
    issued.set(request, token);
  }
  return token;
}

/** The hidden field every form that POSTs must contain. */
export function csrfField(request: FastifyRequest): SafeHtml {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${csrfToken(request)}">`;
}

/** onSend: sets the anonymous token cookie if a form of this response used a new one; such pages are never stored. */
export function issueCsrfCookie(request: FastifyRequest, reply: FastifyReply): void {
  const token = issued.get(request);
  if (!token) return;
  setCookie(request, reply, CSRF_COOKIE, token);
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
  const expected = request.accountSession ? request.accountSession.csrfSecret : readCookie(request, CSRF_COOKIE);
  if (!isTokenShaped(expected) || !sameSecret(sentToken(request), expected)) refuse();
}
