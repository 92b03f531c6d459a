import { finalite, modele, modeleEconomique, stade } from '../../domain/cooperation.ts';
import { MATRIX_TITLES, type NeedRule } from '../../domain/needs.ts';
import { typeAccompagnement, typeFinancement } from '../../domain/dispositif.ts';
import { formeJuridique } from '../../domain/organisation.ts';
import { secteur } from '../../domain/sector.ts';
import { errorSummary, formField, type FieldSpec } from '../../web/form-fields.ts';
import type { FormState } from '../../web/forms.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import { breadcrumb } from '../../web/layout.ts';
import { followForm } from '../../platform/page-widgets.ts';
import type { OrientationInput } from './schemas.ts';
import type { OrientationResult } from './service.ts';
import type { RuleSetVersion } from './rule-sets.ts';
import { formatParisDate } from '../../domain/calendar.ts';

/** The form's fields are required unless their label says « (facultatif) ». */
const field = (spec: FieldSpec, state: FormState) => formField(spec.kind === 'select' ? { blank: '— Choisir —', ...spec } : spec, state);
const optional = (label: string) => `${label} (facultatif)`;

const FIELD_LABELS: Record<string, string> = {
  modele: 'Modèle',
  finalite: 'Finalité',
  modele_economique: 'Modèle économique',
  stade: 'Stade',
  commune: 'Commune',
  forme_juridique: 'Forme juridique',
  secteur: 'Secteur',
};

/** The form's inputs are named as the profile's fields, but for the one legal form it takes. */
export const inputOf = (path: readonly PropertyKey[]) => (path[0] === 'formes_juridiques' ? 'forme_juridique' : String(path[0] ?? ''));

export function orientationForm(state: FormState): SafeHtml {
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { label: 'Orientation' }])}
<h1>De quoi votre coopération a-t-elle besoin ?</h1>
<p>Décrivez votre coopération : Maillage en déduit ses besoins d’accompagnement et de financement, selon les matrices
du Labo de l’ESS (<a href="/orientation/regles">voir les règles</a>), puis les dispositifs qui y répondent sur votre territoire.
Aucun compte n’est nécessaire et rien n’est enregistré.</p>
${errorSummary(state, { labels: FIELD_LABELS })}
<form method="get" action="/orientation/resultat" class="stacked-form" novalidate>
  ${field(
    {
      name: 'modele',
      label: 'Modèle de coopération',
      kind: 'select',
      choices: modele.labels,
      required: 'unmarked',
      hint: 'PTCE, tiers-lieu, SCIC… ou « Sans modèle » si votre coopération ne suit aucun modèle existant.',
    },
    state,
  )}
  ${field(
    {
      name: 'finalite',
      label: 'Finalité',
      kind: 'radios',
      choices: finalite.labels,
      required: 'unmarked',
      hint: 'Ciblée : un enjeu circonscrit. Systémique : agir sur l’ensemble des causes d’un enjeu de transition du territoire.',
    },
    state,
  )}
  ${field(
    {
      name: 'modele_economique',
      label: 'Modèle économique',
      kind: 'radios',
      choices: modeleEconomique.labels,
      required: 'unmarked',
      hint: 'Marchande : l’activité génère des revenus ; hybride : activités marchandes et non marchandes.',
    },
    state,
  )}
  ${field({ name: 'stade', label: 'Stade', kind: 'select', choices: stade.labels, required: 'unmarked' }, state)}
  ${field(
    {
      name: 'commune',
      label: 'Commune',
      required: 'unmarked',
      autocomplete: 'address-level2',
      hint: 'Nom, code postal ou code INSEE (ex. Romans-sur-Isère, 26100 ou 26281).',
    },
    state,
  )}
  ${field({ name: 'forme_juridique', label: optional('Forme juridique de la structure porteuse'), kind: 'select', choices: formeJuridique.labels }, state)}
  ${field({ name: 'secteur', label: optional('Secteur'), kind: 'select', choices: secteur.labels }, state)}
  <div class="field"><label class="choice"><input type="checkbox" name="nouveaux_chantiers" value="oui" ${state.values?.nouveaux_chantiers === 'oui' ? html`checked` : ''}>
    La coopération engage de nouveaux chantiers (recherche et développement, nouveaux projets coopératifs)</label></div>
  <div class="field"><label class="choice"><input type="checkbox" name="agrement_esus" value="oui" ${state.values?.agrement_esus === 'oui' ? html`checked` : ''}>
    La structure porteuse a l’agrément ESUS</label></div>
  <button type="submit" class="button">Voir les besoins et les dispositifs</button>
</form>`;
}

function needItem(need: OrientationResult['besoins'][number]): SafeHtml {
  return html`<li><strong>${need.libelle}</strong> <span class="badge-neutral">${need.type}</span><br><span class="hint">Règle : ${need.regle}</span></li>`;
}

export function orientationResultPage(input: OrientationInput, result: OrientationResult, url: string): SafeHtml {
  const needLabel = new Map(result.besoins.map((n) => [n.code, n.libelle]));
  const editUrl = url.replace('/orientation/resultat', '/orientation');
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { href: editUrl, label: 'Orientation' }, { label: 'Résultat' }])}
<h1>Besoins et dispositifs pour votre coopération</h1>
<p class="profile">${modele.label(input.modele)} (${result.modelisee ? 'modélisée' : 'non modélisée'}), ${finalite.label(input.finalite).toLowerCase()},
${modeleEconomique.label(input.modele_economique).toLowerCase()}, au stade « ${stade.label(input.stade)} », à ${result.territoire}${input.nouveaux_chantiers ? ', engageant de nouveaux chantiers' : ''}.
<a href="${editUrl}" class="no-print">Modifier</a> <a href="#" class="no-print print-link" data-print hidden>Imprimer</a></p>
${input.modele === 'PTCE' ? html`<p><a href="/diagnostic-ptce">Autodiagnostic PTCE : vérifiez les critères d’un PTCE pour votre coopération</a></p>` : ''}
<h2>Vos besoins (${result.besoins.length})</h2>
${result.besoins.length ? html`<ul class="needs">${result.besoins.map(needItem)}</ul>` : html`<p>Les matrices ne donnent pas de besoin spécifique pour ce profil.</p>`}
<h2>Dispositifs qui y répondent (${result.dispositifs.length})</h2>
${
  result.dispositifs.length
    ? html`<ol class="recommendations">${result.dispositifs.map(
        (d) => html`<li>
  <h3><a href="/dispositifs/${d.id}">${d.nom}</a></h3>
  <p><strong>Pourquoi ce dispositif :</strong> ${d.pourquoi}</p>
  <p class="hint">Besoins couverts : ${d.besoins.map((code) => needLabel.get(code) ?? code).join(' ; ')}</p>
</li>`,
      )}</ol>`
    : html`<p>Aucun dispositif du catalogue ne répond à ces besoins ici et maintenant.</p>`
}
${
  result.besoins_non_couverts.length
    ? html`<h2>Besoins non couverts (${result.besoins_non_couverts.length})</h2>
<div class="notice"><p>Aucun dispositif éligible et disponible sur votre territoire ne répond à ces besoins. Ils sont signalés aux financeurs dans la <a href="/cartographie">cartographie des zones blanches</a>.</p>
<ul>${result.besoins_non_couverts.map(needItem)}</ul></div>`
    : ''
}
${
  result.quasi_eligibles.length
    ? html`<h2>Presque éligibles (${result.quasi_eligibles.length})</h2>
<ul>${result.quasi_eligibles.map((d) => html`<li><a href="/dispositifs/${d.id}">${d.nom}</a> — ${d.raison}</li>`)}</ul>`
    : ''
}
${followForm('profil_orientation', input)}
<p class="hint">Résultat établi avec les <a href="/orientation/regles?version=${result.version_regles}">règles de besoins, version ${result.version_regles}</a>. Le catalogue reprend ce que disent les documents sources ; vérifiez les conditions auprès des porteurs.</p>`;
}

/** A version of the rules as tables, one per matrix of 001: row, need, type, the scheme kinds that answer it. */
export function rulesTables(rules: readonly NeedRule[]): SafeHtml {
  const typeNames = (rule: NeedRule) =>
    [...rule.couvert_par.accompagnement.map((t) => typeAccompagnement.label(t)), ...rule.couvert_par.financement.map((t) => typeFinancement.label(t))].join(
      ', ',
    );
  const table = (matrice: NeedRule['matrice']) => html`<table class="table"><caption>${MATRIX_TITLES[matrice]}</caption>
<thead><tr><th scope="col">Ligne de la matrice</th><th scope="col">Besoin</th><th scope="col">Type</th><th scope="col">Dispositifs qui y répondent</th></tr></thead>
<tbody>${rules.filter((r) => r.matrice === matrice).map((r) => html`<tr><td>${r.ligne}</td><td>${r.libelle}</td><td>${r.type}</td><td>${typeNames(r)}</td></tr>`)}</tbody></table>`;
  return html`${table('emergence')}
${table('creation_consolidation_changement_echelle')}`;
}

/** Version N, its date, and who revised it and why (nothing of the kind for version 1, the matrices of 001). */
export function ruleSetCredits(meta: RuleSetVersion): SafeHtml {
  const date = formatParisDate(new Date(meta.created_at));
  return meta.motif
    ? html`Version ${meta.version}, du ${date}, révisée par ${meta.auteur ?? 'un compte supprimé'} : « ${meta.motif} ».`
    : html`Version ${meta.version}, du ${date} : les matrices du document 001 telles quelles.`;
}

export function rulesPage(rules: readonly NeedRule[], meta: RuleSetVersion): SafeHtml {
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { href: '/orientation', label: 'Orientation' }, { label: 'Règles' }])}
<h1>Comment l’orientation déduit les besoins</h1>
<p>Les besoins viennent des deux matrices de l’étude du Labo de l’ESS « Vers une société de la coopération » (document 001) :
l’une pour la phase d’émergence, l’autre pour les phases de création, de consolidation et de changement d’échelle. Une coopération
« modélisée » suit un modèle existant (PTCE, TZCLD, AMAP…) ; « ciblée » ou « systémique » selon sa finalité ; « non marchande »,
« marchande » ou « hybride » selon son modèle économique. Chaque ligne qui correspond à votre profil ajoute ses besoins.
Pour une coopération ciblée, la matrice indique « pas de spécificité » : aucune ligne ne s’ajoute.</p>
<p>Un dispositif répond à un besoin quand il en a l’un des types indiqués dans la dernière colonne (lecture de Maillage, modifiable
par l’administration de la plateforme : chaque modification crée une nouvelle version, les précédentes restent consultables).
Il est proposé s’il est ouvert au stade, au modèle, à la forme juridique et au territoire de la coopération, et ouvert à la date du jour
(heure de Paris). Sinon, s’il ne manque qu’un ou deux critères, il apparaît parmi les « presque éligibles » avec la raison.
Les dispositifs conçus pour le profil (son modèle, sa finalité, son modèle économique, son stade) passent avant ceux qui l’acceptent seulement.</p>
<p>Règles de besoins : ${ruleSetCredits(meta)}${meta.active ? ' C’est la version utilisée aujourd’hui.' : html` <a href="/orientation/regles">Voir la version utilisée aujourd’hui</a>.`}</p>
${rulesTables(rules)}`;
}
