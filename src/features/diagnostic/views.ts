/**
 * Pages of the PTCE self-diagnostic: the printable report of a cooperation (what is met, missing or to
 * confirm, each with its reason and the passage it comes from), the declaration form of one criterion, and the
 * page presenting the criteria, linked from the AMI PTCE and from the orientation of a PTCE.
 */
import type { FastifyRequest } from 'fastify';
import { familleCritere, statutCritere, type CritereResult, type Diagnostic, type FamilleCritere } from '../../domain/ptce-diagnostic.ts';
import { CSRF_FIELD, csrfToken } from '../../platform/http/csrf.ts';
import { errorSummary, fieldNotes, fieldsOf, formMessages } from '../../web/form-fields.ts';
import type { FormState } from '../../web/forms.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import { breadcrumb } from '../../web/layout.ts';

export const diagnosticPath = (id: number) => `/cooperations/${id}/diagnostic-ptce`;
export const declarationPath = (id: number, code: string) => `${diagnosticPath(id)}/criteres/${code}`;
export const evidencePath = (id: number, code: string, fileId: string) => `${declarationPath(id, code)}/fichiers/${fileId}`;

const FAMILY_INTRO: Record<FamilleCritere, string> = {
  incontournable: 'Les huit critères que le document 003 tient pour « a priori incontournables ».',
  a_tester: 'Six critères « plus discutables », à préciser à l’issue de la phase d’expérimentation.',
  exclusion: 'Cinq situations qui « ne peuvent être considérées a priori comme PTCE » : « rempli » signifie que la situation est constatée.',
};

const SOURCES_NOTE = html`<p>Les critères viennent de l’annexe du document 003 (Labo de l’ESS, « Comment caractériser les pôles
territoriaux de coopération économique ? ») ; la définition légale est celle de la loi du 31 juillet 2014 relative à l’ESS, citée par le
document 002. Chaque critère est calculé à partir des données de Maillage quand elles le permettent ; sinon l’administration de la
coopération le déclare avec une preuve, et il reste « à confirmer » jusque-là.</p>`;

interface ReportOptions {
  cooperation: { id: number; nom: string; modele: string };
  diagnostic: Diagnostic;
  fichiers: Readonly<Record<string, string>>;
  canDeclare: boolean;
  notice?: string;
}

function criterion(c: CritereResult, options: ReportOptions): SafeHtml {
  const id = options.cooperation.id;
  const file = options.fichiers[c.code];
  return html`<li class="diagnostic-critere" id="critere-${c.code}">
  <h3>${c.libelle} <span class="${c.statut === 'rempli' ? 'badge' : 'badge-neutral'}">${statutCritere.label(c.statut)}</span></h3>
  <p>${c.raison}</p>
  ${c.declaration?.lien ? html`<p>Preuve en ligne : <a href="${c.declaration.lien}" rel="nofollow noopener">${c.declaration.lien}</a></p>` : ''}
  ${file && c.declaration?.fichier ? html`<p>Pièce jointe : <a href="${evidencePath(id, c.code, file)}">${c.declaration.fichier}</a></p>` : ''}
  <p class="hint">Source : ${c.source}</p>
  ${options.canDeclare ? html`<p class="no-print"><a href="${declarationPath(id, c.code)}">Déclarer ce critère<span class="visually-hidden"> : ${c.libelle}</span></a></p>` : ''}
</li>`;
}

export function diagnosticPage(options: ReportOptions): SafeHtml {
  const { cooperation, diagnostic } = options;
  const s = diagnostic.synthese;
  const family = (famille: FamilleCritere) => html`<h2>${familleCritere.label(famille)}s</h2>
<p>${FAMILY_INTRO[famille]}</p>
<ul class="plain-list">${diagnostic.criteres.filter((c) => c.famille === famille).map((c) => criterion(c, options))}</ul>`;
  return html`${breadcrumb([
    { href: '/', label: 'Accueil' },
    { href: '/recherche?type=cooperations', label: 'Coopérations' },
    { href: `/cooperations/${cooperation.id}`, label: cooperation.nom },
    { label: 'Autodiagnostic PTCE' },
  ])}
<h1>Autodiagnostic PTCE : ${cooperation.nom}</h1>
${formMessages({ notice: options.notice })}
<p class="no-print"><a href="#" class="print-link" data-print hidden>Imprimer ce rapport</a> · <a href="/api/v1/cooperations/${cooperation.id}/diagnostic-ptce">Ce diagnostic en JSON</a> · <a href="/diagnostic-ptce">Les critères et leurs sources</a></p>
${SOURCES_NOTE}
<h2>Synthèse</h2>
<p><strong>${s.conclusion}</strong></p>
<ul>
  <li>Critères incontournables remplis : ${s.incontournables_remplis} sur ${s.incontournables_total}</li>
  <li>Exclusions constatées : ${s.exclusions_constatees}</li>
</ul>
${family('incontournable')}
${family('a_tester')}
${family('exclusion')}
<p>Rapport établi le <time datetime="${new Date().toISOString().slice(0, 10)}">${new Date().toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' })}</time> par Maillage.</p>`;
}

interface DeclarationOptions {
  request: FastifyRequest;
  cooperation: { id: number; nom: string };
  critere: { code: string; famille: FamilleCritere; libelle: string; source: string; calcule: boolean };
  current: CritereResult;
  maxUploadMb: number;
  state: FormState;
}

const LABELS = { rempli: 'Le critère', texte: 'Preuve', lien: 'Lien vers la preuve', fichier: 'Fichier de preuve' };

export function declarationPage({ request, cooperation, critere, current, maxUploadMb, state }: DeclarationOptions): SafeHtml {
  const stored = current.declaration
    ? { rempli: current.declaration.rempli ? 'oui' : 'non', texte: current.declaration.texte, lien: current.declaration.lien ?? '' }
    : {};
  const field = fieldsOf(state, undefined, stored);
  const exclusion = critere.famille === 'exclusion';
  const action = `${declarationPath(cooperation.id, critere.code)}?${CSRF_FIELD}=${encodeURIComponent(csrfToken(request))}`;
  const fileError = state.errors?.find((e) => e.field === 'fichier');
  const kept = current.declaration?.fichier ? ` Sans nouveau fichier, « ${current.declaration.fichier} » reste joint.` : '';
  const fileNotes = fieldNotes('fichier', `Facultatif : PDF, image, texte ou tableur, ${maxUploadMb} Mo au plus.${kept}`, fileError);
  return html`${breadcrumb([
    { href: '/', label: 'Accueil' },
    { href: `/cooperations/${cooperation.id}`, label: cooperation.nom },
    { href: diagnosticPath(cooperation.id), label: 'Autodiagnostic PTCE' },
    { label: 'Déclarer un critère' },
  ])}
<h1>Déclarer : ${critere.libelle}</h1>
${errorSummary(state, { labels: LABELS })}${formMessages({ ...state, errors: undefined })}
<p>${familleCritere.label(critere.famille)}. Aujourd’hui : <strong>${statutCritere.label(current.statut)}</strong> — ${current.raison}</p>
<p class="hint">Source : ${critere.source}</p>
${critere.calcule ? html`<p>Ce critère est calculé à partir des données de la coopération : votre déclaration complète ce que les données ne montrent pas, elle ne remplace pas un critère qu’elles montrent rempli. Pour corriger les membres, proposez une modification de la fiche.</p>` : ''}
<p>Ce que vous déclarez est public, lien et fichier compris : il figure dans le rapport de la coopération. Votre déclaration prend effet aussitôt, comme les modifications que vous faites sur la fiche de la coopération ; elle est tracée dans le journal d’audit.</p>
<form method="post" action="${action}" enctype="multipart/form-data" class="stacked-form" novalidate>
  ${field({
    name: 'rempli',
    label: exclusion ? 'Cette situation décrit-elle la coopération ?' : 'Ce critère est-il rempli par la coopération ?',
    kind: 'radios',
    required: true,
    inline: true,
    choices: exclusion ? { oui: 'Oui, elle la décrit', non: 'Non' } : { oui: 'Oui', non: 'Non' },
  })}
  ${field({ name: 'texte', label: 'Preuve', kind: 'textarea', required: true, rows: 5, hint: 'Ce qui le montre : une convention, des statuts, une délibération, un rapport (2 000 caractères au plus).', attributes: html`maxlength="2000"` })}
  ${field({ name: 'lien', label: 'Lien vers la preuve', kind: 'url', hint: 'Facultatif : une adresse commençant par https://.', autocomplete: 'url' })}
  <div class="field">
    <label for="fichier">Fichier de preuve</label>
    ${fileNotes.notes}
    <input type="file" id="fichier" name="fichier" aria-describedby="${fileNotes.describedBy}"${fileError ? html` aria-invalid="true"` : ''}>
  </div>
  <button type="submit" class="button">Enregistrer la déclaration</button>
</form>`;
}

/** The criteria and their sources, for whoever prepares a PTCE (the AMI PTCE and the orientation of a PTCE link here). */
export function criteriaPage(criteres: readonly { code: string; famille: FamilleCritere; libelle: string; source: string; calcule: boolean }[]): SafeHtml {
  const family = (famille: FamilleCritere) => html`<h2>${familleCritere.label(famille)}s</h2>
<p>${FAMILY_INTRO[famille]}</p>
<ul>${criteres
    .filter((c) => c.famille === famille)
    .map(
      (c) =>
        html`<li><strong>${c.libelle}</strong>${c.calcule ? ' (calculé à partir des données de la coopération)' : ' (déclaré avec une preuve)'}<br><span class="hint">Source : ${c.source}</span></li>`,
    )}</ul>`;
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { label: 'Autodiagnostic PTCE' }])}
<h1>Autodiagnostic PTCE</h1>
${SOURCES_NOTE}
<p>Chaque coopération recensée a son rapport : ouvrez sa fiche (<a href="/recherche?type=cooperations">rechercher une coopération</a>)
puis « Autodiagnostic PTCE ». Son administration y déclare, preuve à l’appui, ce que les données ne montrent pas.</p>
${family('incontournable')}
${family('a_tester')}
${family('exclusion')}`;
}
