/** Pages of the moderation: the queue of the moderator's régions, a contribution to decide, its amendment form. */
import type { FastifyRequest } from 'fastify';
import { role as roleEnum } from '../../../domain/authorization.ts';
import { contributionAction, contributionKind } from '../../../domain/contribution.ts';
import { errorSummary, formField, formMessages } from '../../../web/form-fields.ts';
import type { FormState } from '../../../web/forms.ts';
import { html, type SafeHtml } from '../../../web/html.ts';
import { breadcrumb } from '../../../web/layout.ts';
import { csrfField } from '../../../platform/http/csrf.ts';
import { fieldLabel } from '../form.ts';
import { objectUrl } from '../objects.ts';
import { contributionFacts, proposalFields, proposedChanges, when, type ContributionView } from '../views.ts';
import type { OpenReport, PendingClaim, PendingTerritoire, QueuedContribution } from './queries.ts';

const trail = (items: { href?: string; label: string }[]) => breadcrumb([{ href: '/', label: 'Accueil' }, ...items]);

export interface QueueModel {
  scope: string;
  contributions: QueuedContribution[];
  reports: OpenReport[];
  claims: PendingClaim[];
  territoires: PendingTerritoire[];
  /** The queues other features add (platform/moderation-queue.ts). */
  others: SafeHtml;
  regionName(code: string): string;
  message?: string;
}

const regionsOf = (codes: string[], name: (code: string) => string) => (codes.length ? codes.map(name).join(', ') : 'National');

function claimForms(request: FastifyRequest, claim: PendingClaim): SafeHtml {
  const motif = `motif-revendication-${claim.id}`;
  return html`<form method="post" action="/moderation/revendications/${claim.id}/accepter" class="inline-form">${csrfField(request)}
    <button type="submit" class="button">Valider la demande n° ${claim.id}</button></form>
  <form method="post" action="/moderation/revendications/${claim.id}/refuser" class="stacked-form">${csrfField(request)}
    <div class="field"><label for="${motif}">Motif du refus de la demande n° ${claim.id}</label>
    <textarea id="${motif}" name="motif" rows="2"></textarea></div>
    <button type="submit" class="button">Refuser la demande n° ${claim.id}</button></form>`;
}

export function queuePage(request: FastifyRequest, model: QueueModel): SafeHtml {
  const region = (codes: string[]) => regionsOf(codes, model.regionName);
  return html`${trail([{ label: 'Modération' }])}
<h1>Modération</h1>
<p>${model.scope}</p>
<p><a href="/moderation/doublons">Doublons probables de vos régions</a> : fiches aux noms proches dans une même commune, à fusionner ou écarter.</p>
${formMessages({ notice: model.message })}
<h2 id="titre-contributions">Contributions en attente (${model.contributions.length})</h2>
${
  model.contributions.length === 0
    ? html`<p>Aucune contribution en attente.</p>`
    : html`<table class="table" aria-labelledby="titre-contributions">
  <thead><tr><th scope="col">N°</th><th scope="col">Proposition</th><th scope="col">Fiche</th><th scope="col">Région</th><th scope="col">Auteur</th><th scope="col">Reçue le</th></tr></thead>
  <tbody>${model.contributions.map(
    (c) => html`<tr>
    <td><a href="/moderation/contributions/${c.id}">n° ${c.id}<span class="visually-hidden"> : examiner</span></a></td>
    <td>${contributionAction.label(c.action)} — ${contributionKind.label(c.kind).toLowerCase()}</td>
    <td>${c.nom ?? ''}</td><td>${region(c.region_codes)}</td><td>${c.author_name ?? 'Compte supprimé'}</td><td>${when(c.created_at)}</td></tr>`,
  )}
  </tbody></table>`
}
<h2 id="titre-signalements">Signalements d’erreur ouverts (${model.reports.length})</h2>
${
  model.reports.length === 0
    ? html`<p>Aucun signalement ouvert.</p>`
    : html`<ul class="plain">${model.reports.map(
        (r) => html`<li class="result">
  <h3>Signalement n° ${r.id} — <a href="${objectUrl(r.kind, r.object_id)}">${r.nom ?? `${contributionKind.label(r.kind)} n° ${r.object_id}`}</a></h3>
  <p>${r.message}</p>
  <p class="hint">${region(r.region_codes)} — reçu le ${when(r.created_at)}${r.email ? html` — contact : ${r.email}` : ''}</p>
  <form method="post" action="/moderation/signalements/${r.id}/traiter">${csrfField(request)}
    <button type="submit" class="button">Marquer le signalement n° ${r.id} comme traité</button></form></li>`,
      )}</ul>`
}
<h2 id="titre-revendications">Demandes de rôle sur une structure (${model.claims.length})</h2>
${
  model.claims.length === 0
    ? html`<p>Aucune demande en attente.</p>`
    : html`<ul class="plain">${model.claims.map(
        (cl) => html`<li class="result">
  <h3>Demande n° ${cl.id} — <a href="${objectUrl('organisation', cl.organisation_id)}">${cl.nom}</a> (SIRET ${cl.siret})</h3>
  <p>${cl.account_name} (${cl.account_email}) demande le rôle « ${roleEnum.label(cl.role)} ».</p>
  <p>Justification : ${cl.justification}</p>
  <p class="hint">${region(cl.region_codes)} — reçue le ${when(cl.created_at)}</p>
  ${claimForms(request, cl)}</li>`,
      )}</ul>`
}
<h2 id="titre-territoires">Territoires de projet proposés (${model.territoires.length})</h2>
${
  model.territoires.length === 0
    ? html`<p>Aucun territoire de projet en attente.</p>`
    : html`<table class="table" aria-labelledby="titre-territoires">
  <thead><tr><th scope="col">N°</th><th scope="col">Nom</th><th scope="col">Périmètre</th><th scope="col">Région</th><th scope="col">Auteur</th><th scope="col">Reçue le</th></tr></thead>
  <tbody>${model.territoires.map(
    (p) => html`<tr>
    <td><a href="/moderation/territoires-projet/${p.id}">n° ${p.id}<span class="visually-hidden"> : examiner</span></a></td>
    <td>${p.nom}</td><td>${p.communes} commune(s), ${p.epcis} EPCI</td><td>${region(p.region_codes)}</td>
    <td>${p.author_name ?? 'Compte supprimé'}</td><td>${when(p.created_at)}</td></tr>`,
  )}
  </tbody></table>`
}
${model.others}`;
}

/** `duplicates`: the likely duplicates of a proposed new record (see contributions/duplicates). */
export function contributionDecisionPage(request: FastifyRequest, c: ContributionView, state: FormState, duplicates: SafeHtml | '' = ''): SafeHtml {
  const pending = c.status === 'en_attente';
  return html`${trail([{ href: '/moderation', label: 'Modération' }, { label: `Contribution n° ${c.id}` }])}
<h1>Contribution n° ${c.id}</h1>
${errorSummary(state, { labels: { motif: 'Motif du refus' } })}${formMessages(state)}
${contributionFacts(c)}
<h2>${c.action === 'modification' ? 'Modifications proposées' : 'Fiche proposée'}</h2>
${proposedChanges(c)}
${duplicates}
${
  pending
    ? html`<h2>Décision</h2>
<form method="post" action="/moderation/contributions/${c.id}/accepter">${csrfField(request)}
  <button type="submit" class="button">Accepter et publier</button></form>
<p><a href="/moderation/contributions/${c.id}/modifier">Modifier la proposition avant de l’accepter</a></p>
<form method="post" action="/moderation/contributions/${c.id}/refuser" class="stacked-form" novalidate>${csrfField(request)}
  ${formField({ name: 'motif', label: 'Motif du refus', kind: 'textarea', rows: 5, required: true, hint: 'Transmis par e-mail à l’auteur ou l’autrice.' }, state)}
  <button type="submit" class="button">Refuser</button></form>`
    : ''
}`;
}

export function amendPage(request: FastifyRequest, c: ContributionView, state: FormState): SafeHtml {
  return html`${trail([{ href: '/moderation', label: 'Modération' }, { href: `/moderation/contributions/${c.id}`, label: `Contribution n° ${c.id}` }, { label: 'Modifier puis accepter' }])}
<h1>Modifier puis accepter la contribution n° ${c.id}</h1>
<p>Corrigez la proposition : elle sera publiée telle que vous l’enregistrez, et son auteur ou autrice en sera averti.</p>
${errorSummary(state, { labels: (f) => fieldLabel(c.kind, f) })}${formMessages(state)}
<form method="post" action="/moderation/contributions/${c.id}/modifier" class="stacked-form" novalidate>
  ${csrfField(request)}
  ${proposalFields(c.kind, state)}
  <button type="submit" class="button">Enregistrer et publier</button>
</form>`;
}
