/**
 * What Cigales clubs and campaigns show: the section of an organisation's (or cooperation's) page — the club's
 * investments, those it received from clubs, its campaigns — and the club's page with its forms.
 */
import { cigalesInstrument } from '../../domain/campaign-cigales.ts';
import { frenchDate } from '../../domain/campaign.ts';
import { euros } from '../../domain/funding.ts';
import { errorSummary, formField, formMessages } from '../../web/form-fields.ts';
import type { FormState } from '../../web/forms.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import { breadcrumb } from '../../web/layout.ts';
import type { ClubOrganisation, Investments } from './cigales-queries.ts';
import type { CampaignSummary, InvestmentRow } from './schemas.ts';
import { campaignItem } from './views.ts';

function investmentTable(caption: string, list: InvestmentRow[], total: number, other: 'club' | 'entreprise'): SafeHtml {
  return html`<table class="table">
<caption>${caption}</caption>
<thead><tr><th scope="col">Date</th><th scope="col">${other === 'club' ? 'Club' : 'Entreprise financée'}</th><th scope="col">Instrument</th><th scope="col">Montant</th></tr></thead>
<tbody>${list.map(
    (i) => html`<tr><td>${frenchDate(i.date_investissement)}</td><th scope="row"><a href="/organisations/${i[other].id}">${i[other].nom}</a></th>
<td>${cigalesInstrument.label(i.instrument)}</td><td class="number">${euros(i.montant)}</td></tr>`,
  )}</tbody>
<tfoot><tr><th scope="row" colspan="3">Total</th><td class="number">${euros(total)}</td></tr></tfoot>
</table>`;
}

/** The section of a structure's page: nothing when it has neither club, investments nor public campaigns. */
export function structureSection(base: string, investments: Investments, campaigns: CampaignSummary[], options: { manageLink: boolean }): SafeHtml | '' {
  const club = investments.club;
  const received = investments.investissements_recus;
  if (!club && received.length === 0 && campaigns.length === 0 && !options.manageLink) return '';
  return html`<section aria-labelledby="finance-solidaire"><h2 id="finance-solidaire">Finance solidaire</h2>
${
  club
    ? html`<h3>Club Cigales</h3>
<p>Cette structure est un club Cigales : ses membres ont investi ${euros(investments.total_investi)} dans ${investments.investissements_du_club.length} entreprise${investments.investissements_du_club.length > 1 ? 's' : ''} du territoire.</p>
${investments.investissements_du_club.length ? investmentTable('Investissements du club', investments.investissements_du_club, investments.total_investi, 'entreprise') : ''}`
    : ''
}
${received.length ? investmentTable('Investissements reçus de clubs Cigales', received, investments.total_recu, 'club') : ''}
${campaigns.length ? html`<h3>Campagnes citoyennes</h3><ul class="result-list">${campaigns.map((c) => campaignItem(c, 3))}</ul>` : ''}
${options.manageLink ? html`<p><a href="${base}/cigales">Club Cigales : déclaration et investissements</a></p>` : ''}
</section>`;
}

const INVESTMENT_LABELS: Record<string, string> = {
  entreprise_siret: 'SIRET de l’entreprise financée',
  montant: 'Montant investi',
  date_investissement: 'Date de l’investissement',
  instrument: 'Instrument',
};

export function clubPage(
  organisation: ClubOrganisation,
  investments: Investments,
  options: { csrf: SafeHtml; declares: boolean; records: boolean; state: FormState },
): SafeHtml {
  const base = `/organisations/${organisation.id}`;
  const { state, csrf } = options;
  return html`${breadcrumb([
    { href: '/', label: 'Accueil' },
    { href: '/recherche?type=organisations', label: 'Structures' },
    { href: base, label: organisation.nom },
    { label: 'Club Cigales' },
  ])}
<h1>Club Cigales — ${organisation.nom}</h1>
${formMessages(state)}
<p>${
    organisation.club
      ? 'Cette structure est un club Cigales (Club d’Investisseurs pour une Gestion Alternative et Locale de l’Épargne Solidaire) : ses membres investissent ensemble dans des entreprises locales.'
      : 'Cette structure n’est pas déclarée club Cigales.'
  }</p>
${
  options.declares
    ? html`<form method="post" action="${base}/cigales/declaration">${csrf}<input type="hidden" name="club" value="${organisation.club ? 'non' : 'oui'}">
<button class="button" type="submit">${organisation.club ? 'Ne plus déclarer cette structure club Cigales' : 'Déclarer cette structure club Cigales'}</button></form>`
    : ''
}
${
  organisation.club
    ? investments.investissements_du_club.length
      ? investmentTable('Investissements du club', investments.investissements_du_club, investments.total_investi, 'entreprise')
      : html`<p>Aucun investissement enregistré pour l’instant.</p>`
    : ''
}
${investments.investissements_recus.length ? investmentTable('Investissements reçus de clubs Cigales', investments.investissements_recus, investments.total_recu, 'club') : ''}
${
  organisation.club && options.records
    ? html`<h2 id="enregistrer">Enregistrer un investissement du club</h2>
${errorSummary(state, { labels: INVESTMENT_LABELS })}
<form method="post" action="${base}/cigales/investissements#enregistrer" novalidate>${csrf}
${formField({ name: 'entreprise_siret', label: INVESTMENT_LABELS.entreprise_siret, required: true, hint: '14 chiffres ; l’entreprise doit être recensée dans Maillage.', attributes: html`inputmode="numeric" maxlength="14"` }, state)}
${formField({ name: 'montant', label: `${INVESTMENT_LABELS.montant} (en euros)`, required: true, hint: 'Ex. 3 000.', attributes: html`inputmode="decimal"` }, state)}
${formField({ name: 'date_investissement', label: INVESTMENT_LABELS.date_investissement, kind: 'date', required: true }, state)}
${formField({ name: 'instrument', label: INVESTMENT_LABELS.instrument, kind: 'radios', required: true, choices: cigalesInstrument.labels }, state)}
<button class="button" type="submit">Enregistrer l’investissement</button>
</form>`
    : ''
}
<p><a href="/api/v1/organisations/${organisation.id}/cigales">Ces investissements en JSON</a></p>`;
}
