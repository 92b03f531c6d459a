/** The funding page of a laureate application: agreement, tranches, payments, reporting due dates and the indicators they expect. */
import { ETAT_RAPPORT_LIBELLES, euros } from '../../../domain/funding.ts';
import { etatAttendu } from '../../../domain/report-indicators.ts';
import { html, type SafeHtml } from '../../../web/html.ts';
import { breadcrumb } from '../../../web/layout.ts';
import type { ApplicationAccess } from './access.ts';
import type { Funding } from './funding.ts';
import { errorSummary, formField, formMessages } from '../../../web/form-fields.ts';
import type { FormState } from '../../../web/forms.ts';

const date = (iso: string) =>
  new Date(`${iso}T12:00:00Z`).toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris', day: 'numeric', month: 'long', year: 'numeric' });
const cents = (n: number | null) => (n === null ? 'à fixer' : euros(n));

function tranchesTable(access: ApplicationAccess, f: Funding, csrf: SafeHtml, state: FormState): SafeHtml {
  const base = `/instruction/candidatures/${access.candidature.id}/financement`;
  return html`<table class="table"><caption>Tranches de la convention</caption>
<thead><tr><th scope="col">Tranche</th><th scope="col">Montant</th><th scope="col">Échéance</th><th scope="col">Condition</th>
<th scope="col">Versé</th><th scope="col">Mettre à jour</th></tr></thead>
<tbody>${f.tranches.map(
    (t) => html`<tr><th scope="row">${t.libelle}</th><td>${cents(t.montantCentimes)}</td><td>${date(t.echeance)}</td>
  <td>${t.conditionnelle ? html`${t.condition ?? ''} — <strong>${t.conditionLevee ? 'condition remplie' : 'condition à constater'}</strong>` : 'Aucune'}</td>
  <td>${euros(t.verseCentimes)}${t.versements.length ? html`<ul>${t.versements.map((v) => html`<li>${euros(v.montantCentimes)} le ${date(v.verse_le)}</li>`)}</ul>` : ''}</td>
  <td><form method="post" action="${base}/tranches/${t.id}" novalidate>${csrf}
    ${formField({ form: `tranche-${t.id}`, name: 'montant', label: `Montant de « ${t.libelle} » (euros)` }, state)}
    ${t.conditionnelle && !t.conditionLevee ? formField({ form: `tranche-${t.id}`, name: 'condition_levee', label: 'Condition remplie', kind: 'checkbox' }, state) : ''}
    ${errorSummary(state, { form: `tranche-${t.id}`, labels: { montant: 'Montant' }, level: 3 })}
    <button type="submit" class="button">Mettre à jour</button></form></td></tr>`,
  )}</tbody></table>`;
}

type Report = Funding['rapports'][number];
export interface IndicatorChoice {
  code: string;
  libelle: string;
  unite: string;
}

function expectedList(r: Report): SafeHtml {
  if (!r.indicateurs.length) return html`Aucun`;
  const p = r.progression;
  return html`<p>${r.periode ? `Période ${r.periode} : ` : ''}${p.saisis} saisi${p.saisis > 1 ? 's' : ''} et ${p.valides} validé${p.valides > 1 ? 's' : ''} sur ${p.attendus}</p>
  <ul>${r.indicateurs.map((i) => html`<li>${i.libelle} — <strong>${etatAttendu.label(i.etat)}</strong></li>`)}</ul>`;
}

/** The instructors name what a due date expects: its period and the indicators, reference or the call's own. */
function expectationForm(base: string, r: Report, choices: readonly IndicatorChoice[], csrf: SafeHtml, state: FormState): SafeHtml {
  const form = `rapport-${r.id}`;
  return html`<form method="post" action="${base}/rapports/${r.id}/indicateurs" class="stacked-form" novalidate>${csrf}
  <h3>Indicateurs attendus pour « ${r.libelle} »</h3>
  ${errorSummary(state, { form, labels: { periode: 'Période couverte', indicateurs: 'Indicateurs attendus' }, level: 3 })}
  ${formField({ form, name: 'periode', label: 'Période couverte', hint: 'Une année (« 2022 ») ou un trimestre (« 2022-T4 »), dans les dates de la convention.', required: 'unmarked', value: r.periode ?? '', attributes: html`maxlength="7"` }, state)}
  ${formField({ form, name: 'indicateurs', label: 'Indicateurs attendus', kind: 'checkboxes', choices: choices.map((c) => ({ value: c.code, label: `${c.libelle} (${c.unite})` })), value: r.indicateurs.map((i) => i.code) }, state)}
  <button type="submit" class="button">Enregistrer les indicateurs attendus</button>
</form>`;
}

export function fundingPage(access: ApplicationAccess, f: Funding | null, choices: readonly IndicatorChoice[], csrf: SafeHtml, state: FormState): SafeHtml {
  const base = `/instruction/candidatures/${access.candidature.id}/financement`;
  const head = html`${breadcrumb([
    { href: '/', label: 'Accueil' },
    { href: '/instruction', label: 'Instruction' },
    { href: `/instruction/appels/${access.appel.id}`, label: access.appel.titre },
    { href: `/instruction/candidatures/${access.candidature.id}`, label: access.candidature.titre },
    { label: 'Financement' },
  ])}
<h1>Financement — ${access.candidature.titre}</h1>
${formMessages(state)}`;
  if (!f) {
    return html`${head}
<p>Aucune convention pour le moment. À sa création, les tranches prévues par l’appel sont reprises (par exemple pour l’AMI PTCE 2021 : 100 000 € pour les années 1 et 2, et une aide complémentaire en année 3, conditionnelle, au montant non précisé par l’AMI).</p>
<form method="post" action="${base}" class="stacked-form" novalidate>${csrf}
  ${errorSummary(state, { form: 'convention', labels: { debut: 'Date de début' }, level: 3 })}
  ${formField({ form: 'convention', name: 'debut', label: 'Date de début de la convention', kind: 'date', required: 'unmarked' }, state)}
  <button type="submit" class="button">Créer la convention</button>
</form>`;
  }
  const t = f.totaux;
  return html`${head}
<dl class="facts">
  <dt>Début de la convention</dt><dd>${date(f.debut)}</dd>
  <dt>Engagé ferme</dt><dd>${euros(t.fermeCentimes)}</dd>
  <dt>Conditionnel</dt><dd>${euros(t.conditionnelCentimes)}${t.montantsAFixer ? ` (et ${t.montantsAFixer} montant${t.montantsAFixer > 1 ? 's' : ''} à fixer)` : ''}</dd>
  <dt>Versé</dt><dd>${euros(t.verseCentimes)}</dd>
</dl>
${tranchesTable(access, f, csrf, state)}
<h2>Enregistrer un versement</h2>
<form method="post" action="${base}/versements" class="stacked-form" novalidate>${csrf}
  ${errorSummary(state, { form: 'versement', labels: { tranche: 'Tranche', montant: 'Montant', verse_le: 'Date du versement' }, level: 3 })}
  ${formField({ form: 'versement', name: 'tranche', label: 'Tranche', kind: 'select', choices: f.tranches.map((tr) => ({ value: String(tr.id), label: tr.libelle })) }, state)}
  ${formField({ form: 'versement', name: 'montant', label: 'Montant versé (euros)', hint: 'Par exemple 50 000 ou 12 500,50.', required: 'unmarked' }, state)}
  ${formField({ form: 'versement', name: 'verse_le', label: 'Date du versement', kind: 'date', required: 'unmarked' }, state)}
  <button type="submit" class="button">Enregistrer le versement</button>
</form>
<h2>Ajouter une tranche</h2>
<form method="post" action="${base}/tranches" class="stacked-form" novalidate>${csrf}
  ${errorSummary(state, { form: 'tranche', labels: { libelle: 'Libellé', montant: 'Montant', echeance: 'Échéance', condition: 'Condition' }, level: 3 })}
  ${formField({ form: 'tranche', name: 'libelle', label: 'Libellé', required: 'unmarked' }, state)}
  ${formField({ form: 'tranche', name: 'montant', label: 'Montant (euros, facultatif s’il n’est pas encore connu)' }, state)}
  ${formField({ form: 'tranche', name: 'echeance', label: 'Échéance', kind: 'date', required: 'unmarked' }, state)}
  ${formField({ form: 'tranche', name: 'conditionnelle', label: 'Tranche conditionnelle', kind: 'checkbox' }, state)}
  ${formField({ form: 'tranche', name: 'condition', label: 'Condition (pour une tranche conditionnelle)', kind: 'textarea' }, state)}
  <button type="submit" class="button">Ajouter la tranche</button>
</form>
<h2>Rapports</h2>
${
  f.rapports.length
    ? html`<table class="table"><caption>Échéances de rapport</caption>
<thead><tr><th scope="col">Rapport</th><th scope="col">Échéance</th><th scope="col">État</th><th scope="col">Indicateurs attendus</th><th scope="col">Action</th></tr></thead>
<tbody>${f.rapports.map(
        (r) => html`<tr><th scope="row">${r.libelle}</th><td>${date(r.echeance)}</td>
  <td>${ETAT_RAPPORT_LIBELLES[r.etat]}${r.remis_le ? ` (remis le ${date(r.remis_le)})` : ''}</td>
  <td>${expectedList(r)}</td>
  <td>${
    r.etat === 'valide' || (r.indicateurs.length && !r.remis_le)
      ? ''
      : html`<form method="post" action="${base}/rapports/${r.id}">${csrf}
    <input type="hidden" name="action" value="${r.remis_le ? 'valide' : 'remis'}">
    <button type="submit" class="button">${r.remis_le ? `Valider « ${r.libelle} »` : `Marquer « ${r.libelle} » comme remis aujourd’hui`}</button></form>`
  }</td></tr>`,
      )}</tbody></table>`
    : html`<p>Aucune échéance de rapport.</p>`
}
${f.rapports.some((r) => r.indicateurs.length) ? html`<p>Les valeurs saisies par le candidat se valident sur la page <a href="/indicateurs/validation">Indicateurs à valider</a> ; le rapport est remis quand toutes sont saisies.</p>` : ''}
${f.rapports.filter((r) => !r.valide).map((r) => expectationForm(base, r, choices, csrf, state))}
<form method="post" action="${base}/rapports" class="stacked-form" novalidate>${csrf}
  <h3>Ajouter une échéance de rapport</h3>
  ${errorSummary(state, { form: 'rapport', labels: { libelle: 'Libellé', echeance: 'Échéance' }, level: 3 })}
  ${formField({ form: 'rapport', name: 'libelle', label: 'Libellé', hint: 'Par exemple « Rapport d’étape de l’année 1 ».', required: 'unmarked' }, state)}
  ${formField({ form: 'rapport', name: 'echeance', label: 'Échéance', kind: 'date', required: 'unmarked' }, state)}
  <button type="submit" class="button">Ajouter l’échéance</button>
</form>`;
}
