import { z } from 'zod';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { notFound } from '../../web/errors.ts';
import { facetValueSchema, idParams } from '../../platform/params.ts';
import { dispositifDetail, dispositifSummary } from './records.ts';
import { dispositifDetailSchema, dispositifSearchSchema, dispositifSummarySchema } from './schemas.ts';
import { findDispositif, searchDispositifs } from './search.ts';

export async function registerCatalogueApi(app: TypedApp, { database, territories }: AppContext) {
  const db = database.db;

  app.get(
    '/api/v1/dispositifs',
    {
      schema: {
        tags: ['Catalogue'],
        summary: "Rechercher des dispositifs d'accompagnement et de financement",
        querystring: dispositifSearchSchema,
        response: {
          200: z.object({
            total: z.number().int(),
            page: z.number().int(),
            par_page: z.number().int(),
            resultats: z.array(dispositifSummarySchema),
            facettes: z.record(z.string(), z.array(facetValueSchema)),
          }),
        },
      },
    },
    async (request) => {
      const { rows, ...page } = await searchDispositifs(db, territories, request.query);
      return { ...page, resultats: rows.map(dispositifSummary) };
    },
  );

  app.get(
    '/api/v1/dispositifs/:id',
    {
      schema: { tags: ['Catalogue'], summary: 'Un dispositif', params: idParams, response: { 200: dispositifDetailSchema } },
    },
    async (request) => {
      const row = await findDispositif(db, request.params.id);
      if (!row) throw notFound(`Aucun dispositif ne porte l'identifiant ${request.params.id}.`);
      return dispositifDetail(row);
    },
  );
}
