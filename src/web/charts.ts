/**
 * Accessible charts drawn on the server: an SVG bar chart (no script, no style attribute, so the CSP holds)
 * always beside the table of its figures, which is what screen readers, keyboards and copy-paste use; the
 * picture is an image with a text alternative and holds no link, the table holds them.
 */
import { formatNumber, html, type SafeHtml } from './html.ts';

export interface ChartBar {
  label: string;
  value: number;
  /** Where the figure comes from (a search that lists what it counts). */
  href?: string;
}

export interface BarChartOptions {
  /** Unique on the page: names the caption the picture and the table refer to. */
  id: string;
  title: string;
  bars: readonly ChartBar[];
  /** Heading of the values' column (« Coopérations », « Recherches »…). */
  valueLabel: string;
  /** Heading of the labels' column. */
  labelHeading: string;
  /** Text of the table's links (« voir dans l’Atlas »); without it the label itself is the link. */
  linkText?: string;
  /** What lies under the table: the CSV of the figures, the source. */
  footer?: SafeHtml;
  /** Whether the values add up to a meaningful total (not for a time series of stocks). Default: yes. */
  total?: boolean;
}

const WIDTH = 640;
const LABEL_WIDTH = 270;
const VALUE_ROOM = 70;
const ROW = 26;
const BAR = 18;
const MAX_LABEL = 32;

const shortened = (label: string) => (label.length > MAX_LABEL ? `${label.slice(0, MAX_LABEL - 1)}…` : label);

/** The picture: horizontal bars, each with its label and value; an empty list says so. */
export function barChartSvg(options: Pick<BarChartOptions, 'id' | 'title' | 'bars'>): SafeHtml {
  const { bars } = options;
  const height = Math.max(1, bars.length) * ROW + 8;
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const scale = (WIDTH - LABEL_WIDTH - VALUE_ROOM) / max;
  const summary = `${options.title} : graphique en barres, ${bars.length} valeur${bars.length > 1 ? 's' : ''} ; le tableau qui l’accompagne donne les chiffres.`;
  return html`<svg class="bar-chart" id="${options.id}-graphique" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-label="${summary}" xmlns="http://www.w3.org/2000/svg">
${
  bars.length === 0
    ? html`<text x="8" y="20" font-size="14" fill="#3a3a3a">Aucune donnée</text>`
    : bars.map((bar, i) => {
        const y = i * ROW + 4;
        const width = Math.max(bar.value > 0 ? 2 : 0, Math.round(bar.value * scale));
        return html`<g><text x="${LABEL_WIDTH - 8}" y="${y + 14}" font-size="13" text-anchor="end" fill="#161616">${shortened(bar.label)}</text><rect x="${LABEL_WIDTH}" y="${y}" width="${width}" height="${BAR}" fill="#000091"></rect><text x="${LABEL_WIDTH + width + 6}" y="${y + 14}" font-size="13" fill="#161616">${formatNumber(bar.value)}</text></g>`;
      })
}
</svg>`;
}

/** The table of the figures, with their links; the total when the values add up. */
export function chartTable(options: BarChartOptions): SafeHtml {
  const total = options.bars.reduce((sum, bar) => sum + bar.value, 0);
  const withLinks = options.linkText !== undefined && options.bars.some((bar) => bar.href);
  return html`<table class="table" id="${options.id}-tableau">
<caption>${options.title}</caption>
<thead><tr><th scope="col">${options.labelHeading}</th><th scope="col" class="number">${options.valueLabel}</th>${withLinks ? html`<th scope="col">Recherche</th>` : ''}</tr></thead>
<tbody>${options.bars.map(
    (bar) =>
      html`<tr><th scope="row">${bar.href && !withLinks ? html`<a href="${bar.href}">${bar.label}</a>` : bar.label}</th><td class="number">${formatNumber(bar.value)}</td>${
        withLinks
          ? html`<td>${bar.href ? html`<a href="${bar.href}">${options.linkText}<span class="visually-hidden"> : ${bar.label}</span></a>` : ''}</td>`
          : ''
      }</tr>`,
  )}</tbody>
${options.total === false ? '' : html`<tfoot><tr><th scope="row">Total</th><td class="number">${formatNumber(total)}</td>${withLinks ? html`<td></td>` : ''}</tr></tfoot>`}
</table>`;
}

/** A chart and its table side by side (one above the other on narrow screens), then what follows them. */
export function barChart(options: BarChartOptions): SafeHtml {
  return html`<section class="chart" aria-labelledby="${options.id}-titre">
<h3 id="${options.id}-titre">${options.title}</h3>
<div class="choropleth-layout">${barChartSvg(options)}${chartTable(options)}</div>
${options.footer ?? ''}
</section>`;
}
