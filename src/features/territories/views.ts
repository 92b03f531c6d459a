import { compareFrench } from '../../domain/french.ts';
import { modele, stade } from '../../domain/cooperation.ts';
import { statutEss } from '../../domain/organisation.ts';
import { secteur } from '../../domain/sector.ts';
import { formatNumber, html, type SafeHtml } from '../../web/html.ts';
import { breadcrumb } from '../../web/layout.ts';
import { searchPageUrl } from '../atlas/urls.ts';
import type { AtlasFilters } from '../atlas/schemas.ts';
import type { FacetValue } from '../atlas/search.ts';
import { kindOfProjet } from './projets.ts';
import { TYPE_LABELS, type TerritorySummary, type TerritoryType } from './summary.ts';

const CHILD_HEADINGS: Record<TerritoryType, string> = {
  region: 'Par région',
  departement: 'Par département',
  epci: 'Par intercommunalité',
  commune: 'Par commune',
  projet: 'Par territoire de projet',
};

export const territoryUrl = (type: TerritoryType, code: string) => `/territoires/${type}/${encodeURIComponent(code)}`;

function filtersOf(type: TerritoryType, code: string): Partial<AtlasFilters> {
  return type === 'projet' ? { territoire: code } : { [type]: code };
}

function countTable(caption: string, values: FacetValue[], label: (code: string) => string, link: (code: string) => string): SafeHtml {
  if (values.length === 0) return html``;
  return html`<table class="table"><caption>${caption}</caption>
  <thead><tr><th scope="col">Catégorie</th><th scope="col" class="number">Nombre</th></tr></thead>
  <tbody>${values.map((v) => html`<tr><td><a href="${link(v.valeur)}">${label(v.valeur)}</a></td><td class="number">${formatNumber(v.nombre)}</td></tr>`)}</tbody>
</table>`;
}

export function territoryPage(t: TerritorySummary): SafeHtml {
  const base = filtersOf(t.type, t.code);
  const cooperationsUrl = (extra: Partial<AtlasFilters> = {}) => searchPageUrl('cooperations', { ...base, ...extra });
  const organisationsUrl = (extra: Partial<AtlasFilters> = {}) => searchPageUrl('organisations', { ...base, ...extra });
  const childType = t.sous_territoires[0]?.type;
  return html`${breadcrumb([
    { href: '/', label: 'Accueil' },
    { href: '/territoires', label: 'Territoires' },
    ...[...t.parents].reverse().map((p) => ({ href: territoryUrl(p.type, p.code), label: p.nom })),
    { label: t.nom },
  ])}
<h1>${t.nom} <span class="subtitle">${t.libelle_type}${t.type === 'projet' ? '' : html` — code ${t.code}`}</span></h1>
${t.description ? html`<p>${t.description}</p>` : ''}
<ul class="figures">
  <li><strong>${formatNumber(t.cooperations.total)}</strong> <a href="${cooperationsUrl()}">${plural(t.cooperations.total, 'coopération', 'coopérations')}</a></li>
  <li><strong>${formatNumber(t.organisations.total)}</strong> <a href="${organisationsUrl()}">${plural(t.organisations.total, 'structure recensée', 'structures recensées')}</a></li>
  <li><strong>${formatNumber(t.dispositifs_disponibles)}</strong> <a href="#dispositifs">${plural(t.dispositifs_disponibles, 'dispositif disponible', 'dispositifs disponibles')}</a></li>
  ${t.population !== null ? html`<li><strong>${formatNumber(t.population)}</strong> habitants</li>` : ''}
</ul>
${t.parents.length ? html`<p>Fait partie de : ${t.parents.map((p, i) => html`${i ? ', ' : ''}<a href="${territoryUrl(p.type, p.code)}">${p.nom}</a> (${TYPE_LABELS[p.type].toLowerCase()})`)}.</p>` : ''}
<h2>Coopérations</h2>
${countTable(
  'Coopérations par modèle',
  t.cooperations.par_modele,
  (c) => modele.label(c),
  (c) => cooperationsUrl({ modele: c as never }),
)}
${countTable(
  'Coopérations par stade',
  t.cooperations.par_stade,
  (c) => stade.label(c),
  (c) => cooperationsUrl({ stade: c as never }),
)}
${
  t.cooperations.liste.length
    ? html`<ul>${t.cooperations.liste.map((c) => html`<li><a href="/cooperations/${c.id}">${c.nom}</a> — ${modele.label(c.modele)}${c.commune ? `, ${c.commune.nom}` : ''}</li>`)}</ul>
${t.cooperations.total > t.cooperations.liste.length ? html`<p><a href="${cooperationsUrl()}">Voir les ${formatNumber(t.cooperations.total)} coopérations</a></p>` : ''}`
    : html`<p>Aucune coopération recensée ici pour l’instant.</p>`
}
<h2>Structures</h2>
${
  t.organisations.total > 0 && t.organisations.par_statut_ess.length + t.organisations.par_secteur.length === 0
    ? html`<p>${formatNumber(t.organisations.total)} ${plural(t.organisations.total, 'structure recensée', 'structures recensées')} ; statut ESS et secteur non renseignés. <a href="${organisationsUrl()}">Les voir</a></p>`
    : ''
}
${t.organisations.total === 0 ? html`<p>Aucune structure recensée ici pour l’instant.</p>` : ''}
${countTable(
  'Structures par statut ESS',
  t.organisations.par_statut_ess,
  (c) => statutEss.label(c),
  (c) => organisationsUrl({ statut_ess: c as never }),
)}
${countTable(
  'Structures par secteur',
  t.organisations.par_secteur,
  (c) => secteur.label(c),
  (c) => organisationsUrl({ secteur: c as never }),
)}
${
  t.sous_territoires.length && childType
    ? html`<h2>${CHILD_HEADINGS[childType]}</h2>
<table class="table"><caption>Coopérations et structures, ${CHILD_HEADINGS[childType].toLowerCase()} (${formatNumber(t.sous_territoires.length)})</caption>
<thead><tr><th scope="col">${TYPE_LABELS[childType]}</th><th scope="col" class="number">Coopérations</th><th scope="col" class="number">Structures</th></tr></thead>
<tbody>${t.sous_territoires.map((s) => html`<tr><td><a href="${territoryUrl(s.type, s.code)}">${s.nom}</a></td><td class="number">${formatNumber(s.cooperations)}</td><td class="number">${formatNumber(s.organisations)}</td></tr>`)}</tbody>
</table>`
    : ''
}
${schemesSection(t)}
${needsSection(t)}
${t.source ? html`<p>Périmètre : ${t.source}</p>` : ''}
<p><a href="/api/v1/territoires/${t.type}/${encodeURIComponent(t.code)}">Ces chiffres en JSON</a></p>`;
}

/** The schemes acting here; the catalogue lists them all for an administrative territory. */
function schemesSection(t: TerritorySummary): SafeHtml {
  const all = t.type === 'projet' ? null : `/dispositifs?${t.type}=${encodeURIComponent(t.code)}`;
  return html`<h2 id="dispositifs">Dispositifs disponibles</h2>
${
  t.dispositifs.length
    ? html`<p>${formatNumber(t.dispositifs_disponibles)} ${plural(t.dispositifs_disponibles, 'dispositif actif agit', 'dispositifs actifs agissent')} sur ce territoire, au moins en partie (nationaux compris).</p>
<ul>${t.dispositifs.map((d) => html`<li><a href="/dispositifs/${d.id}">${d.nom}</a></li>`)}</ul>
${all && t.dispositifs_disponibles > t.dispositifs.length ? html`<p><a href="${all}">Voir les ${formatNumber(t.dispositifs_disponibles)} dispositifs</a></p>` : ''}`
    : html`<p>Aucun dispositif actif du catalogue n’agit sur ce territoire.</p>`
}`;
}

/** For each stage, the needs no scheme available here answers. */
function needsSection(t: TerritorySummary): SafeHtml {
  return html`<h2>Besoins sans dispositif ici</h2>
<p>Pour chaque stade, les besoins des coopérations (matrices du document 001) auxquels aucun dispositif disponible sur ce territoire ne répond.
Voir aussi la <a href="/cartographie">cartographie des zones blanches</a>.</p>
${t.besoins_non_couverts.map(
  (s) => html`<h3>${s.libelle_stade}</h3>
${s.besoins.length ? html`<ul>${s.besoins.map((b) => html`<li>${b.libelle} <span class="hint">(${b.type})</span></li>`)}</ul>` : html`<p>Chaque besoin de ce stade a au moins un dispositif.</p>`}`,
)}`;
}

type RegionCount = { code: string; nom: string; cooperations: number; organisations: number };

function regionTable(caption: string, regions: RegionCount[]): SafeHtml {
  const sorted = [...regions].sort((a, b) => compareFrench(a.nom, b.nom));
  return html`<table class="table"><caption class="visually-hidden">${caption}</caption>
<thead><tr><th scope="col">Nom</th><th scope="col" class="number">Coopérations</th><th scope="col" class="number">Structures</th></tr></thead>
<tbody>${sorted.map((r) => html`<tr><td><a href="${territoryUrl('region', r.code)}">${r.nom}</a></td><td class="number">${formatNumber(r.cooperations)}</td><td class="number">${formatNumber(r.organisations)}</td></tr>`)}</tbody>
</table>`;
}

/** French puts 0 and 1 in the singular. */
const plural = (n: number, singular: string, pluralForm: string) => (n > 1 ? pluralForm : singular);

export interface TerritoryMatch {
  type: TerritoryType;
  code: string;
  nom: string;
  detail: string;
}

export function territoriesIndexPage(
  regions: RegionCount[],
  q: string | undefined,
  matches: TerritoryMatch[],
  projets: { slug: string; nom: string; kind: string; communes: number }[],
): SafeHtml {
  return html`<h1>Territoires</h1>
<p>Ce qui existe sur chaque territoire : coopérations, structures de l’ESS, par modèle et par sous-territoire.</p>
<form method="get" action="/territoires" role="search" class="search-form" aria-label="Trouver un territoire">
  <div class="field"><label for="q-territoire">Commune, code postal, intercommunalité ou département</label>
  <input type="search" id="q-territoire" name="q" value="${q ?? ''}" maxlength="100" autocomplete="off"></div>
  <button type="submit" class="button">Trouver</button>
</form>
${
  q !== undefined
    ? html`<h2>Territoires trouvés pour « ${q} »</h2>
${matches.length ? html`<ul>${matches.map((m) => html`<li><a href="${territoryUrl(m.type, m.code)}">${m.nom}</a> — ${TYPE_LABELS[m.type]} ${m.detail}</li>`)}</ul>` : html`<p>Aucun territoire ne correspond.</p>`}`
    : ''
}
<h2>Régions</h2>
${regionTable(
  'Coopérations et structures par région',
  regions.filter((r) => r.code.length === 2),
)}
<h2>Collectivités d’outre-mer</h2>
${regionTable(
  'Coopérations et structures par collectivité d’outre-mer',
  regions.filter((r) => r.code.length === 3),
)}
<h2>Territoires de projet</h2>
<p>Pays, PETR, parcs naturels régionaux, bassins de vie… : des périmètres faits de communes, proposés par les personnes qui les connaissent.</p>
${
  projets.length
    ? html`<ul>${projets.map((p) => html`<li><a href="${territoryUrl('projet', p.slug)}">${p.nom}</a> — ${kindOfProjet.label(p.kind)}, ${formatNumber(p.communes)} ${plural(p.communes, 'commune', 'communes')}</li>`)}</ul>`
    : html`<p>Aucun territoire de projet n’est encore publié.</p>`
}
<p><a class="button-link" href="/territoires/proposer">Proposer un territoire de projet</a></p>`;
}
