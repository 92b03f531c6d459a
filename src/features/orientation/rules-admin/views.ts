/** The pages of the needs rules' administration: the versions, one version, and the form that makes the next one. */
import type { FastifyRequest } from 'fastify';
import { MATRIX_TITLES, MAX_RULE_LABEL, type NeedRule } from '../../../domain/needs.ts';
import { typeAccompagnement, typeFinancement } from '../../../domain/dispositif.ts';
import { formatParisDateTime } from '../../../domain/calendar.ts';
import { csrfField } from '../../../platform/http/csrf.ts';
import { errorSummary, fieldsOf, formMessages } from '../../../web/form-fields.ts';
import type { FormState } from '../../../web/forms.ts';
import { html, type SafeHtml } from '../../../web/html.ts';
import { breadcrumb } from '../../../web/layout.ts';
import type { RuleSetVersion } from '../rule-sets.ts';
import { rulesTables, ruleSetCredits } from '../views.ts';

export const RULES_ADMIN_PATH = '/admin/regles-besoins';

const trail = (current: string, more: { href?: string; label: string }[] = []) =>
  breadcrumb([{ href: '/', label: 'Accueil' }, { href: '/admin', label: 'Administration' }, ...more, { label: current }]);

export function versionsPage(versions: readonly RuleSetVersion[], notice?: string): SafeHtml {
  const active = versions.find((v) => v.active);
  return html`${trail('Règles de besoins')}
<h1>Règles de besoins : versions</h1>
${formMessages({ notice })}
<p>L’orientation déduit les besoins d’une coopération des deux matrices du document 001, et les dispositifs qui y répondent de la
lecture de Maillage (les sortes de dispositifs de chaque besoin). Chaque enregistrement crée une nouvelle version, aussitôt utilisée ;
les précédentes restent consultables, et chaque résultat d’orientation cite la version qui l’a produit.</p>
${active ? html`<p><a class="button" href="${RULES_ADMIN_PATH}/modifier">Modifier les règles (à partir de la version ${active.version})</a></p>` : ''}
<table class="table"><caption>Versions des règles de besoins, la plus récente d’abord</caption>
<thead><tr><th scope="col">Version</th><th scope="col">Enregistrée le</th><th scope="col">Par</th><th scope="col">Motif</th><th scope="col" class="number">Règles</th><th scope="col">État</th></tr></thead>
<tbody>${versions.map(
    (v) => html`<tr><td><a href="${RULES_ADMIN_PATH}/versions/${v.version}">Version ${v.version}</a></td><td>${formatParisDateTime(new Date(v.created_at))}</td>
<td>${v.motif ? (v.auteur ?? 'compte supprimé') : 'Chargement initial (document 001)'}</td><td>${v.motif ?? '—'}</td><td class="number">${v.regles}</td>
<td>${v.active ? html`<strong>Active</strong>` : 'Archivée'}</td></tr>`,
  )}</tbody></table>`;
}

export function versionPage(meta: RuleSetVersion, rules: readonly NeedRule[]): SafeHtml {
  return html`${trail(`Version ${meta.version}`, [{ href: RULES_ADMIN_PATH, label: 'Règles de besoins' }])}
<h1>Règles de besoins, version ${meta.version}</h1>
<p>${ruleSetCredits(meta)} ${meta.active ? 'Version active : l’orientation l’utilise.' : 'Version archivée : consultable, jamais modifiée.'}</p>
${meta.active ? html`<p><a href="${RULES_ADMIN_PATH}/modifier">Modifier ces règles</a></p>` : ''}
${rulesTables(rules)}`;
}

/** The name of each input of a rule, as the form posts it and its errors name it. */
export const ruleInput = (code: string, part: 'libelle' | 'accompagnement' | 'financement') => `${code}.${part}`;

/** What the form shows when it is not posted back: the rules of the version it starts from. */
function storedValues(rules: readonly NeedRule[]): Record<string, unknown> {
  return Object.fromEntries(
    rules.flatMap((rule) => [
      [ruleInput(rule.code, 'libelle'), rule.libelle],
      [ruleInput(rule.code, 'accompagnement'), rule.couvert_par.accompagnement],
      [ruleInput(rule.code, 'financement'), rule.couvert_par.financement],
    ]),
  );
}

export function editPage(request: FastifyRequest, base: RuleSetVersion, rules: readonly NeedRule[], state: FormState = {}): SafeHtml {
  const field = fieldsOf(state, undefined, storedValues(rules));
  const labels = (name: string) => {
    if (name === 'motif') return 'Motif';
    const [code, part] = name.split('.');
    const rule = rules.find((r) => r.code === code);
    return rule && `« ${rule.libelle} » (${part === 'libelle' ? 'libellé' : 'sortes de dispositifs'})`;
  };
  const ruleFields = (rule: NeedRule, index: number) => html`<fieldset class="rule-edit">
  <legend>Besoin ${index + 1} : ${rule.libelle}</legend>
  <p class="hint">Ligne « ${rule.ligne} », besoin ${rule.type === 'accompagnement' ? 'd’accompagnement' : 'de financement'} (code ${rule.code}).</p>
  ${field({ name: ruleInput(rule.code, 'libelle'), label: 'Libellé du besoin', required: true, attributes: html`maxlength="${MAX_RULE_LABEL}"` })}
  ${field({ name: ruleInput(rule.code, 'accompagnement'), label: 'Accompagnements qui y répondent', kind: 'checkboxes', choices: typeAccompagnement.labels, inline: true })}
  ${field({ name: ruleInput(rule.code, 'financement'), label: 'Financements qui y répondent', kind: 'checkboxes', choices: typeFinancement.labels, inline: true })}
</fieldset>`;
  const matrix = (matrice: NeedRule['matrice']) => html`<h2>${MATRIX_TITLES[matrice]}</h2>
${rules.map((rule, index) => (rule.matrice === matrice ? ruleFields(rule, index) : ''))}`;
  return html`${trail('Modifier', [{ href: RULES_ADMIN_PATH, label: 'Règles de besoins' }])}
<h1>Modifier les règles de besoins</h1>
${errorSummary(state, { labels })}${formMessages({ ...state, errors: undefined })}
<p>À partir de la version ${String(state.values?.version_de_depart ?? base.version)}. Les conditions et les lignes des matrices sont celles du document 001 ; vous révisez le libellé
de chaque besoin et les sortes de dispositifs qui y répondent. L’enregistrement crée la version suivante, aussitôt utilisée par
l’orientation et la cartographie ; la version ${base.version} reste consultable.</p>
<form method="post" action="${RULES_ADMIN_PATH}" class="stacked-form" novalidate>
  ${csrfField(request)}
  <input type="hidden" name="version_de_depart" value="${String(state.values?.version_de_depart ?? base.version)}">
  ${field({ name: 'motif', label: 'Motif de la modification', kind: 'textarea', required: true, rows: 2, hint: 'Il reste avec la version, pour qui la consultera (500 caractères au plus).' })}
  ${matrix('emergence')}
  ${matrix('creation_consolidation_changement_echelle')}
  <button type="submit" class="button">Enregistrer une nouvelle version</button>
</form>`;
}
