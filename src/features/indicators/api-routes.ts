/**
 * The indicators API: the list (reference set and custom ones), the published aggregates, custom indicators
 * defined and edited by a call's instructors or a network's admins, and values entered by a cooperation's
 * admins. Writes need a verified account and the CSRF header x-csrf-token.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedRows, type Db } from '../../db/database.ts';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { accountOf, ensure, requireVerifiedAccount } from '../../platform/http/guards.ts';
import { problemSchema } from '../../platform/http/known-parameters.ts';
import { idParams } from '../../platform/params.ts';
import { notFound } from '../../web/errors.ts';
import { publishedAggregates } from './aggregates.ts';
import { allIndicators, defineIndicator, definesIndicator, indicatorOf, updateIndicator, type CustomDefinition } from './catalogue.ts';
import { saveEntry } from './entries.ts';
import { cooperationOf, EDITORS_ONLY, editsCooperation, entryOut, readEntry } from './routes-kit.ts';
import {
  aggregateQuerySchema,
  aggregateResponseSchema,
  codeParams,
  definitionBodySchema,
  definitionUpdateSchema,
  entryBodySchema,
  entrySchema,
  indicatorListSchema,
  indicatorSchema,
} from './schemas.ts';

export const DEFINERS_ONLY = 'Seules l’équipe d’instruction de l’appel et l’administration du réseau définissent leurs indicateurs.';

/** The owner a definition names must exist (404) and be the person's to define for (403). */
export async function checkOwner(db: Db, actor: Parameters<typeof definesIndicator>[0], owner: Pick<CustomDefinition, 'appel_id' | 'reseau_id'>) {
  if (owner.appel_id !== null) {
    const [call] = await checkedRows(db, z.object({ id: z.number() }), sql`select id::int as id from appel where id = ${owner.appel_id}`);
    if (!call) throw notFound(`Aucun appel ne porte l'identifiant ${owner.appel_id}.`);
  } else await cooperationOf(db, owner.reseau_id!);
  ensure(definesIndicator(actor, owner), DEFINERS_ONLY);
}

export function registerIndicatorApi(app: TypedApp, { database, territories }: AppContext) {
  const db = database.db;

  app.get(
    '/api/v1/indicateurs',
    {
      schema: {
        tags: ['Indicateurs'],
        summary: 'Les indicateurs : jeu de référence et indicateurs des appels et des réseaux',
        response: { 200: indicatorListSchema },
      },
    },
    async () => ({ indicateurs: await allIndicators(db) }),
  );

  app.get(
    '/api/v1/indicateurs/:code/agregats',
    {
      schema: {
        tags: ['Indicateurs'],
        summary: 'Agrégats publiés d’un indicateur : série temporelle, par territoire ou par modèle',
        description:
          'Somme des valeurs validées par période, filtrée par territoire (région, département, EPCI ou commune de la coopération), modèle et ' +
          'période, ventilée au besoin par territoire ou modèle. Indicateur ou territoire inconnu : 404 ; période invalide : 400.',
        params: codeParams,
        querystring: aggregateQuerySchema,
        response: { 200: aggregateResponseSchema, 400: problemSchema, 404: problemSchema },
      },
    },
    async (request) => publishedAggregates(db, territories, { indicateur: request.params.code, ...request.query }),
  );

  app.post(
    '/api/v1/indicateurs',
    {
      schema: {
        tags: ['Indicateurs'],
        summary: 'Définir un indicateur d’appel ou de réseau — en-tête x-csrf-token',
        description: 'Un appel : son équipe d’instruction ; un réseau (une coopération recensée) : son administration.',
        body: definitionBodySchema,
        response: { 201: indicatorSchema, 400: problemSchema, 403: problemSchema, 404: problemSchema },
      },
      preHandler: requireVerifiedAccount,
    },
    async (request, reply) => {
      const account = accountOf(request);
      const body = request.body;
      const owner = { appel_id: body.appel_id ?? null, reseau_id: body.reseau_id ?? null };
      await checkOwner(db, account, owner);
      const created = await defineIndicator(db, account, { ...body, ...owner, description: body.description?.trim() || null });
      return reply.status(201).send(created);
    },
  );

  app.post(
    '/api/v1/indicateurs/:code',
    {
      schema: {
        tags: ['Indicateurs'],
        summary: 'Modifier un indicateur d’appel ou de réseau — en-tête x-csrf-token',
        description:
          'Par qui le définit. Le code et le porteur restent ; la sorte de valeur ne change plus une fois des valeurs saisies (409). ' +
          'Indicateur inconnu : 404 ; indicateur du jeu de référence : 409.',
        params: codeParams,
        body: definitionUpdateSchema,
        response: { 200: indicatorSchema, 400: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema },
      },
      preHandler: requireVerifiedAccount,
    },
    async (request) => {
      const account = accountOf(request);
      const current = await indicatorOf(db, request.params.code);
      if (current.porteur !== 'reference') ensure(definesIndicator(account, current), DEFINERS_ONLY);
      return updateIndicator(db, account, current.code, { ...request.body, description: request.body.description?.trim() || null });
    },
  );

  app.post(
    '/api/v1/cooperations/:id/indicateurs',
    {
      schema: {
        tags: ['Indicateurs'],
        summary: 'Saisir la valeur d’un indicateur pour une période — en-tête x-csrf-token',
        description:
          'Par l’administration de la coopération (ou la modération de sa région). Une nouvelle valeur pour la même période remplace la précédente et ' +
          'attend de nouveau sa validation. Une valeur de la mauvaise sorte est refusée (400) en nommant son champ.',
        params: idParams,
        body: entryBodySchema,
        response: { 201: entrySchema, 400: problemSchema, 403: problemSchema, 404: problemSchema },
      },
      preHandler: requireVerifiedAccount,
    },
    async (request, reply) => {
      const account = accountOf(request);
      const cooperation = await cooperationOf(db, request.params.id);
      ensure(editsCooperation(account, cooperation), EDITORS_ONLY);
      const entry = await readEntry(db, request.body);
      return reply.status(201).send(entryOut(await saveEntry(db, account, cooperation.id, entry)));
    },
  );
}
