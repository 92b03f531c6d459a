/** The supplier search page: the buyer's question as a form, the ranked list, its exports. */
import { paginationNav } from '../../web/pagination.ts';
import { statutEss } from '../../domain/organisation.ts';
import { secteur } from '../../domain/sector.ts';
import { DEFAULT_RADIUS_KM, MAX_RADIUS_KM, MIN_RADIUS_KM } from '../../domain/suppliers.ts';
import type { FormState } from '../../web/forms.ts';
import { errorSummary, formField } from '../../web/form-fields.ts';
import { formatNumber, html, type SafeHtml } from '../../web/html.ts';
import { breadcrumb } from '../../web/layout.ts';
import type { SupplierAnswer, SupplierFilters } from './schemas.ts';

const LABELS: Record<string, string> = {
  naf: 'Code NAF',
  secteur: 'Secteur',
  commune: 'Commune',
  rayon_km: 'Rayon',
  region: 'Région',
  departement: 'Département',
  epci: 'EPCI',
};

/** The query string of a question (empty values left out), for links, pages and exports. */
export function supplierQuery(filters: Partial<Record<string, unknown>>, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...filters, ...extra })) if (value !== undefined && value !== '') params.set(key, String(value));
  return params.toString();
}

function searchForm(state: FormState): SafeHtml {
  return html`<form class="search-form" method="get" action="/fournisseurs" novalidate>
${formField({ name: 'naf', label: LABELS.naf, hint: 'Sous-classe de la NAF rév. 2, ex. 56.29A (restauration collective) ou 01.13Z (légumes).', attributes: html`maxlength="6" autocomplete="off"` }, state)}
${formField({ name: 'secteur', label: LABELS.secteur, kind: 'select', blank: 'Tous les secteurs', choices: secteur.labels, hint: 'Ou un secteur entier, quand le code exact importe peu.' }, state)}
${formField({ name: 'commune', label: 'Code de la commune (INSEE)', hint: 'Ex. 26281 pour Romans-sur-Isère : les fournisseurs sont classés par distance.', attributes: html`maxlength="5" inputmode="numeric"` }, state)}
${formField({ name: 'rayon_km', label: 'Rayon en kilomètres', kind: 'number', hint: `De ${MIN_RADIUS_KM} à ${MAX_RADIUS_KM} km, ${DEFAULT_RADIUS_KM} par défaut.`, attributes: html`min="${MIN_RADIUS_KM}" max="${MAX_RADIUS_KM}"` }, state)}
${formField({ name: 'departement', label: 'Ou dans le département (code)', hint: 'Ex. 26, 2A, 974.', attributes: html`maxlength="3"` }, state)}
<button class="button" type="submit">Chercher des fournisseurs</button>
</form>`;
}

function results(answer: SupplierAnswer, filters: SupplierFilters): SafeHtml {
  const lastPage = Math.max(1, Math.ceil(answer.total / answer.par_page));
  const where = answer.centre ? `à moins de ${answer.rayon_km} km de ${answer.centre.commune.nom}` : 'sur ce territoire';
  const page = (n: number) => `/fournisseurs?${supplierQuery(filters, { page: String(n) })}`;
  return html`<h2 id="titre-resultats" aria-live="polite">${formatNumber(answer.total)} fournisseur${answer.total > 1 ? 's' : ''} de l’ESS ${where}</h2>
${answer.centre?.origine === 'structures_commune' ? html`<p class="hint">Distances mesurées depuis la position moyenne des structures de la commune (son centre n’est pas connu de Maillage).</p>` : ''}
<p class="exports">Joindre cette liste à un appel d’offres :
  <a href="/fournisseurs.csv?${supplierQuery(filters)}">CSV (Excel)</a>,
  <a href="/fournisseurs.xlsx?${supplierQuery(filters)}">XLSX</a>,
  <a href="/api/v1/fournisseurs?${supplierQuery(filters)}">JSON</a></p>
${
  answer.total === 0
    ? html`<p>Aucun fournisseur de l’ESS pour cette activité ici. Élargissez le rayon, ou cherchez par secteur plutôt que par code NAF.</p>`
    : html`<table class="table"><caption>Fournisseurs ${where}, du plus proche au plus éloigné</caption>
<thead><tr><th scope="col">Structure</th><th scope="col">Activité</th><th scope="col">Statut ESS</th><th scope="col">Commune</th><th scope="col" class="number">Distance</th><th scope="col">Charte circuit court</th></tr></thead>
<tbody>${answer.resultats.map(
        (s) => html`<tr><td><a href="/organisations/${s.id}">${s.nom}</a>${s.exemple ? html` <span class="badge">Exemple</span>` : ''}</td>
<td>${s.code_naf ?? ''} ${s.libelle_naf ?? ''}</td><td>${statutEss.label(s.statut_ess)}</td><td>${s.commune ? `${s.commune.nom} (${s.commune.code})` : ''}</td>
<td class="number">${s.distance_km === null ? '' : `${s.distance_km.toLocaleString('fr-FR')} km`}</td><td>${s.charte_circuit_court ? 'Signée' : ''}</td></tr>`,
      )}</tbody></table>`
}
${paginationNav(answer.page, lastPage, page)}`;
}

export function suppliersPage(state: FormState, answer: SupplierAnswer | null, filters: SupplierFilters): SafeHtml {
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { label: 'Fournisseurs en circuit court' }])}
<h1>Trouver des fournisseurs de l’ESS en circuit court</h1>
<p>Pour un achat public ou privé : les structures de l’économie sociale et solidaire d’une activité, autour d’une commune ou
dans un département, de la plus proche à la plus éloignée. Le Labo de l’ESS (document 003) propose que les acheteurs
« analysent en premier lieu les possibilités d’approvisionnement dans un périmètre respectant les critères circuit court ».</p>
<p>Une structure qui a signé la <a href="/fournisseurs/charte">charte des acteurs du circuit court</a> le dit dans la liste.</p>
${errorSummary(state, { labels: LABELS })}
${searchForm(state)}
${answer ? results(answer, filters) : ''}`;
}
