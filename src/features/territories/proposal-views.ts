/** Pages of the territoires de projet proposed on the site: the proposal form, its receipt, the moderator's decision page. */
import type { FastifyRequest } from 'fastify';
import { formatParisDateTime } from '../../domain/calendar.ts';
import { contributionStatus } from '../../domain/contribution.ts';
import { errorSummary, formField, formMessages } from '../../web/form-fields.ts';
import type { FormState } from '../../web/forms.ts';
import { formatNumber, html, type SafeHtml } from '../../web/html.ts';
import { breadcrumb } from '../../web/layout.ts';
import { csrfField } from '../../platform/http/csrf.ts';
import type { TerritoryIndex } from '../../platform/territory-index.ts';
import { kindOfProjet } from './projets.ts';
import type { TerritoireProposalRow } from './proposals.ts';
import { territoryUrl } from './views.ts';

export const PROPOSE_PATH = '/territoires/proposer';

export const PROPOSAL_LABELS: Record<string, string> = {
  nom: 'Nom du territoire de projet',
  type: 'Type de territoire',
  communes: 'Communes (codes INSEE)',
  epcis: 'EPCI (SIREN)',
  description: 'Présentation',
  source: 'Source du périmètre',
};

const trail = (label: string) => breadcrumb([{ href: '/', label: 'Accueil' }, { href: '/territoires', label: 'Territoires' }, { label }]);

export function proposalFormPage(request: FastifyRequest, state: FormState): SafeHtml {
  return html`${trail('Proposer un territoire de projet')}
<h1>Proposer un territoire de projet</h1>
<p>Pays, PETR, parc naturel régional, bassin de vie… : un périmètre fait de communes, que Maillage ne connaît pas par le Code officiel géographique.
Votre proposition est relue par la modération de la région de ses communes avant d’être publiée.
Donnez les communes, les EPCI (toutes leurs communes sont alors comprises), ou les deux.</p>
${errorSummary(state, { labels: PROPOSAL_LABELS })}${formMessages(state)}
<form method="post" action="${PROPOSE_PATH}" class="stacked-form" novalidate>
  ${csrfField(request)}
  ${formField({ name: 'nom', label: PROPOSAL_LABELS.nom!, required: true, hint: 'Ex. Pays de Vilaine, PETR du Grand Briançonnais.' }, state)}
  ${formField({ name: 'type', label: PROPOSAL_LABELS.type!, kind: 'select', choices: kindOfProjet.labels, blank: '— Choisir —', required: true }, state)}
  ${formField(
    {
      name: 'communes',
      label: PROPOSAL_LABELS.communes!,
      kind: 'textarea',
      rows: 3,
      hint: 'Séparés par des virgules ou des espaces (ex. 26281, 26362).',
    },
    state,
  )}
  ${formField({ name: 'epcis', label: PROPOSAL_LABELS.epcis!, hint: 'Numéros SIREN à 9 chiffres, séparés par des virgules (ex. 200068781).' }, state)}
  ${formField({ name: 'description', label: PROPOSAL_LABELS.description!, kind: 'textarea', rows: 4 }, state)}
  ${formField({ name: 'source', label: PROPOSAL_LABELS.source!, hint: 'D’où vient ce périmètre (délibération, site officiel…).' }, state)}
  <button type="submit" class="button">Envoyer la proposition</button>
</form>`;
}

export function proposalSentPage(id: number): SafeHtml {
  return html`${trail('Proposer un territoire de projet')}
<h1>Proposition envoyée</h1>
${formMessages({ notice: `Merci : votre proposition n° ${id} est transmise à la modération de la région de ses communes. Le territoire sera publié sur la page Territoires une fois accepté.` })}
<p><a href="/territoires">Retour aux territoires</a></p>`;
}

/** The communes shown on the decision page (all are counted). */
const SHOWN_COMMUNES = 200;

export function proposalDecisionPage(request: FastifyRequest, p: TerritoireProposalRow, communes: string[], index: TerritoryIndex, state: FormState): SafeHtml {
  const name = (level: 'commune' | 'epci' | 'region', code: string) => index.name(level, code) ?? code;
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { href: '/moderation', label: 'Modération' }, { label: `Territoire de projet proposé n° ${p.id}` }])}
<h1>Territoire de projet proposé n° ${p.id} : ${p.name}</h1>
${errorSummary(state, { labels: { motif: 'Motif du refus' } })}${formMessages(state)}
<dl class="facts">
  <dt>Type</dt><dd>${kindOfProjet.label(p.kind)}</dd>
  <dt>Statut</dt><dd>${contributionStatus.label(p.status)}${p.slug ? html` — <a href="${territoryUrl('projet', p.slug)}">voir sa page</a>` : ''}</dd>
  <dt>Proposé par</dt><dd>${p.author_name ?? 'Compte supprimé'}, le <time datetime="${p.created_at.toISOString()}">${formatParisDateTime(p.created_at)}</time></dd>
  <dt>Région</dt><dd>${p.region_codes.map((code) => name('region', code)).join(', ')}</dd>
  ${p.epcis.length ? html`<dt>EPCI</dt><dd>${p.epcis.map((code) => `${name('epci', code)} (${code})`).join(', ')}</dd>` : ''}
  ${p.description ? html`<dt>Présentation</dt><dd>${p.description}</dd>` : ''}
  ${p.source ? html`<dt>Source du périmètre</dt><dd>${p.source}</dd>` : ''}
  ${p.reason ? html`<dt>Motif</dt><dd>${p.reason}</dd>` : ''}
</dl>
<h2>Communes du périmètre (${formatNumber(communes.length)})</h2>
<p>${communes
    .slice(0, SHOWN_COMMUNES)
    .map((code) => `${name('commune', code)} (${code})`)
    .join(', ')}${communes.length > SHOWN_COMMUNES ? '…' : ''}</p>
${
  p.status === 'en_attente'
    ? html`<h2>Décision</h2>
<form method="post" action="/moderation/territoires-projet/${p.id}/accepter">${csrfField(request)}
  <button type="submit" class="button">Accepter et publier</button></form>
<form method="post" action="/moderation/territoires-projet/${p.id}/refuser" class="stacked-form" novalidate>${csrfField(request)}
  ${formField({ name: 'motif', label: 'Motif du refus', kind: 'textarea', rows: 4, required: true }, state)}
  <button type="submit" class="button">Refuser</button></form>`
    : ''
}`;
}
