/**
 * Maillage's mark in browsers' tabs and bookmarks: /favicon.ico, which browsers ask for unbidden, and the SVG
 * the layout links as a hashed asset. Both are drawn by scripts/favicon.mjs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { projectRoot } from '../paths.ts';

/** Read once: the icon changes only with a new version, which a month of cache waits for. */
const icon = readFileSync(join(projectRoot, 'public', 'favicon.ico'));

export function registerFavicon(app: FastifyInstance): void {
  app.get('/favicon.ico', { schema: { hide: true } }, (_request, reply) =>
    reply.type('image/x-icon').header('cache-control', 'public, max-age=2592000').send(icon),
  );
}
