/**
 * Pages of custom indicators: a call's instructors (for their calls) and a network's admins (for their
 * cooperations) define and edit them with a form, read by the API's own schemas and written by its service.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedRows, textArray, type Db } from '../../db/database.ts';
import { isPlatformAdmin, type Actor } from '../../domain/authorization.ts';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { accountOf, ensure, requireRule } from '../../platform/http/guards.ts';
import { firstValue, formBody, formValues, type FormBody } from '../../web/form-body.ts';
import { notFound } from '../../web/errors.ts';
import { InvalidForm, readForm, sendPage, submitForm, type FormState, type FormValues } from '../../web/forms.ts';
import { DEFINERS_ONLY } from './api-routes.ts';
import { allIndicators, defineIndicator, definesIndicator, indicatorOf, updateIndicator } from './catalogue.ts';
import { definitionEditPage, definitionsPage, DEFINITIONS_PATH, type Owner } from './definition-views.ts';
import { codeParams, definitionBodySchema, definitionUpdateSchema } from './schemas.ts';

const scopes = (actor: Actor, role: string, kind: string) => actor.roles.filter((g) => g.role === role && g.scopeKind === kind).map((g) => g.scopeCode);

/** The calls (all of them for a platform admin) and networks the person defines indicators for. */
async function ownersOf(db: Db, actor: Actor): Promise<Owner[]> {
  const calls = isPlatformAdmin(actor) ? sql`true` : sql`id::text = any(${textArray(scopes(actor, 'instructor', 'appel'))})`;
  const named = z.object({ id: z.number(), name: z.string() });
  const [appels, reseaux] = await Promise.all([
    checkedRows(db, named, sql`select id::int as id, title as name from appel where ${calls} order by title`),
    checkedRows(
      db,
      named,
      sql`select id::int as id, name from cooperation where id::text = any(${textArray(scopes(actor, 'cooperation_admin', 'cooperation'))}) order by name`,
    ),
  ]);
  return [
    ...appels.map((a) => ({ value: `appel:${a.id}`, label: `Appel « ${a.name} »` })),
    ...reseaux.map((r) => ({ value: `reseau:${r.id}`, label: `Réseau « ${r.name} »` })),
  ];
}

const DESCRIBED = ['libelle', 'type', 'unite', 'description'] as const;

/** The posted description fields, as the API's schemas read them. */
const described = (values: FormValues) => {
  const read = formValues(values, DESCRIBED);
  return { libelle: read.libelle ?? '', type: read.type ?? '', unite: read.unite ?? '', description: read.description?.trim() || undefined };
};

export function registerDefinitionPages(app: TypedApp, { database }: AppContext) {
  const db = database.db;
  const definers = requireRule(
    (actor) => isPlatformAdmin(actor) || (actor?.roles.some((g) => g.role === 'instructor' || g.role === 'cooperation_admin') ?? false),
    'Cette page est réservée aux équipes d’instruction des appels et aux administrations des coopérations.',
  );

  const showList = async (request: FastifyRequest, reply: FastifyReply, status: number, state: FormState) => {
    const actor = accountOf(request);
    const [indicators, owners] = await Promise.all([allIndicators(db), ownersOf(db, actor)]);
    const mine = indicators.filter((i) => i.porteur !== 'reference' && definesIndicator(actor, i));
    return sendPage(reply, { status, title: 'Indicateurs personnalisés', main: definitionsPage(request, mine, owners, state), currentPath: DEFINITIONS_PATH });
  };

  app.get(
    DEFINITIONS_PATH,
    { schema: { hide: true, querystring: z.object({ fait: z.enum(['cree', 'modifie']).optional().catch(undefined) }) }, preHandler: definers },
    async (request, reply) =>
      showList(request, reply, 200, {
        notice: request.query.fait === 'cree' ? 'L’indicateur est défini.' : request.query.fait === 'modifie' ? 'L’indicateur est modifié.' : undefined,
      }),
  );

  app.post(DEFINITIONS_PATH, { schema: { hide: true, body: formBody }, preHandler: definers }, async (request, reply) => {
    const actor = accountOf(request);
    const body = request.body as FormBody;
    return submitForm({
      reply,
      values: body,
      parse: (values) => {
        const porteur = /^(appel|reseau):(\d{1,15})$/.exec(firstValue((values as FormBody).porteur));
        const owner = {
          appel_id: porteur?.[1] === 'appel' ? Number(porteur[2]) : undefined,
          reseau_id: porteur?.[1] === 'reseau' ? Number(porteur[2]) : undefined,
        };
        const read = readForm(definitionBodySchema, { code: firstValue((values as FormBody).code).trim(), ...described(values), ...owner }, (path) =>
          path[0] === 'appel_id' || path[0] === 'reseau_id' ? 'porteur' : String(path[0] ?? ''),
        );
        return { ...read, appel_id: read.appel_id ?? null, reseau_id: read.reseau_id ?? null, description: read.description ?? null };
      },
      act: async (definition) => {
        if (!definesIndicator(actor, definition)) throw new InvalidForm([{ field: 'porteur', message: 'Choisissez un appel ou un réseau de la liste.' }]);
        return defineIndicator(db, actor, definition);
      },
      redirect: () => `${DEFINITIONS_PATH}?fait=cree`,
      render: (status, state) => showList(request, reply, status, state),
    });
  });

  /** A custom indicator the person defines; another one answers 403, an unknown code 404. */
  const editable = async (request: FastifyRequest, code: string) => {
    const indicator = await indicatorOf(db, code);
    if (indicator.porteur === 'reference') throw notFound('Les indicateurs du jeu de référence ne se modifient pas.');
    ensure(definesIndicator(accountOf(request), indicator), DEFINERS_ONLY);
    return indicator;
  };
  const showEdit = async (request: FastifyRequest, reply: FastifyReply, code: string, status: number, state: FormState) => {
    const indicator = await editable(request, code);
    return sendPage(reply, {
      status,
      title: `Modifier l’indicateur « ${indicator.libelle} »`,
      main: definitionEditPage(request, indicator, state),
      currentPath: DEFINITIONS_PATH,
    });
  };

  app.get(`${DEFINITIONS_PATH}/:code`, { schema: { hide: true, params: codeParams }, preHandler: definers }, async (request, reply) =>
    showEdit(request, reply, request.params.code, 200, {}),
  );

  app.post(`${DEFINITIONS_PATH}/:code`, { schema: { hide: true, params: codeParams, body: formBody }, preHandler: definers }, async (request, reply) => {
    const indicator = await editable(request, request.params.code);
    return submitForm({
      reply,
      values: request.body as FormBody,
      parse: (values) => {
        const read = readForm(definitionUpdateSchema, described(values));
        return { ...read, description: read.description ?? null };
      },
      act: (change) => updateIndicator(db, accountOf(request), indicator.code, change),
      redirect: () => `${DEFINITIONS_PATH}?fait=modifie`,
      render: (status, state) => showEdit(request, reply, indicator.code, status, state),
    });
  });
}
