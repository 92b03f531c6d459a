/**
 * Accessible form pieces of the contribution and moderation pages: each field has its label, its hint and
 * its error tied to it (aria-describedby, aria-invalid); a summary at the top (role="alert") links to every
 * field in error. The fields of each kind are described once here, and the diff tables use their labels.
 */
import type { ContributionKind } from '../../domain/contribution.ts';
import { finalite, modele, modeleEconomique, stade } from '../../domain/cooperation.ts';
import { niveauCouverture, typeAccompagnement, typeFinancement } from '../../domain/dispositif.ts';
import { formeJuridique, statutEss } from '../../domain/organisation.ts';
import { secteur } from '../../domain/sector.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { FieldError } from '../accounts/schemas.ts';

type Options = Record<string, string>;

export interface FieldSpec {
  name: string;
  label: string;
  type: 'text' | 'textarea' | 'select' | 'checkboxes' | 'radios' | 'email' | 'url' | 'lines';
  hint?: string;
  options?: Options;
  required?: boolean;
  autocomplete?: string;
}

const formeOptions: Options = Object.fromEntries(Object.entries(formeJuridique.labels).map(([code, label]) => [code, `${code} — ${label}`]));

export const FIELD_SPECS: Record<ContributionKind, FieldSpec[]> = {
  organisation: [
    { name: 'siret', label: 'SIRET', type: 'text', hint: '14 chiffres, espaces permis (ex. 356 000 000 00048). Obligatoire pour une nouvelle structure.' },
    { name: 'nom', label: 'Nom de la structure', type: 'text', required: true, autocomplete: 'organization' },
    { name: 'forme_juridique', label: 'Forme juridique', type: 'text', hint: 'Code INSEE de 2 ou 4 chiffres (ex. 92 pour une association, 5499).' },
    { name: 'statut_ess', label: 'Statut ESS', type: 'select', options: statutEss.labels },
    { name: 'code_naf', label: 'Activité principale (code NAF)', type: 'text', hint: 'Ex. 88.99B.' },
    { name: 'secteur', label: 'Secteur', type: 'select', options: secteur.labels, hint: 'Déduit du code NAF s’il est laissé vide.' },
    { name: 'commune', label: 'Commune (code INSEE)', type: 'text', hint: 'Le code officiel géographique, 5 caractères (ex. 26281 pour Romans-sur-Isère).' },
    { name: 'adresse', label: 'Adresse', type: 'text', autocomplete: 'street-address' },
    { name: 'site_web', label: 'Site web', type: 'url', hint: 'Adresse complète, ex. https://exemple.fr', autocomplete: 'url' },
    { name: 'description', label: 'Présentation', type: 'textarea' },
  ],
  cooperation: [
    { name: 'nom', label: 'Nom de la coopération', type: 'text', required: true },
    { name: 'modele', label: 'Modèle', type: 'select', options: modele.labels, required: true },
    { name: 'finalite', label: 'Finalité', type: 'select', options: finalite.labels },
    { name: 'modele_economique', label: 'Modèle économique', type: 'select', options: modeleEconomique.labels },
    { name: 'stade', label: 'Stade', type: 'select', options: stade.labels },
    { name: 'secteur', label: 'Secteur', type: 'select', options: secteur.labels },
    { name: 'forme_juridique', label: 'Forme juridique', type: 'text', hint: 'Code INSEE de 2 ou 4 chiffres, si la coopération a une structure juridique.' },
    { name: 'commune', label: 'Commune du siège (code INSEE)', type: 'text', hint: '5 caractères (ex. 56011 pour Béganne). Obligatoire pour une nouvelle coopération.' },
    { name: 'territoire', label: 'Territoire', type: 'text', hint: 'Tel qu’on le nomme sur place (ex. Pays de Vilaine).' },
    { name: 'annee_creation', label: 'Année de création', type: 'text', hint: 'Ex. 2014.' },
    { name: 'site_web', label: 'Site web', type: 'url', hint: 'Adresse complète, ex. https://exemple.fr' },
    { name: 'description', label: 'Présentation', type: 'textarea' },
    { name: 'activites', label: 'Activités', type: 'textarea' },
    { name: 'gouvernance', label: 'Gouvernance', type: 'textarea' },
    { name: 'ressources_partagees', label: 'Ressources partagées', type: 'textarea' },
    { name: 'historique', label: 'Historique', type: 'textarea' },
  ],
  dispositif: [
    { name: 'nom', label: 'Nom du dispositif', type: 'text', required: true },
    { name: 'description', label: 'Description', type: 'textarea' },
    { name: 'types_accompagnement', label: 'Types d’accompagnement', type: 'checkboxes', options: typeAccompagnement.labels },
    { name: 'types_financement', label: 'Types de financement', type: 'checkboxes', options: typeFinancement.labels },
    { name: 'porteurs', label: 'Porteurs', type: 'lines', hint: 'Un porteur par ligne.' },
    { name: 'stades', label: 'Stades éligibles', type: 'checkboxes', options: stade.labels, hint: 'Aucun coché : non précisé.' },
    { name: 'modeles', label: 'Modèles de coopération éligibles', type: 'checkboxes', options: modele.labels, hint: 'Aucun coché : sans restriction ou non précisé.' },
    { name: 'couverture_niveau', label: 'Niveau de couverture', type: 'select', options: niveauCouverture.labels },
    { name: 'couverture_codes', label: 'Territoires couverts (codes COG)', type: 'text', hint: 'Séparés par des virgules (ex. 84, 93 pour deux régions). Vide pour une couverture nationale.' },
    { name: 'montant_texte', label: 'Montant', type: 'text' },
    { name: 'duree_texte', label: 'Durée', type: 'text' },
    { name: 'conditions', label: 'Conditions d’accès', type: 'textarea' },
    { name: 'contact', label: 'Contact', type: 'text' },
    { name: 'url', label: 'Site', type: 'url', hint: 'Adresse complète, ex. https://exemple.fr' },
  ],
};

export function fieldLabel(kind: ContributionKind, field: string): string {
  return FIELD_SPECS[kind].find((spec) => spec.name === field)?.label ?? field;
}

/** A stored value as a person reads it: codes by their labels, lists joined. */
export function displayValue(kind: ContributionKind, field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  const options = FIELD_SPECS[kind].find((spec) => spec.name === field)?.options ?? (field === 'forme_juridique' ? formeOptions : undefined);
  const one = (v: unknown) => (options && typeof v === 'string' ? options[v] ?? v : String(v));
  return Array.isArray(value) ? value.map(one).join(', ') : one(value);
}

/** Form values as the inputs show them (lists of lines joined back, numbers as text). */
export type FormValues = Record<string, unknown>;

function asText(spec: FieldSpec, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(spec.type === 'lines' ? '\n' : ', ');
  return String(value);
}

function asList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return typeof value === 'string' && value ? [value] : [];
}

export function field(spec: FieldSpec, values: FormValues, errors: FieldError[]): SafeHtml {
  const error = errors.find((e) => e.field === spec.name);
  const id = spec.name;
  const describedBy = [spec.hint ? `${id}-aide` : '', error ? `${id}-erreur` : ''].filter(Boolean).join(' ');
  const hint = spec.hint ? html`<span class="hint" id="${id}-aide">${spec.hint}</span>` : '';
  const errorText = error ? html`<span class="field-error" id="${id}-erreur">${error.message}</span>` : '';
  const aria = html`${describedBy ? html`aria-describedby="${describedBy}"` : ''} ${error ? html`aria-invalid="true"` : ''}`;
  const required = spec.required ? html` <span aria-hidden="true">*</span>` : '';
  const value = values[spec.name];
  if (spec.type === 'checkboxes' || spec.type === 'radios') {
    const chosen = asList(value);
    const inputType = spec.type === 'checkboxes' ? 'checkbox' : 'radio';
    return html`<fieldset class="field" id="${id}" ${aria} tabindex="-1">
  <legend>${spec.label}${required}</legend>${hint}${errorText}
  ${Object.entries(spec.options ?? {}).map(([code, label]) => html`<label class="choice"><input type="${inputType}" name="${spec.name}" value="${code}" ${chosen.includes(code) ? html`checked` : ''}> ${label}</label>`)}
</fieldset>`;
  }
  const label = html`<label for="${id}">${spec.label}${required}</label>`;
  if (spec.type === 'select') {
    const current = asText(spec, value);
    return html`<div class="field">${label}${hint}${errorText}
  <select id="${id}" name="${spec.name}" ${aria} ${spec.required ? html`required` : ''}>
    <option value="">${spec.required ? '— Choisir —' : 'Non renseigné'}</option>
    ${Object.entries(spec.options ?? {}).map(([code, text]) => html`<option value="${code}" ${current === code ? html`selected` : ''}>${text}</option>`)}
  </select></div>`;
  }
  if (spec.type === 'textarea' || spec.type === 'lines') {
    return html`<div class="field">${label}${hint}${errorText}
  <textarea id="${id}" name="${spec.name}" rows="${spec.type === 'lines' ? 3 : 5}" ${aria}>${asText(spec, value)}</textarea></div>`;
  }
  return html`<div class="field">${label}${hint}${errorText}
  <input type="${spec.type}" id="${id}" name="${spec.name}" value="${asText(spec, value)}" ${aria} ${spec.required ? html`required` : ''}
    ${spec.autocomplete ? html`autocomplete="${spec.autocomplete}"` : ''} ${spec.type === 'url' || spec.type === 'email' ? html`spellcheck="false"` : ''}></div>`;
}

/** The summary at the top of a form with errors: each links to its field. */
export function errorSummary(errors: FieldError[], labelOf: (field: string) => string | undefined): SafeHtml | '' {
  if (!errors.length) return '';
  const heading = errors.length > 1 ? `Le formulaire contient ${errors.length} erreurs` : 'Le formulaire contient une erreur';
  return html`<div class="alert" role="alert" tabindex="-1" id="erreurs"><h2>${heading}</h2>
<ul>${errors.map((e) => {
    const label = e.field ? labelOf(e.field) : undefined;
    return label ? html`<li><a href="#${e.field}">${label} : ${e.message}</a></li>` : html`<li>${e.message}</li>`;
  })}</ul></div>`;
}

export function notice(message: string | undefined): SafeHtml | '' {
  return message ? html`<div class="notice" role="status"><p>${message}</p></div>` : '';
}
