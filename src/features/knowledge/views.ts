/** Pages of the knowledge base: the search with its facets, and one resource with its Markdown rendered safely. */
import { paginationNav } from '../../web/pagination.ts';
import { modele, stade } from '../../domain/cooperation.ts';
import { themeRessource, typeRessource } from '../../domain/knowledge.ts';
import type { FastifyRequest } from 'fastify';
import { formatParisDate } from '../../domain/calendar.ts';
import { FILE_KINDS, kindOfMime, kindsText, DEFAULT_FILE_KINDS, sizeText, typeFichier } from '../../domain/files.ts';
import { csrfField, csrfToken } from '../../platform/http/csrf.ts';
import { errorSummary, fieldNotes, formMessages } from '../../web/form-fields.ts';
import type { FormState } from '../../web/forms.ts';
import { formatNumber, html, type SafeHtml } from '../../web/html.ts';
import { breadcrumb } from '../../web/layout.ts';
import { renderMarkdown } from './markdown.ts';
import type { LinkNames, ResourceLink } from './queries.ts';
import type { ResourceDetail, ResourceFilters, ResourceSearchAnswer, ResourceSummary } from './schemas.ts';

const FACET_TITLES: Record<string, string> = { type: 'Type', theme: 'Thème', stade: 'Stade', modele: 'Modèle de coopération' };

const url = (filters: Partial<Record<string, unknown>>, page?: number) => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value !== undefined && value !== '') params.set(key, String(value));
  if (page && page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `/ressources?${query}` : '/ressources';
};

function select(name: string, label: string, labels: Record<string, string>, selected: string | undefined): SafeHtml {
  return html`<div class="field"><label for="${name}">${label}</label><select id="${name}" name="${name}"><option value="">Tous</option>${Object.entries(
    labels,
  ).map(([code, text]) => html`<option value="${code}" ${code === selected ? html`selected` : ''}>${text}</option>`)}</select></div>`;
}

function tags(r: { type: string; themes: string[]; stades: string[]; modeles: string[] }): string {
  return [typeRessource.label(r.type), ...r.themes.map(themeRessource.label), ...r.stades.map(stade.label), ...r.modeles.map(modele.label)].join(' · ');
}

/** How a page names the object of a link filter: « cette coopération », « ce dispositif ». */
const LINK_WORDS = { cooperation: { this: 'cette coopération', title: 'Coopération' }, dispositif: { this: 'ce dispositif', title: 'Dispositif' } };

/** The cooperation or dispositif filters in force, each named, linked to its page and removable. */
function linkFilters(filters: ResourceFilters, names: LinkNames): SafeHtml {
  const active = (['cooperation', 'dispositif'] as const).filter((kind) => filters[kind] !== undefined);
  if (active.length === 0) return html``;
  return html`<div class="active-filters"><h2 class="visually-hidden">Filtres actifs</h2><ul>${active.map(
    (kind) =>
      html`<li>${LINK_WORDS[kind].title} : <a href="/${kind}s/${filters[kind]}">${names[kind] ?? `n° ${filters[kind]} (introuvable)`}</a>
<a class="tag" href="${url({ ...filters, [kind]: undefined })}">Retirer ce filtre<span class="visually-hidden"> (${LINK_WORDS[kind].title.toLowerCase()})</span> <span aria-hidden="true">×</span></a></li>`,
  )}</ul></div>`;
}

export function resourcesPage(answer: ResourceSearchAnswer, filters: ResourceFilters, names: LinkNames): SafeHtml {
  const lastPage = Math.max(1, Math.ceil(answer.total / answer.par_page));
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { label: 'Ressources' }])}
<h1 id="titre-ressources">Ressources pour coopérer</h1>
<p>Retours d’expérience, méthodes, outils et fiches techniques pour capitaliser et transférer les savoir-faire des coopérations.
Les ressources marquées « Exemple » reprennent les documents sources, chacune avec le passage qu’elle cite.</p>
<p><a href="/ressources/proposer">Proposer une ressource</a> : elle est publiée après relecture par la modération.</p>
<form class="search-form" method="get" action="/ressources" role="search" aria-labelledby="titre-ressources">
<div class="field"><label for="q">Rechercher</label><input type="search" id="q" name="q" value="${filters.q ?? ''}" maxlength="200"></div>
${select('type', 'Type', typeRessource.labels, filters.type)}
${select('theme', 'Thème', themeRessource.labels, filters.theme)}
${select('stade', 'Stade', stade.labels, filters.stade)}
${select('modele', 'Modèle', modele.labels, filters.modele)}
${(['cooperation', 'dispositif'] as const).map((kind) => (filters[kind] ? html`<input type="hidden" name="${kind}" value="${filters[kind]}">` : ''))}
<button type="submit" class="button">Rechercher</button>
</form>
${linkFilters(filters, names)}
<div class="search-layout">
<div class="results">
<h2 id="titre-resultats" aria-live="polite">${formatNumber(answer.total)} ressource${answer.total > 1 ? 's' : ''}</h2>
<ol class="result-list" aria-labelledby="titre-resultats" start="${(answer.page - 1) * answer.par_page + 1}">
${answer.resultats.map(
  (r) => html`<li class="result"><h3><a href="/ressources/${r.id}">${r.titre}</a>${r.exemple ? html` <span class="badge">Exemple</span>` : ''}</h3>
<p>${r.resume}</p><p class="hint">${tags(r)}</p></li>`,
)}
</ol>
${answer.total === 0 ? html`<p>Aucune ressource. Essayez un autre mot, ou retirez un filtre.</p>` : ''}
${paginationNav(answer.page, lastPage, (to) => url(filters, to))}
<p><a href="/api/v1/ressources">Ces ressources en JSON</a></p>
</div>
<aside class="facets" aria-labelledby="titre-facettes"><h2 id="titre-facettes">Affiner</h2>
${Object.entries(answer.facettes).map(([name, values]) =>
  values.length
    ? html`<section class="facet" aria-labelledby="facette-${name}"><h3 id="facette-${name}">${FACET_TITLES[name] ?? name}</h3><ul>${values.map((v) => {
        const active = (filters as Record<string, unknown>)[name] === v.valeur;
        return html`<li><a href="${url({ ...filters, [name]: active ? undefined : v.valeur })}" ${active ? html`aria-current="true" class="selected"` : ''}>${v.libelle} <span class="count">(${formatNumber(v.nombre)}<span class="visually-hidden"> ressources</span>)</span>${active ? html`<span class="visually-hidden"> — filtre actif, cliquer pour le retirer</span>` : ''}</a></li>`;
      })}</ul></section>`
    : '',
)}
</aside>
</div>`;
}

export interface ResourcePageOptions {
  request: FastifyRequest;
  /** The viewer adds and removes its files (the moderators of its région). */
  mayManageFiles: boolean;
  /** A refused upload, or the notice of a done one. */
  state: FormState;
}

const FILE_LABELS = { fichier: 'Fichier à joindre' };

/** The files of a resource or of a proposal, as a section of its page. */
export interface FilesSectionModel {
  files: { nom: string; type: string; taille: number; adresse: string }[];
  /** Where the viewer sends a file, when they may add and remove them (each file's removal: its address + /suppression). */
  uploadAction: string | null;
  request: FastifyRequest;
  /** A refused upload, or the notice of a done one. */
  state: FormState;
  maxUploadMb: number;
  /** A sentence under the heading. */
  intro?: string;
}

/** The list of files to download and, for whoever manages them, their removal and the upload form; nothing when there is neither. */
export function filesSection({ files, uploadAction, request, state, maxUploadMb, intro }: FilesSectionModel): SafeHtml {
  const kindOf = (type: string) => {
    const kind = kindOfMime(type);
    return kind ? typeFichier.label(kind) : type;
  };
  const error = state.errors?.find((e) => e.field === 'fichier');
  const notes = fieldNotes(
    'fichier',
    `${kindsText(DEFAULT_FILE_KINDS)}, ${sizeText(maxUploadMb * 1024 * 1024)} au plus ; le type se reconnaît au contenu du fichier.`,
    error,
  );
  if (!files.length && !uploadAction) return html``;
  return html`<section aria-labelledby="fichiers"><h2 id="fichiers" tabindex="-1">Fichiers joints</h2>${intro ? html`<p>${intro}</p>` : ''}
${errorSummary(state, { labels: FILE_LABELS })}${formMessages({ ...state, errors: undefined })}
${
  files.length
    ? html`<ul>${files.map(
        (f) => html`<li><a href="${f.adresse}" download>${f.nom}</a> <span class="hint">(${kindOf(f.type)}, ${sizeText(f.taille)})</span>
${
  uploadAction
    ? html`<form method="post" action="${f.adresse}/suppression" class="inline-form">${csrfField(request)}
  <button type="submit" class="button">Retirer le fichier ${f.nom}</button></form>`
    : ''
}</li>`,
      )}</ul>`
    : html`<p>Aucun fichier joint.</p>`
}
${
  uploadAction
    ? html`<form method="post" action="${uploadAction}?_csrf=${csrfToken(request)}" enctype="multipart/form-data" class="stacked-form" novalidate>
  <div class="field">
    <label for="fichier">${FILE_LABELS.fichier}</label>
    ${notes.notes}
    <input type="file" id="fichier" name="fichier" accept="${DEFAULT_FILE_KINDS.map((k) => FILE_KINDS[k].mime).join(',')}" aria-describedby="${notes.describedBy}"${error ? html` aria-invalid="true"` : ''}>
  </div>
  <button type="submit" class="button">Joindre le fichier</button>
</form>`
    : ''
}
</section>`;
}

export function resourcePage(r: ResourceDetail, options: ResourcePageOptions, maxUploadMb: number): SafeHtml {
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { href: '/ressources', label: 'Ressources' }, { label: r.titre }])}
<article>
<h1>${r.titre}${r.exemple ? html` <span class="badge">Exemple</span>` : ''}</h1>
<p class="hint">${tags(r)}</p>
<p><strong>${r.resume}</strong></p>
<div class="markdown">${renderMarkdown(r.corps)}</div>
${r.source ? html`<p><strong>Source :</strong> ${r.source}</p>` : ''}
${r.cooperations.length ? html`<h2>Coopérations liées</h2><ul>${r.cooperations.map((c) => html`<li><a href="/cooperations/${c.id}">${c.nom}</a></li>`)}</ul>` : ''}
${r.dispositifs.length ? html`<h2>Dispositifs liés</h2><ul>${r.dispositifs.map((d) => html`<li><a href="/dispositifs/${d.id}">${d.nom}</a></li>`)}</ul>` : ''}
${filesSection({ files: r.fichiers, uploadAction: options.mayManageFiles ? `/ressources/${r.id}/fichiers` : null, request: options.request, state: options.state, maxUploadMb })}
<h2>Contribuer</h2>
<ul>
  <li><a href="/ressources/${r.id}/modifier">Proposer une modification</a> (relue par la modération avant publication)</li>
  <li><a href="/ressources/${r.id}/historique">Historique des versions</a> (mise à jour : <time datetime="${r.mise_a_jour}">${formatParisDate(new Date(r.mise_a_jour))}</time>)</li>
</ul>
<p><a href="/api/v1/ressources/${r.id}">Cette ressource en JSON</a></p>
</article>`;
}

/** On the page of a cooperation or a dispositif: the latest resources linked to it, and the way to all of them. */
export function linkedResourcesSection(link: ResourceLink, found: { total: number; resultats: ResourceSummary[] }): SafeHtml {
  if (found.total === 0) return html``;
  const words = LINK_WORDS[link.kind].this;
  return html`<section aria-labelledby="ressources-liees"><h2 id="ressources-liees">Ressources sur ${words}</h2>
<p>Retours d’expérience, méthodes, outils et fiches techniques de la base de connaissances qui parlent de ${words}.</p>
<ul class="result-list">${found.resultats.map(
    (r) => html`<li class="result"><h3><a href="/ressources/${r.id}">${r.titre}</a>${r.exemple ? html` <span class="badge">Exemple</span>` : ''}</h3>
<p class="hint">${[typeRessource.label(r.type), ...r.themes.map(themeRessource.label)].join(' · ')}</p></li>`,
  )}</ul>
<p><a href="${url({ [link.kind]: link.id })}">Toutes les ressources de ${words}</a> (${formatNumber(found.total)})</p>
</section>`;
}
