/**
 * The campaign pages: the public list with its filters, a campaign with its progress (in words and as a labelled
 * <progress>) and the intention form, the structure's follow-up (intentions, totals, exports, opening and
 * closing), and the forms that create and edit a draft.
 */
import { paginationNav } from '../../web/pagination.ts';
import { campaignInstrument, campaignState, frenchDate, type Progress, progressOf } from '../../domain/campaign.ts';
import { euros } from '../../domain/funding.ts';
import { errorSummary, formField, formMessages } from '../../web/form-fields.ts';
import type { FormState } from '../../web/forms.ts';
import { formatNumber, html, type SafeHtml } from '../../web/html.ts';
import { breadcrumb } from '../../web/layout.ts';
import type { Campaign } from './queries.ts';
import type { CampaignSearch, CampaignSummary, IntentionRow } from './schemas.ts';

/** Said wherever a pledge is made or followed. */
export const NO_PAYMENT =
  'Maillage ne reçoit aucun paiement : une intention n’engage à rien. La structure vous recontacte pour la souscription, le contrat de prêt ou le don.';

const trail = (last?: { href?: string; label: string }[]) =>
  breadcrumb([{ href: '/', label: 'Accueil' }, last ? { href: '/campagnes', label: 'Campagnes' } : { label: 'Campagnes' }, ...(last ?? [])]);

const structureHref = (c: CampaignSummary) => `/${c.structure.type === 'organisation' ? 'organisations' : 'cooperations'}/${c.structure.id}`;

/** The progress in words, and a <progress> named by its label and described by the words. */
export function progressBlock(id: string, progress: Progress): SafeHtml {
  return html`<div class="campaign-progress">
<label for="${id}">Intentions recueillies</label>
<progress id="${id}" max="100" value="${progress.percent}" aria-describedby="${id}-texte">${progress.percent} %</progress>
<p id="${id}-texte">${progress.text}</p>
</div>`;
}

const summaryProgress = (c: CampaignSummary) => progressOf(c.montant_recherche, c.montant_intentions, c.nombre_intentions);

/** One campaign in a list: title, structure, instrument, dates, progress. */
export function campaignItem(c: CampaignSummary, headingLevel: 2 | 3 = 3): SafeHtml {
  const title = html`<a href="/campagnes/${c.id}">${c.titre}</a>`;
  return html`<li class="result">${headingLevel === 2 ? html`<h2>${title}</h2>` : html`<h3>${title}</h3>`}
<p>${campaignInstrument.label(c.instrument)} · ${campaignState.label(c.etat)} · du ${frenchDate(c.debut)} au ${frenchDate(c.fin)} ·
<a href="${structureHref(c)}">${c.structure.nom}</a></p>
${progressBlock(`progression-${c.id}`, summaryProgress(c))}</li>`;
}

/** A cooperation's campaigns on its page; nothing when it has none. */
export function campaignsSection(campaigns: CampaignSummary[]): SafeHtml | '' {
  if (campaigns.length === 0) return '';
  return html`<section aria-labelledby="campagnes-citoyennes"><h2 id="campagnes-citoyennes">Campagnes citoyennes</h2>
<ul class="result-list">${campaigns.map((c) => campaignItem(c, 3))}</ul></section>`;
}

const SEARCH_LABELS: Record<string, string> = { instrument: 'Instrument', etat: 'État', region: 'Région', departement: 'Département (code)' };

function searchQuery(filters: Record<string, unknown>, page: number): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters))
    if (value !== undefined && value !== '' && key !== 'page' && key !== 'par_page') params.set(key, String(value));
  params.set('page', String(page));
  return params.toString();
}

export function listPage(
  state: FormState,
  answer: { total: number; page: number; par_page: number; resultats: CampaignSummary[] } | null,
  filters: Partial<CampaignSearch>,
  regions: Record<string, string>,
): SafeHtml {
  const lastPage = answer ? Math.max(1, Math.ceil(answer.total / answer.par_page)) : 1;
  const page = (n: number) => `/campagnes?${searchQuery(filters, n)}`;
  return html`${trail()}
<h1>Campagnes d’investissement et de prêt citoyens</h1>
<p>Des structures de l’ESS et des coopérations de votre territoire cherchent des parts sociales, des prêts ou des dons.
Vous indiquez ce que vous envisagez ; ${NO_PAYMENT.charAt(0).toLowerCase()}${NO_PAYMENT.slice(1)}</p>
${errorSummary(state, { labels: SEARCH_LABELS })}
<form class="search-form" method="get" action="/campagnes" novalidate>
${formField({ name: 'instrument', label: SEARCH_LABELS.instrument, kind: 'select', blank: 'Tous', choices: campaignInstrument.labels }, state)}
${formField({ name: 'etat', label: SEARCH_LABELS.etat, kind: 'select', blank: 'Ouvertes et closes', choices: { ouverte: 'Ouvertes', close: 'Closes' } }, state)}
${formField({ name: 'region', label: SEARCH_LABELS.region, kind: 'select', blank: 'Toutes les régions', choices: regions }, state)}
${formField({ name: 'departement', label: SEARCH_LABELS.departement, hint: 'Ex. 26, 2A, 974.', attributes: html`maxlength="3"` }, state)}
<button class="button" type="submit">Filtrer</button>
</form>
${
  answer === null
    ? ''
    : html`<h2 id="titre-resultats">${formatNumber(answer.total)} campagne${answer.total > 1 ? 's' : ''}</h2>
${
  answer.total === 0
    ? html`<p>Aucune campagne ne répond à ces critères.</p>`
    : html`<ul class="result-list">${answer.resultats.map((c) => campaignItem(c))}</ul>`
}
${paginationNav(answer.page, lastPage, page)}`
}
<p><a href="/campagnes/nouvelle">Lancer une campagne</a> (membres d’une structure ou administrateurs d’une coopération).
Les données : <a href="/api/v1/campagnes">API des campagnes</a>.</p>`;
}

const INTENTION_LABELS: Record<string, string> = { montant: 'Montant envisagé', nom: 'Votre nom', email: 'Votre adresse e-mail', message: 'Message' };

function intentionForm(c: Campaign, csrf: SafeHtml, state: FormState): SafeHtml {
  return html`<h2 id="intention">Indiquer votre intention</h2>
${errorSummary(state, { labels: INTENTION_LABELS })}
<form method="post" action="/campagnes/${c.id}/intentions#intention" novalidate>${csrf}
${formField({ name: 'montant', label: `${INTENTION_LABELS.montant} (en euros)`, required: true, hint: 'Ex. 500 ou 1 500,50.', attributes: html`inputmode="decimal"` }, state)}
${formField({ name: 'nom', label: INTENTION_LABELS.nom, required: true, autocomplete: 'name', attributes: html`maxlength="200"` }, state)}
${formField({ name: 'email', label: INTENTION_LABELS.email, kind: 'email', required: true, autocomplete: 'email', hint: 'La structure seule la voit, pour vous répondre.' }, state)}
${formField({ name: 'message', label: INTENTION_LABELS.message, kind: 'textarea', hint: 'Facultatif.', attributes: html`maxlength="2000"` }, state)}
<button class="button" type="submit">Enregistrer mon intention</button>
</form>`;
}

export function campaignPage(c: Campaign, options: { csrf: SafeHtml; runs: boolean; acceptsToday: boolean; state: FormState }): SafeHtml {
  const progress = summaryProgress(c);
  return html`${trail([{ label: c.titre }])}
<h1>${c.titre}</h1>
${formMessages(options.state)}
<p>Campagne de <a href="${structureHref(c)}">${c.structure.nom}</a> — ${campaignInstrument.label(c.instrument)}, ${euros(c.montant_recherche)} recherchés,
du ${frenchDate(c.debut)} au ${frenchDate(c.fin)} (${campaignState.label(c.etat).toLowerCase()}).</p>
${progressBlock('progression', progress)}
<h2>Ce que la campagne finance</h2>
<p class="prose">${c.objet}</p>
<p class="notice-text"><strong>${NO_PAYMENT}</strong></p>
${
  options.acceptsToday
    ? intentionForm(c, options.csrf, options.state)
    : html`<p>${c.etat === 'close' ? 'Cette campagne est close.' : c.etat === 'brouillon' ? 'Cette campagne est un brouillon : elle n’est visible que de sa structure.' : 'Cette campagne ne reçoit pas d’intentions aujourd’hui (hors de ses dates).'}</p>`
}
${options.runs ? html`<p><a href="/campagnes/${c.id}/suivi">Suivre les intentions et gérer la campagne</a></p>` : ''}
<p><a href="/api/v1/campagnes/${c.id}">Cette campagne en JSON</a></p>`;
}

export function followPage(c: Campaign, intentions: IntentionRow[], csrf: SafeHtml, state: FormState): SafeHtml {
  const base = `/campagnes/${c.id}`;
  const next =
    c.etat === 'brouillon' ? { etat: 'ouverte', label: 'Ouvrir la campagne' } : c.etat === 'ouverte' ? { etat: 'close', label: 'Clore la campagne' } : null;
  return html`${trail([{ href: base, label: c.titre }, { label: 'Suivi' }])}
<h1>Suivi — ${c.titre}</h1>
${formMessages(state)}
<p>État : <strong>${campaignState.label(c.etat)}</strong>. Ces noms et adresses ne sont visibles que des membres de ${c.structure.nom}. ${NO_PAYMENT}</p>
${progressBlock('progression', summaryProgress(c))}
${
  next
    ? html`<form method="post" action="${base}/etat">${csrf}<input type="hidden" name="etat" value="${next.etat}">
<button class="button" type="submit">${next.label}</button></form>`
    : ''
}
${c.etat === 'brouillon' ? html`<p><a href="${base}/modifier">Modifier le brouillon</a></p>` : ''}
<h2>Intentions</h2>
<p>Télécharger : <a href="${base}/intentions.csv" download>CSV</a>, <a href="${base}/intentions.xlsx" download>XLSX</a>.</p>
${
  intentions.length === 0
    ? html`<p>Aucune intention pour l’instant.</p>`
    : html`<table class="table">
<caption>Intentions reçues (${formatNumber(intentions.length)}), total ${euros(c.montant_intentions)}</caption>
<thead><tr><th scope="col">Date</th><th scope="col">Nom</th><th scope="col">Adresse</th><th scope="col">Montant</th><th scope="col">Message</th></tr></thead>
<tbody>${intentions.map(
        (i) => html`<tr><td>${i.cree_le}</td><th scope="row">${i.nom}</th><td><a href="mailto:${i.email}">${i.email}</a></td>
<td class="number">${euros(i.montant)}</td><td>${i.message ?? ''}</td></tr>`,
      )}</tbody>
<tfoot><tr><th scope="row" colspan="3">Total</th><td class="number">${euros(c.montant_intentions)}</td><td></td></tr></tfoot>
</table>`
}`;
}

export const CAMPAIGN_LABELS: Record<string, string> = {
  structure: 'Structure qui mène la campagne',
  organisation_id: 'Structure qui mène la campagne',
  cooperation_id: 'Structure qui mène la campagne',
  titre: 'Titre',
  objet: 'Ce que la campagne finance',
  montant_recherche: 'Montant recherché',
  instrument: 'Instrument',
  debut: 'Premier jour',
  fin: 'Dernier jour',
};

function campaignFields(state: FormState, stored: Record<string, unknown>): SafeHtml {
  const field = (spec: Parameters<typeof formField>[0]) => formField({ value: stored[spec.name], ...spec }, state);
  return html`${field({ name: 'titre', label: CAMPAIGN_LABELS.titre, required: true, attributes: html`maxlength="200"` })}
${field({ name: 'objet', label: CAMPAIGN_LABELS.objet, kind: 'textarea', required: true, rows: 6, hint: 'À quoi servira l’argent, pour qui, ce que la personne reçoit en retour.' })}
${field({ name: 'montant_recherche', label: `${CAMPAIGN_LABELS.montant_recherche} (en euros)`, required: true, hint: 'Ex. 25 000.', attributes: html`inputmode="decimal"` })}
${field({ name: 'instrument', label: CAMPAIGN_LABELS.instrument, kind: 'radios', required: true, choices: campaignInstrument.labels })}
${field({ name: 'debut', label: CAMPAIGN_LABELS.debut, kind: 'date', required: true, hint: 'Heure de Paris.' })}
${field({ name: 'fin', label: CAMPAIGN_LABELS.fin, kind: 'date', required: true, hint: 'Au plus tôt le jour du début.' })}`;
}

export function newCampaignPage(structures: { type: string; id: number; nom: string }[], csrf: SafeHtml, state: FormState): SafeHtml {
  return html`${trail([{ label: 'Nouvelle campagne' }])}
<h1>Lancer une campagne</h1>
<p>La campagne reste un brouillon, visible de votre structure seule, jusqu’à ce que vous l’ouvriez depuis sa page de suivi. ${NO_PAYMENT}</p>
${
  structures.length === 0
    ? html`<p>Vous n’êtes membre d’aucune structure ni administrateur d’aucune coopération : rattachez-vous d’abord à votre structure depuis sa fiche (« Revendiquer cette structure »).</p>`
    : html`${errorSummary(state, { labels: CAMPAIGN_LABELS })}
<form method="post" action="/campagnes/nouvelle" novalidate>${csrf}
${formField(
  {
    name: 'structure',
    label: CAMPAIGN_LABELS.structure,
    kind: 'select',
    required: true,
    choices: structures.map((s) => ({ value: `${s.type}:${s.id}`, label: `${s.nom}${s.type === 'cooperation' ? ' (coopération)' : ''}` })),
  },
  state,
)}
${campaignFields(state, {})}
<button class="button" type="submit">Créer le brouillon</button>
</form>`
}`;
}

export function editCampaignPage(c: Campaign, csrf: SafeHtml, state: FormState): SafeHtml {
  const stored = { ...c, montant_recherche: (c.montant_recherche / 100).toLocaleString('fr-FR') };
  return html`${trail([{ href: `/campagnes/${c.id}`, label: c.titre }, { label: 'Modifier' }])}
<h1>Modifier le brouillon</h1>
${errorSummary(state, { labels: CAMPAIGN_LABELS })}
<form method="post" action="/campagnes/${c.id}/modifier" novalidate>${csrf}
${campaignFields(state, stored)}
<button class="button" type="submit">Enregistrer</button>
</form>`;
}
