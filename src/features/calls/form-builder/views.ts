/**
 * The form builder's pages: the form's structure with its actions, the preview drawn by the applicants'
 * renderer itself (features/calls/views.ts), and the pages editing a section or a field. Everything works
 * without JavaScript: each action is a form (CSRF, version and revision of the form read), each error is listed
 * in a summary whose links lead to the input, and tied to it (aria-describedby, aria-invalid).
 */
import type { FieldDefinition, FieldKind, FormDefinition, SectionDefinition } from '../../../domain/form.ts';
import { FIELD_KINDS } from '../../../domain/form.ts';
import { conditionValues, FIELD_KIND_LABELS, optionsText, SUB_FIELD_KINDS } from '../../../domain/form-editing.ts';
import { typeFichier } from '../../../domain/files.ts';
import { errorSummary, fieldsOf, formMessages } from '../../../web/form-fields.ts';
import type { FormState, FormValues } from '../../../web/forms.ts';
import { html, type SafeHtml } from '../../../web/html.ts';
import { breadcrumb } from '../../../web/layout.ts';
import { conditionHint, fieldInput, questionsAuthor, type QuestionsAuthor } from '../applications/views.ts';
import type { CurrentForm } from './service.ts';

export interface CallRef {
  id: number;
  titre: string;
  /** An example call Maillage transcribed: its questions without source are Maillage's (see questionsAuthor). */
  exemple: boolean;
}

/** The one form of each page: its inputs' ids are `f-<name>`. */
export const BUILDER_FORM = 'f';

export const VERSION_RULE =
  'Règle des versions : tant qu’aucune candidature n’utilise la dernière version du formulaire, chaque enregistrement ' +
  'la modifie ; dès qu’une candidature l’utilise (même en brouillon), l’enregistrement suivant crée une nouvelle version, ' +
  'et chaque candidature garde la version avec laquelle elle a été remplie.';

const base = (call: CallRef) => `/gestion/appels/${call.id}/formulaire`;

function trail(call: CallRef, last?: string): SafeHtml {
  const items = [
    { href: '/', label: 'Accueil' },
    { href: '/gestion/appels', label: 'Mes appels (gestion)' },
    { href: `/gestion/appels/${call.id}`, label: call.titre },
  ];
  return breadcrumb(last ? [...items, { href: base(call), label: 'Formulaire' }, { label: last }] : [...items, { label: 'Formulaire' }]);
}

/** The fields of the page's form, showing what is stored unless the form was posted back. */
const fields = (state: FormState, stored: FormValues = {}) => fieldsOf(state, BUILDER_FORM, stored);

const summary = (state: FormState, labels: Record<string, string>) => errorSummary(state, { form: BUILDER_FORM, labels });

function stamp(form: CurrentForm): SafeHtml {
  return html`<input type="hidden" name="version" value="${form.version}"><input type="hidden" name="revision" value="${form.revision}">`;
}

const kindLabel = (kind: FieldKind) => FIELD_KIND_LABELS[kind];

function kindOptions(kinds: readonly FieldKind[], selected?: string): SafeHtml[] {
  return kinds.map((k) => html`<option value="${k}" ${selected === k ? html`selected` : ''}>${kindLabel(k)}</option>`);
}

// ——— The structure and the preview ———

function conditionText(item: { afficher_si?: FieldDefinition['afficher_si'] }, level: FieldDefinition[]): SafeHtml | '' {
  const hint = conditionHint(item.afficher_si, level);
  return hint ? html`<span class="hint">${hint}</span>` : '';
}

/** Monter, Descendre, Supprimer: one form, three buttons, each naming the element for screen readers. */
function actions(call: CallRef, form: CurrentForm, csrf: SafeHtml, cible: string, name: string, editHref: string): SafeHtml {
  const who = html`<span class="visually-hidden"> ${name}</span>`;
  return html`<form method="post" action="${base(call)}/element" class="actions">${csrf}${stamp(form)}
  <input type="hidden" name="cible" value="${cible}">
  <a href="${editHref}">Modifier${who}</a>
  <button type="submit" class="button-link" name="operation" value="monter">Monter${who}</button>
  <button type="submit" class="button-link" name="operation" value="descendre">Descendre${who}</button>
  <button type="submit" class="button-link" name="operation" value="supprimer">Supprimer${who}</button>
</form>`;
}

function fieldSummary(field: FieldDefinition): string {
  const parts = [kindLabel(field.type), `clé ${field.cle}`];
  if (field.obligatoire) parts.push('obligatoire');
  if (field.options?.length) parts.push(`${field.options.length} option${field.options.length > 1 ? 's' : ''}`);
  if (field.source) parts.push(`source : ${field.source}`);
  return parts.join(' — ');
}

function fieldItem(call: CallRef, form: CurrentForm, csrf: SafeHtml, field: FieldDefinition, level: FieldDefinition[], groupe?: string): SafeHtml {
  const ref = groupe ? `${groupe}/${field.cle}` : field.cle;
  const edit = `${base(call)}/champ?cle=${field.cle}${groupe ? `&groupe=${groupe}` : ''}`;
  const name = `le champ « ${field.libelle} »`;
  return html`<li><strong>${field.libelle}</strong> <span class="hint">(${fieldSummary(field)})</span>${conditionText(field, level)}
  ${actions(call, form, csrf, `champ:${ref}`, name, edit)}
  ${
    field.type === 'groupe'
      ? html`<ol>${(field.champs ?? []).map((sub) => fieldItem(call, form, csrf, sub, field.champs ?? [], field.cle))}</ol>
  <form method="get" action="${base(call)}/champ" class="search-form">
    <input type="hidden" name="groupe" value="${field.cle}">
    <div class="field"><label for="type-g-${field.cle}">Type du champ à ajouter au groupe « ${field.libelle} »</label>
    <select id="type-g-${field.cle}" name="type">${kindOptions(SUB_FIELD_KINDS)}</select></div>
    <button type="submit" class="button">Ajouter un champ au groupe<span class="visually-hidden"> « ${field.libelle} »</span></button>
  </form>`
      : ''
  }</li>`;
}

function sectionBlock(call: CallRef, form: CurrentForm, csrf: SafeHtml, section: SectionDefinition, i: number): SafeHtml {
  const all = form.definition.sections.flatMap((s) => s.champs);
  return html`<section aria-labelledby="s-${i}" class="builder-section">
  <h3 id="s-${i}">Section ${i + 1} : ${section.titre}</h3>
  ${section.description ? html`<p>${section.description}</p>` : ''}${conditionText(section, all)}
  ${actions(call, form, csrf, `section:${i}`, `la section « ${section.titre} »`, `${base(call)}/section?position=${i}`)}
  ${section.champs.length ? html`<ol>${section.champs.map((f) => fieldItem(call, form, csrf, f, all))}</ol>` : html`<p class="hint">Aucun champ dans cette section.</p>`}
  <form method="get" action="${base(call)}/champ" class="search-form">
    <input type="hidden" name="section" value="${i}">
    <div class="field"><label for="type-s-${i}">Type du champ à ajouter à la section ${i + 1}</label>
    <select id="type-s-${i}" name="type">${kindOptions(FIELD_KINDS)}</select></div>
    <button type="submit" class="button">Ajouter un champ<span class="visually-hidden"> à la section ${i + 1}</span></button>
  </form>
</section>`;
}

/** The form as an applicant sees it, drawn by the applicants' own renderer (no value, nothing sent). */
export function preview(definition: FormDefinition, author: QuestionsAuthor): SafeHtml {
  const all = definition.sections.flatMap((s) => s.champs);
  return html`${definition.sections.map(
    (section, i) => html`<section aria-labelledby="apercu-${i}">
  <h3 id="apercu-${i}">${section.titre}</h3>
  ${section.description ? html`<p>${section.description}</p>` : ''}
  ${section.afficher_si ? html`<p class="hint">${conditionHint(section.afficher_si, all)}</p>` : ''}
  ${section.champs.map((field) => fieldInput(field, field.cle, undefined, [], all, author))}
</section>`,
  )}`;
}

export function builderPage(call: CallRef, form: CurrentForm, csrf: SafeHtml, state: FormState): SafeHtml {
  const { definition } = form;
  const used = form.candidatures;
  return html`${trail(call)}
<h1>Formulaire de candidature : ${call.titre}</h1>
${formMessages(state)}
${
  form.version
    ? html`<p>Version ${form.version} du formulaire — ${used ? `${used} candidature${used > 1 ? 's l’utilisent' : ' l’utilise'}` : 'aucune candidature ne l’utilise encore'}${
        form.anciennes ? ` ; ${form.anciennes} candidature${form.anciennes > 1 ? 's gardent' : ' garde'} une version précédente` : ''
      }.</p>
<p class="hint">${used ? `Le prochain enregistrement créera la version ${form.version + 1}.` : 'Le prochain enregistrement modifiera cette version.'}</p>`
    : html`<p>Cet appel n’a pas encore de formulaire : commencez par ajouter une section.</p>`
}
<p class="hint">${VERSION_RULE}</p>
<h2>Structure</h2>
${definition.sections.map((section, i) => sectionBlock(call, form, csrf, section, i))}
<p><a class="button" href="${base(call)}/section">Ajouter une section</a></p>
${
  definition.sections.length
    ? html`<h2 id="apercu">Aperçu</h2>
<p class="hint">Le formulaire tel que le voient les candidats. Rien n’est enregistré depuis cet aperçu.</p>
<div class="preview">${preview(definition, questionsAuthor(call))}</div>`
    : ''
}
<h2>Exporter ou importer</h2>
<p><a href="${base(call)}.json">Télécharger la définition du formulaire (JSON)</a> — pour la copier dans un autre appel.</p>
${summary(state, { definition: 'Définition' })}
<form method="post" action="${base(call)}/import" class="stacked-form" novalidate>${csrf}${stamp(form)}
  ${fields(state)({
    name: 'definition',
    label: 'Définition à importer (JSON)',
    kind: 'textarea',
    rows: 12,
    hint: 'Collez ici la définition exportée d’un autre appel. Elle remplace le formulaire actuel, selon la règle des versions ci-dessus.',
  })}
  <button type="submit" class="button">Importer la définition</button>
</form>`;
}

function conditionInputs(state: FormState, condition: FieldDefinition['afficher_si'], preceding: FieldDefinition[], what: string): SafeHtml {
  const sources = preceding.filter((f) => f.type !== 'groupe' && f.type !== 'fichier');
  const field = fields(state, { condition_champ: condition?.champ, condition_valeurs: conditionValues(condition) });
  return html`<fieldset><legend>Affichage conditionnel</legend>
  <p class="hint">${what} ne s’affiche que selon la réponse à une question placée avant, au même niveau. Sans condition, il s’affiche toujours.</p>
  ${field({
    name: 'condition_champ',
    label: 'Afficher si la question',
    kind: 'select',
    blank: 'Toujours afficher',
    choices: sources.map((f) => ({ value: f.cle, label: `${f.libelle} (${f.cle})` })),
  })}
  ${field({
    name: 'condition_valeurs',
    label: 'a pour réponse',
    kind: 'textarea',
    rows: 3,
    hint: 'Une réponse par ligne (plusieurs lignes : l’une ou l’autre). Pour un choix, sa valeur ou son libellé ; pour oui/non, « oui » ou « non ».',
  })}
</fieldset>`;
}

// ——— Editing a section ———

export function sectionPage(
  call: CallRef,
  form: CurrentForm,
  position: number | undefined,
  preceding: FieldDefinition[],
  csrf: SafeHtml,
  state: FormState,
): SafeHtml {
  const section = position === undefined ? undefined : form.definition.sections[position];
  const title = section ? `Modifier la section « ${section.titre} »` : 'Ajouter une section';
  const labels = { titre: 'Titre', description: 'Description', condition_champ: 'Condition', condition_valeurs: 'Réponse attendue' };
  const field = fields(state, { titre: section?.titre, description: section?.description });
  return html`${trail(call, section ? `Section ${position! + 1}` : 'Nouvelle section')}
<h1>${title}</h1>
${formMessages(state)}
${summary(state, labels)}
<form method="post" action="${base(call)}/section" class="stacked-form" novalidate>${csrf}${stamp(form)}
  ${position !== undefined ? html`<input type="hidden" name="position" value="${position}">` : ''}
  ${field({ name: 'titre', label: 'Titre de la section', required: true })}
  ${field({ name: 'description', label: 'Description', kind: 'textarea', hint: 'Facultative : ce que la section demande, affiché sous son titre.' })}
  ${conditionInputs(state, section?.afficher_si, preceding, 'La section')}
  <p><button type="submit" class="button">Enregistrer la section</button> <a href="${base(call)}">Annuler</a></p>
</form>`;
}

// ——— Editing a field ———

export interface FieldTarget {
  type: FieldKind;
  /** The field edited; absent for a new one. */
  field?: FieldDefinition;
  section?: number;
  groupe?: FieldDefinition;
  preceding: FieldDefinition[];
  maxMb: number;
}

const FIELD_LABELS: Record<string, string> = {
  libelle: 'Libellé',
  cle: 'Clé',
  aide: 'Aide',
  source: 'Source',
  options: 'Options',
  min: 'Minimum',
  max: 'Maximum',
  types: 'Formats acceptés',
  taille_max_mo: 'Taille maximale',
  lignes_min: 'Lignes au moins',
  lignes_max: 'Lignes au plus',
  condition_champ: 'Condition',
  condition_valeurs: 'Réponse attendue',
  premier_libelle: 'Premier champ du groupe',
  premier_type: 'Type du premier champ',
};

const numberText = (n: number | undefined) => (n === undefined ? '' : String(n).replace('.', ','));

function kindSettings(target: FieldTarget, state: FormState): SafeHtml | '' {
  const f = target.field;
  const field = fields(state, {
    options: optionsText(f?.options),
    min: numberText(f?.min),
    max: numberText(f?.max),
    types: f?.types ?? [],
    taille_max_mo: numberText(f?.taille_max_mo),
    lignes_min: numberText(f?.lignes_min),
    lignes_max: numberText(f?.lignes_max),
    premier_type: 'texte',
  });
  const decimal = html`inputmode="decimal"`;
  const integer = html`inputmode="numeric"`;
  switch (target.type) {
    case 'choix_unique':
    case 'choix_multiple':
      return field({
        name: 'options',
        label: 'Options',
        required: true,
        kind: 'textarea',
        rows: 6,
        hint: 'Une option par ligne : « valeur | libellé », ou seulement le libellé (la valeur en est tirée).',
      });
    case 'nombre':
    case 'montant':
      return html`${field({ name: 'min', label: target.type === 'montant' ? 'Montant minimal (euros)' : 'Valeur minimale', hint: 'Facultatif.', attributes: decimal })}
  ${field({ name: 'max', label: target.type === 'montant' ? 'Montant maximal (euros)' : 'Valeur maximale', hint: 'Facultatif.', attributes: decimal })}`;
    case 'texte':
    case 'texte_long':
      return html`${field({ name: 'min', label: 'Longueur minimale (caractères)', hint: 'Facultative.', attributes: integer })}
  ${field({ name: 'max', label: 'Longueur maximale (caractères)', hint: `Facultative (sinon ${target.type === 'texte' ? '500' : '10 000'}).`, attributes: integer })}`;
    case 'fichier':
      return html`${field({
        name: 'types',
        label: 'Formats acceptés',
        kind: 'checkboxes',
        choices: typeFichier.labels,
        hint: 'Aucun coché : PDF, images, textes et tableurs usuels. Le format est reconnu au contenu du fichier, pas à son nom.',
      })}
  ${field({ name: 'taille_max_mo', label: 'Taille maximale (Mo)', hint: `Facultative : ${target.maxMb} Mo au plus, la limite de la plateforme.`, attributes: decimal })}`;
    case 'groupe':
      return html`${field({ name: 'lignes_min', label: 'Nombre de lignes au moins', hint: 'Facultatif.', attributes: integer })}
  ${field({ name: 'lignes_max', label: 'Nombre de lignes au plus', hint: 'Facultatif, 200 au plus.', attributes: integer })}
  ${
    f
      ? html`<p class="hint">Les champs du groupe se modifient depuis la page du formulaire.</p>`
      : html`<fieldset><legend>Premier champ du groupe</legend>
    <p class="hint">Un groupe a au moins un champ ; les suivants s’ajoutent depuis la page du formulaire.</p>
    ${field({ name: 'premier_libelle', label: 'Libellé du premier champ', required: true })}
    ${field({
      name: 'premier_type',
      label: 'Type du premier champ',
      kind: 'select',
      choices: SUB_FIELD_KINDS.filter((k) => k !== 'choix_unique' && k !== 'choix_multiple').map((k) => ({ value: k, label: kindLabel(k) })),
    })}
  </fieldset>`
  }`;
    default:
      return '';
  }
}

export function fieldPage(call: CallRef, form: CurrentForm, target: FieldTarget, csrf: SafeHtml, state: FormState): SafeHtml {
  const f = target.field;
  const where = target.groupe ? `dans le groupe « ${target.groupe.libelle} »` : target.section !== undefined ? `dans la section ${target.section + 1}` : '';
  const title = f ? `Modifier le champ « ${f.libelle} »` : `Ajouter un champ : ${kindLabel(target.type).toLowerCase()}`;
  const field = fields(state, { libelle: f?.libelle, aide: f?.aide, obligatoire: f?.obligatoire, source: f?.source, cle: f?.cle });
  return html`${trail(call, f ? f.libelle : 'Nouveau champ')}
<h1>${title}</h1>
<p>Type : ${kindLabel(target.type)}${where ? ` — ${where}` : ''}.</p>
${formMessages(state)}
${summary(state, FIELD_LABELS)}
<form method="post" action="${base(call)}/champ" class="stacked-form" novalidate>${csrf}${stamp(form)}
  ${
    f
      ? html`<input type="hidden" name="cle_actuelle" value="${f.cle}">`
      : html`<input type="hidden" name="type" value="${target.type}">${target.section !== undefined ? html`<input type="hidden" name="section" value="${target.section}">` : ''}`
  }
  ${target.groupe ? html`<input type="hidden" name="groupe" value="${target.groupe.cle}">` : ''}
  ${field({ name: 'libelle', label: 'Libellé de la question', required: true })}
  ${field({ name: 'aide', label: 'Aide', kind: 'textarea', rows: 3, hint: 'Facultative : une précision affichée sous la question.' })}
  ${field({ name: 'obligatoire', label: 'Réponse obligatoire pour déposer', kind: 'checkbox' })}
  ${kindSettings(target, state)}
  ${conditionInputs(state, f?.afficher_si, target.preceding, 'La question')}
  ${field({
    name: 'source',
    label: 'Source de la question',
    hint: 'Facultative : le document d’où vient la question (ex. le cahier des charges de l’appel), rappelé aux candidats sous la question.',
  })}
  ${field({
    name: 'cle',
    label: 'Clé technique',
    hint: f
      ? 'Nom de la réponse dans les exports et l’API ; la changer renomme aussi les conditions qui la citent.'
      : 'Facultative : tirée du libellé si vide (minuscules sans accents, chiffres et « _ »).',
  })}
  <p><button type="submit" class="button">Enregistrer le champ</button> <a href="${base(call)}">Annuler</a></p>
</form>`;
}
