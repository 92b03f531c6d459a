import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { checkedRows } from '../../db/database.ts';
import { sendPage } from '../../web/forms.ts';
import { optionalParam, typedText } from '../../platform/params.ts';
import { findTerritories } from './find.ts';
import { registerTerritoireProposals } from './proposal-routes.ts';
import { stade } from '../../domain/cooperation.ts';
import { territorySummary, TERRITORY_TYPES, type NeedsData } from './summary.ts';
import { territoriesIndexPage, territoryPage } from './views.ts';

const territoryParams = z.object({
  type: z.enum(TERRITORY_TYPES).describe('Niveau : region, departement, epci, commune ou projet (territoire de projet)'),
  code: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,80}$/, 'code de territoire invalide')
    .describe('Code COG, SIREN de l’EPCI ou identifiant du territoire de projet'),
});

const findQuery = z.object({
  q: optionalParam(typedText(100, 'la recherche ne peut dépasser 100 caractères')).describe('Nom, code postal ou code COG'),
});

const refSchema = z.object({ type: z.string(), code: z.string(), nom: z.string() });
const countSchema = z.array(z.object({ valeur: z.string(), libelle: z.string(), nombre: z.number().int() }));
const summarySchema = z.object({
  type: z.enum(TERRITORY_TYPES),
  code: z.string(),
  nom: z.string(),
  libelle_type: z.string(),
  population: z.number().int().nullable(),
  description: z.string().nullable(),
  source: z.string().nullable(),
  parents: z.array(refSchema),
  organisations: z.object({ total: z.number().int(), par_statut_ess: countSchema, par_secteur: countSchema }),
  cooperations: z.object({ total: z.number().int(), par_modele: countSchema, par_stade: countSchema, liste: z.array(z.any()) }),
  dispositifs_disponibles: z.number().int().describe('Dispositifs actifs du catalogue agissant sur ce territoire, au moins en partie (nationaux compris)'),
  dispositifs: z.array(z.object({ id: z.number().int(), nom: z.string() })).describe('Les 30 premiers de ces dispositifs, par nom'),
  besoins_non_couverts: z
    .array(
      z.object({
        stade: stade.schema,
        libelle_stade: z.string(),
        besoins: z.array(z.object({ code: z.string(), type: z.enum(['accompagnement', 'financement']), libelle: z.string() })),
      }),
    )
    .describe('Pour chaque stade, les besoins des matrices (document 001) auxquels aucun dispositif disponible ici ne répond'),
  sous_territoires: z.array(refSchema.extend({ organisations: z.number().int(), cooperations: z.number().int() })),
});

const projetListRow = z.object({ slug: z.string(), nom: z.string(), kind: z.string(), communes: z.number().int() });

const regionCountRow = z.object({ code: z.string().nullable(), kind: z.string(), n: z.number() });

export async function registerTerritories(app: TypedApp, context: AppContext, needsData: NeedsData) {
  const { database, territories } = context;
  const db = database.db;
  await registerTerritoireProposals(app, context);

  app.get(
    '/api/v1/territoires/:type/:code',
    {
      schema: {
        tags: ['Territoires'],
        summary: 'Ce qui existe sur un territoire : coopérations, structures, sous-territoires',
        params: territoryParams,
        response: { 200: summarySchema },
      },
    },
    async (request) => territorySummary(db, territories, needsData, request.params.type, request.params.code),
  );

  app.get(
    '/api/v1/territoires',
    {
      schema: {
        tags: ['Territoires'],
        summary: 'Trouver un territoire par son nom, son code postal ou son code',
        querystring: findQuery,
        response: { 200: z.object({ resultats: z.array(z.object({ type: z.string(), code: z.string(), nom: z.string(), detail: z.string() })) }) },
      },
    },
    async (request) => ({ resultats: request.query.q ? findTerritories(territories, request.query.q) : [] }),
  );

  app.get('/territoires', { schema: { hide: true, querystring: findQuery } }, async (request, reply) => {
    const [counts, projets] = await Promise.all([
      checkedRows(
        db,
        regionCountRow,
        sql`
        select region_code as code, 'cooperations' as kind, count(*)::int as n from cooperation group by region_code
        union all select region_code, 'organisations', count(*)::int from organisation group by region_code`,
      ),
      checkedRows(
        db,
        projetListRow,
        sql`select p.slug, p.name as nom, p.kind, (select count(*)::int from territoire_projet_commune c where c.territoire_projet_id = p.id) as communes
        from territoire_projet p order by p.name, p.id`,
      ),
    ]);
    const count = (code: string, kind: string) => counts.find((c) => c.code === code && c.kind === kind)?.n ?? 0;
    const regions = [...territories.regions.values()].map((r) => ({
      code: r.code,
      nom: r.name,
      cooperations: count(r.code, 'cooperations'),
      organisations: count(r.code, 'organisations'),
    }));
    const q = request.query.q;
    const main = territoriesIndexPage(regions, q, q ? findTerritories(territories, q) : [], projets);
    return sendPage(reply, { title: 'Territoires', main, currentPath: '/territoires' });
  });

  app.get('/territoires/:type/:code', { schema: { hide: true, params: territoryParams } }, async (request, reply) => {
    const summary = await territorySummary(db, territories, needsData, request.params.type, request.params.code);
    return sendPage(reply, {
      title: `${summary.nom} (${summary.libelle_type})`,
      main: territoryPage(summary),
      currentPath: '/territoires',
    });
  });
}
