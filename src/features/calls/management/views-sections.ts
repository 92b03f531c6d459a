/**
 * The section forms of a call's management page: informations, organisers, phases, eligibility. Each posts to
 * its own address with its CSRF field and works without JavaScript (rows to add are blank rows up front; a
 * row is removed by ticking « Retirer »). Phases are typed in Paris time and shown back as stored, with the
 * offset, so that the funder reads exactly the instant an applicant will be held to.
 */
import { formatParis, parisInputs, toParisIso } from '../../../domain/call.ts';
import { niveauCouverture } from '../../../domain/dispositif.ts';
import { errorSummary, fieldsOf } from '../../../web/form-fields.ts';
import type { FormState, FormValues } from '../../../web/forms.ts';
import { html, type SafeHtml } from '../../../web/html.ts';
import type { ManagedCall } from './queries.ts';
import { ELIGIBILITY_LISTS, SPARE_ROWS } from './schemas.ts';

const INFORMATION_LABELS: Record<string, string> = {
  titre: 'Titre',
  description: 'Description',
  cle: 'Clé',
  dispositif_id: 'Dispositif',
  laureats_min: 'Lauréats, au moins',
  laureats_max: 'Lauréats, au plus',
  budget: 'Budget',
  budget_texte: 'Financement, dans les mots de l’appel',
  couverture_niveau: 'Couverture',
  couverture_codes: 'Codes des territoires couverts',
};

const frenchAmount = (stored: string | null) => (stored === null ? '' : new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 }).format(Number(stored)));

export function informationsForm(call: ManagedCall, dispositifs: { id: number; nom: string }[], csrf: SafeHtml, state: FormState): SafeHtml {
  const form = 'informations';
  const field = fieldsOf(state, form, {
    titre: call.titre,
    description: call.description ?? '',
    cle: call.key,
    dispositif_id: call.dispositif_id ? String(call.dispositif_id) : '',
    laureats_min: call.laureats_min?.toString() ?? '',
    laureats_max: call.laureats_max?.toString() ?? '',
    budget: frenchAmount(call.budget),
    budget_texte: call.budget_texte ?? '',
    couverture_niveau: call.couverture_niveau ?? '',
    couverture_codes: call.couverture_codes.join(', '),
  });
  return html`<form method="post" action="/gestion/appels/${call.id}/informations" class="stacked-form" novalidate>${csrf}
  ${errorSummary(state, { form, labels: INFORMATION_LABELS, level: 3 })}
  ${field({ name: 'titre', label: 'Titre', required: true })}
  ${field({ name: 'description', label: 'Description', kind: 'textarea' })}
  ${field({ name: 'cle', label: 'Clé', required: true, hint: 'Identifiant stable de l’appel : minuscules sans accents, chiffres et tirets. Elle ne change plus une fois l’appel montré au public.' })}
  ${field({
    name: 'dispositif_id',
    label: 'Dispositif mis en œuvre',
    kind: 'select',
    blank: '— Aucun —',
    hint: 'Parmi les dispositifs du catalogue que portent les organisateurs de l’appel.',
    choices: dispositifs.map((d) => ({ value: String(d.id), label: d.nom })),
  })}
  ${field({ name: 'laureats_min', label: 'Lauréats, au moins', hint: 'Nombre entier ; laissez vide si l’appel ne le dit pas.', attributes: html`inputmode="numeric"` })}
  ${field({ name: 'laureats_max', label: 'Lauréats, au plus', hint: 'Nombre entier, au moins égal au précédent.', attributes: html`inputmode="numeric"` })}
  ${field({ name: 'budget', label: 'Budget total (euros)', hint: 'Par exemple 100 000 ou 100 000,50 ; laissez vide si l’appel ne le dit pas.', attributes: html`inputmode="decimal"` })}
  ${field({ name: 'budget_texte', label: 'Financement, dans les mots de l’appel', kind: 'textarea' })}
  ${field({ name: 'couverture_niveau', label: 'Couverture géographique', kind: 'select', blank: '— Non précisée —', choices: niveauCouverture.labels })}
  ${field({ name: 'couverture_codes', label: 'Codes des territoires couverts', hint: 'Codes du Code officiel géographique du niveau choisi, séparés par des virgules (ex. 84, 93 pour deux régions) ; rien pour une couverture nationale.' })}
  <button type="submit" class="button">Enregistrer les informations</button>
</form>`;
}

/** The rows a list form shows: those posted back after an error (spares included), else the stored ones and blank spares. */
function rowsOf(state: FormState, form: string, stored: FormValues[], blank: FormValues): FormValues[] {
  if (state.form === form && state.values) {
    const values = state.values;
    const indexes = new Set(
      Object.keys(values)
        .flatMap((k) => new RegExp(`^${form}\\.(\\d{1,3})\\.`).exec(k)?.[1] ?? [])
        .map(Number),
    );
    return [...indexes]
      .sort((a, b) => a - b)
      .map((i) =>
        Object.fromEntries(
          Object.entries(values)
            .filter(([k]) => k.startsWith(`${form}.${i}.`))
            .map(([k, v]) => [k.slice(`${form}.${i}.`.length), v]),
        ),
      );
  }
  return [...stored, ...Array.from({ length: SPARE_ROWS }, () => ({ ...blank }))];
}

/** Row fields' values under their posted names (`organisateurs.0.nom`). */
const prefixed = (list: string, i: number, row: FormValues): FormValues => Object.fromEntries(Object.entries(row).map(([k, v]) => [`${list}.${i}.${k}`, v]));

/** « Retirer » for a row that holds something (a blank spare row has nothing to remove); ticked again after an error. */
function removeBox(field: ReturnType<typeof fieldsOf>, name: string, label: string, row: FormValues): SafeHtml | '' {
  const filled = [row.id, row.nom, row.label].flat().some(Boolean);
  return filled ? field({ name, label, kind: 'checkbox' }) : '';
}

const rowLabel = (what: string, labels: Record<string, string>) => (f: string) => {
  const [, index, name] = f.split('.');
  return `${what} ${Number(index) + 1} — ${labels[name ?? ''] ?? name}`;
};

export function organisersForm(call: ManagedCall, csrf: SafeHtml, state: FormState): SafeHtml {
  const form = 'organisateurs';
  const rows = rowsOf(
    state,
    form,
    call.organisateurs.map((o) => ({ nom: o.nom, siret: o.siret ?? '' })),
    { nom: '', siret: '' },
  );
  return html`<form method="post" action="/gestion/appels/${call.id}/organisateurs" class="stacked-form" novalidate>${csrf}
  ${errorSummary(state, { form, labels: rowLabel('Organisateur', { nom: 'Nom', siret: 'SIRET' }), level: 3 })}
  <p class="hint">Un appel mutualisé compte plusieurs financeurs ; ils sont présentés dans cet ordre. Les lignes laissées vides sont ignorées.</p>
  ${rows.map((row, i) => {
    const field = fieldsOf(state, form, prefixed(form, i, row));
    const linked = state.form !== form && call.organisateurs[i]?.organisation_id;
    return html`<fieldset><legend>Organisateur ${i + 1}${linked ? ' (structure de l’Atlas)' : ''}</legend>
    ${field({ name: `${form}.${i}.nom`, label: 'Nom' })}
    ${field({ name: `${form}.${i}.siret`, label: 'SIRET (facultatif)', hint: '14 chiffres ; relie l’organisateur à sa fiche de l’Atlas quand elle existe.', attributes: html`inputmode="numeric"` })}
    ${removeBox(field, `${form}.${i}.retirer`, 'Retirer cet organisateur', row)}
  </fieldset>`;
  })}
  <button type="submit" class="button">Enregistrer les organisateurs</button>
</form>`;
}

const PHASE_LABELS: Record<string, string> = {
  vague: 'Vague',
  label: 'Nom de la phase',
  description: 'Description',
  ouverture_date: 'Ouverture (date)',
  ouverture_heure: 'Ouverture (heure)',
  cloture_date: 'Clôture (date)',
  cloture_heure: 'Clôture (heure)',
  depot: 'Dépôt des candidatures',
  resultats_date: 'Date des résultats',
  resultats_texte: 'Résultats, dans les mots de l’appel',
};

function storedPhase(p: ManagedCall['phases'][number]): FormValues {
  const opening = parisInputs(p.ouverture, 'ouverture');
  const closing = parisInputs(p.cloture, 'cloture');
  return {
    id: String(p.id),
    vague: p.vague ?? '',
    label: p.label,
    description: p.description ?? '',
    ouverture_date: opening.date,
    ouverture_heure: opening.time,
    cloture_date: closing.date,
    cloture_heure: closing.time,
    depot: p.depot ? 'oui' : 'non',
    resultats_date: p.resultats_date ?? '',
    resultats_texte: p.resultats_texte ?? '',
  };
}

export function phasesForm(call: ManagedCall, csrf: SafeHtml, state: FormState): SafeHtml {
  const form = 'phases';
  const blank = {
    id: '',
    vague: '',
    label: '',
    description: '',
    ouverture_date: '',
    ouverture_heure: '',
    cloture_date: '',
    cloture_heure: '',
    depot: 'oui',
    resultats_date: '',
    resultats_texte: '',
  };
  const rows = rowsOf(state, form, call.phases.map(storedPhase), blank);
  return html`<form method="post" action="/gestion/appels/${call.id}/phases" class="stacked-form" novalidate>${csrf}
  ${errorSummary(state, { form, labels: rowLabel('Phase', PHASE_LABELS), level: 3 })}
  <p class="hint">Dates et heures de Paris. Une clôture sans heure vaut « minuit, délai de rigueur » : le dernier instant accepté est 23:59:59,999 ce jour-là.
  Une ouverture sans heure commence à 00:00. Un appel permanent compte plusieurs vagues. Les lignes laissées vides sont ignorées.</p>
  ${rows.map((row, i) => {
    const field = fieldsOf(state, form, prefixed(form, i, row));
    const id = String([row.id ?? ''].flat()[0] ?? '');
    const stored = call.phases.find((p) => String(p.id) === id);
    const name = (f: string) => `${form}.${i}.${f}`;
    return html`<fieldset><legend>${stored ? `Phase ${i + 1} : ${stored.label}` : `Nouvelle phase (ligne ${i + 1})`}</legend>
    <input type="hidden" name="${name('id')}" value="${id}">
    ${stored ? html`<p class="hint">Enregistrée : ouverture ${toParisIso(stored.ouverture)} (${formatParis(stored.ouverture)}), clôture ${toParisIso(stored.cloture)} (${formatParis(stored.cloture)}), heure de Paris.</p>` : ''}
    ${field({ name: name('vague'), label: 'Vague (facultatif)', hint: 'Pour un appel permanent, ex. « Vague 1 ».' })}
    ${field({ name: name('label'), label: 'Nom de la phase' })}
    ${field({ name: name('description'), label: 'Description (facultative)', kind: 'textarea' })}
    ${field({ name: name('ouverture_date'), label: 'Ouverture : date', kind: 'date', hint: 'AAAA-MM-JJ' })}
    ${field({ name: name('ouverture_heure'), label: 'Ouverture : heure (facultative)', kind: 'time', hint: 'HH:MM ; vide : 00:00' })}
    ${field({ name: name('cloture_date'), label: 'Clôture : date', kind: 'date', hint: 'AAAA-MM-JJ' })}
    ${field({ name: name('cloture_heure'), label: 'Clôture : heure (facultative)', kind: 'time', hint: 'HH:MM, dernier instant accepté ; vide : minuit, délai de rigueur' })}
    ${field({
      name: name('depot'),
      label: 'Dépôt des candidatures pendant cette phase',
      kind: 'select',
      choices: [
        { value: 'oui', label: 'Oui' },
        { value: 'non', label: 'Non (par exemple une sélection parmi les lauréats)' },
      ],
    })}
    ${field({ name: name('resultats_date'), label: 'Résultats attendus le (facultatif)', kind: 'date' })}
    ${field({ name: name('resultats_texte'), label: 'Résultats, dans les mots de l’appel (facultatif)' })}
    ${removeBox(field, name('retirer'), 'Retirer cette phase', row)}
  </fieldset>`;
  })}
  <button type="submit" class="button">Enregistrer les phases</button>
</form>`;
}

const ELIGIBILITY_LEGENDS: Record<keyof typeof ELIGIBILITY_LISTS, string> = {
  stades: 'Stades de la coopération',
  modeles: 'Modèles de coopération',
  finalites: 'Finalités',
  modeles_economiques: 'Modèles économiques',
  formes_juridiques: 'Formes juridiques de la structure porteuse (catégories INSEE)',
};

export function eligibilityForm(call: ManagedCall, csrf: SafeHtml, state: FormState): SafeHtml {
  const form = 'eligibilite';
  const e = call.eligibilite;
  const field = fieldsOf(state, form, {
    stades: e.stades ?? [],
    modeles: e.modeles ?? [],
    finalites: e.finalites ?? [],
    modeles_economiques: e.modeles_economiques ?? [],
    formes_juridiques: e.formes_juridiques ?? [],
    esus_requis: e.esus_requis ? 'oui' : '',
  });
  return html`<form method="post" action="/gestion/appels/${call.id}/eligibilite" class="stacked-form" novalidate>${csrf}
  ${errorSummary(state, { form, labels: ELIGIBILITY_LEGENDS, level: 3 })}
  <p class="hint">Dans les termes du profil d’orientation. Une liste sans case cochée ne restreint pas : toutes les valeurs sont admises.</p>
  ${(Object.keys(ELIGIBILITY_LISTS) as (keyof typeof ELIGIBILITY_LISTS)[]).map((name) =>
    field({ name, label: ELIGIBILITY_LEGENDS[name], kind: 'checkboxes', choices: ELIGIBILITY_LISTS[name].labels }),
  )}
  ${field({ name: 'esus_requis', label: 'Agrément ESUS requis', kind: 'checkbox' })}
  <button type="submit" class="button">Enregistrer l’éligibilité</button>
</form>`;
}
