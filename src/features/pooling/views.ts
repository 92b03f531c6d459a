/**
 * The mutualisation pages: the board and its search form, an entry with its calendar (a table of bookings per
 * month, readable without any script), the booking form, the owner's answers, and the publishing form.
 */
import type { FastifyRequest } from 'fastify';
import { paginationNav } from '../../web/pagination.ts';
import { DEFAULT_RADIUS_KM, MAX_RADIUS_KM, MIN_RADIUS_KM } from '../../domain/suppliers.ts';
import { csrfField } from '../../platform/http/csrf.ts';
import { errorSummary, formField, formMessages } from '../../web/form-fields.ts';
import type { FormState } from '../../web/forms.ts';
import { formatNumber, html, type SafeHtml } from '../../web/html.ts';
import { breadcrumb } from '../../web/layout.ts';
import type { BoardAnswer, BookingRow, Entry } from './queries.ts';
import { categorie, sens } from './schemas.ts';

const SEARCH_LABELS: Record<string, string> = {
  sens: 'Offres ou demandes',
  categorie: 'Catégorie',
  region: 'Région',
  departement: 'Département',
  commune: 'Commune',
  rayon_km: 'Rayon',
};
const PUBLISH_LABELS: Record<string, string> = {
  structure: 'Au nom de la structure',
  sens: 'Vous proposez ou vous cherchez',
  categorie: 'Catégorie',
  titre: 'Titre',
  description: 'Description',
  commune: 'Code de la commune (INSEE)',
};
const BOOKING_LABELS: Record<string, string> = { debut: 'Date de début', debut_heure: 'Heure de début', fin: 'Date de fin', fin_heure: 'Heure de fin' };

const trail = (last?: { href?: string; label: string }) =>
  breadcrumb([
    { href: '/', label: 'Accueil' },
    last ? { href: '/mutualisation', label: 'Mutualisation' } : { label: 'Mutualisation' },
    ...(last ? [last] : []),
  ]);

/** The query string of a search (empty values left out), for the pagination's links. */
function boardQuery(filters: Record<string, unknown>, page: number): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value !== undefined && value !== '' && key !== 'page') params.set(key, String(value));
  params.set('page', String(page));
  return params.toString();
}

function searchForm(state: FormState, regions: Record<string, string>): SafeHtml {
  return html`<form class="search-form" method="get" action="/mutualisation" novalidate>
${formField({ name: 'sens', label: SEARCH_LABELS.sens, kind: 'select', blank: 'Offres et demandes', choices: sens.labels }, state)}
${formField({ name: 'categorie', label: SEARCH_LABELS.categorie, kind: 'select', blank: 'Toutes', choices: categorie.labels }, state)}
${formField({ name: 'region', label: SEARCH_LABELS.region, kind: 'select', blank: 'Toutes les régions', choices: regions }, state)}
${formField({ name: 'departement', label: 'Département (code)', hint: 'Ex. 26, 2A, 974.', attributes: html`maxlength="3"` }, state)}
${formField({ name: 'commune', label: 'Autour de la commune (code INSEE)', hint: 'Ex. 26281 pour Romans-sur-Isère : classé par distance.', attributes: html`maxlength="5" inputmode="numeric"` }, state)}
${formField({ name: 'rayon_km', label: 'Rayon en kilomètres', kind: 'number', hint: `De ${MIN_RADIUS_KM} à ${MAX_RADIUS_KM} km, ${DEFAULT_RADIUS_KM} par défaut.`, attributes: html`min="${MIN_RADIUS_KM}" max="${MAX_RADIUS_KM}"` }, state)}
<button class="button" type="submit">Chercher</button>
</form>`;
}

function results(answer: BoardAnswer, filters: Record<string, unknown>): SafeHtml {
  const lastPage = Math.max(1, Math.ceil(answer.total / answer.par_page));
  const page = (n: number) => `/mutualisation?${boardQuery(filters, n)}`;
  return html`<h2 id="titre-resultats">${formatNumber(answer.total)} offre${answer.total > 1 ? 's' : ''} ou demande${answer.total > 1 ? 's' : ''}</h2>
${
  answer.total === 0
    ? html`<p>Rien ici pour l’instant : élargissez le rayon ou le territoire, ou publiez ce que vous proposez ou cherchez.</p>`
    : html`<ul class="result-list">${answer.resultats.map(
        (e) => html`<li class="result"><h3><a href="/mutualisation/${e.id}">${e.titre}</a></h3>
<p>${sens.label(e.sens)} · ${categorie.label(e.categorie)} · ${e.commune.nom}${e.distance_km === null ? '' : ` · à ${e.distance_km.toLocaleString('fr-FR')} km`}${e.structure ? ` · ${e.structure.nom}` : ''}</p></li>`,
      )}</ul>`
}
${paginationNav(answer.page, lastPage, page)}`;
}

export function boardPage(state: FormState, answer: BoardAnswer | null, regions: Record<string, string>): SafeHtml {
  return html`${trail()}
<h1>Mutualisation : locaux, équipements, véhicules, compétences, emplois partagés</h1>
<p>Ce que les structures et coopérations proposent ou cherchent à partager près de chez elles. Les locaux et
équipements offerts se réservent sur leur page, dans un calendrier sans chevauchement.</p>
<p><a class="button-link" href="/mutualisation/publier">Publier une offre ou une demande</a></p>
${errorSummary(state, { labels: SEARCH_LABELS })}
${searchForm(state, regions)}
${answer ? results(answer, state.values ?? {}) : ''}
<p><a href="/api/v1/mutualisation">Ces offres et demandes en JSON (API)</a></p>`;
}

const monthKey = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit' });
const monthName = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', month: 'long', year: 'numeric' });
const dayTime = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  hour: '2-digit',
  minute: '2-digit',
});

/** The bookings to come, one table per month of their start (Paris time). */
function calendar(request: FastifyRequest, entry: Entry, bookings: readonly BookingRow[], owner: boolean): SafeHtml {
  if (bookings.length === 0) return html`<p>Aucune réservation à venir : tout le calendrier est libre.</p>`;
  const months = new Map<string, BookingRow[]>();
  for (const b of bookings) {
    const key = monthKey.format(new Date(b.debut));
    months.set(key, [...(months.get(key) ?? []), b]);
  }
  return html`${[...months.values()].map((list) => {
    const name = monthName.format(new Date(list[0]!.debut));
    return html`<table class="table">
<caption>Réservations de ${name}</caption>
<thead><tr><th scope="col">Du</th><th scope="col">Au</th><th scope="col">État</th>${owner ? html`<th scope="col">Demandée par</th><th scope="col">Réponse</th>` : ''}</tr></thead>
<tbody>${list.map(
      (
        b,
      ) => html`<tr><td><time datetime="${b.debut}">${dayTime.format(new Date(b.debut))}</time></td><td><time datetime="${b.fin}">${dayTime.format(new Date(b.fin))}</time></td>
<td>${b.statut === 'confirmee' ? 'Confirmée' : 'Demandée, en attente de réponse'}</td>${
        owner
          ? html`<td>${b.demandeur ?? 'Compte supprimé'}</td><td>${
              b.statut === 'demandee'
                ? html`<form method="post" action="/mutualisation/${entry.id}/reservations/${b.id}/decision">${csrfField(request)}
<button class="button" type="submit" name="decision" value="confirmee">Confirmer<span class="visually-hidden"> la demande du ${dayTime.format(new Date(b.debut))}</span></button>
<button class="button" type="submit" name="decision" value="refusee">Décliner<span class="visually-hidden"> la demande du ${dayTime.format(new Date(b.debut))}</span></button></form>`
                : ''
            }</td>`
          : ''
      }</tr>`,
    )}</tbody></table>`;
  })}`;
}

function bookingForm(request: FastifyRequest, entry: Entry, state: FormState): SafeHtml {
  if (!request.account)
    return html`<p><a href="/compte/connexion?retour=${encodeURIComponent(`/mutualisation/${entry.id}`)}">Connectez-vous</a> pour demander un créneau.</p>`;
  return html`${errorSummary(state, { form: 'reservation', labels: BOOKING_LABELS, level: 3 })}
<form method="post" action="/mutualisation/${entry.id}/reserver" class="stacked-form" novalidate>
${csrfField(request)}
${formField({ form: 'reservation', name: 'debut', label: BOOKING_LABELS.debut, kind: 'date', required: true, hint: 'Format AAAA-MM-JJ, à venir.' }, state)}
${formField({ form: 'reservation', name: 'debut_heure', label: BOOKING_LABELS.debut_heure, kind: 'time', hint: 'HH:MM, heure de Paris ; sans heure, dès le début de la journée.' }, state)}
${formField({ form: 'reservation', name: 'fin', label: BOOKING_LABELS.fin, kind: 'date', required: true, hint: 'Format AAAA-MM-JJ, le même jour ou après.' }, state)}
${formField({ form: 'reservation', name: 'fin_heure', label: BOOKING_LABELS.fin_heure, kind: 'time', hint: 'HH:MM, heure de Paris ; sans heure, jusqu’à la fin de la journée.' }, state)}
<button class="button" type="submit">Demander ce créneau</button>
</form>`;
}

export interface EntryView {
  entry: Entry;
  bookings: readonly BookingRow[];
  /** Answers the bookings: who published it, or a member of its structure. */
  owner: boolean;
  state: FormState;
}

export function entryPage(request: FastifyRequest, { entry, bookings, owner, state }: EntryView): SafeHtml {
  const bookable = entry.reservable && entry.sens === 'offre';
  return html`${trail({ label: entry.titre })}
<h1>${entry.titre} <span class="subtitle">${sens.label(entry.sens)} · ${categorie.label(entry.categorie)}</span></h1>
${state.form === undefined ? formMessages(state) : ''}
<dl class="facts">
<dt>Commune</dt><dd>${entry.commune.nom} (${entry.commune.code})</dd>
<dt>Structure</dt><dd>${entry.structure ? html`<a href="/organisations/${entry.structure.id}">${entry.structure.nom}</a>` : 'Non précisée'}</dd>
</dl>
${entry.description ? html`<h2>Description</h2><p>${entry.description}</p>` : ''}
${
  bookable
    ? html`<h2 id="calendrier">Calendrier des réservations</h2>
<p>Les créneaux déjà demandés ou confirmés, mois par mois ; un nouveau créneau ne peut pas les chevaucher.
<a href="/api/v1/mutualisation/${entry.id}/calendrier.ics">Ajouter ce calendrier à votre agenda (iCalendar)</a>.</p>
${calendar(request, entry, bookings, owner)}
<h2 id="reserver">Demander un créneau</h2>
${state.form === 'reservation' ? formMessages(state) : ''}
${bookingForm(request, entry, state)}`
    : html`<p>${entry.sens === 'offre' ? 'Cette offre ne se réserve pas en ligne' : 'C’est une demande'} : <a href="/mutualisation">d’autres offres et demandes</a>.</p>`
}
<p><a href="/api/v1/mutualisation/${entry.id}">Cette fiche en JSON</a></p>`;
}

export function publishPage(request: FastifyRequest, structures: readonly { id: number; nom: string }[], state: FormState): SafeHtml {
  const head = html`${trail({ label: 'Publier' })}<h1>Publier une offre ou une demande</h1>`;
  if (structures.length === 0)
    return html`${head}<p>On publie au nom d’une structure dont on est membre. Rattachez-vous d’abord à la vôtre : sur sa fiche,
« Revendiquer cette structure » ; la modération de sa région vérifiera votre demande.</p>
<p><a href="/recherche?type=organisations">Trouver votre structure</a></p>`;
  return html`${head}
<p>Ce que votre structure propose de partager, ou ce qu’elle cherche. Les locaux et équipements offerts auront un calendrier de réservation.</p>
${errorSummary(state, { labels: PUBLISH_LABELS })}${formMessages(state)}
<form method="post" action="/mutualisation/publier" class="stacked-form" novalidate>
${csrfField(request)}
${formField({ name: 'structure', label: PUBLISH_LABELS.structure, kind: 'select', required: true, choices: structures.map((s) => ({ value: String(s.id), label: s.nom })) }, state)}
${formField({ name: 'sens', label: PUBLISH_LABELS.sens, kind: 'radios', required: true, choices: { offre: 'Une offre : nous proposons', demande: 'Une demande : nous cherchons' } }, state)}
${formField({ name: 'categorie', label: PUBLISH_LABELS.categorie, kind: 'select', required: true, blank: 'Choisissez', choices: categorie.labels }, state)}
${formField({ name: 'titre', label: PUBLISH_LABELS.titre, required: true, attributes: html`maxlength="200"`, hint: 'Ex. Salle de réunion de 20 places, camion frigorifique, comptable à temps partagé.' }, state)}
${formField({ name: 'description', label: PUBLISH_LABELS.description, kind: 'textarea', rows: 5, attributes: html`maxlength="5000"`, hint: 'Conditions, disponibilités, contrepartie.' }, state)}
${formField({ name: 'commune', label: PUBLISH_LABELS.commune, required: true, attributes: html`maxlength="5" inputmode="numeric"`, hint: 'Là où se trouve la ressource, ex. 26281.' }, state)}
<button class="button" type="submit">Publier</button>
</form>`;
}
