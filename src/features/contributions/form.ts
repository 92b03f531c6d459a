/**
 * The fields of each kind of proposal, described once for the contribution and moderation forms (drawn by the
 * forms toolkit) and for the diff tables, which use their labels and their choices' labels.
 */
import type { ContributionKind } from '../../domain/contribution.ts';
import { finalite, modele, modeleEconomique, roleMembre, stade } from '../../domain/cooperation.ts';
import { niveauCouverture, typeAccompagnement, typeFinancement } from '../../domain/dispositif.ts';
import { formeJuridique, statutEss } from '../../domain/organisation.ts';
import { secteur } from '../../domain/sector.ts';
import { formField, type FieldSpec } from '../../web/form-fields.ts';
import type { FormState } from '../../web/forms.ts';
import { html, type SafeHtml } from '../../web/html.ts';

type Options = Record<string, string>;

/** A proposal's field: a toolkit field with a plain label and labelled choices (for the diff tables). */
export interface ProposalField extends FieldSpec {
  label: string;
  choices?: Options;
}

/** A list typed one item per line. */
const lines = { kind: 'textarea', rows: 3 } as const;

const formeOptions: Options = Object.fromEntries(Object.entries(formeJuridique.labels).map(([code, label]) => [code, `${code} — ${label}`]));

export const FIELD_SPECS: Record<ContributionKind, ProposalField[]> = {
  organisation: [
    { name: 'siret', label: 'SIRET', hint: '14 chiffres, espaces permis (ex. 356 000 000 00048). Obligatoire pour une nouvelle structure.' },
    { name: 'nom', label: 'Nom de la structure', required: true, autocomplete: 'organization' },
    { name: 'forme_juridique', label: 'Forme juridique', hint: 'Code INSEE de 2 ou 4 chiffres (ex. 92 pour une association, 5499).' },
    { name: 'statut_ess', label: 'Statut ESS', kind: 'select', choices: statutEss.labels },
    { name: 'code_naf', label: 'Activité principale (code NAF)', hint: 'Ex. 88.99B.' },
    { name: 'secteur', label: 'Secteur', kind: 'select', choices: secteur.labels, hint: 'Déduit du code NAF s’il est laissé vide.' },
    { name: 'commune', label: 'Commune (code INSEE)', hint: 'Le code officiel géographique, 5 caractères (ex. 26281 pour Romans-sur-Isère).' },
    { name: 'adresse', label: 'Adresse', autocomplete: 'street-address' },
    { name: 'site_web', label: 'Site web', kind: 'url', hint: 'Adresse complète, ex. https://exemple.fr', autocomplete: 'url' },
    { name: 'description', label: 'Présentation', kind: 'textarea' },
  ],
  cooperation: [
    { name: 'nom', label: 'Nom de la coopération', required: true },
    { name: 'modele', label: 'Modèle', kind: 'select', choices: modele.labels, required: true },
    { name: 'finalite', label: 'Finalité', kind: 'select', choices: finalite.labels },
    { name: 'modele_economique', label: 'Modèle économique', kind: 'select', choices: modeleEconomique.labels },
    { name: 'stade', label: 'Stade', kind: 'select', choices: stade.labels },
    { name: 'secteur', label: 'Secteur', kind: 'select', choices: secteur.labels },
    { name: 'forme_juridique', label: 'Forme juridique', hint: 'Code INSEE de 2 ou 4 chiffres, si la coopération a une structure juridique.' },
    { name: 'commune', label: 'Commune du siège (code INSEE)', hint: '5 caractères (ex. 56011 pour Béganne). Obligatoire pour une nouvelle coopération.' },
    { name: 'territoire', label: 'Territoire', hint: 'Tel qu’on le nomme sur place (ex. Pays de Vilaine).' },
    { name: 'annee_creation', label: 'Année de création', hint: 'Ex. 2014.' },
    { name: 'site_web', label: 'Site web', kind: 'url', hint: 'Adresse complète, ex. https://exemple.fr' },
    { name: 'description', label: 'Présentation', kind: 'textarea' },
    { name: 'activites', label: 'Activités', kind: 'textarea' },
    { name: 'gouvernance', label: 'Gouvernance', kind: 'textarea' },
    { name: 'ressources_partagees', label: 'Ressources partagées', kind: 'textarea' },
    { name: 'historique', label: 'Historique', kind: 'textarea' },
  ],
  dispositif: [
    { name: 'nom', label: 'Nom du dispositif', required: true },
    { name: 'description', label: 'Description', kind: 'textarea' },
    { name: 'types_accompagnement', label: 'Types d’accompagnement', kind: 'checkboxes', choices: typeAccompagnement.labels },
    { name: 'types_financement', label: 'Types de financement', kind: 'checkboxes', choices: typeFinancement.labels },
    { name: 'porteurs', label: 'Porteurs', ...lines, hint: 'Un porteur par ligne.' },
    { name: 'stades', label: 'Stades éligibles', kind: 'checkboxes', choices: stade.labels, hint: 'Aucun coché : non précisé.' },
    {
      name: 'modeles',
      label: 'Modèles de coopération éligibles',
      kind: 'checkboxes',
      choices: modele.labels,
      hint: 'Aucun coché : sans restriction ou non précisé.',
    },
    { name: 'couverture_niveau', label: 'Niveau de couverture', kind: 'select', choices: niveauCouverture.labels },
    {
      name: 'couverture_codes',
      label: 'Territoires couverts (codes COG)',
      hint: 'Séparés par des virgules (ex. 84, 93 pour deux régions). Vide pour une couverture nationale.',
    },
    { name: 'montant_texte', label: 'Montant' },
    { name: 'duree_texte', label: 'Durée' },
    { name: 'conditions', label: 'Conditions d’accès', kind: 'textarea' },
    { name: 'contact', label: 'Contact' },
    { name: 'url', label: 'Site', kind: 'url', hint: 'Adresse complète, ex. https://exemple.fr' },
  ],
};

const MEMBERS_LABEL = 'Membres de la coopération';
const MEMBER_LABELS: Record<string, string> = { siret: 'SIRET', nom: 'Nom', role: 'Rôle', retirer: 'Retirer ce membre' };

/** A field's label; a member's input (`membres.2.nom`) is named with its line. */
export function fieldLabel(kind: ContributionKind, field: string): string {
  if (field === 'membres') return MEMBERS_LABEL;
  const member = /^membres\.(\d+)\.(\w+)$/.exec(field);
  if (member) return `Membre ${Number(member[1]) + 1} : ${MEMBER_LABELS[member[2]!] ?? member[2]}`;
  return FIELD_SPECS[kind].find((spec) => spec.name === field)?.label ?? field;
}

interface MemberValue {
  organisation?: number | null;
  siret?: string | null;
  nom?: string | null;
  role?: string;
}

/** « Ferme de Cagnolle (SIRET 123…) — Entreprise de l’ESS ». */
function memberText(member: MemberValue): string {
  const who = [member.nom, member.siret ? `SIRET ${member.siret}` : null].filter(Boolean);
  const name = who.length === 2 ? `${who[0]} (${who[1]})` : (who[0] ?? `fiche n° ${member.organisation}`);
  return member.role ? `${name} — ${roleMembre.label(member.role)}` : name;
}

/** A stored value as a person reads it: codes by their labels, lists joined. */
export function displayValue(kind: ContributionKind, field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  if (field === 'membres' && Array.isArray(value)) return value.map((m: MemberValue) => memberText(m)).join(' ; ');
  const options = FIELD_SPECS[kind].find((spec) => spec.name === field)?.choices ?? (field === 'forme_juridique' ? formeOptions : undefined);
  const one = (v: unknown) => (options && typeof v === 'string' ? (options[v] ?? v) : String(v));
  return Array.isArray(value) ? value.map(one).join(', ') : one(value);
}

/** A field of a proposal form: a text area is taller, a list's blank choice says whether one is needed. */
export function proposalField(spec: ProposalField, state: FormState): SafeHtml {
  return formField({ rows: 5, blank: spec.required ? '— Choisir —' : 'Non renseigné', ...spec }, state);
}

/** Blank lines offered under the members, to add some (a page without script cannot add lines). */
const BLANK_MEMBER_LINES = 3;

/**
 * The members' table of a cooperation: one group per member (SIRET, name, role, and « Retirer » for a member
 * already there), then blank lines. Lines are numbered as posted (`membres.<line>.<field>`), so that an error
 * stands beside its line.
 */
export function membersFieldset(state: FormState): SafeHtml {
  const posted = state.values?.membres;
  const lines = (Array.isArray(posted) ? posted : []) as Record<string, unknown>[];
  const all: Record<string, unknown>[] = [...lines, ...Array.from({ length: BLANK_MEMBER_LINES }, () => ({}))];
  const values: Record<string, unknown> = { ...state.values };
  all.forEach((line, i) => {
    for (const [key, value] of Object.entries(line)) values[`membres.${i}.${key}`] = value;
  });
  const lineState: FormState = { ...state, values };
  const membersError = state.errors?.find((e) => e.field === 'membres');
  return html`<fieldset class="members" id="membres" tabindex="-1"${membersError ? html` aria-describedby="membres-erreur"` : ''}>
  <legend>${MEMBERS_LABEL}</legend>
  <div class="hint">Une ligne par membre : le SIRET de sa structure (elle est alors reliée à sa fiche) ou, sans SIRET, son nom ; puis son rôle.
  Laissez vides les lignes inutiles ; pour ajouter plus de lignes, envoyez le formulaire puis proposez une modification.</div>
  ${membersError ? html`<span class="field-error" id="membres-erreur">${membersError.message}</span>` : ''}
  ${all.map((line, i) => {
    const existing = [line.organisation, line.siret, line.nom].some((v) => v !== undefined && v !== null && v !== '');
    const name = (field: string) => `membres.${i}.${field}`;
    return html`<fieldset class="member">
    <legend>${existing && line.nom ? `Membre ${i + 1} : ${String(line.nom)}` : `Membre ${i + 1}`}</legend>
    ${line.organisation ? html`<input type="hidden" name="${name('organisation')}" value="${String(line.organisation)}">` : ''}
    ${formField({ name: name('siret'), label: 'SIRET', hint: '14 chiffres, si la structure en a un.' }, lineState)}
    ${formField({ name: name('nom'), label: 'Nom', hint: 'Obligatoire sans SIRET.' }, lineState)}
    ${formField({ name: name('role'), label: 'Rôle', kind: 'select', choices: roleMembre.labels, blank: '— Choisir —' }, lineState)}
    ${existing ? formField({ name: name('retirer'), label: 'Retirer ce membre', kind: 'checkbox' }, lineState) : ''}
  </fieldset>`;
  })}
</fieldset>`;
}
