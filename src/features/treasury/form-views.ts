/**
 * The plan form, shared by a structure's plans (new, edit) and the public simulation: the plan's settings, its lines
 * of receipts, expenses and grant tranches — a fixed number of blank lines, more with « Ajouter des lignes », which
 * posts the form back without saving — and the profile that finds the schemes for the months of tension.
 */
import { finalite, modele, modeleEconomique, stade } from '../../domain/cooperation.ts';
import { MAX_MONTHS, MIN_MONTHS } from '../../domain/treasury.ts';
import { errorSummary, fieldsOf, formMessages } from '../../web/form-fields.ts';
import type { FormState, FormValues } from '../../web/forms.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import { LINE_FIELDS, LISTS, type PlanList } from './form.ts';

/** Blank lines under each list; « Ajouter des lignes » gives this many more. */
export const BLANK_LINES = 2;
export const ADDED_LINES = 3;

/** The submit button that asks for more lines instead of saving. */
export const ADD_LINES = 'ajouter_lignes';

const LIST_TITLES: Record<PlanList, { legend: string; line: string; hint: string }> = {
  encaissements: {
    legend: 'Encaissements',
    line: 'Encaissement',
    hint: 'Ventes, prestations, cotisations… au mois de leur facturation ; le délai des clients s’applique, sauf délai propre à la ligne.',
  },
  decaissements: {
    legend: 'Décaissements',
    line: 'Décaissement',
    hint: 'Salaires, loyers, achats… au mois où ils sont engagés ; le délai des fournisseurs s’applique, sauf délai propre à la ligne.',
  },
  tranches: {
    legend: 'Tranches de subventions',
    line: 'Tranche',
    hint: 'La date convenue est celle de la convention ; la date attendue, celle où le versement arrivera vraiment (retards des financeurs).',
  },
};

const LINE_LABELS: Record<string, string> = {
  libelle: 'Libellé',
  montant: 'Montant en euros',
  mois: 'Mois (AAAA-MM)',
  jusqu_a: 'Répété chaque mois jusqu’à (AAAA-MM, facultatif)',
  delai_jours: 'Délai de paiement propre, en jours (facultatif)',
  date_convenue: 'Date convenue',
  date_prevue: 'Date réellement attendue (facultatif)',
  dispositif_id: 'Numéro du dispositif du catalogue (facultatif)',
};

const FIELD_LABELS: Record<string, string> = {
  nom: 'Nom du plan',
  debut: 'Premier mois',
  duree_mois: 'Durée',
  solde_initial: 'Solde initial',
  seuil: 'Seuil de tension',
  delai_clients_jours: 'Délai des clients',
  delai_fournisseurs_jours: 'Délai des fournisseurs',
  'profil.modele': 'Modèle de coopération',
  'profil.finalite': 'Finalité',
  'profil.modele_economique': 'Modèle économique',
  'profil.stade': 'Stade',
  'profil.departement': 'Département',
  'profil.agrement_esus': 'Agrément ESUS',
};

/** « Encaissement 2 — Montant en euros » for a line's input, the summary's label. */
function labelOf(field: string): string | undefined {
  const [list, line, input] = field.split('.');
  if ((LISTS as readonly string[]).includes(list ?? '') && input)
    return `${LIST_TITLES[list as PlanList].line} ${Number(line) + 1} — ${LINE_LABELS[input] ?? input}`;
  return FIELD_LABELS[field];
}

export interface PlanFormModel {
  action: string;
  csrf: SafeHtml;
  state: FormState;
  /** What the form shows when it was not posted back. */
  stored: FormValues;
  /** How many lines each list shows (filled and blank). */
  lines: Record<PlanList, number>;
  /** A saved plan: its name and the box of the funding agreements. */
  named: boolean;
  submit: string;
  departements: readonly { value: string; label: string }[];
}

const MONTH_HINT = 'Sous la forme AAAA-MM, par exemple 2027-03 pour mars 2027.';
const AMOUNT_HINT = 'En euros, par exemple 1 500,50.';

function lineGroup(list: PlanList, count: number, field: ReturnType<typeof fieldsOf>, values: FormValues): SafeHtml {
  const titles = LIST_TITLES[list];
  const input = (n: number, name: string, extra: Partial<Parameters<typeof field>[0]> = {}) =>
    field({ name: `${list}.${n}.${name}`, label: LINE_LABELS[name]!, ...extra });
  return html`<fieldset id="${list}">
  <legend><h2>${titles.legend}</h2></legend>
  <p class="hint">${titles.hint} Les lignes laissées vides sont ignorées.</p>
  ${Array.from({ length: count }, (_, n) => {
    const filled = LINE_FIELDS[list].some((name) => String(values[`${list}.${n}.${name}`] ?? '') !== '');
    return html`<fieldset class="plan-line">
    <legend>${titles.line} ${n + 1}</legend>
    ${input(n, 'libelle')}
    ${input(n, 'montant', { attributes: html`inputmode="decimal"`, hint: AMOUNT_HINT })}
    ${
      list === 'tranches'
        ? html`${input(n, 'date_convenue', { kind: 'date' })}${input(n, 'date_prevue', { kind: 'date' })}${input(n, 'dispositif_id', {
            attributes: html`inputmode="numeric"`,
          })}`
        : html`${input(n, 'mois', { attributes: html`inputmode="numeric"`, hint: MONTH_HINT })}${input(n, 'jusqu_a', { attributes: html`inputmode="numeric"` })}${input(
            n,
            'delai_jours',
            { attributes: html`inputmode="numeric"` },
          )}`
    }
    ${filled ? field({ name: `${list}.${n}.retirer`, label: `Retirer cette ligne (${titles.line.toLowerCase()} ${n + 1})`, kind: 'checkbox' }) : ''}
  </fieldset>`;
  })}
</fieldset>`;
}

export function planForm(model: PlanFormModel): SafeHtml {
  const { state } = model;
  const field = fieldsOf(state, undefined, model.stored);
  const values = state.values ?? model.stored;
  return html`${errorSummary(state, { labels: labelOf })}${formMessages(state)}
<form method="post" action="${model.action}" class="stacked-form" novalidate>${model.csrf}
  ${model.named ? field({ name: 'nom', label: FIELD_LABELS.nom!, required: true, attributes: html`maxlength="200"` }) : ''}
  ${field({ name: 'debut', label: FIELD_LABELS.debut!, required: true, hint: MONTH_HINT, attributes: html`inputmode="numeric"` })}
  ${field({
    name: 'duree_mois',
    label: 'Durée en mois',
    kind: 'number',
    required: true,
    hint: `De ${MIN_MONTHS} à ${MAX_MONTHS} mois.`,
    attributes: html`min="${MIN_MONTHS}" max="${MAX_MONTHS}"`,
  })}
  ${field({ name: 'solde_initial', label: 'Solde de trésorerie au début du premier mois', required: true, hint: `${AMOUNT_HINT} Un découvert s’écrit avec un signe moins.`, attributes: html`inputmode="decimal"` })}
  ${field({ name: 'seuil', label: 'Seuil de tension (facultatif)', hint: `${AMOUNT_HINT} Un mois qui finit sous ce solde est en tension ; sans seuil, seul un solde négatif l’est.`, attributes: html`inputmode="decimal"` })}
  ${field({ name: 'delai_clients_jours', label: 'Délai de paiement des clients, en jours (facultatif)', kind: 'number', hint: 'Les factures sont prises au 15 du mois : 30 jours les encaissent le mois suivant.', attributes: html`min="0" max="365"` })}
  ${field({ name: 'delai_fournisseurs_jours', label: 'Délai de paiement des fournisseurs, en jours (facultatif)', kind: 'number', attributes: html`min="0" max="365"` })}
  ${LISTS.map((list) => lineGroup(list, model.lines[list], field, values))}
  <fieldset id="profil">
    <legend><h2>Profil de la structure (facultatif)</h2></legend>
    <p class="hint">Pour proposer les avances, garanties et prêts du catalogue qui répondent aux mois de tension, disponibles sur votre territoire.</p>
    ${field({ name: 'profil.modele', label: FIELD_LABELS['profil.modele']!, kind: 'select', choices: modele.labels, blank: '— Choisir —' })}
    ${field({ name: 'profil.finalite', label: FIELD_LABELS['profil.finalite']!, kind: 'select', choices: finalite.labels, blank: '— Choisir —' })}
    ${field({ name: 'profil.modele_economique', label: FIELD_LABELS['profil.modele_economique']!, kind: 'select', choices: modeleEconomique.labels, blank: '— Choisir —' })}
    ${field({ name: 'profil.stade', label: FIELD_LABELS['profil.stade']!, kind: 'select', choices: stade.labels, blank: '— Choisir —' })}
    ${field({ name: 'profil.departement', label: FIELD_LABELS['profil.departement']!, kind: 'select', choices: model.departements, blank: '— Choisir —' })}
    ${field({ name: 'profil.agrement_esus', label: 'La structure a l’agrément ESUS', kind: 'checkbox' })}
  </fieldset>
  ${
    model.named
      ? field({
          name: 'avec_conventions',
          label: 'Ajouter les tranches que doivent encore les conventions de financement des appels de Maillage',
          kind: 'checkbox',
        })
      : ''
  }
  <p class="hint" id="ajout-aide">« Ajouter des lignes » donne ${ADDED_LINES} lignes vides de plus à chaque liste, sans rien enregistrer ni calculer.</p>
  <div class="form-actions">
    <button type="submit" class="button">${model.submit}</button>
    <button type="submit" class="button-link" name="${ADD_LINES}" value="oui" aria-describedby="ajout-aide">Ajouter des lignes</button>
  </div>
</form>`;
}
