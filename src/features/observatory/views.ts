import { modele } from '../../domain/cooperation.ts';
import { barChart, barChartSvg } from '../../web/charts.ts';
import { formField } from '../../web/form-fields.ts';
import { formatNumber, html, type SafeHtml } from '../../web/html.ts';
import { breadcrumb } from '../../web/layout.ts';
import { referenceIndicators } from '../../data/indicators.ts';
import type { Figure, FigureId } from './figures.ts';

export const figureCsvUrl = (id: FigureId, model: string | undefined, indicator?: string) =>
  `/observatoire/${id}.csv${id === 'regions' && model ? `?modele=${model}` : id === 'indicateur' && indicator ? `?indicateur=${indicator}` : ''}`;

function downloads(figure: Figure, model: string | undefined, indicator?: string): SafeHtml {
  return html`<p><a href="${figureCsvUrl(figure.id, model, indicator)}" download>Télécharger « ${figure.title} » (CSV)</a>. Chaque ligne mène à la recherche de l’Atlas qui la produit.</p>`;
}

function countChart(figure: Figure, model: string | undefined): SafeHtml {
  return barChart({
    id: figure.id,
    title: figure.title,
    bars: figure.lines.map((line) => ({ label: line.label, value: line.value, href: line.href })),
    labelHeading: figure.labelHeading,
    valueLabel: figure.valueLabel,
    linkText: 'Voir dans l’Atlas',
    footer: downloads(figure, model),
  });
}

/** The figures of 001: the counts of cooperations drawn, every figure in the table with its source and what the Atlas lists. */
function referenceFigures(figure: Figure): SafeHtml {
  const counted = figure.lines.filter((line) => line.inAtlas !== undefined);
  return html`<section class="chart" aria-labelledby="${figure.id}-titre">
<h3 id="${figure.id}-titre">${figure.title}</h3>
<p>Source : ${figure.note}. Ces chiffres recensent ce qui existe en France ; l’Atlas de Maillage ne liste que les coopérations qui y sont déclarées.</p>
<div class="choropleth-layout">
${barChartSvg({ id: figure.id, title: 'Coopérations recensées en France selon le document 001', bars: counted.map((line) => ({ label: line.label, value: line.value })) })}
<table class="table" id="${figure.id}-tableau">
<caption>${figure.title}, avec leur source</caption>
<thead><tr><th scope="col">Chiffre</th><th scope="col" class="number">Valeur</th><th scope="col">Source</th><th scope="col" class="number">Dans l’Atlas</th></tr></thead>
<tbody>${figure.lines.map(
    (line) =>
      html`<tr><th scope="row">${line.label}</th><td class="number">${formatNumber(line.value)}</td><td>${line.source}</td><td class="number">${
        line.href && line.inAtlas !== undefined
          ? html`<a href="${line.href}">${formatNumber(line.inAtlas)}<span class="visually-hidden"> dans l’Atlas</span></a>`
          : '—'
      }</td></tr>`,
  )}</tbody>
</table>
</div>
${downloads(figure, undefined)}
</section>`;
}

/** The published aggregates of one indicator: its time series, with the API answer of each period. */
function indicatorPanel(figure: Figure, indicator: string): SafeHtml {
  return html`<h2>Indicateurs agrégés</h2>
<form method="get" action="/observatoire#indicateur-titre" class="search-form">
${formField({ name: 'indicateur', label: 'Indicateur', kind: 'select', choices: Object.fromEntries(referenceIndicators.map((i) => [i.code, i.libelle])), value: indicator })}
<button class="button" type="submit">Afficher l’indicateur</button>
</form>
<p>Seules les valeurs validées (par la modération ou les instructeurs de l’appel) sont additionnées ; la colonne « Recherche » mène à la réponse de l’API des agrégats.</p>
${barChart({
  id: figure.id,
  title: figure.title,
  bars: figure.lines.map((line) => ({ label: line.label, value: line.value, href: line.href })),
  labelHeading: figure.labelHeading,
  valueLabel: figure.valueLabel,
  linkText: 'Voir les agrégats',
  total: false,
  footer: downloads(figure, undefined, indicator),
})}`;
}

export function observatoryPage(
  figures: Record<Exclude<FigureId, 'indicateur'>, Figure>,
  model: string | undefined,
  indicator: { figure: Figure; code: string },
): SafeHtml {
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { label: 'Observatoire' }])}
<h1>Observatoire des coopérations territoriales</h1>
<p>Les coopérations que liste l’Atlas, comptées par modèle, région, stade et typologie, et les chiffres de référence des sources.
Chaque graphique a son tableau de chiffres ; chaque chiffre mène à la recherche qui le produit et se télécharge en CSV.
Les données complètes sont sur la page <a href="/donnees">Données ouvertes</a>.</p>
<h2>Par modèle</h2>
${countChart(figures.modeles, model)}
<h2>Par région</h2>
<form method="get" action="/observatoire#regions-titre" class="search-form">
${formField({ name: 'modele', label: 'Modèle de coopération', kind: 'select', choices: modele.labels, blank: 'Tous les modèles', value: model ?? '' })}
<button class="button" type="submit">Afficher</button>
</form>
${countChart(figures.regions, model)}
<h2>Par stade</h2>
${countChart(figures.stades, model)}
<h2>Par typologie</h2>
${countChart(figures.finalites, model)}
${countChart(figures['modeles-economiques'], model)}
${indicatorPanel(indicator.figure, indicator.code)}
<h2>Chiffres de référence</h2>
${referenceFigures(figures['chiffres-de-reference'])}`;
}
