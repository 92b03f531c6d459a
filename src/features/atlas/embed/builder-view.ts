/**
 * The « Intégrer » page for partners (a CRESS, a Pays, a network): a GET form (type, view, filters or a pasted
 * search address, title, size) whose answer shows the iframe code to copy and a live preview of it.
 */
import { modele } from '../../../domain/cooperation.ts';
import { secteur } from '../../../domain/sector.ts';
import { compareFrench } from '../../../domain/french.ts';
import { errorSummary, formField, type FieldSpec } from '../../../web/form-fields.ts';
import type { FormState } from '../../../web/forms.ts';
import { html, type SafeHtml } from '../../../web/html.ts';
import { breadcrumb } from '../../../web/layout.ts';
import type { TerritoryIndex } from '../../../platform/territory-index.ts';
import { MAX_HEIGHT, MAX_TITLE_LENGTH, MAX_WIDTH, MIN_HEIGHT, MIN_WIDTH } from './schemas.ts';

const BUILDER_FIELDS: { name: string; label: string }[] = [
  { name: 'vue', label: 'Présentation' },
  { name: 'type', label: 'Objets montrés' },
  { name: 'adresse', label: 'Adresse d’une recherche Maillage' },
  { name: 'q', label: 'Texte recherché' },
  { name: 'region', label: 'Région' },
  { name: 'departement', label: 'Département' },
  { name: 'modele', label: 'Modèle de coopération' },
  { name: 'secteur', label: 'Secteur' },
  { name: 'titre', label: 'Titre affiché' },
  { name: 'largeur', label: 'Largeur' },
  { name: 'hauteur', label: 'Hauteur' },
];
const LABELS = Object.fromEntries(BUILDER_FIELDS.map((f) => [f.name, f.label]));

export interface BuilderModel {
  /** What the form shows (the raw query when it has errors), and its errors. */
  state: FormState;
  /** The result, once the input is valid. */
  result?: { previewPath: string; code: string; width?: number; height: number; title: string };
}

const field = (state: FormState, name: string, spec: Omit<FieldSpec, 'name' | 'label'> = {}) => formField({ name, label: LABELS[name], ...spec }, state);

const choices = (list: [string, string][]) => list.map(([value, label]) => ({ value, label }));

const radios = (state: FormState, name: 'vue' | 'type', list: [string, string][]) =>
  field(state, name, { kind: 'radios', inline: true, choices: choices(list) });

const select = (state: FormState, name: string, list: [string, string][], hint?: string) =>
  field(state, name, { kind: 'select', blank: 'Toutes', choices: choices(list), hint });

export function builderPage(model: BuilderModel, territories: TerritoryIndex): SafeHtml {
  const { state } = model;
  const regions = [...territories.regions.values()].sort((a, b) => compareFrench(a.name, b.name)).map((r): [string, string] => [r.code, r.name]);
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { label: 'Intégrer Maillage dans votre site' }])}
<h1>Intégrer une liste ou une carte dans votre site</h1>
<p>Une CRESS, un Pays, un réseau peut montrer sur son propre site les coopérations ou les structures de son territoire,
avec les filtres de son choix et son propre titre. Choisissez ci-dessous, puis copiez le code obtenu dans votre page :
l’adresse est stable et les données se mettent à jour d’elles-mêmes (Licence Ouverte Etalab 2.0).</p>
${errorSummary(state, { labels: LABELS })}
<form method="get" action="/integration" class="stacked-form" novalidate>
  ${radios(state, 'vue', [
    ['liste', 'une liste'],
    ['carte', 'une carte avec la liste'],
  ])}
  ${radios(state, 'type', [
    ['cooperations', 'les coopérations'],
    ['organisations', 'les structures'],
  ])}
  ${field(state, 'adresse', {
    kind: 'url',
    hint: 'Facultatif : collez l’adresse d’une recherche faite sur Maillage (par exemple https://…/recherche?type=cooperations&region=53) ; ses filtres remplacent ceux ci-dessous.',
  })}
  <fieldset class="field"><legend>Filtres</legend>
  ${field(state, 'q', { attributes: html`maxlength="200"` })}
  ${select(state, 'region', regions)}
  ${field(state, 'departement', { hint: 'Code du département, par exemple 26 ou 2A.', autocomplete: 'off', attributes: html`maxlength="3"` })}
  ${select(
    state,
    'modele',
    modele.codes.map((c): [string, string] => [c, modele.label(c)]),
    'Pour les coopérations.',
  )}
  ${select(
    state,
    'secteur',
    secteur.codes.map((c): [string, string] => [c, secteur.label(c)]),
  )}
  </fieldset>
  ${field(state, 'titre', { hint: `Facultatif, ${MAX_TITLE_LENGTH} caractères au plus : le titre de l’encadré sur votre site.`, attributes: html`maxlength="${MAX_TITLE_LENGTH}"` })}
  ${field(state, 'largeur', { kind: 'number', hint: `En pixels, de ${MIN_WIDTH} à ${MAX_WIDTH} ; vide : toute la largeur disponible.`, attributes: html`min="${MIN_WIDTH}" max="${MAX_WIDTH}" inputmode="numeric"` })}
  ${field(state, 'hauteur', { kind: 'number', hint: `En pixels, de ${MIN_HEIGHT} à ${MAX_HEIGHT}.`, attributes: html`min="${MIN_HEIGHT}" max="${MAX_HEIGHT}" inputmode="numeric"` })}
  <button type="submit" class="button">Obtenir le code</button>
</form>
${model.result ? resultSection(model.result) : ''}`;
}

function resultSection(result: NonNullable<BuilderModel['result']>): SafeHtml {
  return html`<section aria-labelledby="titre-code">
<h2 id="titre-code">Code à copier dans votre page</h2>
<pre class="embed-code"><code id="code-integration">${result.code}</code></pre>
<h2 id="titre-apercu">Aperçu</h2>
<iframe src="${result.previewPath}" title="Aperçu : ${result.title}" width="${result.width === undefined ? '100%' : String(result.width)}"
  height="${String(result.height)}" class="embed-preview" loading="lazy"></iframe>
</section>`;
}
