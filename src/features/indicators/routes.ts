/**
 * Indicators: the list (reference set and custom ones), the published aggregates, custom indicators defined
 * by a call's instructors or a network's admins, values entered per period by a cooperation's admins (API and
 * page) and their validation by a moderator of its région or, for a call's indicator, the call's instructors.
 * Writes go under the usual guards: a verified account, the CSRF token (header x-csrf-token for the API).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { canEditCooperation, canManageCall, holds, isInstructor, isModerator, type Actor } from '../../domain/authorization.ts';
import { checkPeriodStarted, parsePeriod, parseValue } from '../../domain/indicators.ts';
import { RuleError, type FieldError } from '../../domain/rule-error.ts';
import { checkedRows, type Db } from '../../db/database.ts';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { accountOf, ensure, requireRule, requireVerifiedAccount } from '../../platform/http/guards.ts';
import { problemSchema } from '../../platform/http/known-parameters.ts';
import { idParams } from '../../platform/params.ts';
import { notFound } from '../../web/errors.ts';
import { formBody, firstValue, type FormBody } from '../../web/form-body.ts';
import { InvalidForm, sendPage, submitForm, type FormState } from '../../web/forms.ts';
import { publishedAggregates } from './aggregates.ts';
import { allIndicators, defineIndicator, indicatorOf } from './catalogue.ts';
import { cooperationEntries, decide, entriesToValidate, saveEntry, type Entry, type NewEntry } from './entries.ts';
import {
  aggregateQuerySchema,
  aggregateResponseSchema,
  codeParams,
  definitionBodySchema,
  entryBodySchema,
  entrySchema,
  indicatorListSchema,
  indicatorSchema,
} from './schemas.ts';
import { entriesPage, validationPage, VALIDATION_PATH } from './views.ts';

const cooperationRow = z.object({ id: z.number(), name: z.string(), region_code: z.string().nullable() });

async function cooperationOf(db: Db, id: number) {
  const [found] = await checkedRows(db, cooperationRow, sql`select id::int as id, name, region_code from cooperation where id = ${id}`);
  if (!found) throw notFound(`Aucune coopération ne porte l'identifiant ${id}.`);
  return found;
}

const editsCooperation = (actor: Actor | null, c: { id: number; region_code: string | null }) =>
  canEditCooperation(actor, { id: c.id, regionCodes: c.region_code ? [c.region_code] : [] });

/** The current year and quarter in Paris: a period is reported once it has begun. */
function parisToday(now = new Date()) {
  const [annee, mois] = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris' }).format(now).split('-').map(Number);
  return { annee: annee!, trimestre: Math.ceil(mois! / 3) };
}

/** Reads an entry (the API's fields or the form's), every error at once beside its field. */
async function readEntry(db: Db, input: { indicateur: string; periode: string; valeur: string | number; commentaire?: string }): Promise<NewEntry> {
  const errors: FieldError[] = [];
  const attempt = async <T>(read: () => T | Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (error) {
      if (!(error instanceof RuleError) || error.field === undefined) throw error;
      errors.push({ field: error.field, message: error.message });
      return undefined;
    }
  };
  const indicator = await attempt(() => indicatorOf(db, input.indicateur, 'indicateur'));
  const period = await attempt(() => {
    const read = parsePeriod(input.periode);
    checkPeriodStarted(read, parisToday());
    return read;
  });
  const valeur = indicator ? await attempt(() => parseValue(indicator, String(input.valeur))) : undefined;
  const commentaire = input.commentaire?.trim() || null;
  if (commentaire && commentaire.length > 1000) errors.push({ field: 'commentaire', message: 'Le commentaire ne peut dépasser 1 000 caractères.' });
  if (errors.length || !indicator || !period || valeur === undefined) throw new InvalidForm(errors);
  return { indicateur: indicator.code, periode: period.code, valeur, commentaire };
}

const entryOut = (e: Entry) => ({
  id: e.id,
  cooperation_id: e.cooperation_id,
  indicateur: e.indicateur_code,
  periode: e.periode,
  valeur: e.valeur,
  commentaire: e.commentaire,
  statut: e.statut,
  motif: e.motif,
});

export async function registerIndicators(app: TypedApp, { database, territories }: AppContext) {
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
      if (body.appel_id !== undefined) {
        const [call] = await checkedRows(db, z.object({ id: z.number() }), sql`select id::int as id from appel where id = ${body.appel_id}`);
        if (!call) throw notFound(`Aucun appel ne porte l'identifiant ${body.appel_id}.`);
        ensure(canManageCall(account, body.appel_id), 'Seule l’équipe d’instruction de l’appel définit ses indicateurs.');
      } else {
        const network = await cooperationOf(db, body.reseau_id!);
        ensure(holds(account, 'cooperation_admin', 'cooperation', String(network.id)), 'Seule l’administration du réseau définit ses indicateurs.');
      }
      const created = await defineIndicator(db, account, {
        code: body.code,
        libelle: body.libelle,
        type: body.type,
        unite: body.unite,
        description: body.description?.trim() || null,
        appel_id: body.appel_id ?? null,
        reseau_id: body.reseau_id ?? null,
      });
      return reply.status(201).send(created);
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
      ensure(editsCooperation(account, cooperation), 'Seules l’administration de la coopération et la modération de sa région saisissent ses indicateurs.');
      const entry = await readEntry(db, request.body);
      return reply.status(201).send(entryOut(await saveEntry(db, account, cooperation.id, entry)));
    },
  );

  const showEntries = async (request: FastifyRequest, reply: FastifyReply, id: number, status: number, state: FormState) => {
    const cooperation = await cooperationOf(db, id);
    const editor = editsCooperation(request.account ?? null, cooperation);
    const [entries, indicators] = await Promise.all([cooperationEntries(db, id, editor), allIndicators(db)]);
    const main = entriesPage({ request, cooperation: { id, nom: cooperation.name }, entries, indicators, editor, state });
    return sendPage(reply, { status, title: `Indicateurs — ${cooperation.name}`, main, currentPath: '/cooperations' });
  };

  app.get(
    '/cooperations/:id/indicateurs',
    { schema: { hide: true, params: idParams, querystring: z.object({ saisie: z.string().optional() }) } },
    async (request, reply) =>
      showEntries(request, reply, request.params.id, 200, request.query.saisie ? { notice: 'La valeur est enregistrée : elle attend sa validation.' } : {}),
  );

  app.post(
    '/cooperations/:id/indicateurs',
    { schema: { hide: true, params: idParams, body: formBody }, preHandler: requireVerifiedAccount },
    async (request, reply) => {
      const account = accountOf(request);
      const cooperation = await cooperationOf(db, request.params.id);
      ensure(editsCooperation(account, cooperation), 'Seules l’administration de la coopération et la modération de sa région saisissent ses indicateurs.');
      const body = request.body as FormBody;
      return submitForm({
        reply,
        values: body,
        act: async () =>
          saveEntry(
            db,
            account,
            cooperation.id,
            await readEntry(db, {
              indicateur: firstValue(body.indicateur),
              periode: firstValue(body.periode),
              valeur: firstValue(body.valeur),
              commentaire: firstValue(body.commentaire),
            }),
          ),
        redirect: () => `/cooperations/${cooperation.id}/indicateurs?saisie=ok`,
        render: (status, state) => showEntries(request, reply, cooperation.id, status, state),
      });
    },
  );

  const validators = requireRule((actor) => isModerator(actor) || isInstructor(actor), 'Cette page est réservée à la modération et aux équipes d’instruction.');
  const showQueue = async (request: FastifyRequest, reply: FastifyReply, status: number, state: FormState) => {
    const [entries, indicators] = await Promise.all([entriesToValidate(db, accountOf(request)), allIndicators(db)]);
    return sendPage(reply, {
      status,
      title: 'Indicateurs à valider',
      main: validationPage({ request, entries, indicators, state }),
      currentPath: VALIDATION_PATH,
    });
  };

  app.get(
    VALIDATION_PATH,
    { schema: { hide: true, querystring: z.object({ decide: z.string().optional() }) }, preHandler: validators },
    async (request, reply) => showQueue(request, reply, 200, request.query.decide ? { notice: 'Votre décision est enregistrée.' } : {}),
  );

  app.post(
    '/indicateurs/saisies/:id/decision',
    { schema: { hide: true, params: idParams, body: formBody }, preHandler: validators },
    async (request, reply) => {
      const body = request.body as FormBody;
      const choice = firstValue(body.decision);
      return submitForm({
        reply,
        form: `saisie-${request.params.id}`,
        values: body,
        act: async () => {
          if (choice !== 'valider' && choice !== 'refuser') throw new InvalidForm([{ field: 'decision', message: 'Choisissez « Valider » ou « Refuser ».' }]);
          return decide(db, accountOf(request), request.params.id, { valider: choice === 'valider', motif: firstValue(body.motif) });
        },
        redirect: () => `${VALIDATION_PATH}?decide=ok`,
        render: (status, state) => showQueue(request, reply, status, state),
      });
    },
  );
}
