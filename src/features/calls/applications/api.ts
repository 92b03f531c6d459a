/**
 * The JSON API of calls: public reading in the Atlas's conventions, and the applicant's calls (a session,
 * x-csrf-token on writes). Form errors answer 400 problem+json naming each field; refusals of the state
 * machine or of the clock answer 409 with their French reason.
 */
import { z } from 'zod';
import type { AppContext, TypedApp } from '../../../platform/app-context.ts';
import { notFound } from '../../../web/errors.ts';
import { accountOf, requireAccount, requireVerifiedAccount } from '../../../platform/http/guards.ts';
import { now } from './clock.ts';
import { publicComments } from './comments.ts';
import { findAppel, searchAppels } from './queries.ts';
import {
  appelDetailSchema,
  appelListSchema,
  appelSearchSchema,
  candidatureSchema,
  idParams,
  saveDraftSchema,
  startApplicationSchema,
  submitSchema,
} from './schemas.ts';
import { ownApplication, saveDraft, startApplication, submitApplication, type CallsDeps } from './service.ts';

export async function registerCallsApi(app: TypedApp, context: AppContext, deps: CallsDeps) {
  const { database, territories } = context;
  const db = database.db;

  app.get(
    '/api/v1/appels',
    {
      schema: {
        tags: ['Appels'],
        summary: 'Rechercher des appels à projets et à manifestation d’intérêt',
        querystring: appelSearchSchema,
        response: { 200: appelListSchema },
      },
    },
    async (request) => searchAppels(db, territories, request.query, now()),
  );

  app.get(
    '/api/v1/appels/:id',
    {
      schema: {
        tags: ['Appels'],
        summary: 'Un appel, ses organisateurs, son dispositif et ses phases',
        params: idParams,
        response: { 200: appelDetailSchema },
      },
    },
    async (request) => {
      const appel = await findAppel(db, request.params.id, now(), request.account);
      if (!appel) throw notFound(`Aucun appel ne porte l'identifiant ${request.params.id}.`);
      return { ...appel, commentaires: await publicComments(db, appel.id) };
    },
  );

  app.post(
    '/api/v1/appels/:id/candidatures',
    {
      schema: {
        tags: ['Candidatures'],
        summary: 'Commencer une candidature (brouillon) — session et adresse vérifiée, en-tête x-csrf-token',
        params: idParams,
        body: startApplicationSchema,
        response: { 201: candidatureSchema },
      },
      preHandler: requireVerifiedAccount,
    },
    async (request, reply) => {
      const account = accountOf(request);
      const id = await startApplication(deps, account, request.params.id, request.body);
      return reply.status(201).send(await ownApplication(db, account, id));
    },
  );

  app.get(
    '/api/v1/candidatures/:id',
    {
      schema: { tags: ['Candidatures'], summary: 'Une de mes candidatures', params: idParams, response: { 200: candidatureSchema } },
      preHandler: requireAccount,
    },
    async (request) => ownApplication(db, accountOf(request), request.params.id),
  );

  app.post(
    '/api/v1/candidatures/:id/brouillon',
    {
      schema: {
        tags: ['Candidatures'],
        summary: 'Enregistrer le brouillon (enregistrement automatique) — en-tête x-csrf-token',
        params: idParams,
        body: saveDraftSchema,
        response: { 200: z.object({ version: z.number().int(), enregistre_le: z.string() }) },
      },
      preHandler: requireVerifiedAccount,
    },
    async (request) => saveDraft(deps, accountOf(request), request.params.id, request.body),
  );

  app.post(
    '/api/v1/candidatures/:id/depot',
    {
      schema: {
        tags: ['Candidatures'],
        summary: 'Déposer la candidature (phase ouverte, horloge du serveur) — en-tête x-csrf-token',
        params: idParams,
        body: submitSchema.optional(),
        response: { 200: z.object({ numero_depot: z.string(), depose_le: z.string() }) },
      },
      preHandler: requireVerifiedAccount,
    },
    async (request) => submitApplication(deps, accountOf(request), request.params.id, { version: request.body?.version }),
  );
}
