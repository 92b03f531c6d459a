/**
 * Pieces shared by the instruction pages: form state, error summary linked to the fields, fields tied to
 * their error (aria-describedby, aria-invalid), dates in Paris time, and the score as French text.
 */
import { formatParis } from '../../../domain/call.ts';
import { html, type SafeHtml } from '../../../web/html.ts';
import type { FieldError } from './service.ts';

export interface FormState {
  /** Which form the errors belong to (several forms share a page). */
  form?: string;
  errors?: FieldError[];
  values?: Record<string, string>;
  alert?: string;
  notice?: string;
}

export const paris = (iso: string | null) => (iso ? formatParis(new Date(iso)) : '—');
export const score = (n: number | null | undefined) => (n === null || n === undefined ? '—' : new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 }).format(n));

export function messages(state: FormState): SafeHtml {
  return html`${state.notice ? html`<div class="notice" role="status"><p>${state.notice}</p></div>` : ''}
${state.alert ? html`<div class="alert" role="alert" tabindex="-1" id="erreurs"><p>${state.alert}</p></div>` : ''}`;
}

/** The summary of a form's errors, each linking to its field (ids are `<form>-<field>`). */
export function errorSummary(state: FormState, form: string, labels: Record<string, string>): SafeHtml | '' {
  const errors = state.form === form ? state.errors ?? [] : [];
  if (!errors.length) return '';
  const heading = errors.length > 1 ? `Le formulaire contient ${errors.length} erreurs` : 'Le formulaire contient une erreur';
  return html`<div class="alert" role="alert" tabindex="-1" id="erreurs"><h3>${heading}</h3>
<ul>${errors.map((e) => html`<li><a href="#${form}-${e.field}">${labels[e.field] ? `${labels[e.field]} : ` : ''}${e.message}</a></li>`)}</ul></div>`;
}

interface FieldOptions {
  form: string;
  name: string;
  label: string;
  state: FormState;
  type?: 'text' | 'email' | 'date' | 'number' | 'textarea';
  hint?: string;
  required?: boolean;
  value?: string;
  attributes?: SafeHtml;
}

export function field(o: FieldOptions): SafeHtml {
  const id = `${o.form}-${o.name}`;
  const mine = o.state.form === o.form;
  const error = mine ? o.state.errors?.find((e) => e.field === o.name) : undefined;
  const value = (mine ? o.state.values?.[o.name] : undefined) ?? o.value ?? '';
  const describedBy = [o.hint ? `${id}-aide` : '', error ? `${id}-erreur` : ''].filter(Boolean).join(' ');
  const common = html`id="${id}" name="${o.name}" ${o.required ? html`required` : ''} ${describedBy ? html`aria-describedby="${describedBy}"` : ''}
    ${error ? html`aria-invalid="true"` : ''} ${o.attributes ?? ''}`;
  return html`<div class="field">
  <label for="${id}">${o.label}</label>
  ${o.hint ? html`<span class="hint" id="${id}-aide">${o.hint}</span>` : ''}
  ${error ? html`<span class="field-error" id="${id}-erreur">${error.message}</span>` : ''}
  ${o.type === 'textarea' ? html`<textarea ${common} rows="4">${value}</textarea>` : html`<input type="${o.type ?? 'text'}" ${common} value="${value}">`}
</div>`;
}
