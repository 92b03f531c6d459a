/** Where to go back after signing in: a path of this site only (no other host, no scheme). */
export function safeReturnPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 500) return undefined;
  if (!/^\/(?![/\\])[^\s\\]*$/.test(value)) return undefined;
  if (value.startsWith('/compte/deconnexion') || value.startsWith('/compte/connexion')) return undefined;
  return value;
}
