/** Pages of a call's instruction: the calls one instructs, a call's applications, the comparison table. */
import { statutCandidature } from '../../../domain/application.ts';
import { html, type SafeHtml } from '../../../web/html.ts';
import { breadcrumb } from '../../../web/layout.ts';
import type { CallAccess } from './access.ts';
import type { Comparison, CritereRow } from './queries.ts';
import { errorSummary, formField, formMessages } from '../../../web/form-fields.ts';
import type { FormState } from '../../../web/forms.ts';
import { paris, score } from './view-parts.ts';

const home = { href: '/instruction', label: 'Instruction' };

export function instructionHomePage(calls: { id: number; titre: string; candidatures: number; instructeur: boolean }[]): SafeHtml {
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { label: 'Instruction' }])}
<h1>Instruction des candidatures</h1>
<p><a href="/gestion/appels">Mes appels (gestion)</a> : créer un appel, configurer ses informations, son calendrier et son éligibilité, le publier.</p>
${
  calls.length
    ? html`<ul class="result-list">${calls.map(
        (c) => html`<li class="result"><h2><a href="/instruction/appels/${c.id}">${c.titre}</a></h2>
  <p>${c.instructeur ? 'Instruction' : 'Évaluation'} — ${c.candidatures} candidature${c.candidatures > 1 ? 's' : ''} déposée${c.candidatures > 1 ? 's' : ''}</p></li>`,
      )}</ul>`
    : html`<p>Vous n’instruisez ni n’évaluez aucun appel pour le moment. Les rôles d’instruction s’attribuent depuis la page Administration ; les évaluateurs sont désignés par les instructeurs de l’appel.</p>`
}`;
}

function gridTable(grille: CritereRow[]): SafeHtml {
  if (!grille.length) return html`<p>Cet appel n’a pas encore de grille d’évaluation.</p>`;
  return html`<table class="table"><caption>Grille d’évaluation</caption>
<thead><tr><th scope="col">Critère</th><th scope="col">Poids</th><th scope="col">Échelle</th><th scope="col">Source</th></tr></thead>
<tbody>${grille.map(
    (c) => html`<tr><th scope="row">${c.libelle}${c.description ? html`<br><span class="hint">${c.description}</span>` : ''}</th>
  <td>${score(c.poids)}</td><td>de ${c.min} à ${c.max}</td><td>${c.source ?? 'Maillage'}</td></tr>`,
  )}</tbody></table>`;
}

export interface CallPageData {
  comparison: Comparison;
  reviewers: { id: number; nom: string; email: string }[];
}

export function callPage(access: CallAccess, data: CallPageData, csrf: SafeHtml, state: FormState): SafeHtml {
  const manage = access.role === 'instructeur';
  const { grille, lignes } = data.comparison;
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, home, { label: access.appel.titre }])}
<h1>${access.appel.titre}</h1>
<p>${manage ? 'Vous instruisez cet appel.' : 'Vous évaluez cet appel : vous voyez vos propres notes.'} <a href="/appels/${access.appel.id}">Fiche publique de l’appel</a></p>
${formMessages(state)}
<table class="table"><caption>Candidatures déposées (${lignes.length})</caption>
<thead><tr><th scope="col">Candidature</th><th scope="col">Candidat</th><th scope="col">Statut</th><th scope="col">Déposée le (heure de Paris)</th>
<th scope="col">${manage ? 'Note moyenne sur 100' : 'Ma note sur 100'}</th></tr></thead>
<tbody>${lignes.map(
    (
      l,
    ) => html`<tr><th scope="row"><a href="/instruction/candidatures/${l.id}">${l.titre}</a>${l.numero_depot ? html`<br><span class="hint">n° ${l.numero_depot}</span>` : ''}</th>
  <td>${l.chef_de_file ?? '—'}<br><span class="hint">compte : ${l.candidat}</span></td><td>${statutCandidature.label(l.statut)}</td>
  <td>${paris(l.depose_le)}</td><td>${score(l.total)}</td></tr>`,
  )}</tbody></table>
${
  manage
    ? html`<h2>Outils de l’instruction</h2>
<ul>
  <li><a href="/instruction/appels/${access.appel.id}/comparaison">Tableau comparatif et classement</a></li>
  <li><a href="/instruction/appels/${access.appel.id}/candidatures.csv" download>Exporter les candidatures et les notes (CSV pour Excel)</a></li>
  <li><a href="/instruction/appels/${access.appel.id}/candidatures.xlsx" download>Exporter les candidatures et les notes (XLSX)</a></li>
</ul>
<h2>Notifier les résultats</h2>
<p>Envoie à chaque candidat dont la candidature est retenue, non retenue, lauréate, refusée ou classée sans suite le courriel de sa décision, avec sa motivation. Une décision n’est jamais notifiée deux fois.</p>
<form method="post" action="/instruction/appels/${access.appel.id}/notifications">${csrf}<button type="submit" class="button">Notifier les résultats</button></form>
<h2>Évaluateurs et évaluatrices</h2>
${
  data.reviewers.length
    ? html`<ul>${data.reviewers.map(
        (r) => html`<li>${r.nom} (${r.email})
  <form method="post" action="/instruction/appels/${access.appel.id}/evaluateurs/retrait" class="inline">${csrf}<input type="hidden" name="compte" value="${r.id}">
  <button type="submit" class="button-link">Retirer ${r.nom}</button></form></li>`,
      )}</ul>`
    : html`<p>Aucun évaluateur désigné.</p>`
}
<form method="post" action="/instruction/appels/${access.appel.id}/evaluateurs" class="stacked-form" novalidate>${csrf}
  ${errorSummary(state, { form: 'evaluateur', labels: { email: 'Adresse e-mail' }, level: 3 })}
  ${formField({ form: 'evaluateur', name: 'email', label: 'Adresse e-mail du compte à désigner', kind: 'email', required: 'unmarked', autocomplete: 'off' }, state)}
  <button type="submit" class="button">Désigner</button>
</form>`
    : ''
}
<h2>Grille d’évaluation</h2>
${gridTable(grille)}
${
  manage
    ? html`<form method="post" action="/instruction/appels/${access.appel.id}/grille" class="stacked-form" novalidate>${csrf}
  <h3>Ajouter un critère</h3>
  ${errorSummary(state, { form: 'critere', labels: { libelle: 'Libellé', poids: 'Poids', min: 'Bas de l’échelle', max: 'Haut de l’échelle', description: 'Description' }, level: 3 })}
  ${formField({ form: 'critere', name: 'libelle', label: 'Libellé', required: 'unmarked' }, state)}
  ${formField({ form: 'critere', name: 'description', label: 'Description (facultative)', kind: 'textarea' }, state)}
  ${formField({ form: 'critere', name: 'poids', label: 'Poids', hint: 'Nombre positif, par exemple 1 ou 2,5.', required: 'unmarked', value: '1' }, state)}
  ${formField({ form: 'critere', name: 'min', label: 'Bas de l’échelle', kind: 'number', required: 'unmarked', value: '0' }, state)}
  ${formField({ form: 'critere', name: 'max', label: 'Haut de l’échelle', kind: 'number', required: 'unmarked', value: '5' }, state)}
  <button type="submit" class="button">Ajouter le critère</button>
</form>`
    : ''
}`;
}

export function comparisonPage(access: CallAccess, c: Comparison): SafeHtml {
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, home, { href: `/instruction/appels/${access.appel.id}`, label: access.appel.titre }, { label: 'Tableau comparatif' }])}
<h1>Tableau comparatif — ${access.appel.titre}</h1>
<p>Moyenne des fiches de notation pour chaque critère ; total pondéré ramené sur 100 (chaque critère pèse selon son poids, quelle que soit son échelle) ; les candidatures sans note ne sont pas classées.</p>
<table class="table"><caption>Candidatures classées par total pondéré</caption>
<thead><tr><th scope="col">Rang</th><th scope="col">Candidature</th><th scope="col">Statut</th>
${c.grille.map((k) => html`<th scope="col">${k.libelle} <span class="hint">(${k.min}–${k.max}, poids ${score(k.poids)})</span></th>`)}
<th scope="col">Fiches</th><th scope="col">Total sur 100</th></tr></thead>
<tbody>${c.lignes.map(
    (l) => html`<tr><td>${l.rang ?? '—'}</td><th scope="row"><a href="/instruction/candidatures/${l.id}">${l.titre}</a></th>
  <td>${statutCandidature.label(l.statut)}</td>${c.grille.map((k) => html`<td>${score(l.moyennes[k.id])}</td>`)}
  <td>${l.fiches}</td><td>${score(l.total)}</td></tr>`,
  )}</tbody></table>`;
}
