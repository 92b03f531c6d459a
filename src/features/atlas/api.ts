import { z } from 'zod';
import type { AppContext, TypedApp } from '../../app.ts';
import { notFound } from '../../web/errors.ts';
import { atlasEntities, type AtlasKind } from './entities.ts';
import { EXPORT_CONTENT_TYPES, exportStream, type ExportFormat } from './export.ts';
import {
  cooperationColumns, cooperationSummary, findCooperation, findOrganisation, organisationColumns, organisationSummary,
  type CooperationRow, type OrganisationRow,
} from './records.ts';
import {
  atlasFilterSchema, atlasSearchSchema, communeRefSchema, cooperationSummarySchema, idParams, organisationSummarySchema,
  searchResponseSchema,
} from './schemas.ts';
import { resolveFilters, searchAtlas, withTextMode } from './search.ts';

const problemSchema = z.object({
  type: z.string(), title: z.string(), status: z.number().int(), detail: z.string(), instance: z.string().optional(),
}).describe('Erreur RFC 9457, message en français');


const territoryRef = z.object({ code: z.string(), nom: z.string() }).nullable();
const territoriesSchema = z.object({ commune: communeRefSchema, epci: territoryRef, departement: territoryRef, region: territoryRef });

const organisationDetailSchema = organisationSummarySchema.extend({
  siren: z.string().nullable(),
  libelle_naf: z.string().nullable(),
  tranche_effectif: z.string().nullable(),
  adresse: z.string().nullable(),
  site_web: z.string().nullable(),
  description: z.string().nullable(),
  territoires: territoriesSchema,
  cooperations: z.array(z.object({ id: z.number().int(), nom: z.string(), modele: z.string(), role: z.string() })),
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
  separateur: z.enum(['point-virgule', 'virgule']).default('point-virgule')
    .describe('CSV : « point-virgule » (Excel français, avec BOM UTF-8) ou « virgule » (RFC 4180, sans BOM)'),
});

export async function registerAtlasApi(app: TypedApp, { database, territories }: AppContext) {
  const db = database.db;

  app.get('/api/v1/organisations', {
    schema: {
      tags: ['Atlas'], summary: 'Rechercher des structures (organisations)', querystring: atlasSearchSchema,
      response: { 200: searchResponseSchema(organisationSummarySchema), 400: problemSchema },
    },
  }, async (request) => {
    const search = { ...request.query, ...(await resolveFilters(db, territories, request.query)) };
    const result = await searchAtlas<OrganisationRow>(db, atlasEntities.organisations, search, territories, organisationColumns);
    const { rows, ...page } = result;
    return { ...page, resultats: rows.map((row) => organisationSummary(row, territories)) };
  });

  app.get('/api/v1/cooperations', {
    schema: {
      tags: ['Atlas'], summary: 'Rechercher des coopérations', querystring: atlasSearchSchema,
      response: { 200: searchResponseSchema(cooperationSummarySchema), 400: problemSchema },
    },
  }, async (request) => {
    const search = { ...request.query, ...(await resolveFilters(db, territories, request.query)) };
    const result = await searchAtlas<CooperationRow>(db, atlasEntities.cooperations, search, territories, cooperationColumns);
    const { rows, ...page } = result;
    return { ...page, resultats: rows.map((row) => cooperationSummary(row, territories)) };
  });

  app.get('/api/v1/organisations/:id', {
    schema: {
      tags: ['Atlas'], summary: 'Une structure', params: idParams,
      response: { 200: organisationDetailSchema, 400: problemSchema, 404: problemSchema },
    },
  }, async (request) => {
    const organisation = await findOrganisation(db, territories, request.params.id);
    if (!organisation) throw notFound(`Aucune structure ne porte l'identifiant ${request.params.id}.`);
    return organisation;
  });

  app.get('/api/v1/cooperations/:id', {
    schema: {
      tags: ['Atlas'], summary: 'Une coopération', params: idParams,
      response: { 200: cooperationDetailSchema, 400: problemSchema, 404: problemSchema },
    },
  }, async (request) => {
    const cooperation = await findCooperation(db, territories, request.params.id);
    if (!cooperation) throw notFound(`Aucune coopération ne porte l'identifiant ${request.params.id}.`);
    return cooperation;
  });

  for (const kind of ['organisations', 'cooperations'] as AtlasKind[]) {
    for (const format of ['csv', 'json', 'geojson'] as ExportFormat[]) {
      app.get(`/api/v1/${kind}.${format}`, {
        schema: {
          tags: ['Export'], summary: `Exporter une recherche de ${kind === 'organisations' ? 'structures' : 'coopérations'} en ${format.toUpperCase()}`,
          description: 'Mêmes filtres que la recherche, sans pagination. Licence Ouverte Etalab 2.0.',
          querystring: exportQuery,
        },
      }, async (request, reply) => {
        const filters = await withTextMode(db, atlasEntities[kind], await resolveFilters(db, territories, request.query));
        const dialect = request.query.separateur === 'virgule' ? 'rfc4180' : 'excel-fr';
        const stamp = new Date().toISOString().slice(0, 10);
        return reply
          .type(EXPORT_CONTENT_TYPES[format])
          .header('content-disposition', `attachment; filename="maillage-${kind}-${stamp}.${format}"`)
          .send(exportStream(db, atlasEntities[kind], filters, territories, format, dialect));
      });
    }
  }
}
