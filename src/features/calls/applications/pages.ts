/** The pages of calls (public) and of the applicant's applications (signed in, verified address to write). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext, TypedApp } from '../../../platform/app-context.ts';
import { nestFields, type FlatFields } from '../../../domain/form-fields.ts';
import { EDITABLE } from '../../../domain/application.ts';
import { readsFundingReports } from '../../../domain/authorization.ts';
import { notFound } from '../../../web/errors.ts';
import { readForm, sendPage, submitForm, type FormState } from '../../../web/forms.ts';
import { html, type SafeHtml } from '../../../web/html.ts';
import { accountOf, requireAccount, requireVerifiedAccount } from '../../../platform/http/guards.ts';
import { csrfField, csrfToken } from '../../../platform/http/csrf.ts';
import { storedFiles } from '../files/queries.ts';
import { now } from './clock.ts';
import { concertation, registerCallComments } from './comments.ts';
import { findAppel, formVersion, searchAppels } from './queries.ts';
import { receiptPdf } from './receipt.ts';
import { appelSearchSchema, idParams, startApplicationSchema } from './schemas.ts';
import { hasFundingAgreement, myApplications, ownApplication, saveDraft, startApplication, submitApplication, type CallsDeps } from './service.ts';
import { appelPage, appelsPage, applicationPage, CO_APPLICANT_ROWS, myApplicationsPage, receiptPage, startPage, submittedPage } from './views.ts';
import { firstValue, formBody } from '../../../web/form-body.ts';

const first = (value: string | string[] | undefined) => firstValue(value).trim();

function send(reply: FastifyReply, status: number, title: string, main: SafeHtml, currentPath = '/appels') {
  return sendPage(reply, { status, title, main, currentPath });
}

/**
 * The start form's fields → the start schema's input, read with each error named after its input (`co.3.siret`
 * for the fourth row). Blank co-applicant rows are left out of the input, so its rows are mapped back to the form's.
 */
function readStart(body: FlatFields) {
  const co = Array.from({ length: CO_APPLICANT_ROWS }, (_, i) => ({ siret: first(body[`co.${i}.siret`]), nom: first(body[`co.${i}.nom`]) }));
  const filled = co.map((c, i) => ({ c, i })).filter(({ c }) => c.siret || c.nom);
  const profil = Object.fromEntries(['stade', 'modele', 'finalite', 'modele_economique'].map((k) => [k, first(body[`profil.${k}`]) || undefined]));
  // The page always asks the profile (its fields are required there); the API asks it when the call restricts it.
  const input = {
    titre: first(body.titre),
    porteur: first(body.porteur) || undefined,
    chef_de_file: { siret: first(body.chef_siret), nom: first(body.chef_nom) },
    co_candidats: filled.map(({ c }) => c),
    profil,
  };
  return readForm(startApplicationSchema, input, ([key, index, sub]) => {
    if (key === 'chef_de_file') return sub === 'nom' ? 'chef_nom' : 'chef_siret';
    if (key === 'co_candidats') return index === undefined ? 'co' : `co.${filled[Number(index)]?.i ?? 0}.${String(sub ?? 'siret')}`;
    return [key, index]
      .filter((part) => part !== undefined)
      .map(String)
      .join('.');
  });
}

/** The applicant's page of an application (its form while editable); also the answer of a refused upload (features/files). */
export async function showApplication(deps: CallsDeps, request: FastifyRequest, reply: FastifyReply, id: number, status: number, state: FormState) {
  const candidature = await ownApplication(deps.db, accountOf(request), id);
  const definition = (await formVersion(deps.db, candidature.appel.id, candidature.formulaire_version))!;
  if (!EDITABLE.includes(candidature.statut)) {
    // The link to the funding reports, for whoever the reports page lets in.
    const funded = { cooperation_id: candidature.cooperation_id, appel_id: candidature.appel.id };
    const reports = readsFundingReports(accountOf(request), funded) && (await hasFundingAgreement(deps.db, id));
    return send(reply, status, candidature.titre, submittedPage(candidature, definition, await storedFiles(deps.db, id), reports), '/candidatures');
  }
  const files = { stored: await storedFiles(deps.db, id), csrfToken: csrfToken(request), maxUploadMb: deps.maxUploadMb };
  return send(reply, status, candidature.titre, applicationPage(candidature, definition, csrfField(request), state, files), '/candidatures');
}

const NOTICES = { enregistre: 'Brouillon enregistré.', fichier_envoye: 'Fichier envoyé.', fichier_retire: 'Fichier retiré.' } as const;

export async function registerCallsPages(app: TypedApp, context: AppContext, deps: CallsDeps) {
  const { database, territories } = context;
  const db = database.db;
  await registerCallComments(app, context);

  app.get('/appels', { schema: { hide: true, querystring: appelSearchSchema } }, async (request, reply) => {
    const found = await searchAppels(db, territories, request.query, now());
    return send(reply, 200, 'Appels', appelsPage(request.query, found));
  });

  app.get('/appels/:id', { schema: { hide: true, params: idParams } }, async (request, reply) => {
    const appel = await findAppel(db, request.params.id, now(), request.account);
    if (!appel) throw notFound(`Aucun appel ne porte l'identifiant ${request.params.id}.`);
    // Only its managers reach a call in preparation (findAppel): they see what will be published, marked so.
    const preview =
      appel.etat_publication === 'brouillon'
        ? html`<div class="notice" role="status"><p>Aperçu : cet appel n’est pas publié. Seules les personnes qui le gèrent le voient
        (<a href="/gestion/appels/${appel.id}">gérer l’appel</a>).</p></div>`
        : '';
    return send(reply, 200, appel.titre, html`${preview}${appelPage(appel, request.account !== null)}${await concertation(db, request, appel)}`);
  });

  const callOr404 = async (id: number) => {
    const appel = await findAppel(db, id, now());
    if (!appel) throw notFound(`Aucun appel ne porte l'identifiant ${id}.`);
    return appel;
  };

  app.get('/appels/:id/candidater', { schema: { hide: true, params: idParams }, preHandler: requireVerifiedAccount }, async (request, reply) => {
    const appel = await callOr404(request.params.id);
    const alert = appel.statut === 'ouvert' ? undefined : 'Cet appel ne reçoit pas de candidatures en ce moment : aucune phase de dépôt n’est ouverte.';
    return send(reply, 200, `Candidater — ${appel.titre}`, startPage(appel, csrfField(request), { alert }));
  });

  app.post(
    '/appels/:id/candidater',
    { schema: { hide: true, params: idParams, body: formBody }, preHandler: requireVerifiedAccount },
    async (request, reply) => {
      const appel = await callOr404(request.params.id);
      return submitForm({
        reply,
        values: request.body,
        parse: () => readStart(request.body),
        act: (input) => startApplication(deps, accountOf(request), appel.id, input),
        redirect: (id) => `/candidatures/${id}`,
        render: (status, state) => send(reply, status, `Candidater — ${appel.titre}`, startPage(appel, csrfField(request), state)),
      });
    },
  );

  app.get('/candidatures', { schema: { hide: true }, preHandler: requireAccount }, async (request, reply) =>
    send(reply, 200, 'Mes candidatures', myApplicationsPage(await myApplications(db, accountOf(request))), '/candidatures'),
  );

  app.get(
    '/candidatures/:id',
    {
      schema: { hide: true, params: idParams, querystring: z.object({ enregistre: z.string().optional(), fichier: z.enum(['envoye', 'retire']).optional() }) },
      preHandler: requireAccount,
    },
    async (request, reply) => {
      const { enregistre, fichier } = request.query;
      const notice = fichier ? NOTICES[`fichier_${fichier}`] : enregistre !== undefined ? NOTICES.enregistre : undefined;
      return showApplication(deps, request, reply, request.params.id, 200, { notice });
    },
  );

  app.post('/candidatures/:id', { schema: { hide: true, params: idParams, body: formBody }, preHandler: requireVerifiedAccount }, async (request, reply) => {
    const account = accountOf(request);
    const id = request.params.id;
    const donnees = nestFields(request.body, ['_csrf', 'action', 'version']);
    const version = Number(first(request.body.version));
    const submitting = first(request.body.action) === 'deposer';
    return submitForm({
      reply,
      values: donnees,
      act: async () => {
        if (submitting) await submitApplication(deps, account, id, { version, donnees });
        else await saveDraft(deps, account, id, { version, donnees });
      },
      redirect: () => (submitting ? `/candidatures/${id}/recepisse` : `/candidatures/${id}?enregistre=1`),
      render: (status, state) => showApplication(deps, request, reply, id, status, state),
    });
  });

  const submitted = async (request: FastifyRequest, id: number) => {
    const candidature = await ownApplication(db, accountOf(request), id);
    if (!candidature.numero_depot) throw notFound('Cette candidature n’a pas encore été déposée : elle n’a pas de récépissé.');
    return { candidature, definition: (await formVersion(db, candidature.appel.id, candidature.formulaire_version))! };
  };

  app.get('/candidatures/:id/recepisse', { schema: { hide: true, params: idParams }, preHandler: requireAccount }, async (request, reply) => {
    const { candidature, definition } = await submitted(request, request.params.id);
    return send(
      reply,
      200,
      `Récépissé ${candidature.numero_depot}`,
      receiptPage(candidature, definition, await storedFiles(db, candidature.id), territories),
      '/candidatures',
    );
  });

  app.get('/candidatures/:id/recepisse.pdf', { schema: { hide: true, params: idParams }, preHandler: requireAccount }, async (request, reply) => {
    const { candidature, definition } = await submitted(request, request.params.id);
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="recepisse-${candidature.numero_depot}.pdf"`)
      .send(Buffer.from(await receiptPdf(candidature, definition, territories)));
  });
}
