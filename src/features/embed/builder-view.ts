/**
 * The « Intégrer » page for partners (a CRESS, a Pays, a network): a GET form (type, view, filters or a pasted
 * search address, title, size) whose answer shows the iframe code to copy and a live preview of it.
 */
import { modele } from '../../domain/cooperation.ts';
import { secteur } from '../../domain/sector.ts';
import { compareFrench } from '../../domain/french.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import { breadcrumb } from '../../web/layout.ts';
import type { TerritoryIndex } from '../../platform/territory-index.ts';
import type { BuilderInput } from './schemas.ts';
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
const labelOf = (name: string) => BUILDER_FIELDS.find((f) => f.name === name)?.label ?? name;

export interface BuilderError { field: string; message: string }

export interface BuilderModel {
  /** What the form shows (the raw query when it has errors). */
  values: Partial<Record<keyof BuilderInput, string | number | undefined>>;
  errors: BuilderError[];
  /** The result, once the input is valid. */
  result?: { previewPath: string; code: string; width?: number; height: number; title: string };
}

function errorSummary(errors: BuilderError[]): SafeHtml | '' {
  if (!errors.length) return '';
  const heading = errors.length > 1 ? `Le formulaire contient ${errors.length} erreurs` : 'Le formulaire contient une erreur';
  return html`<div class="alert" role="alert" tabindex="-1" id="erreurs"><h2>${heading}</h2>
<ul>${errors.map((e) => html`<li><a href="#${e.field}">${labelOf(e.field)} : ${e.message}</a></li>`)}</ul></div>`;
}

function fieldParts(model: BuilderModel, name: string, hint?: string) {
  const error = model.errors.find((e) => e.field === name);
  const describedBy = [hint ? `${name}-aide` : '', error ? `${name}-erreur` : ''].filter(Boolean).join(' ');
  return {
    label: html`<label for="${name}">${labelOf(name)}</label>`,
    hint: hint ? html`<span class="hint" id="${name}-aide">${hint}</span>` : '',
    error: error ? html`<span class="field-error" id="${name}-erreur">${error.message}</span>` : '',
    aria: html`${error ? html`aria-invalid="true"` : ''} ${describedBy ? html`aria-describedby="${describedBy}"` : ''}`,
  };
}

function textField(model: BuilderModel, name: string, options: { hint?: string; type?: string; extra?: SafeHtml } = {}): SafeHtml {
  const parts = fieldParts(model, name, options.hint);
  const value = model.values[name as keyof BuilderInput];
  return html`<div class="field">${parts.label}${parts.hint}${parts.error}
  <input type="${options.type ?? 'text'}" id="${name}" name="${name}" value="${value === undefined ? '' : String(value)}" ${parts.aria} ${options.extra ?? ''}></div>`;
}

function selectField(model: BuilderModel, name: string, options: [string, string][], hint?: string): SafeHtml {
  const parts = fieldParts(model, name, hint);
  const selected = model.values[name as keyof BuilderInput];
  return html`<div class="field">${parts.label}${parts.hint}${parts.error}
  <select id="${name}" name="${name}" ${parts.aria}><option value="">Toutes</option>
  ${options.map(([code, label]) => html`<option value="${code}" ${selected === code ? html`selected` : ''}>${label}</option>`)}</select></div>`;
}

function radios(model: BuilderModel, name: 'vue' | 'type', options: [string, string][]): SafeHtml {
  const parts = fieldParts(model, name);
  return html`<fieldset class="field inline" id="${name}"><legend>${labelOf(name)}</legend>${parts.error}
  ${options.map(([value, label]) => html`<label><input type="radio" name="${name}" value="${value}" ${model.values[name] === value ? html`checked` : ''}> ${label}</label>`)}
</fieldset>`;
}

export function builderPage(model: BuilderModel, territories: TerritoryIndex): SafeHtml {
  const regions = [...territories.regions.values()].sort((a, b) => compareFrench(a.name, b.name)).map((r): [string, string] => [r.code, r.name]);
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { label: 'Intégrer Maillage dans votre site' }])}
<h1>Intégrer une liste ou une carte dans votre site</h1>
<p>Une CRESS, un Pays, un réseau peut montrer sur son propre site les coopérations ou les structures de son territoire,
avec les filtres de son choix et son propre titre. Choisissez ci-dessous, puis copiez le code obtenu dans votre page :
l’adresse est stable et les données se mettent à jour d’elles-mêmes (Licence Ouverte Etalab 2.0).</p>
${errorSummary(model.errors)}
<form method="get" action="/integration" class="stacked-form" novalidate>
  ${radios(model, 'vue', [['liste', 'une liste'], ['carte', 'une carte avec la liste']])}
  ${radios(model, 'type', [['cooperations', 'les coopérations'], ['organisations', 'les structures']])}
  ${textField(model, 'adresse', {
    type: 'url',
    hint: 'Facultatif : collez l’adresse d’une recherche faite sur Maillage (par exemple https://…/recherche?type=cooperations&region=53) ; ses filtres remplacent ceux ci-dessous.',
    extra: html`spellcheck="false"`,
  })}
  <fieldset class="field"><legend>Filtres</legend>
  ${textField(model, 'q', { extra: html`maxlength="200"` })}
  ${selectField(model, 'region', regions)}
  ${textField(model, 'departement', { hint: 'Code du département, par exemple 26 ou 2A.', extra: html`maxlength="3" autocomplete="off"` })}
  ${selectField(model, 'modele', modele.codes.map((c): [string, string] => [c, modele.label(c)]), 'Pour les coopérations.')}
  ${selectField(model, 'secteur', secteur.codes.map((c): [string, string] => [c, secteur.label(c)]))}
  </fieldset>
  ${textField(model, 'titre', { hint: `Facultatif, ${MAX_TITLE_LENGTH} caractères au plus : le titre de l’encadré sur votre site.`, extra: html`maxlength="${MAX_TITLE_LENGTH}"` })}
  ${textField(model, 'largeur', { type: 'number', hint: `En pixels, de ${MIN_WIDTH} à ${MAX_WIDTH} ; vide : toute la largeur disponible.`, extra: html`min="${MIN_WIDTH}" max="${MAX_WIDTH}" inputmode="numeric"` })}
  ${textField(model, 'hauteur', { type: 'number', hint: `En pixels, de ${MIN_HEIGHT} à ${MAX_HEIGHT}.`, extra: html`min="${MIN_HEIGHT}" max="${MAX_HEIGHT}" inputmode="numeric"` })}
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
  height="${String(result.height)}" style="border:1px solid #ccc;max-width:100%" loading="lazy"></iframe>
</section>`;
}
