/**
 * Cookies, read and written by hand (RFC 6265): the session, the CSRF pre-session id and the short-lived
 * cookies of an OpenID Connect sign-in, all with values from base64url (no quoting or encoding needed).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The value of one cookie of the request, or undefined (the first one wins when a name is repeated). */
export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) {
      const value = part.slice(index + 1).trim();
      return value.startsWith('"') && value.endsWith('"') && value.length >= 2 ? value.slice(1, -1) : value;
    }
  }
  return undefined;
}

export interface CookieOptions {
  /** Seconds; omitted: a browser-session cookie; 0: delete. */
  maxAge?: number;
  /** Secure even if this request did not come over HTTPS (a `__Host-` cookie must be). */
  secure?: boolean;
}

/**
 * Sets a cookie: Path=/, HttpOnly, SameSite=Lax, no Domain, and Secure when asked or when the request came over
 * HTTPS (directly or, through a proxy TRUST_PROXY names, saying so with X-Forwarded-Proto).
 */
export function setCookie(request: FastifyRequest, reply: FastifyReply, name: string, value: string, options: CookieOptions = {}): void {
  const parts = [`${name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (options.maxAge !== undefined) {
    parts.push(`Max-Age=${Math.max(0, Math.floor(options.maxAge))}`);
    if (options.maxAge <= 0) parts.push('Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  }
  if (options.secure || request.protocol === 'https') parts.push('Secure');
  reply.header('set-cookie', parts.join('; '));
}

export function clearCookie(request: FastifyRequest, reply: FastifyReply, name: string): void {
  setCookie(request, reply, name, '', { maxAge: 0 });
}
