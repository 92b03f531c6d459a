import { z } from 'zod';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { modele, stade } from '../../domain/cooperation.ts';
import { statutEss } from '../../domain/organisation.ts';
import { secteur } from '../../domain/sector.ts';
import { notFound } from '../../web/errors.ts';
import { sendPage } from '../../web/forms.ts';
import { filterValueLabel } from './filter-labels.ts';
import { mergedInto } from '../contributions/duplicates/queries.ts';
import { atlasEntities } from './entities.ts';
import {
  communeRef,
  cooperationColumns,
  cooperationRow,
  findCooperation,
  findOrganisation,
  organisationColumns,
  organisationRow,
  type CooperationRow,
  type OrganisationRow,
} from './records.ts';
import { atlasSearchSchema, FILTER_KEYS, type AtlasFilters } from './schemas.ts';
import { idParams, optionalParam } from '../../platform/params.ts';
import { cooperationSections, organisationSections } from '../../platform/page-widgets.ts';
import { resolveFilters, searchAtlas } from './search.ts';
import { allCurrencies, currenciesOf } from './currencies/queries.ts';
import { editsCurrenciesOf } from './currencies/routes.ts';
import { acceptedCurrencies } from './currencies/views.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import { keepsTreasuryOf, type Actor } from '../../domain/authorization.ts';
import { cooperationPage, organisationPage, searchPage, type SearchSummary } from './views.ts';

const searchPageQuery = atlasSearchSchema.extend({
  type: optionalParam(z.enum(['cooperations', 'organisations'])).default('cooperations'),
});

/** The way in to the structure's treasury plans, for its members alone (they are private to them). */
function treasuryLink(actor: Actor | null, organisation: { id: number; siret: string | null }): SafeHtml | '' {
  if (!organisation.siret || !keepsTreasuryOf(actor, organisation.siret)) return '';
  return html`<h2>Trésorerie</h2>
<p><a href="/organisations/${organisation.id}/tresorerie">Plans de trésorerie de la structure</a> (visibles de ses seuls membres).</p>`;
}

export async function registerAtlasPages(app: TypedApp, context: AppContext) {
  const { database, territories } = context;
  const db = database.db;

  app.get('/recherche', { schema: { hide: true, querystring: searchPageQuery } }, async (request, reply) => {
    const { type: kind, ...search } = request.query;
    const resolved = { ...search, ...(await resolveFilters(db, territories, search)) };
    const filters = Object.fromEntries(FILTER_KEYS.map((key) => [key, search[key]])) as Partial<AtlasFilters>;
    const monnaies = await allCurrencies(db);
    let results: SearchSummary[];
    let found;
    if (kind === 'organisations') {
      found = await searchAtlas<OrganisationRow>(db, atlasEntities.organisations, resolved, territories, organisationColumns, organisationRow);
      results = found.rows.map((row) => ({
        id: row.id,
        nom: row.name,
        exemple: row.is_example,
        commune: communeRef(territories, row.commune_code),
        details: [row.statut_ess ? statutEss.label(row.statut_ess) : '', row.secteur ? secteur.label(row.secteur) : ''],
      }));
    } else {
      found = await searchAtlas<CooperationRow>(db, atlasEntities.cooperations, resolved, territories, cooperationColumns, cooperationRow);
      results = found.rows.map((row) => ({
        id: row.id,
        nom: row.name,
        exemple: row.is_example,
        commune: communeRef(territories, row.commune_code),
        details: [modele.label(row.modele), row.stade ? stade.label(row.stade) : '', row.territory_label ?? ''],
      }));
    }
    const main = searchPage({
      kind,
      filters,
      total: found.total,
      page: found.page,
      perPage: found.par_page,
      results,
      facettes: found.facettes,
      labelOf: (key: string, value: string) =>
        key === 'monnaie_locale' ? (monnaies.find((m) => m.slug === value)?.nom ?? value) : filterValueLabel(key, value, territories),
      monnaies,
    });
    return sendPage(reply, {
      title: search.q ? `« ${search.q} » — recherche` : `Rechercher des ${kind === 'organisations' ? 'structures' : 'coopérations'}`,
      main,
      currentPath: `/${kind}`,
      withMap: true,
    });
  });

  app.get('/cooperations', { schema: { hide: true } }, (_request, reply) => reply.redirect('/recherche?type=cooperations'));
  app.get('/organisations', { schema: { hide: true } }, (_request, reply) => reply.redirect('/recherche?type=organisations'));

  app.get('/cooperations/:id', { schema: { hide: true, params: idParams } }, async (request, reply) => {
    const cooperation = await findCooperation(db, territories, request.params.id);
    if (!cooperation) {
      const kept = await mergedInto(db, 'cooperation', request.params.id);
      if (kept !== undefined) return reply.redirect(`/cooperations/${kept}`, 301);
      throw notFound(`Aucune coopération ne porte l'identifiant ${request.params.id}.`);
    }
    return sendPage(reply, {
      title: cooperation.nom,
      main: cooperationPage(cooperation, await cooperationSections(context, request, cooperation.id)),
      currentPath: '/cooperations',
      description: cooperation.description ?? undefined,
    });
  });

  app.get('/organisations/:id', { schema: { hide: true, params: idParams } }, async (request, reply) => {
    const organisation = await findOrganisation(db, territories, request.params.id);
    if (!organisation) {
      const kept = await mergedInto(db, 'organisation', request.params.id);
      if (kept !== undefined) return reply.redirect(`/organisations/${kept}`, 301);
      throw notFound(`Aucune structure ne porte l'identifiant ${request.params.id}.`);
    }
    const currencies = acceptedCurrencies(
      organisation.id,
      await currenciesOf(db, organisation.id),
      editsCurrenciesOf(request.account ?? null, { siret: organisation.siret, region: organisation.territoires.region?.code ?? null }),
    );
    return sendPage(reply, {
      title: organisation.nom,
      main: organisationPage(
        organisation,
        html`${currencies}${treasuryLink(request.account ?? null, organisation)}${await organisationSections(context, request, organisation.id)}`,
      ),
      currentPath: '/organisations',
    });
  });
}
