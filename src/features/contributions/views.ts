/** Pages of contributions: the proposal forms, a contribution's page, the version history, error reports and claims. */
import type { FastifyRequest } from 'fastify';
import { contributionAction, contributionKind, contributionStatus, type ContributionKind } from '../../domain/contribution.ts';
import { diffRecords, type FieldChange } from '../../domain/diff.ts';
import { formatParisDateTime } from '../../domain/calendar.ts';
import { errorSummary, formField, formMessages } from '../../web/form-fields.ts';
import type { FormState } from '../../web/forms.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import { breadcrumb } from '../../web/layout.ts';
import { csrfField } from '../../platform/http/csrf.ts';
import { displayValue, FIELD_SPECS, fieldLabel, membersFieldset, proposalField } from './form.ts';
import { objectUrl } from './objects.ts';
import { PROPOSAL_FIELDS } from './schemas.ts';
import type { VersionRow } from './versions.ts';

const KIND_TRAIL: Record<ContributionKind, { href: string; label: string }> = {
  organisation: { href: '/recherche?type=organisations', label: 'Structures' },
  cooperation: { href: '/recherche?type=cooperations', label: 'Coopérations' },
  dispositif: { href: '/dispositifs', label: 'Dispositifs' },
};

/** « une structure », « une coopération », « un dispositif ». */
export const KIND_ARTICLE: Record<ContributionKind, string> = {
  organisation: 'une structure',
  cooperation: 'une coopération',
  dispositif: 'un dispositif',
};

export const NEW_PATHS: Record<ContributionKind, string> = {
  organisation: '/contributions/nouvelle/structure',
  cooperation: '/contributions/nouvelle/cooperation',
  dispositif: '/contributions/nouvelle/dispositif',
};

const objectTrail = (kind: ContributionKind, id: number, name: string, label: string) =>
  breadcrumb([{ href: '/', label: 'Accueil' }, KIND_TRAIL[kind], { href: objectUrl(kind, id), label: name }, { label }]);

export function when(at: string | Date): SafeHtml {
  const date = new Date(at);
  return html`<time datetime="${date.toISOString()}">${formatParisDateTime(date)}</time>`;
}

/** The table « champ, avant, après » of a list of changes. */
export function diffTable(kind: ContributionKind, changes: FieldChange[], caption: string): SafeHtml {
  if (!changes.length) return html`<p>Aucun champ modifié.</p>`;
  const cell = (field: string, value: unknown) => {
    const text = displayValue(kind, field, value);
    return text ? html`<td>${text}</td>` : html`<td><span class="hint">(vide)</span></td>`;
  };
  return html`<table class="table diff">
  <caption>${caption}</caption>
  <thead><tr><th scope="col">Champ</th><th scope="col">Avant</th><th scope="col">Après</th></tr></thead>
  <tbody>${changes.map((c) => html`<tr><th scope="row">${fieldLabel(kind, c.field)}</th>${cell(c.field, c.before)}${cell(c.field, c.after)}</tr>`)}</tbody>
</table>`;
}

export function newChoicePage(): SafeHtml {
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { label: 'Proposer une fiche' }])}
<h1>Proposer une fiche</h1>
<p>Votre proposition est relue par la modération de sa région avant d’être publiée ; vous êtes prévenu par e-mail de la décision.
Pour corriger une fiche existante, ouvrez-la et choisissez « Proposer une modification ».</p>
<ul>
  <li><a href="${NEW_PATHS.organisation}">Proposer une structure</a></li>
  <li><a href="${NEW_PATHS.cooperation}">Proposer une coopération</a></li>
  <li><a href="${NEW_PATHS.dispositif}">Proposer un dispositif</a></li>
</ul>`;
}

export interface ProposalFormModel {
  kind: ContributionKind;
  target: { id: number; name: string } | null;
  /** The values: the object's current ones, or those posted back with their errors. */
  state: FormState;
  /** The author may edit directly: the edit is published at once. */
  direct: boolean;
}

export function formAction(kind: ContributionKind, target: { id: number } | null): string {
  return target ? `${objectUrl(kind, target.id)}/modifier` : NEW_PATHS[kind];
}

/** The fields of a proposal, for the contribution forms and the moderator's amendment form. */
export function proposalFields(kind: ContributionKind, state: FormState): SafeHtml {
  return html`${FIELD_SPECS[kind].map((spec) => proposalField(spec, state))}${kind === 'cooperation' ? membersFieldset(state) : ''}`;
}

export function proposalFormPage(request: FastifyRequest, model: ProposalFormModel): SafeHtml {
  const { kind, target } = model;
  const title = target ? `Proposer une modification : ${target.name}` : `Proposer ${KIND_ARTICLE[kind]}`;
  const trail = target
    ? objectTrail(kind, target.id, target.name, 'Proposer une modification')
    : breadcrumb([{ href: '/', label: 'Accueil' }, { href: '/contributions/nouvelle', label: 'Proposer une fiche' }, { label: title }]);
  return html`${trail}
<h1>${title}</h1>
${
  model.direct
    ? html`<p>Vous avez les droits d’édition de cette fiche : vos modifications seront publiées directement et gardées dans son historique.</p>`
    : html`<p>Votre proposition sera relue par la modération de la région concernée avant publication. Les champs marqués « (obligatoire) » doivent être remplis.</p>`
}
${errorSummary(model.state, { labels: (name) => fieldLabel(kind, name) })}
<form method="post" action="${formAction(kind, target)}" class="stacked-form" novalidate>
  ${csrfField(request)}
  ${proposalFields(kind, model.state)}
  <button type="submit" class="button">${model.direct ? 'Publier les modifications' : 'Envoyer la proposition'}</button>
</form>`;
}

export interface ContributionView {
  id: number;
  kind: ContributionKind;
  action: 'creation' | 'modification';
  status: string;
  data: Record<string, unknown>;
  /** For an edit, the object as its author saw it. */
  base: Record<string, unknown> | null;
  target_id: number | null;
  reason: string | null;
  created_at: string | Date;
  decided_at: string | Date | null;
  author_name: string | null;
  region_names: string[];
}

/** Summary lines of a contribution: what, where, who, when. */
export function contributionFacts(c: ContributionView): SafeHtml {
  return html`<dl class="facts">
  <dt>Objet</dt><dd>${contributionAction.label(c.action)} — ${contributionKind.label(c.kind).toLowerCase()}${c.target_id ? html` (<a href="${objectUrl(c.kind, c.target_id)}">fiche n° ${c.target_id}</a>)` : ''}</dd>
  <dt>Statut</dt><dd>${contributionStatus.label(c.status)}</dd>
  <dt>Proposée par</dt><dd>${c.author_name ?? 'Compte supprimé'}, le ${when(c.created_at)}</dd>
  <dt>Région</dt><dd>${c.region_names.length ? c.region_names.join(', ') : 'Aucune (administration de la plateforme)'}</dd>
  ${c.decided_at ? html`<dt>Décision</dt><dd>le ${when(c.decided_at)}</dd>` : ''}
  ${c.reason ? html`<dt>Motif</dt><dd>${c.reason}</dd>` : ''}
</dl>`;
}

/** What a contribution changes: for an edit, the fields its author changed (before: as they saw them). */
export function proposedChanges(c: ContributionView): SafeHtml {
  const caption = c.base ? 'Champs modifiés par la proposition : valeur vue par son auteur, valeur proposée' : 'Contenu de la fiche proposée';
  return diffTable(c.kind, diffRecords(c.base, c.data, PROPOSAL_FIELDS[c.kind]), caption);
}

/** `warning`: the likely duplicates of a proposed new record, shown to its author (see contributions/duplicates). */
export function contributionPage(c: ContributionView, message?: string, warning: SafeHtml | '' = ''): SafeHtml {
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { label: `Contribution n° ${c.id}` }])}
<h1>Contribution n° ${c.id}</h1>
${formMessages({ notice: message })}
${warning}
${contributionFacts(c)}
<h2>Contenu proposé</h2>
${proposedChanges(c)}
${c.target_id && c.status !== 'refusee' ? html`<p><a href="${objectUrl(c.kind, c.target_id)}">Voir la fiche</a></p>` : ''}`;
}

export function historyPage(kind: ContributionKind, id: number, name: string, versions: VersionRow[]): SafeHtml {
  const byAuthor = (v: VersionRow) => {
    if (v.source_label) return v.source_label;
    if (v.author_id === null && v.contribution_id === null && v.author_name === null && v.version === 1) return 'Fiche d’origine (source citée sur la fiche)';
    return v.author_name ?? 'Compte supprimé';
  };
  return html`${objectTrail(kind, id, name, 'Historique')}
<h1>Historique : ${name}</h1>
${
  versions.length === 0
    ? html`<p>Cette fiche n’a pas été modifiée depuis son chargement : elle n’a pas encore d’historique.</p>`
    : html`<ol class="history" reversed>
${versions.map((v, i) => {
  const previous = versions[i + 1]?.snapshot ?? null;
  return html`<li><h2>Version ${v.version}</h2>
  <p>${byAuthor(v)}, le ${when(v.at)}${v.contribution_id ? html` — contribution n° ${v.contribution_id}` : ''}</p>
  ${diffTable(kind, diffRecords(previous, v.snapshot, PROPOSAL_FIELDS[kind]), `Changements de la version ${v.version}`)}</li>`;
})}</ol>`
}
<p><a href="${objectUrl(kind, id)}">Retour à la fiche</a></p>`;
}

const REPORT_LABELS = { message: 'Erreur constatée', email: 'Votre adresse e-mail (facultatif)' };

export function reportFormPage(request: FastifyRequest, kind: ContributionKind, id: number, name: string, state: FormState): SafeHtml {
  return html`${objectTrail(kind, id, name, 'Signaler une erreur')}
<h1>Signaler une erreur : ${name}</h1>
<p>Décrivez ce qui est inexact ou manquant sur cette fiche ; la modération de sa région le vérifiera. Aucun compte n’est nécessaire.</p>
${errorSummary(state, { labels: REPORT_LABELS })}${formMessages(state)}
<form method="post" action="${objectUrl(kind, id)}/signaler" class="stacked-form" novalidate>
  ${csrfField(request)}
  ${formField({ name: 'message', label: REPORT_LABELS.message, kind: 'textarea', rows: 5, required: true }, state)}
  ${formField({ name: 'email', label: REPORT_LABELS.email, kind: 'email', autocomplete: 'email', hint: 'Seulement pour vous répondre si besoin. Format : nom@exemple.fr' }, state)}
  <button type="submit" class="button">Envoyer le signalement</button>
</form>`;
}

export function reportSentPage(kind: ContributionKind, id: number, name: string): SafeHtml {
  return html`${objectTrail(kind, id, name, 'Signaler une erreur')}
<h1>Merci pour votre signalement</h1>
${formMessages({ notice: 'Votre signalement est transmis à la modération, qui corrigera la fiche si besoin.' })}
<p><a href="${objectUrl(kind, id)}">Retour à la fiche</a></p>`;
}

const CLAIM_LABELS = { role: 'Rôle demandé', justification: 'Votre lien avec la structure' };

export function claimFormPage(request: FastifyRequest, id: number, name: string, state: FormState): SafeHtml {
  return html`${objectTrail('organisation', id, name, 'Revendiquer cette structure')}
<h1>Revendiquer cette structure : ${name}</h1>
<p>Membre ou administrateur d’une structure, vous pourrez en tenir la fiche à jour. Votre demande est vérifiée par la
modération de la région de la structure ; vous recevrez sa décision par e-mail.</p>
${errorSummary(state, { labels: CLAIM_LABELS })}${formMessages(state)}
<form method="post" action="/organisations/${id}/revendiquer" class="stacked-form" novalidate>
  ${csrfField(request)}
  ${formField(
    {
      name: 'role',
      label: CLAIM_LABELS.role,
      kind: 'radios',
      required: true,
      choices: {
        membre: 'Membre : je fais partie de la structure',
        administrateur: 'Administrateur : je peux modifier sa fiche directement',
      },
    },
    state,
  )}
  ${formField(
    {
      name: 'justification',
      label: CLAIM_LABELS.justification,
      kind: 'textarea',
      rows: 5,
      required: true,
      hint: 'Votre fonction, votre mandat, une adresse e-mail de la structure… tout ce qui aide à vérifier.',
    },
    state,
  )}
  <button type="submit" class="button">Envoyer la demande</button>
</form>`;
}

export function claimSentPage(id: number, name: string): SafeHtml {
  return html`${objectTrail('organisation', id, name, 'Revendiquer cette structure')}
<h1>Demande envoyée</h1>
${formMessages({ notice: 'Votre demande est transmise à la modération de la région de la structure. Vous recevrez sa décision par e-mail.' })}
<p><a href="/organisations/${id}">Retour à la fiche</a></p>`;
}

export interface MyContribution {
  id: number;
  kind: ContributionKind;
  action: 'creation' | 'modification';
  status: string;
  target_id: number | null;
  nom: string | null;
  created_at: string | Date;
}

export function myContributionsPage(mine: MyContribution[], moderator: boolean): SafeHtml {
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { label: 'Mes contributions' }])}
<h1>Mes contributions</h1>
<p><a class="button-link" href="/contributions/nouvelle">Proposer une fiche</a>${moderator ? html` <a href="/moderation">File de modération</a>` : ''}</p>
${
  mine.length === 0
    ? html`<p>Vous n’avez encore rien proposé.</p>`
    : html`<table class="table">
  <caption>Vos propositions, de la plus récente à la plus ancienne</caption>
  <thead><tr><th scope="col">N°</th><th scope="col">Proposition</th><th scope="col">Fiche</th><th scope="col">Statut</th><th scope="col">Envoyée le</th></tr></thead>
  <tbody>${mine.map(
    (c) => html`<tr><td><a href="/contributions/${c.id}">n° ${c.id}</a></td>
    <td>${contributionAction.label(c.action)} — ${contributionKind.label(c.kind).toLowerCase()}</td>
    <td>${c.target_id && c.status !== 'refusee' ? html`<a href="${objectUrl(c.kind, c.target_id)}">${c.nom ?? ''}</a>` : (c.nom ?? '')}</td>
    <td>${contributionStatus.label(c.status)}</td><td>${when(c.created_at)}</td></tr>`,
  )}</tbody>
</table>`
}`;
}
