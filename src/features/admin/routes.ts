/**
 * /admin (platform admins only): accounts and their roles, and the audit log. The guard runs before the
 * schemas (preValidation), so that nobody else learns even whether a URL is well formed; the CSRF check of
 * every form post has already run by then (accounts' hook).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { HttpError, notFound } from '../../web/errors.ts';
import type { SafeHtml } from '../../web/html.ts';
import { page } from '../../web/layout.ts';
import { accountOf, requirePlatformAdmin } from '../../platform/http/guards.ts';
import { fieldErrors, formValue } from '../accounts/schemas.ts';
import type { CurrentAccount } from '../../platform/http/sessions.ts';
import { findAccount, findAccounts, journalPage } from './queries.ts';
import { accountIdParams, accountSearchQuery, grantForm, journalQuery, revokeForm } from './schemas.ts';
import { grantRole, revokeRole, type AdminDeps } from './service.ts';
import { accountAdminPage, adminHomePage, journalView, type GrantFormState } from './views.ts';

const NOTICES: Record<string, string> = {
  attribue: 'Le rôle est attribué ; il vaut dès la prochaine page que la personne ouvre.',
  retire: 'Le rôle est retiré.',
};

const noticeQuery = z.object({ fait: z.enum(['attribue', 'retire']).optional().catch(undefined) });

const actorOf = (account: CurrentAccount) => ({ id: account.id, displayName: account.displayName });

export async function registerAdmin(app: TypedApp, context: AppContext) {
  const deps: AdminDeps = { db: context.database.db, territories: context.territories };
  const send = (reply: FastifyReply, status: number, title: string, main: SafeHtml) =>
    reply.status(status).type('text/html; charset=utf-8').send(page({ title, main, currentPath: '/admin' }));
  const guarded = { preValidation: requirePlatformAdmin };

  async function accountOr404(id: number) {
    const account = await findAccount(deps.db, id);
    if (!account) throw notFound('Aucun compte ne porte ce numéro.');
    return account;
  }
  async function accountPage(reply: FastifyReply, request: FastifyRequest, id: number, status: number, state: GrantFormState) {
    const account = await accountOr404(id);
    const title = `${status >= 400 ? 'Erreur — ' : ''}${account.display_name} — Administration`;
    return send(reply, status, title, accountAdminPage(request, account, deps.territories, state));
  }

  app.get('/admin', { schema: { hide: true, querystring: accountSearchQuery }, ...guarded }, async (request, reply) =>
    send(reply, 200, 'Administration', adminHomePage(request.query.q, await findAccounts(deps.db, request.query.q))));

  app.get('/admin/comptes/:id', { schema: { hide: true, params: accountIdParams, querystring: noticeQuery }, ...guarded }, async (request, reply) => {
    const notice = request.query.fait && NOTICES[request.query.fait];
    return accountPage(reply, request, request.params.id, 200, { notice });
  });

  app.post('/admin/comptes/:id/roles', { schema: { hide: true, params: accountIdParams }, ...guarded }, async (request, reply) => {
    const values = { role: formValue(request.body, 'role'), portee: formValue(request.body, 'portee') };
    const parsed = grantForm.safeParse(values);
    if (!parsed.success) {
      const errors = fieldErrors(parsed.error).map((e) => ({ field: e.field === 'role' ? 'role' as const : 'portee' as const, message: e.message }));
      return accountPage(reply, request, request.params.id, 400, { values, errors });
    }
    try {
      await grantRole(deps, actorOf(accountOf(request)), request.params.id, parsed.data.role, parsed.data.portee);
    } catch (error) {
      if (!(error instanceof HttpError) || error.status >= 500) throw error;
      const state: GrantFormState = error.status === 400
        ? { values, errors: [{ field: 'portee', message: error.message }] }
        : { values, alert: error.message };
      return accountPage(reply, request, request.params.id, error.status, state);
    }
    return reply.redirect(`/admin/comptes/${request.params.id}?fait=attribue`, 303);
  });

  app.post('/admin/comptes/:id/roles/retrait', { schema: { hide: true, params: accountIdParams }, ...guarded }, async (request, reply) => {
    const parsed = revokeForm.safeParse({
      role: formValue(request.body, 'role'), type_portee: formValue(request.body, 'type_portee'), portee: formValue(request.body, 'portee') ?? '',
    });
    if (!parsed.success) throw new HttpError(400, fieldErrors(parsed.error).map((e) => e.message).join(' '));
    const { role, type_portee: scopeKind, portee: scopeCode } = parsed.data;
    try {
      await revokeRole(deps, actorOf(accountOf(request)), request.params.id, { role, scopeKind, scopeCode });
    } catch (error) {
      if (!(error instanceof HttpError) || error.status >= 500) throw error;
      return accountPage(reply, request, request.params.id, error.status, { alert: error.message });
    }
    return reply.redirect(`/admin/comptes/${request.params.id}?fait=retire`, 303);
  });

  app.get('/admin/journal', { schema: { hide: true, querystring: journalQuery }, ...guarded }, async (request, reply) =>
    send(reply, 200, 'Journal des actions — Administration', journalView(request.query, await journalPage(deps.db, request.query))));
}
