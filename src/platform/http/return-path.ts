/**
 * Where to go back after signing in: a path of this site only (no other host, no scheme), ready for the
 * Location header — what is not printable ASCII (« /日本 », « /é », a control character) is percent-encoded,
 * since a header holds Latin-1 at most and a raw byte there is read differently by each browser.
 */
import { hasForbiddenCharacter } from './input-guard.ts';

export function safeReturnPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 500 || hasForbiddenCharacter(value)) return undefined;
  if (!/^\/(?![/\\])[^\s\\]*$/.test(value)) return undefined;
  if (value.startsWith('/compte/deconnexion') || value.startsWith('/compte/connexion')) return undefined;
  return value.replace(/[^\x21-\x7e]+/g, encodeURIComponent);
}
