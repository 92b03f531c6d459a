/**
 * The « Concertation » section of a call's page: the public comments (the author's display name, the date, the
 * part of the call), the organiser's reply under each, the form to comment while the call is in concertation,
 * and for the call's managers a form to reply and one to hide each comment. Errors are summarised with links to
 * their fields; every text a person wrote goes through html`` and is escaped.
 */
import { formatParis } from '../../../domain/call.ts';
import { errorSummary, formField, formMessages } from '../../../web/form-fields.ts';
import type { FormState } from '../../../web/forms.ts';
import { html, type SafeHtml } from '../../../web/html.ts';
import type { CurrentAccount } from '../../../platform/http/sessions.ts';
import type { AppelDetail } from './queries.ts';
import { sectionCommentaire, type Commentaire } from './schemas.ts';

interface Viewer {
  account: CurrentAccount | null;
  manager: boolean;
  csrf: SafeHtml;
}

/** Each form's input, as its error summary names it: the comment (« commentaire »), a reply, a hiding. */
function labelOf(form: string | undefined) {
  return (field: string) =>
    form?.startsWith('reponse-') ? 'Réponse' : form?.startsWith('masquage-') ? 'Motif du masquage' : field === 'section' ? 'Partie de l’appel' : 'Commentaire';
}

const when = (iso: string) => `le ${formatParis(new Date(iso))}`;

function textArea(form: string, name: string, label: string, state: FormState, max: number, rows = 5): SafeHtml {
  return formField(
    {
      form,
      name,
      label,
      kind: 'textarea',
      rows,
      required: true,
      hint: `${max.toLocaleString('fr-FR')} caractères au plus.`,
      attributes: html`maxlength="${max}"`,
    },
    state,
  );
}

function managerForms(appelId: number, c: Commentaire, viewer: Viewer, state: FormState): SafeHtml {
  const mine = state.form === `reponse-${c.id}` || state.form === `masquage-${c.id}`;
  return html`<details ${mine ? html`open` : ''}><summary>Répondre ou masquer<span class="visually-hidden"> — commentaire de ${c.auteur}</span></summary>
  <form method="post" action="/appels/${appelId}/commentaires/${c.id}/reponse" class="stacked-form" novalidate>${viewer.csrf}
    ${textArea(`reponse-${c.id}`, 'texte', c.reponse ? 'Modifier la réponse de l’organisateur' : 'Réponse de l’organisateur', state, 4000, 3)}
    <button type="submit" class="button">Publier la réponse</button>
  </form>
  <form method="post" action="/appels/${appelId}/commentaires/${c.id}/masquage" class="stacked-form" novalidate>${viewer.csrf}
    ${textArea(`masquage-${c.id}`, 'motif', 'Motif du masquage (abus)', state, 1000, 2)}
    <p class="hint">Le commentaire disparaît de la page et de l’API ; le journal d’audit garde l’action et son motif.</p>
    <button type="submit" class="button">Masquer le commentaire</button>
  </form></details>`;
}

function commentItem(appelId: number, c: Commentaire, viewer: Viewer, state: FormState): SafeHtml {
  return html`<li class="result" id="commentaire-${c.id}">
  <p><strong>${c.auteur}</strong>, ${when(c.date)} — <span class="badge">${sectionCommentaire.label(c.section)}</span></p>
  <p class="pre-line">${c.texte}</p>
  ${
    c.reponse
      ? html`<div class="notice"><p><strong>Réponse de l’organisateur</strong>, ${when(c.reponse.date)}</p>
    <p class="pre-line">${c.reponse.texte}</p></div>`
      : ''
  }
  ${viewer.manager ? managerForms(appelId, c, viewer, state) : ''}
</li>`;
}

function commentForm(appelId: number, viewer: Viewer, state: FormState): SafeHtml {
  if (!viewer.account) {
    return html`<p><a href="/compte/connexion?retour=${encodeURIComponent(`/appels/${appelId}`)}">Connectez-vous</a> pour commenter ce projet d’appel.</p>`;
  }
  if (!viewer.account.emailVerified) {
    return html`<p>Confirmez votre adresse e-mail pour commenter : ouvrez le lien reçu, ou demandez-en un nouveau depuis <a href="/compte">Mon compte</a>.</p>`;
  }
  return html`<h3 id="commenter">Commenter ce projet d’appel</h3>
<form method="post" action="/appels/${appelId}/commentaires" class="stacked-form" novalidate aria-labelledby="commenter">${viewer.csrf}
  ${formField({ form: 'commentaire', name: 'section', label: 'Partie de l’appel commentée', kind: 'select', choices: sectionCommentaire.labels, value: 'general' }, state)}
  ${textArea('commentaire', 'texte', 'Votre commentaire', state, 4000)}
  <p class="hint">Votre commentaire est public, avec votre nom affiché (${viewer.account.displayName}).</p>
  <button type="submit" class="button">Publier le commentaire</button>
</form>`;
}

export function concertationSection(appel: AppelDetail, comments: Commentaire[], viewer: Viewer, state: FormState): SafeHtml {
  const open = appel.etat_publication === 'brouillon_concertation';
  return html`<section aria-labelledby="concertation" id="concertation-section">
<h2 id="concertation">Concertation</h2>
${
  open
    ? html`<p>Ce projet d’appel est soumis à concertation avant son ouverture : ses organisateurs invitent les acteurs à le commenter,
pour le construire ensemble. Les commentaires sont publics, avec le nom affiché de leur auteur ou autrice.</p>`
    : html`<p>La concertation sur ce projet d’appel est close ; ses commentaires restent consultables.</p>`
}
${formMessages(state)}
${errorSummary(state, { form: state.form, labels: labelOf(state.form), level: 3 })}
<h3>${comments.length ? `${comments.length} commentaire${comments.length > 1 ? 's' : ''}` : 'Aucun commentaire pour le moment'}</h3>
${comments.length ? html`<ol class="result-list plain">${comments.map((c) => commentItem(appel.id, c, viewer, state))}</ol>` : ''}
${open ? commentForm(appel.id, viewer, state) : ''}
</section>`;
}
