/**
 * What peers show: the section of a cooperation's page (peers with why, the meeting request for its admins), the
 * page of all its peers, and the setting page where its admins say whether it welcomes peers.
 */
import type { FastifyRequest } from 'fastify';
import { modele, stade } from '../../domain/cooperation.ts';
import { csrfField } from '../../platform/http/csrf.ts';
import { errorSummary, formField, formMessages } from '../../web/form-fields.ts';
import type { FormState } from '../../web/forms.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import { breadcrumb } from '../../web/layout.ts';
import type { PeerAnswer } from './queries.ts';

export const MAX_MESSAGE = 2000;
/** The cooperation's page shows the closest few; the peers page shows them all. */
export const PEERS_ON_COOPERATION_PAGE = 5;
export const REQUEST_FORM = 'demande';
const REQUEST_LABELS = { pair: 'Pair à rencontrer', message: 'Votre message' };

function requestForm(request: FastifyRequest, answer: PeerAnswer, state: FormState): SafeHtml {
  const c = answer.cooperation;
  return html`<h3 id="demander-rencontre">Demander une rencontre</h3>
<p>Maillage transmet votre message aux administrateurs du pair choisi, sans leur donner votre adresse ni vous donner la leur.</p>
${errorSummary(state, { form: REQUEST_FORM, labels: REQUEST_LABELS, level: 3 })}${state.form === REQUEST_FORM ? formMessages(state) : ''}
<form method="post" action="/cooperations/${c.id}/pairs/demande" class="stacked-form" novalidate>
${csrfField(request)}
${formField({ form: REQUEST_FORM, name: 'pair', label: REQUEST_LABELS.pair, kind: 'select', required: true, choices: answer.pairs.map((p) => ({ value: String(p.id), label: p.nom })) }, state)}
${formField(
  {
    form: REQUEST_FORM,
    name: 'message',
    label: REQUEST_LABELS.message,
    kind: 'textarea',
    rows: 4,
    required: true,
    attributes: html`maxlength="${MAX_MESSAGE}"`,
    hint: 'Qui vous êtes, ce que vous aimeriez voir ou apprendre, quand vous pourriez venir.',
  },
  state,
)}
<button class="button" type="submit">Envoyer la demande</button>
</form>`;
}

/** The peers, each with why it is proposed; for the cooperation's admins, the meeting request and the setting's link. */
export function peersSection(request: FastifyRequest, answer: PeerAnswer, canAct: boolean, state: FormState = {}, limit?: number): SafeHtml {
  const c = answer.cooperation;
  const shown = limit === undefined ? answer.pairs : answer.pairs.slice(0, limit);
  return html`<section aria-labelledby="pairs">
<h2 id="pairs">Pairs : des coopérations plus avancées qui l’accueillent</h2>
<p>Des coopérations qui lui ressemblent (modèle, finalité, modèle économique, secteur), plus avancées, et qui accueillent
le transfert de savoir-faire ou les visites apprenantes.</p>
${
  shown.length
    ? html`<ul class="result-list">${shown.map(
        (p) => html`<li class="result"><h3><a href="/cooperations/${p.id}">${p.nom}</a></h3>
<p>${modele.label(p.modele)}${p.stade ? ` · ${stade.label(p.stade)}` : ''}${p.commune ? ` · ${p.commune.nom}` : ''}</p>
<p>Pourquoi : ${p.raisons.join(' ; ')}.</p></li>`,
      )}</ul>
${shown.length < answer.pairs.length ? html`<p><a href="/cooperations/${c.id}/pairs">Ses ${answer.pairs.length} pairs</a></p>` : ''}`
    : html`<p>Aucune coopération ouverte aux pairs ne lui ressemble pour l’instant.</p>`
}
${
  canAct
    ? html`${answer.pairs.length ? requestForm(request, answer, state) : ''}
<p><a href="/cooperations/${c.id}/pairs/ouverture">Dire si « ${c.nom} » accueille des pairs</a> (aujourd’hui : ${openness(c)}).</p>`
    : html`<p>Les administrateurs de cette coopération peuvent demander une rencontre à ces pairs et dire s’ils en accueillent.</p>`
}
</section>`;
}

function openness(c: PeerAnswer['cooperation']): string {
  const open = [c.ouverte_transfert ? 'le transfert de savoir-faire' : '', c.ouverte_visites ? 'les visites apprenantes' : ''].filter(Boolean);
  return open.length ? `elle accueille ${open.join(' et ')}` : 'elle n’en accueille pas';
}

export function peersPage(request: FastifyRequest, answer: PeerAnswer, canAct: boolean, state: FormState): SafeHtml {
  const c = answer.cooperation;
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { href: `/cooperations/${c.id}`, label: c.nom }, { label: 'Pairs' }])}
<h1>Des pairs pour « ${c.nom} »</h1>
${state.form === undefined ? formMessages(state) : ''}
${peersSection(request, answer, canAct, state)}
<p><a href="/api/v1/cooperations/${c.id}/pairs">Ces pairs en JSON</a></p>`;
}

export function opennessPage(request: FastifyRequest, c: PeerAnswer['cooperation'], state: FormState): SafeHtml {
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { href: `/cooperations/${c.id}`, label: c.nom }, { label: 'Accueillir des pairs' }])}
<h1>Accueillir des pairs : « ${c.nom} »</h1>
${formMessages(state)}
<p>Une coopération qui accueille des pairs est proposée à celles qui lui ressemblent et qui sont moins avancées ; leurs
administrateurs peuvent alors lui demander une rencontre par Maillage, sans voir votre adresse.</p>
<form method="post" action="/cooperations/${c.id}/pairs/ouverture" class="stacked-form" novalidate>
${csrfField(request)}
<fieldset class="field"><legend>« ${c.nom} » accueille</legend>
${formField({ name: 'transfert', label: 'le transfert de savoir-faire', kind: 'checkbox', value: c.ouverte_transfert }, state)}
${formField({ name: 'visites', label: 'des visites apprenantes', kind: 'checkbox', value: c.ouverte_visites }, state)}
</fieldset>
<button class="button" type="submit">Enregistrer</button>
</form>
<p><a href="/cooperations/${c.id}">Retour à la fiche de « ${c.nom} »</a></p>`;
}
