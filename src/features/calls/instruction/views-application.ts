/**
 * An application as its instruction reads it: answers, members, history, the score sheet, and for instructors
 * the annotations, the others' sheets, decisions and the thread with the applicant; the applicant's own thread
 * page. Every text a person wrote goes through html`` and is escaped.
 */
import { nextStates, statutCandidature } from '../../../domain/application.ts';
import { scoringOpen } from '../../../domain/instruction-rules.ts';
import { html, type SafeHtml } from '../../../web/html.ts';
import { breadcrumb } from '../../../web/layout.ts';
import type { AnswerLine } from '../applications/answers.ts';
import { declaredProfileLines } from '../applications/views.ts';
import type { ApplicationAccess, OwnerAccess } from './access.ts';
import type { InstructionView } from './queries.ts';
import { INSTRUCTION_TARGETS } from './schemas.ts';
import { errorSummary, formField, formMessages } from '../../../web/form-fields.ts';
import type { FormState } from '../../../web/forms.ts';
import { paris, score } from './view-parts.ts';

type Message = InstructionView['messages'][number];

function thread(list: Message[], mine: 'candidat' | 'instruction'): SafeHtml {
  if (!list.length) return html`<p>Aucun message pour le moment.</p>`;
  return html`<ol class="result-list">${list.map(
    (m) => html`<li class="result">
  <p><strong>${m.cote === mine ? 'Vous' : m.cote === 'instruction' ? 'Instruction' : 'Candidat'}</strong> (${m.auteur}) — ${paris(m.le)}</p>
  <p class="pre-line">${m.texte}</p></li>`,
  )}</ol>`;
}

/** The answers by section of the form, each section its own list. */
function answers(lines: AnswerLine[]): SafeHtml[] {
  const groups: { titre: string | null; items: { label: string; value: string }[] }[] = [];
  for (const line of lines) {
    if (line.kind === 'section') groups.push({ titre: line.text, items: [] });
    else (groups.at(-1) ?? groups[groups.push({ titre: null, items: [] }) - 1]!).items.push(line);
  }
  return groups.map(
    (g) =>
      html`${g.titre ? html`<h3>${g.titre}</h3>` : ''}<dl class="facts">${g.items.map(
        (i) => html`<dt>${i.label}</dt><dd class="pre-line">${i.value}</dd>`,
      )}</dl>`,
  );
}

/**
 * The files joined to the application, as links (a file field's answer is the file { id, nom }; files are
 * never inside a group). Those who reach this page may download them (domain/files.ts canReadApplicationFile).
 */
function attachments(id: number, donnees: Record<string, unknown>): SafeHtml {
  const files = Object.values(donnees).filter(
    (v): v is { id: string; nom: string } =>
      !!v && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string' && typeof (v as { nom?: unknown }).nom === 'string',
  );
  if (!files.length) return html`<p>Aucune pièce jointe.</p>`;
  return html`<ul>${files.map((f) => html`<li><a href="/candidatures/${id}/fichiers/${f.id}">${f.nom}</a></li>`)}</ul>`;
}

function scoreSheet(access: ApplicationAccess, v: InstructionView, csrf: SafeHtml, state: FormState): SafeHtml {
  if (!v.grille.length) return html`<p>Cet appel n’a pas encore de grille d’évaluation.</p>`;
  if (!scoringOpen(v.statut)) return html`<p>La décision est prise : la notation est close.</p>`;
  const labels = Object.fromEntries(v.grille.map((c) => [`note_${c.id}`, c.libelle]));
  return html`<form method="post" action="/instruction/candidatures/${access.candidature.id}/evaluation" class="stacked-form" novalidate>${csrf}
  ${errorSummary(state, { form: 'notation', labels, level: 3 })}
  ${v.grille.map((c) =>
    formField(
      {
        form: 'notation',
        name: `note_${c.id}`,
        label: `${c.libelle} (de ${c.min} à ${c.max}, poids ${score(c.poids)})`,
        kind: 'number',
        required: 'unmarked',
        hint: c.description ?? undefined,
        value: v.maFiche?.notes[c.id] !== undefined ? String(v.maFiche.notes[c.id]) : '',
        attributes: html`min="${c.min}" max="${c.max}" step="1" inputmode="numeric"`,
      },
      state,
    ),
  )}
  ${formField({ form: 'notation', name: 'commentaire', label: 'Commentaire (facultatif)', kind: 'textarea', value: v.maFiche?.commentaire ?? '' }, state)}
  <button type="submit" class="button">${v.maFiche ? 'Mettre à jour ma fiche' : 'Enregistrer ma fiche'}</button>
</form>`;
}

function decisionForm(access: ApplicationAccess, v: InstructionView, csrf: SafeHtml, state: FormState): SafeHtml {
  const moves = nextStates(v.statut).filter((s) => (INSTRUCTION_TARGETS as readonly string[]).includes(s));
  if (!moves.length) return html`<p>Aucune étape d’instruction ne suit l’état « ${statutCandidature.label(v.statut).toLowerCase()} ».</p>`;
  return html`<form method="post" action="/instruction/candidatures/${access.candidature.id}/statut" class="stacked-form" novalidate>${csrf}
  ${errorSummary(state, { form: 'decision', labels: { statut: 'Nouvelle étape', motif: 'Motivation' }, level: 3 })}
  ${formField(
    {
      form: 'decision',
      name: 'statut',
      label: 'Nouvelle étape',
      kind: 'radios',
      required: 'unmarked',
      value: moves[0],
      choices: moves.map((s) => ({ value: s, label: statutCandidature.label(s) })),
    },
    state,
  )}
  ${formField(
    {
      form: 'decision',
      name: 'motif',
      label: 'Motivation (ou message de demande de complément)',
      kind: 'textarea',
      hint: 'Obligatoire pour toute décision et pour une demande de complément ; elle est inscrite à l’historique et communiquée au candidat.',
    },
    state,
  )}
  <button type="submit" class="button">Enregistrer la décision</button>
</form>`;
}

export function instructionApplicationPage(access: ApplicationAccess, v: InstructionView, csrf: SafeHtml, state: FormState): SafeHtml {
  const manage = access.role === 'instructeur';
  return html`${breadcrumb([
    { href: '/', label: 'Accueil' },
    { href: '/instruction', label: 'Instruction' },
    { href: `/instruction/appels/${v.appel_id}`, label: access.appel.titre },
    { label: v.titre },
  ])}
<h1>${v.titre}</h1>
${formMessages(state)}
<dl class="facts">
  <dt>Statut</dt><dd>${statutCandidature.label(v.statut)}</dd>
  <dt>Numéro de dépôt</dt><dd>${v.numero_depot ?? '—'}</dd>
  <dt>Déposée le</dt><dd>${paris(v.depose_le)} (heure de Paris)</dd>
  <dt>Porteur</dt><dd>${v.porteur_type === 'groupement' ? 'Groupement' : 'Coopération'} — compte : ${v.candidat}</dd>
  <dt>Profil déclaré</dt><dd>${declaredProfileLines(v.profil).join(' ; ') || 'Non déclaré'}</dd>
</dl>
<h2>Structures candidates</h2>
<ul>${v.membres.map((m) => html`<li>${m.nom} (SIRET ${m.siret}) — ${m.role === 'chef_de_file' ? 'chef de file' : 'co-candidat'}</li>`)}</ul>
<h2>Réponses au formulaire</h2>
${v.reponses.length ? answers(v.reponses) : html`<p>Aucune réponse.</p>`}
<h2>Pièces jointes</h2>
${attachments(access.candidature.id, v.donnees)}
<h2>Historique</h2>
<ol>${v.historique.map((h) => html`<li>${paris(h.le)} — ${h.de ? `${statutCandidature.label(h.de)} → ` : ''}${statutCandidature.label(h.vers)}, par ${h.par}${h.motif ? html` : « ${h.motif} »` : ''}</li>`)}</ol>
<h2>Ma fiche de notation</h2>
${scoreSheet(access, v, csrf, state)}
${
  manage
    ? html`<h2>Fiches de notation</h2>
${
  v.fiches.length
    ? html`<table class="table"><caption>Fiches de notation (total pondéré sur 100)</caption>
<thead><tr><th scope="col">Par</th>${v.grille.map((c) => html`<th scope="col">${c.libelle}</th>`)}<th scope="col">Total</th><th scope="col">Commentaire</th></tr></thead>
<tbody>${v.fiches.map(
        (f) => html`<tr><th scope="row">${f.evaluateur}</th>${v.grille.map((c) => html`<td>${score(f.notes[c.id])}</td>`)}<td>${score(f.total)}</td>
  <td>${f.commentaire ?? ''}</td></tr>`,
      )}</tbody></table>`
    : html`<p>Aucune fiche pour le moment.</p>`
}
<h2>Décision</h2>
${decisionForm(access, v, csrf, state)}
<h2>Annotations privées</h2>
<p>Visibles des seuls instructeurs et instructrices de l’appel ; jamais du candidat ni des évaluateurs.</p>
${
  v.annotations.length
    ? html`<ul class="result-list">${v.annotations.map(
        (a) => html`<li class="result"><p><strong>${a.auteur}</strong> — ${paris(a.le)}</p>
  <p class="pre-line">${a.texte}</p></li>`,
      )}</ul>`
    : html`<p>Aucune annotation.</p>`
}
<form method="post" action="/instruction/candidatures/${access.candidature.id}/annotations" class="stacked-form" novalidate>${csrf}
  ${errorSummary(state, { form: 'annotation', labels: { texte: 'Annotation' }, level: 3 })}
  ${formField({ form: 'annotation', name: 'texte', label: 'Nouvelle annotation', kind: 'textarea', required: 'unmarked' }, state)}
  <button type="submit" class="button">Annoter</button>
</form>
<h2>Échanges avec le candidat</h2>
${thread(v.messages, 'instruction')}
<form method="post" action="/instruction/candidatures/${access.candidature.id}/messages" class="stacked-form" novalidate>${csrf}
  ${errorSummary(state, { form: 'message', labels: { texte: 'Message' }, level: 3 })}
  ${formField({ form: 'message', name: 'texte', label: 'Écrire au candidat', kind: 'textarea', required: 'unmarked' }, state)}
  <button type="submit" class="button">Envoyer le message</button>
</form>
${v.statut === 'laureate' ? html`<h2>Financement</h2><p><a href="/instruction/candidatures/${access.candidature.id}/financement">Convention, tranches, versements et rapports</a></p>` : ''}`
    : html`<h2>Conflit d’intérêts</h2>
<p>Si vous avez un lien avec cette candidature, déclarez-le : elle disparaîtra de votre liste et votre fiche de notation sera retirée.</p>
<form method="post" action="/instruction/candidatures/${access.candidature.id}/conflit" class="stacked-form" novalidate>${csrf}
  ${errorSummary(state, { form: 'conflit', labels: { motif: 'Nature du lien' }, level: 3 })}
  ${formField({ form: 'conflit', name: 'motif', label: 'Nature du lien (facultatif, visible de l’instruction)', kind: 'textarea' }, state)}
  <button type="submit" class="button">Déclarer un conflit d’intérêts</button>
</form>`
}`;
}

export function applicantThreadPage(access: OwnerAccess, list: Message[], csrf: SafeHtml, state: FormState): SafeHtml {
  return html`${breadcrumb([
    { href: '/', label: 'Accueil' },
    { href: '/candidatures', label: 'Mes candidatures' },
    { href: `/candidatures/${access.candidature.id}`, label: access.candidature.titre },
    { label: 'Échanges avec l’instruction' },
  ])}
<h1>Échanges avec l’instruction — ${access.candidature.titre}</h1>
<p>Appel : ${access.appel.titre}. Statut : ${statutCandidature.label(access.candidature.statut)}.</p>
${formMessages(state)}
${thread(list, 'candidat')}
${
  access.candidature.statut === 'brouillon'
    ? html`<p>Les échanges s’ouvrent une fois la candidature déposée.</p>`
    : html`<form method="post" action="/candidatures/${access.candidature.id}/messages" class="stacked-form" novalidate>${csrf}
  ${errorSummary(state, { form: 'message', labels: { texte: 'Message' }, level: 3 })}
  ${formField({ form: 'message', name: 'texte', label: 'Écrire à l’instruction', kind: 'textarea', required: 'unmarked' }, state)}
  <button type="submit" class="button">Envoyer le message</button>
</form>`
}`;
}
