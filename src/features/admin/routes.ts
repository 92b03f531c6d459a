/**
 * /admin (platform admins only): accounts and their roles, the audit log, and the mail that fails to leave. The guard runs before the
 * schemas (preValidation), so that nobody else learns even whether a URL is well formed; the CSRF check of
 * every form post has already run by then (accounts' hook).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { notFound } from '../../web/errors.ts';
import { formValue, formValues } from '../../web/form-body.ts';
import { sendPage, submitForm, type FormState } from '../../web/forms.ts';
import type { SafeHtml } from '../../web/html.ts';
import { accountOf, requirePlatformAdmin } from '../../platform/http/guards.ts';
import { failingMails, retryFailedMails } from '../../platform/jobs/mail.ts';
import type { CurrentAccount } from '../../platform/http/sessions.ts';
import { findAccount, findAccounts, journalPage } from './queries.ts';
import { accountIdParams, accountSearchQuery, grantForm, journalQuery, revokeForm } from './schemas.ts';
import { grantRole, revokeRole, type AdminDeps } from './service.ts';
import { accountAdminPage, adminHomePage, failingMailsView, journalView } from './views.ts';

const NOTICES: Record<string, string> = {
  attribue: 'Le rôle est attribué ; il vaut dès la prochaine page que la personne ouvre.',
  retire: 'Le rôle est retiré.',
};

const noticeQuery = z.object({ fait: z.enum(['attribue', 'retire']).optional().catch(undefined) });

const actorOf = (account: CurrentAccount) => ({ id: account.id, displayName: account.displayName });

export async function registerAdmin(app: TypedApp, context: AppContext) {
  const deps: AdminDeps = { db: context.database.db, territories: context.territories };
  const send = (reply: FastifyReply, status: number, title: string, main: SafeHtml) => sendPage(reply, { status, title, main, currentPath: '/admin' });
  const guarded = { preValidation: requirePlatformAdmin };

  async function accountOr404(id: number) {
    const account = await findAccount(deps.db, id);
    if (!account) throw notFound('Aucun compte ne porte ce numéro.');
    return account;
  }
  async function accountPage(reply: FastifyReply, request: FastifyRequest, id: number, status: number, state: FormState) {
    const account = await accountOr404(id);
    return send(reply, status, `${account.display_name} — Administration`, accountAdminPage(request, account, deps.territories, state));
  }

  app.get('/admin', { schema: { hide: true, querystring: accountSearchQuery }, ...guarded }, async (request, reply) =>
    send(reply, 200, 'Administration', adminHomePage(request.query.q, await findAccounts(deps.db, request.query.q))),
  );

  app.get('/admin/comptes/:id', { schema: { hide: true, params: accountIdParams, querystring: noticeQuery }, ...guarded }, async (request, reply) => {
    const notice = request.query.fait && NOTICES[request.query.fait];
    return accountPage(reply, request, request.params.id, 200, { notice });
  });

  app.post('/admin/comptes/:id/roles', { schema: { hide: true, params: accountIdParams }, ...guarded }, async (request, reply) =>
    submitForm({
      reply,
      values: formValues(request.body, ['role', 'portee']),
      parse: grantForm,
      act: (input) => grantRole(deps, actorOf(accountOf(request)), request.params.id, input.role, input.portee),
      redirect: () => `/admin/comptes/${request.params.id}?fait=attribue`,
      render: (status, state) => accountPage(reply, request, request.params.id, status, state),
    }),
  );

  app.post('/admin/comptes/:id/roles/retrait', { schema: { hide: true, params: accountIdParams }, ...guarded }, async (request, reply) =>
    submitForm({
      reply,
      values: { ...formValues(request.body, ['role', 'type_portee']), portee: formValue(request.body, 'portee') ?? '' },
      parse: revokeForm,
      form: 'retrait',
      hiddenInputs: true,
      act: ({ role, type_portee: scopeKind, portee: scopeCode }) =>
        revokeRole(deps, actorOf(accountOf(request)), request.params.id, { role, scopeKind, scopeCode }),
      redirect: () => `/admin/comptes/${request.params.id}?fait=retire`,
      render: (status, state) => accountPage(reply, request, request.params.id, status, state),
    }),
  );

  app.get('/admin/journal', { schema: { hide: true, querystring: journalQuery }, ...guarded }, async (request, reply) =>
    send(reply, 200, 'Journal des actions — Administration', journalView(request.query, await journalPage(deps.db, request.query))),
  );

  const retriedQuery = z.object({ relances: z.coerce.number().int().min(0).optional().catch(undefined) });
  app.get('/admin/courriels', { schema: { hide: true, querystring: retriedQuery }, ...guarded }, async (request, reply) => {
    const n = request.query.relances;
    const notice =
      n === undefined
        ? undefined
        : n === 0
          ? 'Aucun courriel n’était abandonné.'
          : `${n} courriel${n > 1 ? 's sont' : ' est'} de nouveau en file : ${n > 1 ? 'ils partent' : 'il part'} dans quelques instants si le serveur de courriel répond.`;
    return send(reply, 200, 'Courriels en échec — Administration', failingMailsView(request, await failingMails(deps.db), notice));
  });

  app.post('/admin/courriels/relance', { schema: { hide: true }, ...guarded }, async (_request, reply) =>
    reply.redirect(`/admin/courriels?relances=${await retryFailedMails(deps.db)}`, 303),
  );
}
