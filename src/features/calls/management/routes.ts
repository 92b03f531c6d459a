/**
 * /gestion/appels: funders create, configure and publish their calls. Guards run before the schemas
 * (preValidation, access.ts); forms post with their CSRF field (checked by the accounts hook), answer a
 * redirect with a notice on success and the same page with its errors otherwise (400 bad input, 409 refused by
 * a rule), with nothing written.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext, TypedApp } from '../../../platform/app-context.ts';
import { isPlatformAdmin } from '../../../domain/authorization.ts';
import { sendPage, submitForm, type FormState } from '../../../web/forms.ts';
import type { SafeHtml } from '../../../web/html.ts';
import { accountOf, requireAccount } from '../../../platform/http/guards.ts';
import { csrfField } from '../../../platform/http/csrf.ts';
import { idParams } from '../../../platform/params.ts';
import { now } from '../applications/clock.ts';
import { callCreatorGuard, managedCallGuard } from './access.ts';
import { dispositifChoices, managedCall, managedCalls, mayCreateSomeCall, providersOf } from './queries.ts';
import { readEligibility, readInformations, readNewCall, readOrganisers, readPhases, readStatut } from './schemas.ts';
import { changeStatut, createCall, updateEligibility, updateInformations, updateOrganisers, updatePhases, type ManagementDeps } from './service.ts';
import { callListPage, managementPage, newCallPage } from './views.ts';
import { firstValue, formBody, type FormBody } from '../../../web/form-body.ts';

const NOTICES = {
  cree: 'L’appel est créé, en préparation. Complétez ses sections, puis publiez-le.',
  informations: 'Les informations sont enregistrées.',
  organisateurs: 'Les organisateurs sont enregistrés.',
  phases: 'Les phases sont enregistrées.',
  eligibilite: 'L’éligibilité est enregistrée.',
  statut: 'L’état de l’appel a changé.',
} as const;

const noticeQuery = z.object({
  fait: z
    .enum(Object.keys(NOTICES) as [keyof typeof NOTICES])
    .optional()
    .catch(undefined),
});

export async function registerCallManagement(app: TypedApp, context: AppContext) {
  const deps: ManagementDeps = { db: context.database.db, territories: context.territories };
  const send = (reply: FastifyReply, status: number, title: string, main: SafeHtml) => sendPage(reply, { status, title, main, currentPath: '/gestion' });
  const { guard, callOf } = managedCallGuard((id) => managedCall(deps.db, id));
  const managed = { preValidation: guard };
  const form = { hide: true, params: idParams, body: formBody };

  async function renderCall(request: FastifyRequest, reply: FastifyReply, status: number, state: FormState) {
    const call = callOf(request);
    const dispositifs = await dispositifChoices(
      deps.db,
      call.organisateurs.map((o) => o.nom),
      call.dispositif_id,
    );
    return send(reply, status, `${call.titre} — Gestion de l’appel`, managementPage(call, { dispositifs }, csrfField(request), state));
  }

  /** One section's post: read the form, run the change, redirect; or the page again with the errors. */
  function section<T>(name: keyof typeof NOTICES, read: (body: FormBody) => T, run: (request: FastifyRequest, value: T) => Promise<void>) {
    return async (request: FastifyRequest, reply: FastifyReply) => {
      const body = request.body as FormBody; // validated by the route's formBody schema
      return submitForm({
        reply,
        form: name === 'statut' ? `statut-${firstValue(body.statut)}` : name,
        values: body,
        parse: () => read(body),
        act: (value) => run(request, value),
        redirect: () => `/gestion/appels/${callOf(request).id}?fait=${name}#${name === 'statut' ? 'etat' : name}`,
        render: (status, state) => renderCall(request, reply, status, state),
      });
    };
  }

  app.get('/gestion/appels', { schema: { hide: true }, preValidation: requireAccount }, async (request, reply) => {
    const account = accountOf(request);
    return send(reply, 200, 'Mes appels (gestion)', callListPage(await managedCalls(deps.db, account, now()), mayCreateSomeCall(account)));
  });

  const providersFor = (request: FastifyRequest) => {
    const account = accountOf(request);
    return isPlatformAdmin(account) ? null : providersOf(account);
  };

  app.get('/gestion/appels/nouveau', { schema: { hide: true }, preValidation: callCreatorGuard }, async (request, reply) =>
    send(reply, 200, 'Créer un appel', newCallPage(providersFor(request), csrfField(request), {})),
  );

  app.post('/gestion/appels/nouveau', { schema: { hide: true, body: formBody }, preValidation: callCreatorGuard }, async (request, reply) =>
    submitForm({
      reply,
      form: 'nouveau',
      values: request.body,
      parse: () => readNewCall(request.body),
      act: (input) => createCall(deps, accountOf(request), input),
      redirect: (id) => `/gestion/appels/${id}?fait=cree`,
      render: (status, state) => send(reply, status, 'Créer un appel', newCallPage(providersFor(request), csrfField(request), state)),
    }),
  );

  app.get('/gestion/appels/:id', { schema: { hide: true, params: idParams, querystring: noticeQuery }, ...managed }, async (request, reply) =>
    renderCall(request, reply, 200, { notice: request.query.fait && NOTICES[request.query.fait] }),
  );

  app.post(
    '/gestion/appels/:id/informations',
    { schema: form, ...managed },
    section(
      'informations',
      (body) => readInformations(body, deps.territories),
      (request, value) => updateInformations(deps, accountOf(request), callOf(request), value),
    ),
  );

  app.post(
    '/gestion/appels/:id/organisateurs',
    { schema: form, ...managed },
    section('organisateurs', readOrganisers, (request, value) => updateOrganisers(deps, accountOf(request), callOf(request), value)),
  );

  app.post(
    '/gestion/appels/:id/phases',
    { schema: form, ...managed },
    section('phases', readPhases, (request, value) => updatePhases(deps, accountOf(request), callOf(request), value)),
  );

  app.post(
    '/gestion/appels/:id/eligibilite',
    { schema: form, ...managed },
    section('eligibilite', readEligibility, (request, value) => updateEligibility(deps, accountOf(request), callOf(request), value)),
  );

  app.post(
    '/gestion/appels/:id/statut',
    { schema: form, ...managed },
    section('statut', readStatut, (request, value) => changeStatut(deps, accountOf(request), callOf(request).id, value.statut)),
  );
}
