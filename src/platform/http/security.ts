/**
 * Security headers on every response (onSend hook). A route may set its own value of one of them: the hook
 * only fills in what is missing.
 *
 * - Content-Security-Policy: scripts and styles only from Maillage itself (no inline script, no eval, no style
 *   attribute nor <style>: MapLibre sets its styles through the CSSOM, which the policy allows); images from
 *   Maillage, data: and blob: (map canvases); workers from Maillage and blob: (MapLibre's worker is served under /carte/); network calls to Maillage and
 *   to the origin of MAP_STYLE_URL when a tile style is configured; no framing by other sites, except for the
 *   routes declared `config: { embeddable: true }` (the partners' embeds under /integration/), which any site
 *   may frame: the route's own option decides, so that no other page can become frameable by accident.
 * - Strict-Transport-Security only when the request came over HTTPS (directly or, trustProxy being on, said so
 *   by the proxy in X-Forwarded-Proto): over plain HTTP (development) it would be ignored or harmful.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Any site may show this page in an iframe (CSP frame-ancestors *); every other page: Maillage only. */
    embeddable?: boolean;
  }
}

export function contentSecurityPolicy(config: Pick<Config, 'MAP_STYLE_URL'>, { embeddable = false } = {}): string {
  const connect = ["'self'"];
  if (config.MAP_STYLE_URL) connect.push(new URL(config.MAP_STYLE_URL).origin);
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "worker-src 'self' blob:",
    `connect-src ${connect.join(' ')}`,
    "object-src 'none'",
    embeddable ? 'frame-ancestors *' : "frame-ancestors 'self'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
}

export const HSTS = 'max-age=31536000';

const HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'cross-origin-opener-policy': 'same-origin',
};

/**
 * The security headers of a page that may not be framed, HSTS aside: what the answers sent outside the
 * routes' hooks carry (Node's HTTP parser and Fastify's router refusing a request, framework-errors.ts).
 */
export function securityHeaders(config: Pick<Config, 'MAP_STYLE_URL'>): Record<string, string> {
  return { 'content-security-policy': contentSecurityPolicy(config), ...HEADERS };
}

export function registerSecurityHeaders(app: FastifyInstance, config: Pick<Config, 'MAP_STYLE_URL'>): void {
  const policies = { closed: contentSecurityPolicy(config), embeddable: contentSecurityPolicy(config, { embeddable: true }) };
  app.addHook('onSend', async (request, reply, payload) => {
    if (!reply.hasHeader('content-security-policy')) {
      reply.header('content-security-policy', request.routeOptions.config?.embeddable === true ? policies.embeddable : policies.closed);
    }
    for (const [name, value] of Object.entries(HEADERS)) {
      if (!reply.hasHeader(name)) reply.header(name, value);
    }
    if (request.protocol === 'https' && !reply.hasHeader('strict-transport-security')) reply.header('strict-transport-security', HSTS);
    return payload;
  });
}

/**
 * Links sent by mail carry a secret in `jeton`, OpenID Connect callbacks in `code` and `state`, file uploads
 * the CSRF token in `_csrf`: never logged.
 */
export function redactSecrets(url: string): string {
  return url.replace(/([?&](?:jeton|token|code|state|_csrf)=)[^&#]*/gi, '$1[masqué]');
}
