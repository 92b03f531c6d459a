import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../../paths.ts';
import { assetUrl } from '../../../web/assets.ts';
import { formatNumber, html, type SafeHtml } from '../../../web/html.ts';
import type { AtlasKind } from '../entities.ts';
import type { AtlasFilters } from '../schemas.ts';
import { filterQuery, searchPageUrl } from '../urls.ts';
import { choroplethSvg, choroplethTable, type ChoroplethLevel } from './choropleth.ts';

const maplibreVersion = (JSON.parse(readFileSync(join(projectRoot, 'node_modules/maplibre-gl/package.json'), 'utf8')) as { version: string }).version;

/** Where the browser loads MapLibre's worker from (served by the map routes; the version makes it cacheable). */
export const MAPLIBRE_WORKER_PATH = '/carte/maplibre-gl-worker.mjs';
export const maplibreWorkerUrl = `${MAPLIBRE_WORKER_PATH}?v=${maplibreVersion}`;

let defaultStyleUrl: string | undefined;

/** The vector tile style of the base layer (MAP_STYLE_URL), set once at start by registerMap. */
export function setMapStyleUrl(url: string | undefined): void {
  defaultStyleUrl = url;
}

export function choroplethPageUrl(kind: AtlasKind, level: ChoroplethLevel, filters: Partial<AtlasFilters>): string {
  const query = filterQuery(filters);
  return `/carte?type=${kind}&niveau=${level}${query ? `&${query}` : ''}`;
}

/** The credit the base layer's licence asks for (src/data/contours/france.geojson, docs/SOURCES.md). */
export const CONTOURS_CREDIT = 'Fond de carte : contours IGN Admin Express COG 2018 / INSEE, simplifiés par france-geojson, Licence Ouverte.';

/**
 * The map of a search: MapLibre draws server-side clusters from /api/v1/carte/clusters over the régions and
 * départements of a GeoJSON asset, or over the tile style of MAP_STYLE_URL (see the client
 * src/web/client/map.ts). Without JavaScript the empty container stays hidden (.map:empty) and the list of
 * results, always on the page, is the map's accessible alternative; the links below lead to the counts by
 * département and région, which work without JavaScript.
 */
export function mapPanel(kind: AtlasKind, query: string, options: { styleUrl?: string } = {}): SafeHtml {
  const styleUrl = options.styleUrl ?? defaultStyleUrl;
  const filters = Object.fromEntries(new URLSearchParams(query)) as Partial<AtlasFilters>;
  return html`<div class="map" id="carte" data-kind="${kind}" data-query="${query}" data-worker="${maplibreWorkerUrl}"
  ${styleUrl ? html`data-style="${styleUrl}"` : html`data-contours="${assetUrl('contours.geojson')}"`} role="region"
  aria-label="Carte des résultats (la liste des résultats en est l’alternative accessible)"></div>
<p class="map-links">Répartition de ces résultats : <a href="${choroplethPageUrl(kind, 'departement', filters)}">par département</a>,
<a href="${choroplethPageUrl(kind, 'region', filters)}">par région</a>.</p>
${styleUrl ? '' : html`<p class="hint map-credit">${CONTOURS_CREDIT}</p>`}`;
}

const NOUNS: Record<AtlasKind, [string, string]> = {
  cooperations: ['coopération', 'coopérations'],
  organisations: ['structure', 'structures'],
};
const LEVELS: Record<ChoroplethLevel, [string, string]> = {
  departement: ['département', 'par département'],
  region: ['région', 'par région'],
};

export interface ChoroplethPageModel {
  kind: AtlasKind;
  level: ChoroplethLevel;
  filters: Partial<AtlasFilters>;
  counts: Map<string, number>;
  total: number;
  withoutTerritory: number;
  nameOf(code: string): string | undefined;
  /** Readable "active filters" (e.g. « Département : Drôme »), empty when none. */
  activeFilters: string[];
}

export function choroplethTitle(kind: AtlasKind, level: ChoroplethLevel): string {
  return `${kind === 'cooperations' ? 'Coopérations' : 'Structures'} ${LEVELS[level][1]}`;
}

/** The counts by département or région as a map and a table side by side, with links to the lists. */
export function choroplethPage(model: ChoroplethPageModel): SafeHtml {
  const { kind, level, filters } = model;
  const noun = NOUNS[kind];
  const title = choroplethTitle(kind, level);
  const linkFor = (code: string) => searchPageUrl(kind, { ...filters, [level]: code });
  const options = { nameOf: model.nameOf, noun };
  const option = (label: string, href: string, current: boolean) => html`<a href="${href}" ${current ? html`aria-current="page"` : ''}>${label}</a>`;
  return html`<h1>${title}</h1>
<p>${formatNumber(model.total)} ${model.total > 1 ? noun[1] : noun[0]}${model.activeFilters.length ? html` pour : ${model.activeFilters.join(', ')}` : ''}${model.withoutTerritory > 0 ? html`, dont ${formatNumber(model.withoutTerritory)} sans ${LEVELS[level][0]} connu` : ''}.
Chaque ${LEVELS[level][0]} mène à la liste de ses ${noun[1]}.</p>
<nav class="choropleth-options" aria-label="Options de la carte"><ul>
  <li>Niveau : ${option('par département', choroplethPageUrl(kind, 'departement', filters), level === 'departement')},
    ${option('par région', choroplethPageUrl(kind, 'region', filters), level === 'region')}</li>
  <li>Objets : ${option('coopérations', choroplethPageUrl('cooperations', level, filters), kind === 'cooperations')},
    ${option('structures', choroplethPageUrl('organisations', level, filters), kind === 'organisations')}</li>
</ul></nav>
<div class="choropleth-layout">
  ${choroplethSvg(level, model.counts, linkFor, title, options)}
  <section aria-labelledby="titre-tableau">
    <h2 id="titre-tableau">Les mêmes comptes en tableau</h2>
    ${choroplethTable(level, model.counts, linkFor, title, options)}
  </section>
</div>
<p><a href="${searchPageUrl(kind, filters)}">Voir la liste des ${noun[1]}${model.activeFilters.length ? ' de cette recherche' : ''}</a></p>`;
}
