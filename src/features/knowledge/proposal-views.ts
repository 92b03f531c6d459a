/**
 * Pages of the contributed knowledge base: the proposal form (a new resource or an edit), a proposal's page
 * (its author and the moderators of its région, who decide there), a resource's version history, and the
 * section the moderation queue lists them in.
 */
import type { FastifyRequest } from 'fastify';
import { formatParisDateTime } from '../../domain/calendar.ts';
import { contributionAction, contributionStatus } from '../../domain/contribution.ts';
import { modele, stade } from '../../domain/cooperation.ts';
import { diffRecords, type FieldChange } from '../../domain/diff.ts';
import { themeRessource, typeRessource } from '../../domain/knowledge.ts';
import { csrfField } from '../../platform/http/csrf.ts';
import type { TerritoryIndex } from '../../platform/territory-index.ts';
import { errorSummary, formField, formMessages } from '../../web/form-fields.ts';
import type { FormState } from '../../web/forms.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import { breadcrumb } from '../../web/layout.ts';
import type { ProposalFile } from './proposal-files.ts';
import { RESOURCE_FIELDS, RESOURCE_LABELS, type PendingResourceProposal, type ResourceProposalRow, type ResourceVersion } from './proposals.ts';
import { filesSection } from './views.ts';

export const PROPOSE_PATH = '/ressources/proposer';
export const proposalPath = (id: number) => `/ressources/propositions/${id}`;

const trail = (items: { href?: string; label: string }[]) =>
  breadcrumb([{ href: '/', label: 'Accueil' }, { href: '/ressources', label: 'Ressources' }, ...items]);

const when = (at: Date) => html`<time datetime="${at.toISOString()}">${formatParisDateTime(at)}</time>`;

/** A field's value as a reader sees it: labels of codes, names of territories, numbers of linked objects. */
function shown(field: string, value: unknown, index: TerritoryIndex): SafeHtml | string {
  if (value === null || value === undefined) return '';
  const list = (labels: (code: string) => string) => (Array.isArray(value) ? value.map((v) => labels(String(v))).join(', ') : String(value));
  switch (field) {
    case 'type':
      return typeRessource.label(String(value));
    case 'themes':
      return list(themeRessource.label);
    case 'stades':
      return list(stade.label);
    case 'modeles':
      return list(modele.label);
    case 'region':
    case 'departement':
      return `${index.name(field, String(value)) ?? value} (${value})`;
    case 'cooperations':
    case 'dispositifs':
      return list((id) => `n° ${id}`);
    default:
      // Long texts keep their lines (the Markdown is shown as written, never rendered here).
      return html`${String(value)
        .split('\n')
        .map((line, i) => html`${i ? html`<br>` : ''}${line}`)}`;
  }
}

/** The table « champ, avant, après » of a list of changes. */
function changesTable(changes: FieldChange[], caption: string, index: TerritoryIndex): SafeHtml {
  if (!changes.length) return html`<p>Aucun champ modifié.</p>`;
  const cell = (field: string, value: unknown) => {
    const text = shown(field, value, index);
    return text === '' ? html`<td><span class="hint">(vide)</span></td>` : html`<td>${text}</td>`;
  };
  return html`<table class="table diff">
  <caption>${caption}</caption>
  <thead><tr><th scope="col">Champ</th><th scope="col">Avant</th><th scope="col">Après</th></tr></thead>
  <tbody>${changes.map((c) => html`<tr><th scope="row">${RESOURCE_LABELS[c.field] ?? c.field}</th>${cell(c.field, c.before)}${cell(c.field, c.after)}</tr>`)}</tbody>
</table>`;
}

export interface ProposalFormModel {
  target: { id: number; titre: string } | null;
  state: FormState;
  index: TerritoryIndex;
}

export function proposalFormPage(request: FastifyRequest, { target, state, index }: ProposalFormModel): SafeHtml {
  const action = target ? `/ressources/${target.id}/modifier` : PROPOSE_PATH;
  const title = target ? `Proposer une modification : ${target.titre}` : 'Proposer une ressource';
  const regions = Object.fromEntries([...index.regions.values()].map((r) => [r.code, r.name]));
  const departements = Object.fromEntries([...index.departements.values()].map((d) => [d.code, `${d.name} (${d.code})`]));
  return html`${trail(target ? [{ href: `/ressources/${target.id}`, label: target.titre }, { label: 'Proposer une modification' }] : [{ label: 'Proposer une ressource' }])}
<h1>${title}</h1>
<p>Retour d’expérience, méthode, outil ou fiche technique : votre proposition est relue par la modération de sa région
(sans région, par l’administration de la plateforme) avant d’être publiée, et chaque version publiée reste lisible dans l’historique de la ressource.
Vous recevez la décision par e-mail.</p>
${errorSummary(state, { labels: RESOURCE_LABELS })}${formMessages(state)}
<form method="post" action="${action}" class="stacked-form" novalidate>
  ${csrfField(request)}
  ${formField({ name: 'titre', label: RESOURCE_LABELS.titre!, required: true, attributes: html`maxlength="300"` }, state)}
  ${formField({ name: 'type', label: RESOURCE_LABELS.type!, kind: 'select', choices: typeRessource.labels, blank: '— Choisir —', required: true }, state)}
  ${formField({ name: 'resume', label: RESOURCE_LABELS.resume!, kind: 'textarea', rows: 3, required: true, hint: 'Une ou deux phrases, montrées dans les résultats de recherche.' }, state)}
  ${formField(
    {
      name: 'corps',
      label: RESOURCE_LABELS.corps!,
      kind: 'textarea',
      rows: 16,
      required: true,
      hint: 'Markdown simple : « ## » pour un titre, « - » pour une liste, **gras**, *italique*, [texte](https://adresse) pour un lien. Rien d’autre n’est interprété.',
    },
    state,
  )}
  ${formField({ name: 'themes', label: RESOURCE_LABELS.themes!, kind: 'checkboxes', choices: themeRessource.labels }, state)}
  ${formField({ name: 'stades', label: RESOURCE_LABELS.stades!, kind: 'checkboxes', choices: stade.labels, hint: 'Les stades auxquels la ressource s’adresse.' }, state)}
  ${formField({ name: 'modeles', label: RESOURCE_LABELS.modeles!, kind: 'checkboxes', choices: modele.labels }, state)}
  ${formField({ name: 'region', label: RESOURCE_LABELS.region!, kind: 'select', choices: regions, blank: 'Aucune (ressource nationale)', hint: 'La région dont vient l’expérience ; sa modération relit la proposition.' }, state)}
  ${formField({ name: 'departement', label: RESOURCE_LABELS.departement!, kind: 'select', choices: departements, blank: 'Aucun' }, state)}
  ${formField({ name: 'source', label: RESOURCE_LABELS.source!, hint: 'Le document ou le site d’où vient la ressource, s’il y en a un.', attributes: html`maxlength="500"` }, state)}
  ${formField({ name: 'cooperations', label: RESOURCE_LABELS.cooperations!, hint: 'Numéros des coopérations concernées, séparés par des virgules : le numéro est la fin de l’adresse de leur page (ex. 12 pour /cooperations/12).' }, state)}
  ${formField({ name: 'dispositifs', label: RESOURCE_LABELS.dispositifs!, hint: 'Numéros des dispositifs concernés, séparés par des virgules (ex. 7 pour /dispositifs/7).' }, state)}
  <button type="submit" class="button">Envoyer la proposition</button>
</form>`;
}

export interface ProposalPageModel {
  proposal: ResourceProposalRow;
  /** The viewer moderates one of its régions: the decision forms are shown while it waits. */
  mayDecide: boolean;
  state: FormState;
  index: TerritoryIndex;
  /** The files it brought; its author adds and removes them while it waits. */
  files: ProposalFile[];
  /** A refused upload or removal, or the notice of a done one, shown in the files' section. */
  fileState: FormState;
  maxUploadMb: number;
}

/** Where a proposal's file is read: on the resource once the acceptance gave it, on the proposal before. */
const proposalFileAddress = (proposalId: number, f: ProposalFile) =>
  f.ressource_id === null ? `${proposalPath(proposalId)}/fichiers/${f.id}` : `/ressources/${f.ressource_id}/fichiers/${f.id}`;

export function proposalPage(request: FastifyRequest, { proposal: p, mayDecide, state, index, files, fileState, maxUploadMb }: ProposalPageModel): SafeHtml {
  const titre = p.titre_actuel ?? String(p.data.titre);
  const regions = p.region_codes.length
    ? p.region_codes.map((code) => index.name('region', code) ?? code).join(', ')
    : 'Nationale (administration de la plateforme)';
  const waiting = p.status === 'en_attente';
  const mayManageFiles = waiting && p.author_id === request.account?.id;
  const changes = diffRecords(p.action === 'modification' ? p.base : null, p.data, RESOURCE_FIELDS);
  return html`${trail([{ label: `Proposition n° ${p.id}` }])}
<h1>Proposition de ressource n° ${p.id} : ${titre}</h1>
${errorSummary(state, { labels: { motif: 'Motif du refus', ...RESOURCE_LABELS } })}${formMessages(state)}
<dl class="facts">
  <dt>Proposition</dt><dd>${contributionAction.label(p.action)}${p.ressource_id ? html` — <a href="/ressources/${p.ressource_id}">voir la ressource</a>` : ''}</dd>
  <dt>Statut</dt><dd>${contributionStatus.label(p.status)}${p.decided_at ? html`, le ${when(p.decided_at)}` : ''}</dd>
  <dt>Proposée par</dt><dd>${p.author_name ?? 'Compte supprimé'}, le ${when(p.created_at)}</dd>
  <dt>Modération</dt><dd>${regions}</dd>
  ${p.reason ? html`<dt>Motif du refus</dt><dd>${p.reason}</dd>` : ''}
</dl>
<h2>${p.action === 'modification' ? 'Modifications proposées' : 'Ressource proposée'}</h2>
${changesTable(changes, p.action === 'modification' ? 'Champs modifiés par la proposition' : 'Champs de la ressource proposée', index)}
${filesSection({
  files: files.map((f) => ({ ...f, adresse: proposalFileAddress(p.id, f) })),
  uploadAction: mayManageFiles ? `${proposalPath(p.id)}/fichiers` : null,
  request,
  state: fileState,
  maxUploadMb,
  intro: waiting ? 'Visibles de l’auteur ou l’autrice et de la modération seulement ; publiés avec la ressource si la proposition est acceptée.' : undefined,
})}
${
  mayDecide && waiting
    ? html`<h2>Décision</h2>
<form method="post" action="${proposalPath(p.id)}/accepter">${csrfField(request)}
  <button type="submit" class="button">Accepter et publier</button></form>
<form method="post" action="${proposalPath(p.id)}/refuser" class="stacked-form" novalidate>${csrfField(request)}
  ${formField({ name: 'motif', label: 'Motif du refus', kind: 'textarea', rows: 4, required: true, hint: 'Transmis par e-mail à l’auteur ou l’autrice.' }, state)}
  <button type="submit" class="button">Refuser</button></form>`
    : ''
}`;
}

export function historyPage(id: number, titre: string, versions: ResourceVersion[], index: TerritoryIndex): SafeHtml {
  const by = (v: ResourceVersion) => v.source_label ?? (v.deleted_author ? 'Compte supprimé' : (v.author_name ?? 'Compte supprimé'));
  return html`${trail([{ href: `/ressources/${id}`, label: titre }, { label: 'Historique' }])}
<h1>Historique : ${titre}</h1>
${
  versions.length === 0
    ? html`<p>Cette ressource n’a pas été modifiée depuis sa publication : elle n’a pas encore d’historique.</p>`
    : html`<ol class="history" reversed>
${versions.map((v, i) => {
  const previous = versions[i + 1]?.snapshot ?? null;
  const added = Array.isArray(v.snapshot.fichiers_ajoutes) ? v.snapshot.fichiers_ajoutes.map(String) : [];
  return html`<li><h2>Version ${v.version}</h2>
  <p>${by(v)}, le ${when(v.at)}</p>
  ${added.length ? html`<p>Fichier${added.length > 1 ? 's' : ''} ajouté${added.length > 1 ? 's' : ''} : ${added.join(', ')}</p>` : ''}
  ${changesTable(diffRecords(previous, v.snapshot, RESOURCE_FIELDS), `Changements de la version ${v.version}`, index)}</li>`;
})}</ol>`
}
<p><a href="/ressources/${id}">Retour à la ressource</a></p>`;
}

/** The moderation queue's section: waiting proposals of the moderator's régions. */
export function queueSection(proposals: PendingResourceProposal[], regionName: (code: string) => string): SafeHtml {
  return html`<h2 id="titre-ressources-proposees">Ressources proposées (${proposals.length})</h2>
${
  proposals.length === 0
    ? html`<p>Aucune ressource en attente.</p>`
    : html`<table class="table" aria-labelledby="titre-ressources-proposees">
  <thead><tr><th scope="col">N°</th><th scope="col">Proposition</th><th scope="col">Ressource</th><th scope="col">Région</th><th scope="col">Auteur</th><th scope="col">Fichiers</th><th scope="col">Reçue le</th></tr></thead>
  <tbody>${proposals.map(
    (p) => html`<tr>
    <td><a href="${proposalPath(p.id)}">n° ${p.id}<span class="visually-hidden"> : examiner</span></a></td>
    <td>${contributionAction.label(p.action)}</td><td>${p.titre}</td>
    <td>${p.region_codes.length ? p.region_codes.map(regionName).join(', ') : 'National'}</td>
    <td>${p.author_name ?? 'Compte supprimé'}</td><td>${p.fichiers}</td><td>${when(p.created_at)}</td></tr>`,
  )}</tbody></table>`
}`;
}
