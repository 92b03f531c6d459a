/**
 * Pieces of the call management pages: a form's state (its errors, the values posted back), fields tied to
 * their error (aria-describedby, aria-invalid), the error summary linking each error to its field, and the
 * notices. Several forms share the page: ids are `<form>-<field>` (dots of row fields become dashes).
 */
import { html, type SafeHtml } from '../../../web/html.ts';
import type { FormBody } from '../../../web/form-body.ts';
import type { FieldError } from './schemas.ts';
import { firstValue } from '../../../web/form-body.ts';

export interface FormState {
  /** Which form the errors and values belong to. */
  form?: string;
  errors?: FieldError[];
  values?: FormBody;
  alert?: string;
  /** What the alert lists (what is missing to publish, the phases a rule refuses). */
  details?: string[];
  notice?: string;
}

export const fieldId = (form: string, name: string) => `${form}-${name}`.replace(/\./g, '-');

export function messages(state: FormState): SafeHtml {
  return html`${state.notice ? html`<div class="notice" role="status"><p>${state.notice}</p></div>` : ''}
${state.alert ? html`<div class="alert" role="alert" tabindex="-1" id="erreurs"><p>${state.alert}</p>
${state.details?.length ? html`<ul>${state.details.map((d) => html`<li>${d}</li>`)}</ul>` : ''}</div>` : ''}`;
}

export function errorSummary(state: FormState, form: string, label: (field: string) => string): SafeHtml | '' {
  const errors = state.form === form ? state.errors ?? [] : [];
  if (!errors.length) return '';
  const heading = errors.length > 1 ? `Le formulaire contient ${errors.length} erreurs` : 'Le formulaire contient une erreur';
  return html`<div class="alert" role="alert" tabindex="-1" id="erreurs"><h3>${heading}</h3>
<ul>${errors.map((e) => html`<li><a href="#${fieldId(form, e.field)}">${label(e.field)} : ${e.message}</a></li>`)}</ul></div>`;
}

/** The values a form shows: those posted back after an error, else the stored ones. */
export function valuesFor(state: FormState, form: string, stored: FormBody): FormBody {
  return state.form === form && state.values ? state.values : stored;
}


interface FieldOptions {
  form: string;
  name: string;
  label: string;
  state: FormState;
  values: FormBody;
  type?: 'text' | 'date' | 'time' | 'textarea';
  hint?: string | SafeHtml;
  required?: boolean;
  attributes?: SafeHtml;
}

function described(o: { form: string; name: string; state: FormState; hint?: string | SafeHtml }) {
  const id = fieldId(o.form, o.name);
  const error = o.state.form === o.form ? o.state.errors?.find((e) => e.field === o.name) : undefined;
  const describedBy = [o.hint ? `${id}-aide` : '', error ? `${id}-erreur` : ''].filter(Boolean).join(' ');
  return {
    id, error,
    aria: html`${describedBy ? html`aria-describedby="${describedBy}"` : ''} ${error ? html`aria-invalid="true"` : ''}`,
    notes: html`${o.hint ? html`<span class="hint" id="${id}-aide">${o.hint}</span>` : ''}
  ${error ? html`<span class="field-error" id="${id}-erreur">${error.message}</span>` : ''}`,
  };
}

export function field(o: FieldOptions): SafeHtml {
  const { id, aria, notes } = described(o);
  const value = firstValue(o.values[o.name]);
  const common = html`id="${id}" name="${o.name}" ${o.required ? html`required` : ''} ${aria} ${o.attributes ?? ''}`;
  return html`<div class="field">
  <label for="${id}">${o.label}${o.required ? ' (obligatoire)' : ''}</label>
  ${notes}
  ${o.type === 'textarea' ? html`<textarea ${common} rows="4">${value}</textarea>` : html`<input type="${o.type ?? 'text'}" ${common} value="${value}">`}
</div>`;
}

export function select(o: Omit<FieldOptions, 'type'> & { options: { value: string; label: string }[] }): SafeHtml {
  const { id, aria, notes } = described(o);
  const value = firstValue(o.values[o.name]);
  return html`<div class="field">
  <label for="${id}">${o.label}${o.required ? ' (obligatoire)' : ''}</label>
  ${notes}
  <select id="${id}" name="${o.name}" ${o.required ? html`required` : ''} ${aria}>
    ${o.options.map((opt) => html`<option value="${opt.value}" ${opt.value === value ? html`selected` : ''}>${opt.label}</option>`)}
  </select>
</div>`;
}

/** A group of boxes under its legend; the error (one per group) is tied to the fieldset. */
export function checkboxes(o: { form: string; name: string; legend: string; state: FormState; values: FormBody; options: Record<string, string>; hint?: string }): SafeHtml {
  const { id, aria, notes } = described(o);
  const ticked = new Set([o.values[o.name] ?? []].flat());
  return html`<fieldset id="${id}" ${aria}><legend>${o.legend}</legend>
  ${notes}
  ${Object.entries(o.options).map(([code, label]) => html`<label class="choice"><input type="checkbox" name="${o.name}" value="${code}"
    ${ticked.has(code) ? html`checked` : ''}> ${label}</label>`)}
</fieldset>`;
}
