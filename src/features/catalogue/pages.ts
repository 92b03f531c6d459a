import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { dispositifSections } from '../../platform/page-widgets.ts';
import { html } from '../../web/html.ts';
import { notFound } from '../../web/errors.ts';
import { sendPage } from '../../web/forms.ts';
import { idParams } from '../../platform/params.ts';
import { dispositifDetail, dispositifSummary } from './records.ts';
import { dispositifSearchSchema, type DispositifFilters } from './schemas.ts';
import { findDispositif, searchDispositifs } from './search.ts';
import { cataloguePage, coverageLabel, dispositifPage, typeLabels } from './views.ts';

export async function registerCataloguePages(app: TypedApp, context: AppContext) {
  const { database, territories } = context;
  const db = database.db;

  app.get('/dispositifs', { schema: { hide: true, querystring: dispositifSearchSchema } }, async (request, reply) => {
    const { page: pageNumber, par_page: perPage, ...filters } = request.query;
    const found = await searchDispositifs(db, territories, request.query);
    const main = cataloguePage({
      filters: filters as Partial<DispositifFilters>,
      total: found.total,
      page: pageNumber,
      perPage,
      facettes: found.facettes,
      results: found.rows.map((row) => {
        const summary = dispositifSummary(row);
        return {
          id: summary.id,
          nom: summary.nom,
          types: typeLabels(summary),
          porteurs: summary.porteurs,
          couverture: coverageLabel(territories, summary.couverture),
        };
      }),
    });
    return sendPage(reply, { title: 'Dispositifs', main, currentPath: '/dispositifs' });
  });

  app.get('/dispositifs/:id', { schema: { hide: true, params: idParams } }, async (request, reply) => {
    const row = await findDispositif(db, request.params.id);
    if (!row) throw notFound(`Aucun dispositif ne porte l'identifiant ${request.params.id}.`);
    const detail = dispositifDetail(row);
    return sendPage(reply, {
      title: detail.nom,
      main: html`${dispositifPage(detail, territories)}${await dispositifSections(context, request, detail.id)}`,
      currentPath: '/dispositifs',
    });
  });
}
