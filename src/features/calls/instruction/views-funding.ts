/** The funding page of a laureate application: agreement, tranches, payments, reporting due dates. */
import { ETAT_RAPPORT_LIBELLES, euros } from '../../../domain/funding.ts';
import { html, type SafeHtml } from '../../../web/html.ts';
import { breadcrumb } from '../../../web/layout.ts';
import type { ApplicationAccess } from './access.ts';
import type { Funding } from './funding.ts';
import { errorSummary, field, messages, type FormState } from './view-parts.ts';

const date = (iso: string) => new Date(`${iso}T12:00:00Z`).toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris', day: 'numeric', month: 'long', year: 'numeric' });
const cents = (n: number | null) => (n === null ? 'à fixer' : euros(n));

function tranchesTable(access: ApplicationAccess, f: Funding, csrf: SafeHtml, state: FormState): SafeHtml {
  const base = `/instruction/candidatures/${access.candidature.id}/financement`;
  return html`<table class="table"><caption>Tranches de la convention</caption>
<thead><tr><th scope="col">Tranche</th><th scope="col">Montant</th><th scope="col">Échéance</th><th scope="col">Condition</th>
<th scope="col">Versé</th><th scope="col">Mettre à jour</th></tr></thead>
<tbody>${f.tranches.map((t) => html`<tr><th scope="row">${t.libelle}</th><td>${cents(t.montantCentimes)}</td><td>${date(t.echeance)}</td>
  <td>${t.conditionnelle ? html`${t.condition ?? ''} — <strong>${t.conditionLevee ? 'condition remplie' : 'condition à constater'}</strong>` : 'Aucune'}</td>
  <td>${euros(t.verseCentimes)}${t.versements.length ? html`<ul>${t.versements.map((v) => html`<li>${euros(v.montantCentimes)} le ${date(v.verse_le)}</li>`)}</ul>` : ''}</td>
  <td><form method="post" action="${base}/tranches/${t.id}" novalidate>${csrf}
    ${field({ form: `tranche-${t.id}`, name: 'montant', label: `Montant de « ${t.libelle} » (euros)`, state })}
    ${t.conditionnelle && !t.conditionLevee ? html`<div class="choice"><input type="checkbox" id="tranche-${t.id}-levee" name="condition_levee" value="oui">
      <label for="tranche-${t.id}-levee">Condition remplie</label></div>` : ''}
    ${errorSummary(state, `tranche-${t.id}`, { montant: 'Montant' })}
    <button type="submit" class="button">Mettre à jour</button></form></td></tr>`)}</tbody></table>`;
}

export function fundingPage(access: ApplicationAccess, f: Funding | null, csrf: SafeHtml, state: FormState): SafeHtml {
  const base = `/instruction/candidatures/${access.candidature.id}/financement`;
  const head = html`${breadcrumb([{ href: '/', label: 'Accueil' }, { href: '/instruction', label: 'Instruction' },
    { href: `/instruction/appels/${access.appel.id}`, label: access.appel.titre },
    { href: `/instruction/candidatures/${access.candidature.id}`, label: access.candidature.titre }, { label: 'Financement' }])}
<h1>Financement — ${access.candidature.titre}</h1>
${messages(state)}`;
  if (!f) {
    return html`${head}
<p>Aucune convention pour le moment. À sa création, les tranches prévues par l’appel sont reprises (par exemple pour l’AMI PTCE 2021 : 100 000 € pour les années 1 et 2, et une aide complémentaire en année 3, conditionnelle, au montant non précisé par l’AMI).</p>
<form method="post" action="${base}" class="stacked-form" novalidate>${csrf}
  ${errorSummary(state, 'convention', { debut: 'Date de début' })}
  ${field({ form: 'convention', name: 'debut', label: 'Date de début de la convention', type: 'date', required: true, state })}
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
  ${errorSummary(state, 'versement', { tranche: 'Tranche', montant: 'Montant', verse_le: 'Date du versement' })}
  <div class="field"><label for="versement-tranche">Tranche</label>
  <select id="versement-tranche" name="tranche">${f.tranches.map((tr) => html`<option value="${tr.id}">${tr.libelle}</option>`)}</select></div>
  ${field({ form: 'versement', name: 'montant', label: 'Montant versé (euros)', hint: 'Par exemple 50 000 ou 12 500,50.', required: true, state })}
  ${field({ form: 'versement', name: 'verse_le', label: 'Date du versement', type: 'date', required: true, state })}
  <button type="submit" class="button">Enregistrer le versement</button>
</form>
<h2>Ajouter une tranche</h2>
<form method="post" action="${base}/tranches" class="stacked-form" novalidate>${csrf}
  ${errorSummary(state, 'tranche', { libelle: 'Libellé', montant: 'Montant', echeance: 'Échéance', condition: 'Condition' })}
  ${field({ form: 'tranche', name: 'libelle', label: 'Libellé', required: true, state })}
  ${field({ form: 'tranche', name: 'montant', label: 'Montant (euros, facultatif s’il n’est pas encore connu)', state })}
  ${field({ form: 'tranche', name: 'echeance', label: 'Échéance', type: 'date', required: true, state })}
  <div class="choice"><input type="checkbox" id="tranche-conditionnelle" name="conditionnelle" value="oui"><label for="tranche-conditionnelle">Tranche conditionnelle</label></div>
  ${field({ form: 'tranche', name: 'condition', label: 'Condition (pour une tranche conditionnelle)', type: 'textarea', state })}
  <button type="submit" class="button">Ajouter la tranche</button>
</form>
<h2>Rapports</h2>
${f.rapports.length ? html`<table class="table"><caption>Échéances de rapport</caption>
<thead><tr><th scope="col">Rapport</th><th scope="col">Échéance</th><th scope="col">État</th><th scope="col">Action</th></tr></thead>
<tbody>${f.rapports.map((r) => html`<tr><th scope="row">${r.libelle}</th><td>${date(r.echeance)}</td>
  <td>${ETAT_RAPPORT_LIBELLES[r.etat]}${r.remis_le ? ` (remis le ${date(r.remis_le)})` : ''}</td>
  <td>${r.etat === 'valide' ? '' : html`<form method="post" action="${base}/rapports/${r.id}">${csrf}
    <input type="hidden" name="action" value="${r.remis_le ? 'valide' : 'remis'}">
    <button type="submit" class="button">${r.remis_le ? `Valider « ${r.libelle} »` : `Marquer « ${r.libelle} » comme remis aujourd’hui`}</button></form>`}</td></tr>`)}</tbody></table>`
    : html`<p>Aucune échéance de rapport.</p>`}
<form method="post" action="${base}/rapports" class="stacked-form" novalidate>${csrf}
  <h3>Ajouter une échéance de rapport</h3>
  ${errorSummary(state, 'rapport', { libelle: 'Libellé', echeance: 'Échéance' })}
  ${field({ form: 'rapport', name: 'libelle', label: 'Libellé', hint: 'Par exemple « Rapport d’étape de l’année 1 ».', required: true, state })}
  ${field({ form: 'rapport', name: 'echeance', label: 'Échéance', type: 'date', required: true, state })}
  <button type="submit" class="button">Ajouter l’échéance</button>
</form>`;
}
