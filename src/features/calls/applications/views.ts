/**
 * Pages of calls and applications. Forms post with their CSRF field, announce errors in a summary whose links
 * lead to the fields, and tie each error to its field (aria-describedby, aria-invalid). The application form
 * is drawn from its form version; it works without JavaScript (conditional questions say when they apply),
 * and the autosave script saves the draft as one types.
 */
import { paginationNav } from '../../../web/pagination.ts';
import { statutCandidature } from '../../../domain/application.ts';
import { calendrierAppel, formatParis, type Eligibilite } from '../../../domain/call.ts';
import { finalite, modele, modeleEconomique, stade } from '../../../domain/cooperation.ts';
import { formeJuridique } from '../../../domain/organisation.ts';
import type { Condition, FieldDefinition, FormDefinition } from '../../../domain/form.ts';
import { fieldLabel } from '../../../domain/form.ts';
import { FILE_KINDS, fileRules, kindOfMime, kindsText, sizeText, typeFichier } from '../../../domain/files.ts';
import { SCDL_SCHEMA } from '../../../domain/scdl.ts';
import { errorSummary, fieldId, fieldNotes, formField, formMessages, type FieldKind, type FieldSpec } from '../../../web/form-fields.ts';
import type { FieldError, FormState } from '../../../web/forms.ts';
import { formatNumber, html, type SafeHtml } from '../../../web/html.ts';
import { breadcrumb } from '../../../web/layout.ts';
import { answerLines } from './answers.ts';
import type { AppelDetail, AppelSummary } from './queries.ts';
import type { AppelSearch } from './schemas.ts';
import type { StoredFile } from '../files/queries.ts';
import type { Candidature } from './service.ts';
import { followForm } from '../../../platform/page-widgets.ts';
import type { TerritoryIndex } from '../../../platform/territory-index.ts';

const paris = (iso: string) => `${formatParis(new Date(iso))} (heure de Paris)`;

export function appelsPage(search: Partial<AppelSearch>, found: { total: number; page: number; par_page: number; resultats: AppelSummary[] }): SafeHtml {
  const lastPage = Math.max(1, Math.ceil(found.total / found.par_page));
  const url = (page: number) => {
    const params = new URLSearchParams();
    for (const key of ['q', 'region', 'departement', 'statut'] as const) if (search[key]) params.set(key, search[key]!);
    if (page > 1) params.set('page', String(page));
    return `/appels${params.size ? `?${params}` : ''}`;
  };
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { label: 'Appels' }])}
<h1 id="titre-appels">Appels à projets et appels à manifestation d’intérêt</h1>
<p>Les appels publiés sur Maillage, avec leurs phases en heure de Paris. Une candidature se dépose pendant une phase de dépôt ouverte, selon l’horloge du serveur.</p>
<form class="search-form" method="get" action="/appels" role="search" aria-labelledby="titre-appels">
  <div class="field"><label for="q">Rechercher un appel</label>
  <input type="search" id="q" name="q" value="${search.q ?? ''}" maxlength="200" autocomplete="off"></div>
  <div class="field"><label for="statut">Statut</label>
  <select id="statut" name="statut"><option value="">Tous</option>${calendrierAppel.codes.map(
    (code) => html`<option value="${code}" ${search.statut === code ? html`selected` : ''}>${calendrierAppel.label(code)}</option>`,
  )}</select></div>
  <button type="submit" class="button">Rechercher</button>
</form>
<h2>${formatNumber(found.total)} ${found.total > 1 ? 'appels' : 'appel'}</h2>
${followForm('recherche_appels', { q: search.q, region: search.region, departement: search.departement })}
<ul class="result-list plain">${found.resultats.map(
    (a) => html`<li class="result">
  <h3><a href="/appels/${a.id}">${a.titre}</a> <span class="badge">${calendrierAppel.label(a.statut)}</span>${a.exemple ? html` <span class="badge">exemple</span>` : ''}</h3>
  <p>${a.organisateurs.join(', ')}${a.prochaine_cloture ? ` — clôture le ${paris(a.prochaine_cloture)}` : ''}</p>
</li>`,
  )}</ul>
${paginationNav(found.page, lastPage, url)}`;
}

/** Every restriction of the call's eligibility, one line each (an absent or empty list restricts nothing). */
function eligibilityLines(e: Eligibilite): string[] {
  const list = (codes: readonly string[] | undefined, label: (code: string) => string) => (codes?.length ? codes.map(label).join(', ') : null);
  const legalForm = (code: string) => (code.length === 4 ? `${formeJuridique.label(code.slice(0, 2))} (${code})` : formeJuridique.label(code));
  return [
    ['Modèle', list(e.modeles, modele.label)],
    ['Stade', list(e.stades, stade.label)],
    ['Finalité', list(e.finalites, finalite.label)],
    ['Modèle économique', list(e.modeles_economiques, modeleEconomique.label)],
    ['Forme juridique', list(e.formes_juridiques, legalForm)],
    ['Agrément ESUS', e.esus_requis ? 'requis' : null],
  ]
    .filter(([, value]) => value !== null)
    .map(([name, value]) => `${name} : ${value}`);
}

export function appelPage(appel: AppelDetail, signedIn: boolean): SafeHtml {
  const laureats =
    appel.laureats.min !== null
      ? appel.laureats.max !== null && appel.laureats.max !== appel.laureats.min
        ? `${appel.laureats.min} à ${appel.laureats.max}`
        : String(appel.laureats.min)
      : null;
  const eligibility = eligibilityLines(appel.eligibilite);
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { href: '/appels', label: 'Appels' }, { label: appel.titre }])}
<h1>${appel.titre}</h1>
<p><span class="badge">${calendrierAppel.label(appel.statut)}</span>${appel.exemple ? html` <span class="badge">exemple</span>` : ''}</p>
${appel.description ? html`<p>${appel.description}</p>` : ''}
<dl class="facts">
  <dt>Organisateurs</dt><dd>${appel.organisateurs.join(' ; ') || '—'}</dd>
  ${appel.dispositif ? html`<dt>Dispositif</dt><dd><a href="/dispositifs/${appel.dispositif.id}">${appel.dispositif.nom}</a></dd>` : ''}
  ${laureats ? html`<dt>Lauréats</dt><dd>${laureats}</dd>` : ''}
  ${appel.budget !== null ? html`<dt>Budget</dt><dd>${formatNumber(appel.budget)} €</dd>` : ''}
  ${appel.budget_texte ? html`<dt>Financement</dt><dd>${appel.budget_texte}</dd>` : ''}
  <dt>Éligibilité</dt><dd>${eligibility.length ? html`<ul>${eligibility.map((line) => html`<li>${line}</li>`)}</ul>` : 'Sans restriction de profil'}</dd>
  ${appel.couverture ? html`<dt>Couverture</dt><dd>${appel.couverture.niveau === 'national' ? 'France entière' : appel.couverture.codes.join(', ')}</dd>` : ''}
</dl>
${appel.eligibilite.modeles?.includes('PTCE') ? html`<p><a href="/diagnostic-ptce">Autodiagnostic PTCE : les critères d’un pôle territorial de coopération économique, à vérifier pour votre coopération</a></p>` : ''}
<h2>Calendrier</h2>
<table class="table"><caption class="visually-hidden">Phases de l’appel, en heure de Paris</caption>
<thead><tr><th scope="col">Phase</th><th scope="col">Ouverture</th><th scope="col">Clôture (délai de rigueur)</th><th scope="col">Résultats</th></tr></thead>
<tbody>${appel.phases.map(
    (p) => html`<tr>
  <th scope="row">${p.vague ? `${p.vague} — ` : ''}${p.libelle}${p.description ? html`<br><span class="hint">${p.description}</span>` : ''}
    ${p.depot ? '' : html`<br><span class="hint">Pas de dépôt pendant cette phase.</span>`}</th>
  <td>${paris(p.ouverture)}</td><td>${paris(p.cloture)}</td>
  <td>${p.resultats.texte ?? (p.resultats.date ? new Date(`${p.resultats.date}T12:00:00Z`).toLocaleDateString('fr-FR', { day: 'numeric', month: 'long', year: 'numeric' }) : '—')}</td>
</tr>`,
  )}</tbody></table>
${
  appel.statut === 'ouvert'
    ? html`<p><a class="button" href="/appels/${appel.id}/candidater">Candidater</a>${signedIn ? '' : html` <span class="hint">(connexion requise)</span>`}</p>`
    : html`<p class="notice">${appel.statut === 'a_venir' ? 'Le dépôt des candidatures n’est pas encore ouvert.' : 'Le dépôt des candidatures est clos.'}</p>`
}
${appel.etat_publication === 'publie' || appel.etat_publication === 'clos' ? openData(appel.id) : ''}
${appel.source ? html`<p class="hint">Source : ${appel.source}</p>` : ''}`;
}

/** The call's awarded grants as open data (features/instruction/scdl-routes.ts), once instruction may have some. */
function openData(appelId: number): SafeHtml {
  return html`<h2>Données ouvertes</h2>
<p>Les subventions attribuées dans le cadre de cet appel, au format national
<a href="${SCDL_SCHEMA.url}">SCDL « subventions » ${SCDL_SCHEMA.version}</a> (Licence Ouverte) :
<a href="/api/v1/appels/${appelId}/subventions.csv">fichier CSV</a> ou
<a href="/api/v1/appels/${appelId}/subventions.json">JSON avec les conventions écartées et leur motif</a>.</p>`;
}

// ——— Starting an application ———

/** The profile's fields on the start form: the orientation form's, with its vocabularies. */
const PROFILE_FIELDS = ['stade', 'modele', 'finalite', 'modele_economique'] as const;
const PROFILE_LABELS = { stade: 'Stade', modele: 'Modèle de coopération', finalite: 'Finalité', modele_economique: 'Modèle économique' } as const;
const PROFILE_OPTIONS = { stade: stade.labels, modele: modele.labels, finalite: finalite.labels, modele_economique: modeleEconomique.labels } as const;

/** The profile an applicant declared, in the orientation's words: « Stade : Émergence »… (shown to the instruction). */
export function declaredProfileLines(profil: Partial<Record<(typeof PROFILE_FIELDS)[number], string>> | null): string[] {
  return PROFILE_FIELDS.flatMap((field) => {
    const code = profil?.[field];
    return code ? [`${PROFILE_LABELS[field]} : ${(PROFILE_OPTIONS[field] as Record<string, string>)[code] ?? code}`] : [];
  });
}

export const CO_APPLICANT_ROWS = 5;

/** The labels of the start form's inputs (the profile's are the orientation's). */
const START_LABELS: Record<string, string> = {
  titre: 'Titre',
  porteur: 'Qui candidate',
  chef_siret: 'SIRET du chef de file',
  chef_nom: 'Nom du chef de file',
  co: 'Co-candidats',
  ...Object.fromEntries(PROFILE_FIELDS.map((f) => [`profil.${f}`, PROFILE_LABELS[f]])),
};
const startLabel = (field: string) =>
  START_LABELS[field] ??
  field.replace(/^co\.(\d+)\.(siret|nom)$/, (_, i: string, f: string) => `Co-candidat ${Number(i) + 1}, ${f === 'siret' ? 'SIRET' : 'nom'}`);
/** The co-applicants' own error stands above their rows: its link leads to the first one. */
const startAnchor = (field: string) => (field === 'co' ? 'co-0-siret' : fieldId(undefined, field));

/** One field of the profile: a list for the long vocabularies, radio buttons for the short ones (as the orientation form). */
function profileField(name: (typeof PROFILE_FIELDS)[number], state: FormState): SafeHtml {
  const choices = PROFILE_OPTIONS[name];
  const kind = Object.keys(choices).length > 3 ? 'select' : 'radios';
  return formField({ name: `profil.${name}`, label: PROFILE_LABELS[name], kind, choices, blank: '— Choisir —', required: true }, state);
}

export function startPage(appel: { id: number; titre: string; eligibilite: Eligibilite }, csrf: SafeHtml, state: FormState): SafeHtml {
  const eligibility = eligibilityLines(appel.eligibilite);
  const coError = state.errors?.find((e) => e.field === 'co');
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { href: '/appels', label: 'Appels' }, { href: `/appels/${appel.id}`, label: appel.titre }, { label: 'Candidater' }])}
<h1>Candidater : ${appel.titre}</h1>
${formMessages(state)}${errorSummary(state, { labels: startLabel, anchor: startAnchor })}
<p>Une candidature est portée par une coopération, ou par un groupement : une structure cheffe de file et des co-candidats, chacun identifié par son SIRET.
Vous remplirez ensuite le formulaire de l’appel ; le brouillon est enregistré au fur et à mesure.</p>
<form method="post" action="/appels/${appel.id}/candidater" class="stacked-form" novalidate>
  ${csrf}
  ${formField({ name: 'titre', label: 'Titre de la candidature', required: true }, state)}
  ${formField(
    {
      name: 'porteur',
      label: 'Qui candidate ?',
      kind: 'radios',
      required: true,
      value: 'cooperation',
      choices: { cooperation: 'Une coopération', groupement: 'Un groupement (chef de file et co-candidats)' },
    },
    state,
  )}
  <fieldset><legend>Structure cheffe de file</legend>
    ${formField({ name: 'chef_siret', label: 'SIRET', required: true, hint: '14 chiffres, espaces permis.', attributes: html`inputmode="numeric"` }, state)}
    ${formField({ name: 'chef_nom', label: 'Nom', required: true, autocomplete: 'organization' }, state)}
  </fieldset>
  <fieldset><legend>Co-candidats (groupement)</legend>
    ${coError ? html`<span class="field-error" id="co-erreur">${coError.message}</span>` : ''}
    ${Array.from(
      { length: CO_APPLICANT_ROWS },
      (_, i) => html`<div class="co-candidat">
      ${formField({ name: `co.${i}.siret`, label: `Co-candidat ${i + 1} : SIRET`, attributes: html`inputmode="numeric"` }, state)}
      ${formField({ name: `co.${i}.nom`, label: `Co-candidat ${i + 1} : nom` }, state)}
    </div>`,
    )}
  </fieldset>
  <fieldset><legend>Profil de la coopération ou du groupement</legend>
    <p class="hint">Les termes de l’orientation : ils servent à vérifier l’éligibilité, au début de la candidature et au dépôt.
    ${eligibility.length ? `Cet appel est réservé à : ${eligibility.join(' ; ')}.` : 'Cet appel ne restreint pas le profil des candidats.'}</p>
    ${PROFILE_FIELDS.map((f) => profileField(f, state))}
  </fieldset>
  <button type="submit" class="button">Commencer la candidature</button>
</form>`;
}

// ——— The application form ———

const inputId = (path: string) => `champ-${path.replace(/\./g, '-')}`;

export function conditionHint(condition: Condition | undefined, siblings: FieldDefinition[]): string | null {
  if (!condition) return null;
  const field = siblings.find((f) => f.cle === condition.champ);
  const label = field?.libelle ?? condition.champ;
  const wanted = 'egal' in condition ? [condition.egal] : condition.parmi;
  const words = wanted.map((v) => (typeof v === 'boolean' ? (v ? 'Oui' : 'Non') : (field?.options?.find((o) => o.valeur === v)?.libelle ?? v)));
  return `À remplir si vous avez répondu « ${words.join(' » ou « ')} » à « ${label} ».`;
}

/** What the file fields of an application's form show and where they send. */
export interface FilesView {
  stored: Record<string, StoredFile>;
  csrfToken: string;
  maxUploadMb: number;
}
type FileContext = FilesView & { candidatureId: number };

/**
 * A file field: the file sent (a link to download it), an input and its button. They belong, through their
 * `form` attribute, to a form of their own after the application's form (forms do not nest), so the file is
 * sent alone, as multipart, without JavaScript; the application's form and its autosave never carry it.
 */
function fileField(
  field: FieldDefinition,
  id: string,
  parts: { notes: SafeHtml; condition?: SafeHtml; describedBy: string; invalid: boolean; required: string },
  files: FileContext,
): SafeHtml {
  const rules = fileRules(field, files.maxUploadMb);
  const stored = files.stored[field.cle];
  const accept = rules.kinds.flatMap((k) => [FILE_KINDS[k].mime, ...FILE_KINDS[k].extensions.map((e) => `.${e}`)]).join(',');
  const describedBy = [parts.describedBy, `${id}-formats`, stored ? `${id}-actuel` : ''].filter(Boolean).join(' ');
  const which = html`<span class="visually-hidden"> — ${field.libelle}</span>`;
  return html`<div class="field" ${parts.condition ?? ''}><label for="${id}">${field.libelle}${parts.required}</label>${parts.notes}
  <span class="hint" id="${id}-formats">Formats acceptés : ${kindsText(rules.kinds)} ; ${sizeText(rules.maxBytes)} au plus. Le fichier est envoyé seul : enregistrez d’abord vos autres réponses.</span>
  ${
    stored
      ? html`<p id="${id}-actuel">Fichier envoyé : <a href="/candidatures/${files.candidatureId}/fichiers/${stored.id}">${stored.nom}</a>
    (${typeFichier.label(kindOfMime(stored.type) ?? stored.type)}, ${sizeText(stored.taille)})</p>`
      : ''
  }
  <input type="file" id="${id}" name="fichier" form="envoi-${field.cle}" accept="${accept}" aria-describedby="${describedBy}" ${parts.invalid ? html`aria-invalid="true"` : ''}>
  <p><button type="submit" class="button" form="envoi-${field.cle}">${stored ? 'Remplacer le fichier' : 'Envoyer le fichier'}${which}</button>
  ${stored ? html`<button type="submit" class="button" form="retrait-${field.cle}">Retirer le fichier${which}</button>` : ''}</p>
</div>`;
}

/** The forms the file fields' inputs and buttons belong to (see fileField). */
function fileForms(c: Candidature, definition: FormDefinition, csrf: SafeHtml, files: FilesView): SafeHtml {
  const fields = definition.sections.flatMap((s) => s.champs).filter((f) => f.type === 'fichier');
  return html`${fields.map((f) => {
    const stored = files.stored[f.cle];
    return html`<form id="envoi-${f.cle}" method="post" enctype="multipart/form-data" action="/candidatures/${c.id}/fichiers/${f.cle}?_csrf=${files.csrfToken}" hidden></form>
${stored ? html`<form id="retrait-${f.cle}" method="post" action="/candidatures/${c.id}/fichiers/${stored.id}/suppression" hidden>${csrf}</form>` : ''}`;
  })}`;
}

/** How each simple kind of question is typed. */
const INPUTS: Partial<Record<FieldDefinition['type'], { kind: FieldKind; autocomplete?: string; inputmode?: string }>> = {
  nombre: { kind: 'text', inputmode: 'decimal' },
  montant: { kind: 'text', inputmode: 'decimal' },
  date: { kind: 'date' },
  email: { kind: 'email', autocomplete: 'email' },
  telephone: { kind: 'tel', autocomplete: 'tel' },
  siret: { kind: 'text', inputmode: 'numeric' },
  adresse: { kind: 'text', autocomplete: 'street-address' },
};

const YES_NO = [
  { value: 'oui', label: 'Oui' },
  { value: 'non', label: 'Non' },
];

/**
 * Who wrote a call's questions, for the note under each: the call's organisers (a funder's form, each question
 * theirs), or Maillage (a call Maillage transcribed from a public document: its example calls, whose questions
 * cite their passage as `source`, the others being Maillage's additions). Undefined: no note (a group's rows).
 */
export type QuestionsAuthor = 'organisateurs' | 'maillage' | undefined;

export const questionsAuthor = (appel: { exemple: boolean }): QuestionsAuthor => (appel.exemple ? 'maillage' : 'organisateurs');

function originNote(field: FieldDefinition, author: QuestionsAuthor): string {
  if (!author) return '';
  if (field.source) return `Question reprise de l’appel (${field.source}).`;
  return author === 'maillage' ? 'Question ajoutée par Maillage.' : '';
}

/** A question of the form at `path` (`membres.1.siret` within a group), drawn by its kind with its error. */
export function fieldInput(
  field: FieldDefinition,
  path: string,
  value: unknown,
  errors: readonly FieldError[],
  siblings: FieldDefinition[],
  author: QuestionsAuthor,
  files?: FileContext,
): SafeHtml {
  const id = inputId(path);
  const help = [field.aide, conditionHint(field.afficher_si, siblings)].filter(Boolean).join(' ');
  const origin = originNote(field, author);
  const hint = [help, origin].filter(Boolean);
  const condition = field.afficher_si ? html`data-afficher-si="${JSON.stringify(field.afficher_si)}"` : undefined;
  const spec: FieldSpec = { name: path, id, label: field.libelle, hint, required: field.obligatoire, container: condition, value };
  const state = { errors };
  const maxlength = field.max ? html`maxlength="${field.max}"` : undefined;
  switch (field.type) {
    case 'texte_long':
      return formField({ ...spec, kind: 'textarea', rows: 6, attributes: maxlength }, state);
    case 'oui_non':
      return formField({ ...spec, kind: 'radios', choices: YES_NO, value: value === true ? 'oui' : value === false ? 'non' : undefined }, state);
    case 'choix_unique':
    case 'choix_multiple':
      return formField(
        {
          ...spec,
          kind: field.type === 'choix_multiple' ? 'checkboxes' : 'radios',
          choices: (field.options ?? []).map((o) => ({ value: o.valeur, label: o.libelle })),
        },
        state,
      );
    case 'fichier':
    case 'groupe': {
      const error = errors.find((e) => e.field === path);
      const parts = { ...fieldNotes(id, hint, error), condition, invalid: !!error, required: field.obligatoire ? ' (obligatoire)' : '' };
      if (field.type === 'groupe') return groupRows(field, path, value, errors, parts);
      if (!files) return html`<div class="field" ${condition ?? ''}><p><strong>${field.libelle}</strong></p>${parts.notes}</div>`;
      return fileField(field, id, parts, files);
    }
    default: {
      const input = INPUTS[field.type] ?? { kind: 'text' };
      const shown = field.type === 'montant' && typeof value === 'number' ? String(value).replace('.', ',') : value;
      return formField(
        {
          ...spec,
          kind: input.kind,
          autocomplete: input.autocomplete,
          value: shown,
          label: field.type === 'montant' ? `${field.libelle} (en euros)` : field.libelle,
          attributes: html`${input.inputmode ? html`inputmode="${input.inputmode}"` : ''}${field.type === 'texte' ? maxlength : ''}`,
        },
        state,
      );
    }
  }
}

/** A repeatable group: as many rows as answered plus blank ones, within its bounds; each row its sub-questions. */
function groupRows(
  field: FieldDefinition,
  path: string,
  value: unknown,
  errors: readonly FieldError[],
  parts: { notes: SafeHtml; condition?: SafeHtml; describedBy: string; required: string },
): SafeHtml {
  const rows = Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
  const count = Math.min(field.lignes_max ?? 30, Math.max(rows.length + 2, field.lignes_min ?? 0, 3));
  return html`<fieldset class="field group" id="${inputId(path)}" tabindex="-1" ${parts.condition ?? ''} ${parts.describedBy ? html`aria-describedby="${parts.describedBy}"` : ''}><legend>${field.libelle}${parts.required}</legend>${parts.notes}
  <p class="hint">Laissez vides les lignes inutiles.${field.lignes_max ? ` ${field.lignes_max} lignes au plus.` : ''}</p>
  ${Array.from(
    { length: count },
    (_, i) => html`<fieldset class="group-row"><legend>${field.libelle} — ligne ${i + 1}</legend>
    ${(field.champs ?? []).map((sub) => fieldInput(sub, `${path}.${i}.${sub.cle}`, rows[i]?.[sub.cle], errors, field.champs ?? [], undefined))}
  </fieldset>`,
  )}</fieldset>`;
}

export function applicationPage(c: Candidature, definition: FormDefinition, csrf: SafeHtml, state: FormState, files: FilesView): SafeHtml {
  const values = state.values ?? c.donnees;
  const fileContext = { ...files, candidatureId: c.id };
  const all = definition.sections.flatMap((s) => s.champs);
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { href: '/candidatures', label: 'Mes candidatures' }, { label: c.titre }])}
<h1>${c.titre}</h1>
<p>Candidature à <a href="/appels/${c.appel.id}">${c.appel.titre}</a> — <span class="badge">${statutCandidature.label(c.statut)}</span>
 — formulaire version ${c.formulaire_version}.</p>
${errorSummary(state, { labels: (p) => fieldLabel(definition, p), anchor: inputId })}${formMessages(state)}
${membersList(c)}
<form method="post" action="/candidatures/${c.id}" class="stacked-form" novalidate data-autosave="/api/v1/candidatures/${c.id}/brouillon">
  ${csrf}
  <input type="hidden" name="version" value="${c.version}">
  ${definition.sections.map(
    (section, i) => html`<section aria-labelledby="section-${i}">
    <h2 id="section-${i}">${section.titre}</h2>
    ${section.description ? html`<p>${section.description}</p>` : ''}
    ${section.afficher_si ? html`<p class="hint">${conditionHint(section.afficher_si, all)}</p>` : ''}
    ${section.champs.map((field) => fieldInput(field, field.cle, values[field.cle], state.errors ?? [], all, questionsAuthor(c.appel), fileContext))}
  </section>`,
  )}
  <p class="hint" role="status" aria-live="polite" data-autosave-status></p>
  <p><button type="submit" class="button" name="action" value="enregistrer">Enregistrer le brouillon</button>
  <button type="submit" class="button" name="action" value="deposer">Déposer la candidature</button></p>
  <p class="hint">${
    c.statut === 'complement_demande'
      ? 'L’instruction a demandé un complément (voir vos messages) : complétez puis déposez de nouveau ; la date limite du premier dépôt ne s’applique pas.'
      : 'Le dépôt est vérifié sur l’horloge du serveur, en heure de Paris : après la clôture, même d’une seconde, il est refusé.'
  }</p>
</form>
${fileForms(c, definition, csrf, files)}`;
}

function membersList(c: Candidature): SafeHtml {
  return html`<h2>${c.porteur === 'groupement' ? 'Groupement' : 'Coopération'}</h2>
<ul>${c.membres.map((m) => html`<li>${m.role === 'chef_de_file' ? 'Chef de file' : 'Co-candidat'} : ${m.nom} (SIRET ${m.siret})</li>`)}</ul>`;
}

/** The files of an application, each with the question it answers and a link to download it. */
function filesList(c: Candidature, definition: FormDefinition, stored: Record<string, StoredFile>): SafeHtml | '' {
  const fields = definition.sections.flatMap((s) => s.champs).filter((f) => f.type === 'fichier' && stored[f.cle]);
  if (!fields.length) return '';
  return html`<h2>Pièces jointes</h2>
<ul>${fields.map((f) => {
    const file = stored[f.cle]!;
    return html`<li>${f.libelle} : <a href="/candidatures/${c.id}/fichiers/${file.id}">${file.nom}</a>
  (${typeFichier.label(kindOfMime(file.type) ?? file.type)}, ${sizeText(file.taille)})</li>`;
  })}</ul>`;
}

/** `reports`: the application is funded and the viewer may open its reports page. */
export function submittedPage(c: Candidature, definition: FormDefinition, stored: Record<string, StoredFile>, reports = false): SafeHtml {
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { href: '/candidatures', label: 'Mes candidatures' }, { label: c.titre }])}
<h1>${c.titre}</h1>
<p>Candidature à <a href="/appels/${c.appel.id}">${c.appel.titre}</a> — <span class="badge">${statutCandidature.label(c.statut)}</span></p>
${c.numero_depot ? html`<p><a href="/candidatures/${c.id}/recepisse">Voir le récépissé de dépôt n° ${c.numero_depot}</a></p>` : ''}
<p><a href="/candidatures/${c.id}/messages">Messages avec l’équipe d’instruction</a></p>
${
  reports
    ? html`<h2>Suivi du financement</h2>
<p>Une convention de financement encadre cette candidature : ses échéances de rapport et les valeurs d’indicateurs à remettre sont sur la page
<a href="/candidatures/${c.id}/rapports">Rapports de financement</a>.</p>`
    : ''
}
${filesList(c, definition, stored)}
${history(c)}`;
}

function history(c: Candidature): SafeHtml {
  return html`<h2>Historique</h2>
<table class="table"><caption class="visually-hidden">Changements d’état de la candidature</caption>
<thead><tr><th scope="col">Date (heure de Paris)</th><th scope="col">État</th><th scope="col">Par</th><th scope="col">Motif</th></tr></thead>
<tbody>${c.historique.map(
    (h) => html`<tr><td>${formatParis(new Date(h.le))}</td><td>${h.de ? `${statutCandidature.label(h.de)} → ` : ''}${statutCandidature.label(h.vers)}</td>
<td>${h.par}</td><td>${h.motif ?? '—'}</td></tr>`,
  )}</tbody></table>`;
}

export function receiptPage(c: Candidature, definition: FormDefinition, stored: Record<string, StoredFile>, territories: TerritoryIndex): SafeHtml {
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { href: '/candidatures', label: 'Mes candidatures' }, { href: `/candidatures/${c.id}`, label: c.titre }, { label: 'Récépissé' }])}
<h1>Récépissé de dépôt</h1>
<div class="notice" role="status"><p>Votre candidature est déposée. Un courriel de confirmation va vous être envoyé avec ce récépissé en PDF.</p></div>
<dl class="facts">
  <dt>Appel</dt><dd>${c.appel.titre}</dd>
  <dt>Candidature</dt><dd>${c.titre}</dd>
  <dt>Numéro de dépôt</dt><dd>${c.numero_depot ?? '—'}</dd>
  <dt>Déposée le</dt><dd>${c.depose_le ? paris(c.depose_le) : '—'}</dd>
  <dt>État</dt><dd>${statutCandidature.label(c.statut)}</dd>
  <dt>Formulaire</dt><dd>version ${c.formulaire_version}</dd>
</dl>
${membersList(c)}
<h2>Réponses</h2>
${answerLines(definition, c.donnees, territories).map((line) => (line.kind === 'section' ? html`<h3>${line.text}</h3>` : html`<p><strong>${line.label} :</strong> ${line.value}</p>`))}
${filesList(c, definition, stored)}
<p class="no-print"><a href="/candidatures/${c.id}/recepisse.pdf">Télécharger le récépissé (PDF)</a>
 <a href="#" class="print-link" data-print hidden>Imprimer</a></p>`;
}

export function myApplicationsPage(list: { id: number; titre: string; appel: string; statut: string; numero_depot: string | null }[]): SafeHtml {
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { label: 'Mes candidatures' }])}
<h1>Mes candidatures</h1>
${
  list.length
    ? html`<table class="table"><caption class="visually-hidden">Vos candidatures</caption>
<thead><tr><th scope="col">Candidature</th><th scope="col">Appel</th><th scope="col">État</th><th scope="col">N° de dépôt</th></tr></thead>
<tbody>${list.map(
        (c) => html`<tr><td><a href="/candidatures/${c.id}">${c.titre}</a></td><td>${c.appel}</td>
<td>${statutCandidature.label(c.statut)}</td><td>${c.numero_depot ?? '—'}</td></tr>`,
      )}</tbody></table>`
    : html`<p>Vous n’avez pas encore de candidature. <a href="/appels?statut=ouvert">Voir les appels ouverts</a>.</p>`
}`;
}
