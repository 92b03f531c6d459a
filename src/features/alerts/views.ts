/**
 * The « Créer une alerte » form of result pages, and the page /compte/alertes. Forms post with their CSRF
 * field; the create form is shown to signed-in people only (others get a sign-in link coming back here).
 */
import type { FastifyRequest } from 'fastify';
import { formatParisDate } from '../../domain/calendar.ts';
import { alertFrequency, alertKind, type AlertFrequency, type AlertKind } from '../../domain/alert.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import { breadcrumb, pageRequestContext } from '../../web/layout.ts';
import { csrfField, CSRF_FIELD } from '../../platform/http/csrf.ts';
import { searchPathOf } from './links.ts';
import type { AlertRow } from './queries.ts';
import { MAX_NAME_LENGTH, savedQueryString } from './schemas.ts';

const WHAT_IS_WATCHED: Record<AlertKind, string> = {
  recherche_cooperations: 'les nouvelles coopérations de cette recherche',
  recherche_organisations: 'les nouvelles structures de cette recherche',
  recherche_dispositifs: 'les nouveaux dispositifs de cette recherche',
  recherche_appels: 'les nouveaux appels à projets de cette recherche',
  profil_orientation: 'les nouveaux dispositifs qui répondent à ce profil',
};

function frequencyOptions(selected: AlertFrequency): SafeHtml[] {
  return alertFrequency.codes.map((code) => html`<option value="${code}" ${code === selected ? html`selected` : ''}>${alertFrequency.label(code)}</option>`);
}

/**
 * « Créer une alerte » for the search or profile shown: its parameters travel as a query string (`requete`),
 * validated again by the server with the search's own schema. Reads the signed-in person from the request
 * being answered, so result pages need not pass it.
 */
export function alertForm(kind: AlertKind, params: Record<string, unknown>): SafeHtml {
  const context = pageRequestContext.getStore();
  if (!context?.account) {
    const back = context?.returnPath ? `?retour=${encodeURIComponent(context.returnPath)}` : '';
    return html`<p class="hint no-print"><a href="/compte/connexion${back}">Connectez-vous</a> pour créer une alerte et recevoir par e-mail ${WHAT_IS_WATCHED[kind]}.</p>`;
  }
  return html`<form method="post" action="/compte/alertes" class="stacked-form no-print" aria-labelledby="titre-alerte">
  <input type="hidden" name="${CSRF_FIELD}" value="${context.account.csrfToken}">
  <input type="hidden" name="type" value="${kind}">
  <input type="hidden" name="requete" value="${savedQueryString(params)}">
  <fieldset>
    <legend id="titre-alerte">Alerte par e-mail : ${WHAT_IS_WATCHED[kind]}</legend>
    <div class="field"><label for="alerte-nom">Nom de l’alerte (facultatif)</label>
      <input type="text" id="alerte-nom" name="nom" maxlength="${MAX_NAME_LENGTH}" autocomplete="off"></div>
    <div class="field"><label for="alerte-frequence">Fréquence</label>
      <select id="alerte-frequence" name="frequence">${frequencyOptions('hebdomadaire')}</select></div>
  </fieldset>
  <p><button type="submit" class="button">Créer une alerte</button></p>
</form>`;
}

const NOTICES: Record<string, string> = {
  creee: 'Votre alerte est créée : vous recevrez un résumé quand une nouveauté y correspondra.',
  modifiee: 'La fréquence de l’alerte est modifiée.',
  supprimee: 'L’alerte est supprimée : vous ne recevrez plus ses résumés.',
};
export const ALERT_NOTICE_KEYS = Object.keys(NOTICES);

const when = (instant: string | null) => (instant ? formatParisDate(new Date(instant)) : 'jamais');

function alertRow(request: FastifyRequest, alert: AlertRow): SafeHtml {
  return html`<tr>
  <th scope="row"><a href="${searchPathOf(alert.kind, alert.query)}">${alert.name}</a></th>
  <td>${alertKind.label(alert.kind)}</td>
  <td>${when(alert.created_at)}</td>
  <td>${when(alert.last_sent_at)}</td>
  <td><form method="post" action="/compte/alertes/${alert.id}/frequence">
    ${csrfField(request)}
    <label for="frequence-${alert.id}" class="visually-hidden">Fréquence de l’alerte « ${alert.name} »</label>
    <select id="frequence-${alert.id}" name="frequence">${frequencyOptions(alert.frequency)}</select>
    <button type="submit" class="button">Modifier<span class="visually-hidden"> la fréquence de « ${alert.name} »</span></button>
  </form></td>
  <td><form method="post" action="/compte/alertes/${alert.id}/suppression">
    ${csrfField(request)}
    <button type="submit" class="button">Supprimer<span class="visually-hidden"> l’alerte « ${alert.name} »</span></button>
  </form></td>
</tr>`;
}

export function alertsPage(request: FastifyRequest, alerts: AlertRow[], options: { notice?: string; verified: boolean }): SafeHtml {
  const notice = options.notice ? NOTICES[options.notice] : undefined;
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { href: '/compte', label: 'Mon compte' }, { label: 'Mes alertes' }])}
<h1>Mes alertes</h1>
${notice ? html`<div class="notice" role="status"><p>${notice}</p></div>` : ''}
<p>Une alerte suit une recherche ou un profil d’orientation : quand une coopération, une structure ou un dispositif
correspondant apparaît, vous recevez un résumé par e-mail, chaque jour ou chaque semaine, et rien quand il n’y a rien de nouveau.
Pour en créer une, lancez une <a href="/recherche?type=cooperations">recherche</a>, ouvrez le <a href="/dispositifs">catalogue</a>
ou faites une <a href="/orientation">orientation</a>, puis choisissez « Créer une alerte ».</p>
${
  options.verified
    ? ''
    : html`<div class="notice"><p>Votre adresse e-mail n’est pas encore confirmée : les résumés partiront
une fois qu’elle le sera (<a href="/compte">Mon compte</a>).</p></div>`
}
${
  alerts.length === 0
    ? html`<p>Vous n’avez aucune alerte.</p>`
    : html`<table class="table">
  <caption>Vos alertes (${alerts.length})</caption>
  <thead><tr><th scope="col">Alerte</th><th scope="col">Type</th><th scope="col">Créée le</th><th scope="col">Dernier envoi</th>
    <th scope="col">Fréquence</th><th scope="col">Supprimer</th></tr></thead>
  <tbody>${alerts.map((alert) => alertRow(request, alert))}</tbody>
</table>`
}`;
}
