/**
 * Alerts: « Créer une alerte » from a result page (POST /compte/alertes), the page /compte/alertes to change
 * their frequency or delete them, and the jobs that send the digests. Only the owner sees or touches an alert:
 * someone else's is answered 404, as if it did not exist.
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import type { AlertKind } from '../../domain/alert.ts';
import { registerJobHandlers } from '../../platform/jobs/registry.ts';
import { badRequest, notFound } from '../../web/errors.ts';
import { formValue } from '../../web/form-body.ts';
import { sendPage } from '../../web/forms.ts';
import type { SafeHtml } from '../../web/html.ts';
import { accountOf, requireAccount } from '../../platform/http/guards.ts';
import { resolveFilters } from '../atlas/search.ts';
import type { OrientationInput } from '../orientation/schemas.ts';
import { resolvePlace } from '../orientation/service.ts';
import { alertsDigestJob, DIGEST_JOB } from './digest.ts';
import { defaultAlertName } from './naming.ts';
import { createAlert, deleteAlert, listAlerts, setAlertFrequency } from './queries.ts';
import { alertIdParams, createAlertSchema, describeIssues, frequencySchema, parseSavedQuery } from './schemas.ts';
import { ALERT_NOTICE_KEYS, alertsPage } from './views.ts';

const queryStrings = z.record(z.string(), z.union([z.string(), z.array(z.string())]));
const NOT_FOUND = 'Cette alerte n’existe pas, ou plus.';

export async function registerAlerts(app: TypedApp, context: AppContext) {
  const { territories } = context;
  const db = context.database.db;
  registerJobHandlers(app, { [DIGEST_JOB]: alertsDigestJob({ territories, baseUrl: context.config.BASE_URL }) });

  const render = (reply: FastifyReply, title: string, main: SafeHtml) => sendPage(reply, { title, main, currentPath: '/compte' });

  /** Territory codes must exist (the same check as the search routes make): unknown ones → 400. */
  async function checkTerritories(kind: AlertKind, query: Record<string, unknown>): Promise<void> {
    if (kind === 'profil_orientation') await resolvePlace(db, territories, query as OrientationInput);
    else await resolveFilters(db, territories, query);
  }

  app.get('/compte/alertes', { schema: { hide: true, querystring: queryStrings }, preHandler: requireAccount }, async (request, reply) => {
    const account = accountOf(request);
    const notice = ALERT_NOTICE_KEYS.find((key) => request.query[key] !== undefined);
    return render(reply, 'Mes alertes', alertsPage(request, await listAlerts(db, account.id), { notice, verified: account.emailVerified }));
  });

  app.post('/compte/alertes', { schema: { hide: true }, preHandler: requireAccount }, async (request, reply) => {
    const account = accountOf(request);
    const field = (name: string) => formValue(request.body, name) || undefined;
    const form = createAlertSchema.safeParse({ type: field('type'), requete: field('requete'), nom: field('nom'), frequence: field('frequence') });
    if (!form.success) throw badRequest(`Alerte invalide — ${describeIssues(form.error)}.`);
    const { type: kind, requete, nom, frequence } = form.data;
    const query = parseSavedQuery(kind, requete);
    if (!query.success) throw badRequest(`La recherche de cette alerte est invalide — ${describeIssues(query.error)}.`);
    await checkTerritories(kind, query.data);
    await createAlert(db, account.id, { name: nom || defaultAlertName(kind, query.data, territories), kind, query: query.data, frequency: frequence });
    return reply.redirect('/compte/alertes?creee=1', 303);
  });

  app.post('/compte/alertes/:id/frequence', { schema: { hide: true, params: alertIdParams }, preHandler: requireAccount }, async (request, reply) => {
    const account = accountOf(request);
    const form = frequencySchema.safeParse({ frequence: formValue(request.body, 'frequence') });
    if (!form.success) throw badRequest(`Fréquence invalide — ${describeIssues(form.error)}.`);
    if (!(await setAlertFrequency(db, account.id, request.params.id, form.data.frequence))) throw notFound(NOT_FOUND);
    return reply.redirect('/compte/alertes?modifiee=1', 303);
  });

  app.post('/compte/alertes/:id/suppression', { schema: { hide: true, params: alertIdParams }, preHandler: requireAccount }, async (request, reply) => {
    const account = accountOf(request);
    if (!(await deleteAlert(db, account.id, request.params.id))) throw notFound(NOT_FOUND);
    return reply.redirect('/compte/alertes?supprimee=1', 303);
  });
}
