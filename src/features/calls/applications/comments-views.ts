/**
 * The « Concertation » section of a call's page: the public comments (the author's display name, the date, the
 * part of the call), the organiser's reply under each, the form to comment while the call is in concertation,
 * and for the call's managers a form to reply and one to hide each comment. Errors are summarised with links to
 * their fields; every text a person wrote goes through html`` and is escaped.
 */
import { formatParis } from '../../../domain/call.ts';
import { html, type SafeHtml } from '../../../web/html.ts';
import type { CurrentAccount } from '../../../platform/http/sessions.ts';
import type { AppelDetail } from './queries.ts';
import { sectionCommentaire, type Commentaire } from './schemas.ts';

export interface ConcertationState {
  /** `champ` is the id of the input (« commentaire-texte », « reponse-12-texte », « masquage-12-motif »). */
  errors: { champ: string; message: string }[];
  alert?: string;
  /** A notice code after a redirect (publie, repondu, masque). */
  notice?: string;
  values?: Record<string, string | undefined>;
}

interface Viewer { account: CurrentAccount | null; manager: boolean; csrf: SafeHtml }

const NOTICES: Record<string, string> = { publie: 'Merci : votre commentaire est publié.', repondu: 'La réponse est publiée.', masque: 'Le commentaire est masqué.' };

const LABELS: [RegExp, string][] = [
  [/^commentaire-texte$/, 'Commentaire'], [/^commentaire-section$/, 'Partie de l’appel'],
  [/^reponse-\d+-texte$/, 'Réponse'], [/^masquage-\d+-motif$/, 'Motif du masquage'],
];
const labelOf = (champ: string) => LABELS.find(([pattern]) => pattern.test(champ))?.[1] ?? champ;

const when = (iso: string) => `le ${formatParis(new Date(iso))}`;

function textArea(id: string, name: string, label: string, state: ConcertationState, max: number, rows = 5): SafeHtml {
  const error = state.errors.find((e) => e.champ === id);
  return html`<div class="field"><label for="${id}">${label} (obligatoire)</label>
  <span class="hint" id="${id}-aide">${max.toLocaleString('fr-FR')} caractères au plus.</span>
  ${error ? html`<span class="field-error" id="${id}-erreur">${error.message}</span>` : ''}
  <textarea id="${id}" name="${name}" rows="${rows}" maxlength="${max}" aria-describedby="${id}-aide${error ? ` ${id}-erreur` : ''}" ${error ? html`aria-invalid="true"` : ''}>${state.values?.[id] ?? ''}</textarea></div>`;
}

function managerForms(appelId: number, c: Commentaire, viewer: Viewer, state: ConcertationState): SafeHtml {
  const mine = state.errors.some((e) => e.champ.startsWith(`reponse-${c.id}-`) || e.champ.startsWith(`masquage-${c.id}-`));
  return html`<details ${mine ? html`open` : ''}><summary>Répondre ou masquer<span class="visually-hidden"> — commentaire de ${c.auteur}</span></summary>
  <form method="post" action="/appels/${appelId}/commentaires/${c.id}/reponse" class="stacked-form" novalidate>${viewer.csrf}
    ${textArea(`reponse-${c.id}-texte`, 'texte', c.reponse ? 'Modifier la réponse de l’organisateur' : 'Réponse de l’organisateur', state, 4000, 3)}
    <button type="submit" class="button">Publier la réponse</button>
  </form>
  <form method="post" action="/appels/${appelId}/commentaires/${c.id}/masquage" class="stacked-form" novalidate>${viewer.csrf}
    ${textArea(`masquage-${c.id}-motif`, 'motif', 'Motif du masquage (abus)', state, 1000, 2)}
    <p class="hint">Le commentaire disparaît de la page et de l’API ; le journal d’audit garde l’action et son motif.</p>
    <button type="submit" class="button">Masquer le commentaire</button>
  </form></details>`;
}

function commentItem(appelId: number, c: Commentaire, viewer: Viewer, state: ConcertationState): SafeHtml {
  return html`<li class="result" id="commentaire-${c.id}">
  <p><strong>${c.auteur}</strong>, ${when(c.date)} — <span class="badge">${sectionCommentaire.label(c.section)}</span></p>
  <p style="white-space: pre-line">${c.texte}</p>
  ${c.reponse ? html`<div class="notice"><p><strong>Réponse de l’organisateur</strong>, ${when(c.reponse.date)}</p>
    <p style="white-space: pre-line">${c.reponse.texte}</p></div>` : ''}
  ${viewer.manager ? managerForms(appelId, c, viewer, state) : ''}
</li>`;
}

function commentForm(appelId: number, viewer: Viewer, state: ConcertationState): SafeHtml {
  if (!viewer.account) {
    return html`<p><a href="/compte/connexion?retour=${encodeURIComponent(`/appels/${appelId}`)}">Connectez-vous</a> pour commenter ce projet d’appel.</p>`;
  }
  if (!viewer.account.emailVerified) {
    return html`<p>Confirmez votre adresse e-mail pour commenter : ouvrez le lien reçu, ou demandez-en un nouveau depuis <a href="/compte">Mon compte</a>.</p>`;
  }
  const section = state.values?.['commentaire-section'] ?? 'general';
  return html`<h3 id="commenter">Commenter ce projet d’appel</h3>
<form method="post" action="/appels/${appelId}/commentaires" class="stacked-form" novalidate aria-labelledby="commenter">${viewer.csrf}
  <div class="field"><label for="commentaire-section">Partie de l’appel commentée</label>
  <select id="commentaire-section" name="section">${sectionCommentaire.codes.map((code) =>
    html`<option value="${code}" ${code === section ? html`selected` : ''}>${sectionCommentaire.label(code)}</option>`)}</select></div>
  ${textArea('commentaire-texte', 'texte', 'Votre commentaire', state, 4000)}
  <p class="hint">Votre commentaire est public, avec votre nom affiché (${viewer.account.displayName}).</p>
  <button type="submit" class="button">Publier le commentaire</button>
</form>`;
}

export function concertationSection(appel: AppelDetail, comments: Commentaire[], viewer: Viewer, state: ConcertationState): SafeHtml {
  const open = appel.etat_publication === 'brouillon_concertation';
  const notice = state.notice ? NOTICES[state.notice] : undefined;
  return html`<section aria-labelledby="concertation" id="concertation-section">
<h2 id="concertation">Concertation</h2>
${open
    ? html`<p>Ce projet d’appel est soumis à concertation avant son ouverture : ses organisateurs invitent les acteurs à le commenter,
pour le construire ensemble. Les commentaires sont publics, avec le nom affiché de leur auteur ou autrice.</p>`
    : html`<p>La concertation sur ce projet d’appel est close ; ses commentaires restent consultables.</p>`}
${notice ? html`<div class="notice" role="status"><p>${notice}</p></div>` : ''}
${state.alert ? html`<div class="alert" role="alert" tabindex="-1" id="erreurs"><p>${state.alert}</p></div>` : ''}
${state.errors.length ? html`<div class="alert" role="alert" tabindex="-1" id="erreurs"><h3>${state.errors.length > 1 ? `Le formulaire contient ${state.errors.length} erreurs` : 'Le formulaire contient une erreur'}</h3>
<ul>${state.errors.map((e) => html`<li><a href="#${e.champ}">${labelOf(e.champ)} : ${e.message}</a></li>`)}</ul></div>` : ''}
<h3>${comments.length ? `${comments.length} commentaire${comments.length > 1 ? 's' : ''}` : 'Aucun commentaire pour le moment'}</h3>
${comments.length ? html`<ol class="result-list plain">${comments.map((c) => commentItem(appel.id, c, viewer, state))}</ol>` : ''}
${open ? commentForm(appel.id, viewer, state) : ''}
</section>`;
}
