/**
 * What a form page draws: each field with its label, hint and error tied to it (aria-describedby,
 * aria-invalid), the summary of a refused submission (role="alert", focusable, each error a link to its field),
 * and the page's notice and alert. A field's id is its name, prefixed `<form>-` when several forms share a page;
 * dots of nested names become dashes (`organisateurs.0.nom` → `organisateurs-organisateurs-0-nom`).
 */
import { html, trustedHtml, type HtmlValue, type SafeHtml } from './html.ts';
import { errorHeading, type FieldError, type FormState, type FormValues } from './forms.ts';

export type FieldKind =
  | 'text'
  | 'email'
  | 'password'
  | 'url'
  | 'tel'
  | 'date'
  | 'time'
  | 'number'
  | 'textarea'
  | 'select'
  | 'checkbox'
  | 'checkboxes'
  | 'radios';

/** The choices of a select, boxes or radio buttons: a list, or labels by value. */
export type Choices = readonly { value: string; label: string }[] | Readonly<Record<string, string>>;

type Hint = string | SafeHtml;

export interface FieldSpec {
  /** The posted name; errors are matched on it. */
  name: string;
  label: HtmlValue;
  kind?: FieldKind;
  /** The form it belongs to, when several share a page: its errors and posted values only apply to it. */
  form?: string;
  /** Its own id, for pages that name their fields otherwise. */
  id?: string;
  /** Help, or several pieces of help (each a block, which may hold a list). */
  hint?: Hint | readonly Hint[];
  /** Required to submit; marked « (obligatoire) » unless 'unmarked' (forms where all are, or that mark the optional ones). */
  required?: boolean | 'unmarked';
  choices?: Choices;
  /** A select's first option, of value ''. */
  blank?: string;
  /** What the field shows when the form was not posted back. */
  value?: unknown;
  rows?: number;
  autocomplete?: string;
  /** More attributes of the input (maxlength, inputmode, min…). */
  attributes?: SafeHtml;
  /** Attributes of the field's container (a condition of display…). */
  container?: SafeHtml;
  /** Boxes or radio buttons on one line. */
  inline?: boolean;
}

export const fieldId = (form: string | undefined, name: string) => (form ? `${form}-${name}` : name).replace(/\./g, '-');

const mine = (state: FormState, form: string | undefined) => state.form === form;

const listOf = (choices: Choices) =>
  Array.isArray(choices) ? (choices as readonly { value: string; label: string }[]) : Object.entries(choices).map(([value, label]) => ({ value, label }));

/** A stored or posted value as an input shows it; a list is one item per line in a text area. */
function text(value: unknown, separator = ', '): string {
  if (value === undefined || value === null) return '';
  return Array.isArray(value) ? value.join(separator) : String(value);
}

const chosen = (value: unknown) => (Array.isArray(value) ? value.map(String) : value === undefined || value === null || value === '' ? [] : [String(value)]);

/** Attributes separated by one space, the empty ones left out. */
const attributes = (...list: (SafeHtml | '' | false | undefined)[]) => trustedHtml(list.filter(Boolean).map(String).join(' '));

/** The label's text, with « (obligatoire) » for a marked required field. */
const labelText = (spec: FieldSpec) => html`${spec.label}${spec.required === true ? ' (obligatoire)' : ''}`;

/** The fields of one form of the page, each showing what `stored` holds unless the form was posted back. */
export function fieldsOf(state: FormState, form?: string, stored: FormValues = {}) {
  return (spec: FieldSpec) => formField({ form, value: stored[spec.name], ...spec }, state);
}

interface Parts {
  id: string;
  error?: FieldError;
  value: unknown;
  describedBy: string;
  notes: SafeHtml;
}

/** A field's hints and error, tied to it by their ids (aria-describedby); for a field its page draws itself too. */
export function fieldNotes(id: string, hint: FieldSpec['hint'], error?: FieldError): { describedBy: string; notes: SafeHtml } {
  const hints = hint === undefined ? [] : Array.isArray(hint) ? (hint as readonly Hint[]) : [hint as Hint];
  const hintIds = hints.map((_, i) => `${id}-aide${i ? `-${i + 1}` : ''}`);
  return {
    describedBy: [...hintIds, ...(error ? [`${id}-erreur`] : [])].join(' '),
    notes: html`${hints.map((text, i) => html`<div class="hint" id="${hintIds[i]}">${text}</div>`)}${error ? html`<span class="field-error" id="${id}-erreur">${error.message}</span>` : ''}`,
  };
}

/** One field of a form, drawn by its kind, with what the state says of it (error, value posted back). */
export function formField(spec: FieldSpec, state: FormState = {}): SafeHtml {
  const id = spec.id ?? fieldId(spec.form, spec.name);
  const error = mine(state, spec.form) ? state.errors?.find((e) => e.field === spec.name) : undefined;
  const value = mine(state, spec.form) && state.values ? state.values[spec.name] : spec.value;
  const parts = { id, error, value, ...fieldNotes(id, spec.hint, error) };
  if (spec.kind === 'checkbox') return yesNoBox(spec, parts);
  return spec.kind === 'checkboxes' || spec.kind === 'radios' ? choiceGroup(spec, parts) : single(spec, parts);
}

/** A single box for yes or no, posted « oui » when ticked; its label follows it. */
function yesNoBox(spec: FieldSpec, { id, error, value, describedBy, notes }: Parts): SafeHtml {
  const ticked = value === true || chosen(value).includes('oui');
  return html`<div class="field"${spec.container ? html` ${spec.container}` : ''}><label class="choice"><input ${attributes(
    html`type="checkbox"`,
    html`id="${id}"`,
    html`name="${spec.name}"`,
    html`value="oui"`,
    ticked && html`checked`,
    spec.attributes,
    describedBy !== '' && html`aria-describedby="${describedBy}"`,
    error && html`aria-invalid="true"`,
  )}> ${labelText(spec)}</label>
  ${notes}
</div>`;
}

function single(spec: FieldSpec, { id, error, value, describedBy, notes }: Parts): SafeHtml {
  const kind = spec.kind ?? 'text';
  const input = kind !== 'textarea' && kind !== 'select';
  const common = attributes(
    html`id="${id}"`,
    html`name="${spec.name}"`,
    kind === 'textarea' && html`rows="${spec.rows ?? 4}"`,
    input && kind !== 'password' && html`value="${text(value)}"`, // a password is never sent back to the page
    spec.attributes,
    describedBy !== '' && html`aria-describedby="${describedBy}"`,
    error && html`aria-invalid="true"`,
    spec.required && html`required`,
    spec.autocomplete !== undefined && html`autocomplete="${spec.autocomplete}"`,
    (kind === 'email' || kind === 'url') && html`spellcheck="false"`,
    kind === 'email' && html`autocapitalize="none"`,
  );
  return html`<div class="field"${spec.container ? html` ${spec.container}` : ''}>
  <label for="${id}">${labelText(spec)}</label>
  ${notes}
  ${input ? html`<input type="${kind}" ${common}>` : kind === 'textarea' ? html`<textarea ${common}>${text(value, '\n')}</textarea>` : select(spec, common, text(value))}
</div>`;
}

function select(spec: FieldSpec, common: SafeHtml, current: string): SafeHtml {
  return html`<select ${common}>
    ${spec.blank === undefined ? '' : html`<option value="">${spec.blank}</option>`}
    ${listOf(spec.choices ?? []).map((c) => html`<option value="${c.value}" ${c.value === current ? html`selected` : ''}>${c.label}</option>`)}
  </select>`;
}

/** Boxes or radio buttons under their legend; the summary's link leads to the first one. */
function choiceGroup(spec: FieldSpec, { id, error, value, describedBy, notes }: Parts): SafeHtml {
  const type = spec.kind === 'checkboxes' ? 'checkbox' : 'radio';
  const ticked = chosen(value);
  const group = attributes(html`class="field${spec.inline ? ' inline' : ''}"`, describedBy !== '' && html`aria-describedby="${describedBy}"`, spec.container);
  return html`<fieldset ${group}>
  <legend>${labelText(spec)}</legend>
  ${notes}
  ${listOf(spec.choices ?? []).map(
    (c, i) =>
      html`<label class="choice"><input ${attributes(
        html`type="${type}"`,
        html`id="${i ? `${id}-${i}` : id}"`,
        html`name="${spec.name}"`,
        html`value="${c.value}"`,
        ticked.includes(c.value) && html`checked`,
        spec.required && type === 'radio' && html`required`,
        error && html`aria-invalid="true"`,
      )}> ${c.label}</label>`,
  )}
</fieldset>`;
}

export interface SummaryOptions {
  /** The form whose errors are summed up, when several share a page. */
  form?: string;
  /** Each input's label, said before its message. */
  labels?: Readonly<Record<string, string>> | ((field: string) => string | undefined);
  /** Where an error's link leads, when it is not the field of that name. */
  anchor?: (field: string) => string;
  /** h3 for a form inside a section of the page. */
  level?: 2 | 3;
}

/** The summary of a refused submission: each error a link to its input (an error of no input is said as it is). */
export function errorSummary(state: FormState, options: SummaryOptions = {}): SafeHtml | '' {
  const errors = mine(state, options.form) ? (state.errors ?? []) : [];
  if (!errors.length) return '';
  const { labels = {}, level = 2 } = options;
  const labelOf = (field: string) => (typeof labels === 'function' ? labels(field) : labels[field]);
  const anchor = options.anchor ?? ((field: string) => fieldId(options.form, field));
  const item = (e: FieldError) => {
    if (!e.field) return html`<li>${e.message}</li>`;
    const label = labelOf(e.field);
    return html`<li><a href="#${anchor(e.field)}">${label ? `${label} : ` : ''}${e.message}</a></li>`;
  };
  const heading = level === 3 ? html`<h3>${errorHeading(errors.length)}</h3>` : html`<h2>${errorHeading(errors.length)}</h2>`;
  return html`<div class="alert" role="alert" tabindex="-1" id="erreurs">${heading}
<ul>${errors.map(item)}</ul></div>`;
}

/** The notice of a done action (role="status") and the alert of a refused one, with what it lists. */
export function formMessages(state: FormState): SafeHtml {
  return html`${state.notice ? html`<div class="notice" role="status"><p>${state.notice}</p></div>` : ''}
${
  state.alert
    ? html`<div class="alert" role="alert" tabindex="-1" id="erreurs"><p>${state.alert}</p>
${state.details?.length ? html`<ul>${state.details.map((d) => html`<li>${d}</li>`)}</ul>` : ''}</div>`
    : ''
}`;
}
