import { paginationNav } from '../../web/pagination.ts';
import { finalite, modele, modeleEconomique, stade } from '../../domain/cooperation.ts';
import { formatParisDate, formatParisDateTime, type Calendar } from '../../domain/calendar.ts';
import { niveauCouverture, typeAccompagnement, typeFinancement } from '../../domain/dispositif.ts';
import { formeJuridique } from '../../domain/organisation.ts';
import { formatNumber, html, type SafeHtml } from '../../web/html.ts';
import { breadcrumb } from '../../web/layout.ts';
import { followForm } from '../../platform/page-widgets.ts';
import { objectActions } from '../contributions/links.ts';
import type { FacetValue } from '../atlas/search.ts';
import type { TerritoryIndex } from '../../platform/territory-index.ts';
import type { DispositifDetail } from './records.ts';
import type { DispositifFilters } from './schemas.ts';

const TO_COMPLETE = html`<span class="to-complete">à compléter</span>`;

export function catalogueUrl(filters: Partial<DispositifFilters>, page?: number): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value !== undefined && value !== '') params.set(key, String(value));
  if (page && page > 1) params.set('page', String(page));
  const query = params.toString();
  return `/dispositifs${query ? `?${query}` : ''}`;
}

export function typeLabels(d: { types_accompagnement: string[]; types_financement: string[] }): string {
  return [...d.types_accompagnement.map((t) => typeAccompagnement.label(t)), ...d.types_financement.map((t) => typeFinancement.label(t))].join(', ');
}

export function coverageLabel(index: TerritoryIndex, couverture: { niveau: string; codes: string[] } | null): string | null {
  if (!couverture) return null;
  if (couverture.niveau === 'national') return 'France entière';
  const level = couverture.niveau as 'region' | 'departement' | 'epci' | 'commune';
  return couverture.codes.map((code) => index.name(level, code) ?? code).join(', ');
}

export function calendarLabel(calendar: Calendar | null): string | null {
  if (!calendar) return null;
  const period = (p: { ouverture?: string; cloture?: string }) =>
    [
      p.ouverture ? `ouverture le ${formatParisDate(new Date(p.ouverture))}` : '',
      p.cloture ? `clôture le ${formatParisDateTime(new Date(p.cloture))} (heure de Paris)` : '',
    ]
      .filter(Boolean)
      .join(', ');
  if (calendar.type === 'permanent') return 'Permanent';
  if (calendar.type === 'vagues') return (calendar.vagues ?? []).map((w) => `${w.nom} : ${period(w) || 'dates à compléter'}`).join(' ; ');
  return period(calendar) || 'Daté (dates à compléter)';
}

const FACET_TITLES: Record<string, string> = { type: 'Type', stade: 'Stade', couverture: 'Couverture' };

export function cataloguePage(model: {
  filters: Partial<DispositifFilters>;
  total: number;
  page: number;
  perPage: number;
  results: { id: number; nom: string; types: string; porteurs: string[]; couverture: string | null }[];
  facettes: Record<string, FacetValue[]>;
}): SafeHtml {
  const { filters, total } = model;
  const lastPage = Math.max(1, Math.ceil(total / model.perPage));
  return html`<h1 id="titre-catalogue">Dispositifs d’accompagnement et de financement</h1>
<p>Les dispositifs cités par les documents sources, avec uniquement ce qu’ils en disent ; les champs qu’ils ne renseignent pas sont marqués « à compléter ».
Pour savoir lesquels conviennent à votre coopération, utilisez <a href="/orientation">l’orientation</a>.</p>
<form class="search-form" method="get" action="/dispositifs" role="search" aria-labelledby="titre-catalogue">
  <div class="field"><label for="q">Rechercher un dispositif</label>
  <input type="search" id="q" name="q" value="${filters.q ?? ''}" maxlength="200" autocomplete="off"></div>
  ${Object.entries(filters)
    .filter(([k, v]) => k !== 'q' && v !== undefined)
    .map(([k, v]) => html`<input type="hidden" name="${k}" value="${String(v)}">`)}
  <button type="submit" class="button">Rechercher</button>
</form>
<div class="search-layout">
  <div class="results">
    <h2 id="titre-resultats">${formatNumber(total)} ${total > 1 ? 'dispositifs' : 'dispositif'}</h2>
    ${followForm('recherche_dispositifs', filters)}
    <ul class="result-list plain">${model.results.map(
      (r) => html`<li class="result">
      <h3><a href="/dispositifs/${r.id}">${r.nom}</a></h3>
      <p>${r.types || 'Type à compléter'}${r.porteurs.length ? ` — ${r.porteurs.join(', ')}` : ''}${r.couverture ? ` — ${r.couverture}` : ''}</p>
    </li>`,
    )}</ul>
    ${paginationNav(model.page, lastPage, (to) => catalogueUrl(filters, to))}
  </div>
  <aside class="facets" aria-labelledby="titre-facettes-dispositifs">
    <h2 id="titre-facettes-dispositifs">Affiner</h2>
    ${Object.entries(model.facettes)
      .filter(([, values]) => values.length)
      .map(
        ([param, values]) => html`<section class="facet" aria-labelledby="facette-${param}">
      <h3 id="facette-${param}">${FACET_TITLES[param] ?? param}</h3>
      <ul>${values.map((v) => {
        const selected = (filters as Record<string, unknown>)[param] === v.valeur;
        return html`<li><a href="${catalogueUrl({ ...filters, [param]: selected ? undefined : v.valeur })}" ${selected ? html`aria-current="true" class="selected"` : ''}>${v.libelle} <span class="count">(${formatNumber(v.nombre)})</span>${selected ? html`<span class="visually-hidden"> — filtre actif, cliquer pour le retirer</span>` : ''}</a></li>`;
      })}</ul></section>`,
      )}
  </aside>
</div>`;
}

const list = (values: string[], label: (code: string) => string) => (values.length ? values.map(label).join(', ') : null);

export function dispositifPage(d: DispositifDetail, index: TerritoryIndex): SafeHtml {
  const value = (text: string | null | undefined): SafeHtml | string => (text ? text : TO_COMPLETE);
  const rows: [string, SafeHtml | string][] = [
    ['Type', value(typeLabels(d))],
    ['Porteur', value(d.porteurs.join(', '))],
    ['Stades', value(list(d.stades, (s) => stade.label(s)))],
    ['Modèles de coopération', list(d.modeles, (m) => modele.label(m)) ?? 'Non précisé'],
    ['Finalité', list(d.finalites, (f) => finalite.label(f)) ?? 'Non précisée'],
    ['Modèle économique', list(d.modeles_economiques, (m) => modeleEconomique.label(m)) ?? 'Non précisé'],
    ['Formes juridiques', list(d.formes_juridiques, (f) => formeJuridique.label(f)) ?? 'Non précisées'],
    ['Agrément ESUS requis', d.esus_requis === null ? TO_COMPLETE : d.esus_requis ? 'Oui' : 'Non'],
    ['Couverture', value(d.couverture ? `${niveauCouverture.label(d.couverture.niveau)} : ${coverageLabel(index, d.couverture)}` : null)],
    ['Montant', value(d.montant_texte)],
    ['Durée', value(d.duree_texte)],
    ['Calendrier', value(calendarLabel(d.calendrier as Calendar | null))],
    ['Conditions d’accès', value(d.conditions)],
    ['Contact', value(d.contact)],
    ['Site', value(d.url)],
    ['Dernière vérification', d.date_verification ? formatParisDate(new Date(d.date_verification)) : html`jamais vérifié au-delà de la source`],
  ];
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { href: '/dispositifs', label: 'Dispositifs' }, { label: d.nom }])}
<h1>${d.nom}</h1>
${d.description ? html`<p>${d.description}</p>` : ''}
<dl class="facts">${rows.map(([term, v]) => html`<dt>${term}</dt><dd>${v}</dd>`)}</dl>
<h2>Source</h2>
<p>${d.source ?? 'Non renseignée'}</p>
<p><a href="/api/v1/dispositifs/${d.id}">Cette fiche en JSON</a></p>
${objectActions('dispositif', d.id)}`;
}
