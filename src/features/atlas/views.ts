import { paginationNav } from '../../web/pagination.ts';
import { finalite, modele, modeleEconomique, roleMembre, stade } from '../../domain/cooperation.ts';
import { formeJuridique, statutEss, trancheEffectif } from '../../domain/organisation.ts';
import { secteur } from '../../domain/sector.ts';
import { breadcrumb } from '../../web/layout.ts';
import { formatNumber, html, type SafeHtml } from '../../web/html.ts';
import { followForm } from '../../platform/page-widgets.ts';
import { objectActions } from '../contributions/links.ts';
import { mapPanel } from './map/views.ts';
import type { AtlasKind } from './entities.ts';
import type { CooperationDetail, OrganisationDetail } from './records.ts';
import type { AtlasFilters } from './schemas.ts';
import type { FacetValue } from './search.ts';
import { exportUrl, filterQuery, searchPageUrl } from './urls.ts';

const KIND_LABELS: Record<AtlasKind, { plural: string; singular: string }> = {
  cooperations: { plural: 'coopérations', singular: 'coopération' },
  organisations: { plural: 'structures', singular: 'structure' },
};

const FACET_TITLES: Record<string, string> = {
  region: 'Région',
  departement: 'Département',
  epci: 'Intercommunalité (EPCI)',
  commune: 'Commune',
  modele: 'Modèle',
  finalite: 'Finalité',
  modele_economique: 'Modèle économique',
  stade: 'Stade',
  secteur: 'Secteur',
  forme_juridique: 'Forme juridique',
  statut_ess: 'Statut ESS',
  territoire: 'Territoire de projet',
  monnaie_locale: 'Monnaie locale acceptée',
  q: 'Texte',
};

export interface SearchSummary {
  id: number;
  nom: string;
  commune: { code: string; nom: string } | null;
  exemple: boolean;
  details: string[];
}

export function searchForm(kind: AtlasKind, filters: Partial<AtlasFilters>, headingId?: string): SafeHtml {
  const hidden = Object.entries(filters).filter(([key, value]) => key !== 'q' && value !== undefined);
  return html`<form class="search-form" method="get" action="/recherche" role="search" ${headingId ? html`aria-labelledby="${headingId}"` : ''}>
  <div class="field">
    <label for="q">Rechercher par nom, activité ou territoire</label>
    <input type="search" id="q" name="q" value="${filters.q ?? ''}" maxlength="200" autocomplete="off">
  </div>
  <fieldset class="field inline">
    <legend>Dans</legend>
    <label><input type="radio" name="type" value="cooperations" ${kind === 'cooperations' ? html`checked` : ''}> les coopérations</label>
    <label><input type="radio" name="type" value="organisations" ${kind === 'organisations' ? html`checked` : ''}> les structures</label>
  </fieldset>
  ${hidden.map(([key, value]) => html`<input type="hidden" name="${key}" value="${String(value)}">`)}
  <button type="submit" class="button">Rechercher</button>
</form>`;
}

function facetList(kind: AtlasKind, filters: Partial<AtlasFilters>, param: string, values: FacetValue[]): SafeHtml {
  if (values.length === 0) return html``;
  const selected = (filters as Record<string, string | undefined>)[param];
  const id = `facette-${param}`;
  return html`<section class="facet" aria-labelledby="${id}">
  <h3 id="${id}">${FACET_TITLES[param] ?? param}</h3>
  <ul>${values.map((v) => {
    const isSelected = selected === v.valeur;
    const next = { ...filters, [param]: isSelected ? undefined : v.valeur };
    return html`<li><a href="${searchPageUrl(kind, next)}" ${isSelected ? html`aria-current="true" class="selected"` : ''}>
      ${v.libelle} <span class="count">(${formatNumber(v.nombre)}<span class="visually-hidden"> résultats</span>)</span>${isSelected ? html`<span class="visually-hidden"> — filtre actif, cliquer pour le retirer</span>` : ''}</a></li>`;
  })}</ul>
</section>`;
}

function activeFilters(kind: AtlasKind, filters: Partial<AtlasFilters>, labelOf: (key: string, value: string) => string): SafeHtml {
  const active = Object.entries(filters).filter(([, value]) => value !== undefined && value !== '');
  if (active.length === 0) return html``;
  return html`<div class="active-filters"><h2 class="visually-hidden">Filtres actifs</h2><ul>${active.map(
    ([key, value]) =>
      html`<li><a class="tag" href="${searchPageUrl(kind, { ...filters, [key]: undefined })}">${FACET_TITLES[key] ?? key} : ${labelOf(key, String(value))}<span class="visually-hidden"> — retirer ce filtre</span> <span aria-hidden="true">×</span></a></li>`,
  )}
  </ul><a href="${searchPageUrl(kind, {})}">Tout effacer</a></div>`;
}

/** Links that narrow the search to the records accepting a local currency, or widen it back. */
function currencyFilter(kind: AtlasKind, filters: Partial<AtlasFilters>, monnaies: SearchPageModel['monnaies']): SafeHtml {
  if (monnaies.length === 0) return html``;
  return html`<section class="facet" aria-labelledby="facette-monnaie_locale">
  <h3 id="facette-monnaie_locale">${FACET_TITLES.monnaie_locale}</h3>
  <ul>${monnaies.map((m) => {
    const isSelected = filters.monnaie_locale === m.slug;
    return html`<li><a href="${searchPageUrl(kind, { ...filters, monnaie_locale: isSelected ? undefined : m.slug })}" ${isSelected ? html`aria-current="true" class="selected"` : ''}>
      ${m.nom}${isSelected ? html`<span class="visually-hidden"> — filtre actif, cliquer pour le retirer</span>` : ''}</a></li>`;
  })}</ul>
  <p class="hint"><a href="/monnaies-locales">Les monnaies locales</a></p>
</section>`;
}

function pagination(kind: AtlasKind, filters: Partial<AtlasFilters>, page: number, lastPage: number): SafeHtml {
  return paginationNav(page, lastPage, (to) => searchPageUrl(kind, filters, to));
}

export interface SearchPageModel {
  kind: AtlasKind;
  filters: Partial<AtlasFilters>;
  total: number;
  page: number;
  perPage: number;
  results: SearchSummary[];
  facettes: Record<string, FacetValue[]>;
  labelOf(key: string, value: string): string;
  /** The local currencies the search may be narrowed to (not a facet: nothing is counted). */
  monnaies: readonly { slug: string; nom: string }[];
}

export function searchPage(model: SearchPageModel): SafeHtml {
  const { kind, filters, total } = model;
  const labels = KIND_LABELS[kind];
  const lastPage = Math.max(1, Math.ceil(total / model.perPage));
  const query = filterQuery(filters);
  return html`<h1 id="titre-recherche">Rechercher des ${labels.plural}</h1>
${searchForm(kind, filters, 'titre-recherche')}
${activeFilters(kind, filters, model.labelOf)}
<div class="search-layout">
  <div class="results">
    <h2 id="titre-resultats" aria-live="polite">${formatNumber(total)} ${total > 1 ? labels.plural : labels.singular}</h2>
    <p class="exports">Exporter cette recherche :
      <a href="${exportUrl(kind, filters, 'csv')}">CSV (Excel)</a>,
      <a href="${exportUrl(kind, filters, 'csv', { separateur: 'virgule' })}">CSV (RFC 4180)</a>,
      <a href="${exportUrl(kind, filters, 'json')}">JSON</a>,
      <a href="${exportUrl(kind, filters, 'geojson')}">GeoJSON</a>
      <span class="hint">(Licence Ouverte Etalab 2.0)</span></p>
    <p class="exports"><a href="/integration?type=${kind}${query ? `&${query}` : ''}">Intégrer cette recherche dans votre site</a> (liste ou carte, avec votre titre)</p>
    ${followForm(kind === 'cooperations' ? 'recherche_cooperations' : 'recherche_organisations', filters)}
    ${mapPanel(kind, query)}
    <ol class="result-list" aria-labelledby="titre-resultats" start="${(model.page - 1) * model.perPage + 1}">
      ${model.results.map(
        (r) => html`<li class="result">
        <h3><a href="/${kind}/${r.id}">${r.nom}</a>${r.exemple ? html` <span class="badge">Exemple</span>` : ''}</h3>
        <p>${r.details.filter(Boolean).join(' · ')}${r.commune ? html` — ${r.commune.nom} (${r.commune.code})` : ''}</p>
      </li>`,
      )}
    </ol>
    ${total === 0 ? html`<p>Aucun résultat. Essayez un autre mot, ou retirez un filtre.</p>` : ''}
    ${pagination(kind, filters, model.page, lastPage)}
  </div>
  <aside class="facets" aria-labelledby="titre-facettes">
    <h2 id="titre-facettes">Affiner</h2>
    ${Object.entries(model.facettes).map(([param, values]) => facetList(kind, filters, param, values))}
    ${currencyFilter(kind, filters, model.monnaies)}
  </aside>
</div>`;
}

function definitionList(entries: [string, string | number | null | undefined | SafeHtml][]): SafeHtml {
  const shown = entries.filter(([, value]) => value !== null && value !== undefined && value !== '');
  return html`<dl class="facts">${shown.map(([term, value]) => html`<dt>${term}</dt><dd>${value}</dd>`)}</dl>`;
}

function territoryLinks(t: OrganisationDetail['territoires']): SafeHtml {
  const parts = [
    t.commune && html`<a href="/territoires/commune/${t.commune.code}">${t.commune.nom}</a>`,
    t.epci && html`<a href="/territoires/epci/${t.epci.code}">${t.epci.nom}</a>`,
    t.departement && html`<a href="/territoires/departement/${t.departement.code}">${t.departement.nom}</a>`,
    t.region && html`<a href="/territoires/region/${t.region.code}">${t.region.nom}</a>`,
  ].filter((part): part is SafeHtml => Boolean(part));
  return html`${parts.map((part, i) => html`${i ? ', ' : ''}${part}`)}`;
}

const exampleNotice = html`<p class="notice">Fiche d’exemple : elle reprend uniquement ce que dit le document source cité ci-dessous.
Les champs que le document ne renseigne pas restent vides.</p>`;

/** The orientation form, prefilled with what the cooperation's record says. */
function orientationUrl(c: CooperationDetail): string {
  const params = new URLSearchParams();
  const known = {
    modele: c.modele,
    finalite: c.finalite,
    modele_economique: c.modele_economique,
    stade: c.stade,
    commune: c.commune?.code,
    secteur: c.secteur,
  };
  for (const [key, value] of Object.entries(known)) if (value) params.set(key, value);
  if (c.forme_juridique) params.set('forme_juridique', c.forme_juridique.slice(0, 2));
  return `/orientation?${params}`;
}

/** `sections`: what other features add to the page (page widgets), before its source. */
export function cooperationPage(c: CooperationDetail, sections: SafeHtml | '' = ''): SafeHtml {
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { href: '/recherche?type=cooperations', label: 'Coopérations' }, { label: c.nom }])}
<h1>${c.nom}</h1>
${c.exemple ? exampleNotice : ''}
${definitionList([
  ['Modèle', modele.label(c.modele)],
  ['Finalité', c.finalite ? finalite.label(c.finalite) : null],
  ['Modèle économique', c.modele_economique ? modeleEconomique.label(c.modele_economique) : null],
  ['Stade', c.stade ? stade.label(c.stade) : null],
  ['Secteur', c.secteur ? secteur.label(c.secteur) : null],
  ['Territoire', c.territoire],
  ['Localisation', territoryLinks(c.territoires)],
  ['Année de création', c.annee_creation],
  ['Site web', c.site_web],
])}
<p><a class="button-link" href="${orientationUrl(c)}">Orienter cette coopération : besoins et dispositifs</a></p>
<p><a href="/cooperations/${c.id}/diagnostic-ptce">Autodiagnostic PTCE de cette coopération</a> · <a href="/cooperations/${c.id}/indicateurs">Ses indicateurs</a></p>
${c.description ? html`<h2>Présentation</h2><p>${c.description}</p>` : ''}
${c.activites ? html`<h2>Activités</h2><p>${c.activites}</p>` : ''}
${c.gouvernance ? html`<h2>Gouvernance</h2><p>${c.gouvernance}</p>` : ''}
${c.ressources_partagees ? html`<h2>Ressources partagées</h2><p>${c.ressources_partagees}</p>` : ''}
${c.historique ? html`<h2>Historique</h2><p>${c.historique}</p>` : ''}
<h2>Membres</h2>
${
  c.membres.length === 0
    ? html`<p>Aucun membre renseigné.</p>`
    : html`<table class="table">
  <caption class="visually-hidden">Membres de la coopération et leur rôle</caption>
  <thead><tr><th scope="col">Membre</th><th scope="col">Rôle</th></tr></thead>
  <tbody>${c.membres.map((m) => html`<tr><td>${m.organisation_id ? html`<a href="/organisations/${m.organisation_id}">${m.nom}</a>` : m.nom}</td><td>${roleMembre.label(m.role)}</td></tr>`)}</tbody>
</table>`
}
${sections}
<h2>Source</h2>
<p>${c.source ?? 'Non renseignée'}. Mise à jour : <time datetime="${c.mis_a_jour}">${new Date(c.mis_a_jour).toLocaleDateString('fr-FR')}</time>.</p>
<p><a href="/api/v1/cooperations/${c.id}">Cette fiche en JSON</a></p>
${objectActions('cooperation', c.id)}`;
}

/** `sections`: what other features add to the page (page widgets), before its source. */
export function organisationPage(o: OrganisationDetail, sections: SafeHtml | '' = ''): SafeHtml {
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { href: '/recherche?type=organisations', label: 'Structures' }, { label: o.nom }])}
<h1>${o.nom}</h1>
${o.exemple ? exampleNotice : ''}
${definitionList([
  ['SIRET', o.siret],
  ['SIREN', o.siren],
  ['Forme juridique', o.forme_juridique ? `${formeJuridique.label(o.forme_juridique.slice(0, 2))} (${o.forme_juridique})` : null],
  ['Statut ESS', o.statut_ess ? statutEss.label(o.statut_ess) : null],
  ['Activité (NAF)', o.code_naf ? `${o.code_naf} — ${o.libelle_naf ?? ''}` : null],
  ['Secteur', o.secteur ? secteur.label(o.secteur) : null],
  ['Effectif', o.tranche_effectif ? trancheEffectif.label(o.tranche_effectif) : null],
  ['Adresse', o.adresse],
  ['Localisation', territoryLinks(o.territoires)],
  ['Site web', o.site_web],
])}
${o.description ? html`<h2>Présentation</h2><p>${o.description}</p>` : ''}
<h2>Coopérations</h2>
${
  o.cooperations.length === 0
    ? html`<p>Cette structure n’est membre d’aucune coopération recensée.</p>`
    : html`<ul>${o.cooperations.map(
        (c) => html`<li><a href="/cooperations/${c.id}">${c.nom}</a> — ${modele.label(c.modele)}, ${roleMembre.label(c.role)}</li>`,
      )}</ul>`
}
${sections}
<h2>Source</h2>
<p>${o.source ?? 'Non renseignée'}. Mise à jour : <time datetime="${o.mis_a_jour}">${new Date(o.mis_a_jour).toLocaleDateString('fr-FR')}</time>.</p>
<p><a href="/api/v1/organisations/${o.id}">Cette fiche en JSON</a></p>
${objectActions('organisation', o.id)}`;
}
