/**
 * The hooks every request goes through: the session is loaded (request.account), the CSRF token is checked on every
 * state-changing request, the layout learns who is signed in; pages of a signed-in person are never cached.
 */
import type { FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.ts';
import { createsCalls, isInstructor, isModerator, isPlatformAdmin } from '../../domain/authorization.ts';
import type { TypedApp } from '../../platform/app-context.ts';
import { checkCsrf, csrfToken, issueCsrfCookie, loadCsrfSettings } from '../../platform/http/csrf.ts';
import { attachSession } from '../../platform/http/sessions.ts';
import { pageRequestContext, type PageAccount } from '../../web/layout.ts';

/** The header's view of the request: who is signed in, with the token of the sign-out form and their powers. */
export function pageAccount(request: FastifyRequest): PageAccount | null {
  const account = request.account;
  return account
    ? {
        displayName: account.displayName,
        csrfToken: csrfToken(request),
        moderator: isModerator(account),
        instructor: isInstructor(account),
        callManager: isInstructor(account) || createsCalls(account),
        platformAdmin: isPlatformAdmin(account),
      }
    : null;
}

export async function registerRequestHooks(app: TypedApp, db: Db, baseUrl: string) {
  // Every request: the session, then (state-changing requests) the CSRF check, then the layout's context.
  app.decorateRequest('account', null);
  app.decorateRequest('accountSession', null);
  app.decorate('csrfSettings', await loadCsrfSettings(db, baseUrl));
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/assets/')) return;
    await attachSession(db, request, reply);
  });
  // Once the body is parsed: the layout's context for the rest of the request (handler and error pages
  // included: the chain goes on synchronously from done()), then the CSRF check.
  app.addHook('preValidation', (request, _reply, done) => {
    pageRequestContext.run({ account: pageAccount(request), returnPath: request.method === 'GET' ? request.url : undefined }, () => {
      try {
        checkCsrf(request);
      } catch (error) {
        done(error as Error);
        return;
      }
      done();
    });
  });
  app.addHook('onSend', async (request, reply, payload) => {
    issueCsrfCookie(request, reply);
    // Pages for a signed-in person, and the account pages, are never kept by a cache.
    if ((request.account || request.url.startsWith('/compte')) && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
}
