/**
 * Pages made for an iframe on a partner's site: no site header (nor anything of a signed-in person), no
 * form, every link opening Maillage in a new tab (<base target="_blank">) since Maillage's own pages refuse
 * to be framed; the partner's title as the only h1; the licence and the source of the data at the foot.
 */
import { paginationNav } from '../../../web/pagination.ts';
import { assetUrl } from '../../../web/assets.ts';
import { formatNumber, html, type HtmlValue, type SafeHtml } from '../../../web/html.ts';
import type { AtlasKind } from '../entities.ts';
import { filterQuery, searchPageUrl } from '../urls.ts';
import type { SearchSummary } from '../views.ts';
import { mapPanel } from '../map/views.ts';
import { embedPath, type EmbedSettings } from './urls.ts';

const NOUNS: Record<AtlasKind, [string, string]> = {
  cooperations: ['coopération', 'coopérations'],
  organisations: ['structure', 'structures'],
};

export function defaultTitle(kind: AtlasKind): string {
  return kind === 'organisations' ? 'Structures de l’ESS' : 'Coopérations de l’ESS';
}

const newTab = html`<span class="visually-hidden"> (nouvel onglet)</span>`;

/** The document of an embed, or of its error. */
export function embedDocument(options: { title: string; main: HtmlValue; withMap?: boolean }): string {
  return `<!doctype html>${html`<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="strict-origin-when-cross-origin">
<title>${options.title} — Maillage</title>
<base target="_blank">
<link rel="stylesheet" href="${assetUrl('app.css')}">
${options.withMap ? html`<link rel="stylesheet" href="${assetUrl('map.css')}"><script type="module" src="${assetUrl('map.js')}"></script>` : ''}
</head>
<body class="embed">
<main id="contenu">
${options.main}
</main>
<footer class="embed-footer">
  <p>Données <a href="/" rel="noopener">Maillage${newTab}</a>, publiées sous
  <a href="https://www.etalab.gouv.fr/licence-ouverte-open-licence/" rel="noopener">Licence Ouverte Etalab 2.0${newTab}</a>.
  Sources : contributions modérées, répertoire SIRENE de l’INSEE, Code officiel géographique ; les fiches marquées
  « Exemple » reprennent uniquement ce que disent les documents sources. Les liens s’ouvrent dans un nouvel onglet.</p>
</footer>
</body>
</html>`}`;
}

export interface EmbedListModel extends EmbedSettings {
  /** The partner's title, or the default one. */
  heading: string;
  total: number;
  page: number;
  perPage: number;
  results: SearchSummary[];
}

function pagination(model: EmbedListModel): SafeHtml {
  const lastPage = Math.max(1, Math.ceil(model.total / model.perPage));
  // These stay inside the iframe (target _self), unlike the links to Maillage.
  return paginationNav(model.page, lastPage, (to) => embedPath(model, to), '_self');
}

/** The list embed, and the map embed when `view` is « carte » (the list below the map is its accessible alternative). */
export function embedPage(model: EmbedListModel): SafeHtml {
  const noun = NOUNS[model.kind];
  const count = `${formatNumber(model.total)} ${model.total > 1 ? noun[1] : noun[0]}`;
  return html`<h1>${model.heading}</h1>
<p class="embed-meta"><span>${count}</span>
  <a href="${searchPageUrl(model.kind, model.filters)}" rel="noopener">Voir sur Maillage${newTab}</a></p>
${model.view === 'carte' ? mapPanel(model.kind, filterQuery(model.filters)) : ''}
<h2 id="titre-liste" class="visually-hidden">Liste des ${noun[1]}</h2>
<ol class="result-list" aria-labelledby="titre-liste" start="${(model.page - 1) * model.perPage + 1}">
  ${model.results.map(
    (r) => html`<li class="result">
    <h3><a href="/${model.kind}/${r.id}" rel="noopener">${r.nom}${newTab}</a>${r.exemple ? html` <span class="badge">Exemple</span>` : ''}</h3>
    <p>${r.details.filter(Boolean).join(' · ')}${r.commune ? html` — ${r.commune.nom} (${r.commune.code})` : ''}</p>
  </li>`,
  )}
</ol>
${model.total === 0 ? html`<p>Aucune ${noun[0]} ne correspond à cette sélection.</p>` : ''}
${pagination(model)}`;
}

export function embedErrorPage(status: number, title: string, detail: string): string {
  return embedDocument({
    title,
    main: html`<h1>${title}</h1>
<div class="alert" role="alert"><p>${detail}</p></div>
<p>Code ${status}. Le site qui intègre cette liste doit corriger son adresse ;
<a href="/integration" rel="noopener">page « Intégrer » de Maillage${newTab}</a>.</p>`,
  });
}
