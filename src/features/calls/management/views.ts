/** The call management pages: the calls one manages, creating a call, and one call's management page. */
import { formatParis, missingFor, nextStatutsAppel, statutAppel, type StatutAppel } from '../../../domain/call.ts';
import { errorSummary, fieldsOf, formMessages } from '../../../web/form-fields.ts';
import type { FormState } from '../../../web/forms.ts';
import { html, type SafeHtml } from '../../../web/html.ts';
import { breadcrumb } from '../../../web/layout.ts';
import { contentOf, type ManagedCall, type ManagedCallRow } from './queries.ts';
import { eligibilityForm, informationsForm, organisersForm, phasesForm } from './views-sections.ts';

const home = { href: '/gestion/appels', label: 'Mes appels (gestion)' };

export function callListPage(calls: ManagedCallRow[], mayCreate: boolean): SafeHtml {
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { label: home.label }])}
<h1>Mes appels à projets (gestion)</h1>
${mayCreate ? html`<p><a class="button" href="/gestion/appels/nouveau">Créer un appel</a></p>` : ''}
${
  calls.length
    ? html`<table class="table"><caption>Les appels que vous gérez (${calls.length})</caption>
<thead><tr><th scope="col">Appel</th><th scope="col">État</th><th scope="col">Prochaine clôture (heure de Paris)</th><th scope="col">Candidatures déposées</th></tr></thead>
<tbody>${calls.map(
        (c) => html`<tr><th scope="row"><a href="/gestion/appels/${c.id}">${c.titre}</a></th><td>${statutAppel.label(c.statut)}</td>
  <td>${c.prochaine_cloture ? formatParis(new Date(c.prochaine_cloture)) : '—'}</td><td>${c.candidatures}</td></tr>`,
      )}</tbody></table>`
    : html`<p>Vous ne gérez aucun appel pour le moment. ${
        mayCreate
          ? 'Créez-en un : vous en deviendrez l’instructrice ou l’instructeur.'
          : 'Les appels se créent par les personnes qui publient les dispositifs d’un financeur ; la gestion d’un appel s’attribue depuis la page Administration.'
      }</p>`
}`;
}

/** `providers`: the organisers one may choose (a scheme publisher's providers); null for a platform admin, who types any name. */
export function newCallPage(providers: string[] | null, csrf: SafeHtml, state: FormState): SafeHtml {
  const form = 'nouveau';
  const field = fieldsOf(state, form, { organisateur: providers?.[0] });
  const labels = { titre: 'Titre', description: 'Description', organisateur: 'Organisateur' };
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, home, { label: 'Créer un appel' }])}
<h1>Créer un appel à projets</h1>
<p>L’appel est d’abord « en préparation » : vous seul et les autres personnes qui le gèrent le voyez, jusqu’à sa mise en concertation
ou sa publication. Vous en devenez l’instructrice ou l’instructeur.</p>
${formMessages(state)}
<form method="post" action="/gestion/appels/nouveau" class="stacked-form" novalidate>${csrf}
  ${errorSummary(state, { form, labels, level: 3 })}
  ${field({ name: 'titre', label: labels.titre, required: true })}
  ${field({ name: 'description', label: labels.description, kind: 'textarea' })}
  ${
    providers
      ? field({
          name: 'organisateur',
          label: labels.organisateur,
          required: true,
          kind: 'select',
          choices: providers.map((p) => ({ value: p, label: p })),
          hint: 'Les porteurs dont vous publiez les dispositifs. D’autres financeurs s’ajoutent ensuite (appel mutualisé).',
        })
      : field({
          name: 'organisateur',
          label: labels.organisateur,
          required: true,
          hint: 'Nom du financeur qui organise l’appel. D’autres s’ajoutent ensuite (appel mutualisé).',
        })
  }
  <button type="submit" class="button">Créer l’appel</button>
</form>`;
}

const TRANSITIONS: Record<StatutAppel, { button: string; effect: string }> = {
  brouillon: { button: 'Repasser en préparation', effect: 'L’appel redevient privé : seules les personnes qui le gèrent le voient.' },
  brouillon_concertation: {
    button: 'Soumettre le projet à concertation',
    effect: 'Le projet d’appel devient public : chacun peut le lire et le commenter ; personne ne peut encore candidater.',
  },
  publie: { button: 'Publier l’appel', effect: 'L’appel devient public ; les candidatures sont reçues pendant ses phases de dépôt.' },
  clos: { button: 'Clore l’appel', effect: 'Plus aucune candidature n’est reçue et l’appel n’est plus modifiable : ce changement est définitif.' },
};

function statutSection(call: ManagedCall, csrf: SafeHtml, state: FormState): SafeHtml {
  const content = contentOf(call);
  return html`<p>État actuel : <strong>${statutAppel.label(call.statut)}</strong>.</p>
${nextStatutsAppel(call.statut).map((to) => {
  const form = `statut-${to}`;
  const missing = missingFor(to, content);
  return html`<form method="post" action="/gestion/appels/${call.id}/statut" class="stacked-form" novalidate>${csrf}
  <h3>${TRANSITIONS[to].button}</h3>
  ${errorSummary(state, { form, labels: { confirmation: 'Confirmation' }, level: 3 })}
  <p>${TRANSITIONS[to].effect}</p>
  ${missing.length ? html`<div class="notice"><p>Il manque encore :</p><ul>${missing.map((m) => html`<li>${m}</li>`)}</ul></div>` : ''}
  <input type="hidden" name="statut" value="${to}">
  ${fieldsOf(state, form)({ name: 'confirmation', label: `Je confirme : ${TRANSITIONS[to].button.toLowerCase()}`, kind: 'checkbox' })}
  <button type="submit" class="button">${TRANSITIONS[to].button}</button>
</form>`;
})}
${call.statut === 'clos' ? html`<p>Cet appel est clos : il n’est plus modifiable.</p>` : ''}`;
}

export interface ManagementData {
  dispositifs: { id: number; nom: string }[];
}

export function managementPage(call: ManagedCall, data: ManagementData, csrf: SafeHtml, state: FormState): SafeHtml {
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, home, { label: call.titre }])}
<h1>${call.titre}</h1>
<p><span class="badge">${statutAppel.label(call.statut)}</span> ${call.candidatures} candidature${call.candidatures > 1 ? 's' : ''} (brouillons compris).</p>
<ul>
  <li><a href="/appels/${call.id}">${call.statut === 'brouillon' ? 'Aperçu de la fiche publique' : 'Fiche publique de l’appel'}</a></li>
  <li><a href="/gestion/appels/${call.id}/formulaire">Formulaire de candidature</a></li>
  <li><a href="/instruction/appels/${call.id}">Instruction des candidatures et grille d’évaluation</a></li>
</ul>
<nav aria-label="Sections de la page"><p>Sur cette page :
  <a href="#etat">État</a>, <a href="#informations">Informations</a>, <a href="#organisateurs">Organisateurs</a>,
  <a href="#phases">Calendrier</a>, <a href="#eligibilite">Éligibilité</a>, <a href="#formulaire">Formulaire</a>, <a href="#grille">Grille</a>.</p></nav>
${formMessages(state)}
<h2 id="etat">État de l’appel</h2>
${statutSection(call, csrf, state)}
<h2 id="informations">Informations</h2>
${informationsForm(call, data.dispositifs, csrf, state)}
<h2 id="organisateurs">Organisateurs</h2>
${organisersForm(call, csrf, state)}
<h2 id="phases">Calendrier : phases et vagues</h2>
${phasesForm(call, csrf, state)}
<h2 id="eligibilite">Éligibilité</h2>
${eligibilityForm(call, csrf, state)}
<h2 id="formulaire">Formulaire de candidature</h2>
<p>${call.formulaire ? `Version ${call.formulaire.version}, ${call.formulaire.champs} champ${call.formulaire.champs > 1 ? 's' : ''}.` : 'Cet appel n’a pas encore de formulaire.'}
<a href="/gestion/appels/${call.id}/formulaire">Construire ou modifier le formulaire</a></p>
<h2 id="grille">Grille d’évaluation</h2>
<p>${call.criteres ? `${call.criteres} critère${call.criteres > 1 ? 's' : ''}.` : 'Pas encore de critère.'}
<a href="/instruction/appels/${call.id}">Composer la grille (critères, poids, échelle) sur la page d’instruction</a></p>`;
}
