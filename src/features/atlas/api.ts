import type { FastifyReply } from 'fastify';
import type { SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import type { Db } from '../../db/database.ts';
import { notFound } from '../../web/errors.ts';
import type { TerritoryIndex } from '../../platform/territory-index.ts';
import { mergedInto } from '../contributions/duplicates/queries.ts';
import { atlasEntities, type AtlasKind } from './entities.ts';
import { EXPORT_CONTENT_TYPES, exportStream, type ExportFormat } from './export.ts';
import { currenciesOf } from './currencies/queries.ts';
import { currencySchema } from './currencies/schemas.ts';
import { cachePerDatabase, GenerationCache, searchGeneration } from './generation-cache.ts';
import {
  cooperationColumns,
  cooperationRow,
  cooperationSummary,
  findCooperation,
  findOrganisation,
  organisationColumns,
  organisationRow,
  organisationSummary,
  type CooperationRow,
  type OrganisationRow,
} from './records.ts';
import {
  atlasFilterSchema,
  atlasSearchSchema,
  communeRefSchema,
  cooperationSummarySchema,
  organisationSummarySchema,
  searchResponseSchema,
  type AtlasSearch,
} from './schemas.ts';
import { idParams } from '../../platform/params.ts';
import { problemSchema } from '../../platform/http/known-parameters.ts';
import { resolveFilters, searchAtlas, withTextMode } from './search.ts';

/** A record merged into another by the moderation: its address leads to the record kept (header Location). */
const mergedRecord = z.null().describe('Fiche fusionnée dans une autre : l’en-tête Location donne l’adresse de la fiche gardée');

const territoryRef = z.object({ code: z.string(), nom: z.string() }).nullable();
const territoriesSchema = z.object({ commune: communeRefSchema, epci: territoryRef, departement: territoryRef, region: territoryRef });

const organisationDetailSchema = organisationSummarySchema.extend({
  siren: z.string().nullable(),
  rna: z.string().nullable().describe('Identifiant au Répertoire national des associations (W suivi de 9 caractères), pour une association'),
  libelle_naf: z.string().nullable(),
  tranche_effectif: z.string().nullable(),
  adresse: z.string().nullable(),
  site_web: z.string().nullable(),
  description: z.string().nullable(),
  territoires: territoriesSchema,
  cooperations: z.array(z.object({ id: z.number().int(), nom: z.string(), modele: z.string(), role: z.string() })),
  monnaies_locales: z
    .array(currencySchema.pick({ slug: true, nom: true }))
    .describe('Les monnaies locales que la structure accepte, par nom ; le détail de chacune est sur /api/v1/monnaies-locales'),
  source: z.string().nullable(),
  mis_a_jour: z.string(),
});

const cooperationDetailSchema = cooperationSummarySchema.extend({
  forme_juridique: z.string().nullable(),
  description: z.string().nullable(),
  gouvernance: z.string().nullable(),
  activites: z.string().nullable(),
  ressources_partagees: z.string().nullable(),
  historique: z.string().nullable(),
  annee_creation: z.number().int().nullable(),
  site_web: z.string().nullable(),
  territoires: territoriesSchema,
  membres: z.array(z.object({ nom: z.string(), role: z.string(), organisation_id: z.number().int().nullable() })),
  source: z.string().nullable(),
  mis_a_jour: z.string(),
});

const exportQuery = atlasFilterSchema.extend({
  separateur: z
    .enum(['point-virgule', 'virgule'])
    .default('point-virgule')
    .describe('CSV : « point-virgule » (Excel français, avec BOM UTF-8) ou « virgule » (RFC 4180, sans BOM)'),
});

const organisationSearchSchema = searchResponseSchema(organisationSummarySchema);
const cooperationSearchSchema = searchResponseSchema(cooperationSummarySchema);

/** JSON text is sent as it is (Fastify serializes only objects): the typed reply is used as a plain one. */
function sendJsonText(reply: FastifyReply, body: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(body);
}

/**
 * Answers of the search API, kept as their JSON text while the searchable data keeps its generation
 * (generation-cache.ts): the same search asked again costs one small query instead of several scans, and is
 * never older than the last write. Bounded at 16 million characters (16 to 32 MB).
 */
const RESPONSE_CACHE_CHARACTERS = 16 * 1024 * 1024;
const responseCache = cachePerDatabase(() => new GenerationCache<string>(RESPONSE_CACHE_CHARACTERS, (body) => body.length));

async function cachedAnswer<S extends z.ZodType>(
  db: Db,
  kind: AtlasKind,
  query: AtlasSearch,
  schema: S,
  compute: () => Promise<{ answer: z.output<S>; generation: string }>,
): Promise<string> {
  const cache = responseCache(db);
  // The query as validated: defaults filled, empty parameters dropped, keys in the schema's order.
  const key = `${kind} ${JSON.stringify(query)}`;
  // Only a kept answer needs the generation first; a search never asked (most of them) reads it in its own statement.
  if (cache.has(key)) {
    const hit = cache.get(await searchGeneration(db), key);
    if (hit !== undefined) return hit;
  }
  const { answer, generation } = await compute();
  // Encoded through the response schema, as Fastify would: an answer that breaks the contract fails here.
  const body = JSON.stringify(z.encode(schema, answer));
  cache.set(generation, key, body);
  return body;
}

export async function registerAtlasApi(app: TypedApp, { database, territories }: AppContext) {
  const db = database.db;

  /** One search route per kind: the same engine, answer memory and contract shape, its own schema and fields. */
  const searchRoute = <Row>(
    kind: AtlasKind,
    summary: string,
    responseSchema: z.ZodType,
    columns: SQL,
    pageRow: z.ZodType<Row>,
    toResult: (row: Row, index: TerritoryIndex) => unknown,
  ) =>
    app.get(
      `/api/v1/${kind}`,
      {
        schema: { tags: ['Atlas'], summary, querystring: atlasSearchSchema, response: { 200: responseSchema, 400: problemSchema } },
      },
      async (request, reply) => {
        const body = await cachedAnswer(db, kind, request.query, responseSchema, async () => {
          const search = { ...request.query, ...(await resolveFilters(db, territories, request.query)) };
          const { rows, generation, ...page } = await searchAtlas<Row>(db, atlasEntities[kind], search, territories, columns, pageRow);
          return { answer: { ...page, resultats: rows.map((row) => toResult(row, territories)) }, generation };
        });
        return sendJsonText(reply, body);
      },
    );
  searchRoute<OrganisationRow>(
    'organisations',
    'Rechercher des structures (organisations)',
    organisationSearchSchema,
    organisationColumns,
    organisationRow,
    organisationSummary,
  );
  searchRoute<CooperationRow>('cooperations', 'Rechercher des coopérations', cooperationSearchSchema, cooperationColumns, cooperationRow, cooperationSummary);

  /** One detail route per kind: the record, else a 301 to the record it was merged into, else 404. */
  const detailRoute = (
    kind: 'organisation' | 'cooperation',
    summary: string,
    responseSchema: z.ZodType,
    find: (id: number) => Promise<unknown>,
    missing: (id: number) => string,
  ) =>
    app.get(
      `/api/v1/${kind}s/:id`,
      {
        schema: {
          tags: ['Atlas'],
          summary,
          params: idParams,
          response: { 200: responseSchema, 301: mergedRecord, 400: problemSchema, 404: problemSchema },
        },
      },
      async (request, reply) => {
        const found = await find(request.params.id);
        if (found) return found;
        const kept = await mergedInto(db, kind, request.params.id);
        if (kept !== undefined) return reply.redirect(`/api/v1/${kind}s/${kept}`, 301);
        throw notFound(missing(request.params.id));
      },
    );
  detailRoute(
    'organisation',
    'Une structure',
    organisationDetailSchema,
    async (id) => {
      const organisation = await findOrganisation(db, territories, id);
      if (!organisation) return null;
      const monnaies = await currenciesOf(db, id);
      return { ...organisation, monnaies_locales: monnaies.map(({ slug, nom }) => ({ slug, nom })) };
    },
    (id) => `Aucune structure ne porte l'identifiant ${id}.`,
  );
  detailRoute(
    'cooperation',
    'Une coopération',
    cooperationDetailSchema,
    (id) => findCooperation(db, territories, id),
    (id) => `Aucune coopération ne porte l'identifiant ${id}.`,
  );

  for (const kind of ['organisations', 'cooperations'] as AtlasKind[]) {
    for (const format of ['csv', 'json', 'geojson'] as ExportFormat[]) {
      app.get(
        `/api/v1/${kind}.${format}`,
        {
          schema: {
            tags: ['Export'],
            summary: `Exporter une recherche de ${kind === 'organisations' ? 'structures' : 'coopérations'} en ${format.toUpperCase()}`,
            description: 'Mêmes filtres que la recherche, sans pagination. Licence Ouverte Etalab 2.0.',
            querystring: exportQuery,
          },
        },
        async (request, reply) => {
          const filters = await withTextMode(db, atlasEntities[kind], await resolveFilters(db, territories, request.query));
          const dialect = request.query.separateur === 'virgule' ? 'rfc4180' : 'excel-fr';
          const stamp = new Date().toISOString().slice(0, 10);
          return reply
            .type(EXPORT_CONTENT_TYPES[format])
            .header('content-disposition', `attachment; filename="maillage-${kind}-${stamp}.${format}"`)
            .send(exportStream(db, atlasEntities[kind], filters, territories, format, dialect));
        },
      );
    }
  }
}
