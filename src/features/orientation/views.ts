import { finalite, modele, modeleEconomique, stade } from '../../domain/cooperation.ts';
import { MATRIX_TITLES, type NeedRule } from '../../domain/needs.ts';
import { typeAccompagnement, typeFinancement } from '../../domain/dispositif.ts';
import { formeJuridique } from '../../domain/organisation.ts';
import { secteur } from '../../domain/sector.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import { breadcrumb } from '../../web/layout.ts';
import { alertForm } from '../alerts/views.ts';
import type { OrientationInput } from './schemas.ts';
import type { OrientationResult } from './service.ts';

export type FormValues = Partial<Record<'modele' | 'finalite' | 'modele_economique' | 'stade' | 'commune' | 'forme_juridique' | 'secteur' | 'nouveaux_chantiers' | 'agrement_esus', string>>;
export interface FieldError { field: string; message: string }

const FIELD_LABELS: Record<string, string> = {
  modele: 'Modèle', finalite: 'Finalité', modele_economique: 'Modèle économique', stade: 'Stade', commune: 'Commune',
  formes_juridiques: 'Forme juridique', secteur: 'Secteur',
};

function errorFor(errors: FieldError[], field: string) {
  return errors.find((e) => e.field === field || (field === 'forme_juridique' && e.field === 'formes_juridiques'));
}

function select(name: string, label: string, options: Record<string, string>, values: FormValues, errors: FieldError[], { required = false, hint = '' } = {}): SafeHtml {
  const error = errorFor(errors, name);
  const current = values[name as keyof FormValues];
  return html`<div class="field">
  <label for="${name}">${label}${required ? '' : ' (facultatif)'}</label>
  ${hint ? html`<span class="hint" id="${name}-aide">${hint}</span>` : ''}
  ${error ? html`<span class="field-error" id="${name}-erreur">${error.message}</span>` : ''}
  <select id="${name}" name="${name}" ${required ? html`required` : ''} ${error ? html`aria-invalid="true" aria-describedby="${name}-erreur"` : ''}>
    <option value="">— Choisir —</option>
    ${Object.entries(options).map(([code, text]) => html`<option value="${code}" ${current === code ? html`selected` : ''}>${text}</option>`)}
  </select>
</div>`;
}

function radios(name: string, legend: string, options: Record<string, string>, values: FormValues, errors: FieldError[], hint: string): SafeHtml {
  const error = errorFor(errors, name);
  return html`<fieldset class="field" id="${name}" tabindex="-1" ${error ? html`aria-describedby="${name}-erreur"` : ''}>
  <legend>${legend}</legend>
  <span class="hint">${hint}</span>
  ${error ? html`<span class="field-error" id="${name}-erreur">${error.message}</span>` : ''}
  ${Object.entries(options).map(([code, text]) => html`<label class="choice"><input type="radio" name="${name}" value="${code}" required ${values[name as keyof FormValues] === code ? html`checked` : ''}> ${text}</label>`)}
</fieldset>`;
}

export function orientationForm(values: FormValues, errors: FieldError[]): SafeHtml {
  const communeError = errorFor(errors, 'commune');
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { label: 'Orientation' }])}
<h1>De quoi votre coopération a-t-elle besoin ?</h1>
<p>Décrivez votre coopération : Maillage en déduit ses besoins d’accompagnement et de financement, selon les matrices
du Labo de l’ESS (<a href="/orientation/regles">voir les règles</a>), puis les dispositifs qui y répondent sur votre territoire.
Aucun compte n’est nécessaire et rien n’est enregistré.</p>
${errors.length ? html`<div class="alert" role="alert" tabindex="-1" id="erreurs"><h2>Le formulaire contient ${errors.length > 1 ? `${errors.length} erreurs` : 'une erreur'}</h2>
<ul>${errors.map((e) => html`<li><a href="#${e.field === 'formes_juridiques' ? 'forme_juridique' : e.field}">${FIELD_LABELS[e.field] ?? e.field} : ${e.message}</a></li>`)}</ul></div>` : ''}
<form method="get" action="/orientation/resultat" class="stacked-form" novalidate>
  ${select('modele', 'Modèle de coopération', modele.labels, values, errors, { required: true, hint: 'PTCE, tiers-lieu, SCIC… ou « Sans modèle » si votre coopération ne suit aucun modèle existant.' })}
  ${radios('finalite', 'Finalité', finalite.labels, values, errors, 'Ciblée : un enjeu circonscrit. Systémique : agir sur l’ensemble des causes d’un enjeu de transition du territoire.')}
  ${radios('modele_economique', 'Modèle économique', modeleEconomique.labels, values, errors, 'Marchande : l’activité génère des revenus ; hybride : activités marchandes et non marchandes.')}
  ${select('stade', 'Stade', stade.labels, values, errors, { required: true })}
  <div class="field">
    <label for="commune">Commune</label>
    <span class="hint" id="commune-aide">Nom, code postal ou code INSEE (ex. Romans-sur-Isère, 26100 ou 26281).</span>
    ${communeError ? html`<span class="field-error" id="commune-erreur">${communeError.message}</span>` : ''}
    <input type="text" id="commune" name="commune" value="${values.commune ?? ''}" required autocomplete="address-level2"
      aria-describedby="commune-aide${communeError ? ' commune-erreur' : ''}" ${communeError ? html`aria-invalid="true"` : ''}>
  </div>
  ${select('forme_juridique', 'Forme juridique de la structure porteuse', formeJuridique.labels, values, errors)}
  ${select('secteur', 'Secteur', secteur.labels, values, errors)}
  <div class="field"><label class="choice"><input type="checkbox" name="nouveaux_chantiers" value="oui" ${values.nouveaux_chantiers === 'oui' ? html`checked` : ''}>
    La coopération engage de nouveaux chantiers (recherche et développement, nouveaux projets coopératifs)</label></div>
  <div class="field"><label class="choice"><input type="checkbox" name="agrement_esus" value="oui" ${values.agrement_esus === 'oui' ? html`checked` : ''}>
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
<h2>Vos besoins (${result.besoins.length})</h2>
${result.besoins.length ? html`<ul class="needs">${result.besoins.map(needItem)}</ul>` : html`<p>Les matrices ne donnent pas de besoin spécifique pour ce profil.</p>`}
<h2>Dispositifs qui y répondent (${result.dispositifs.length})</h2>
${result.dispositifs.length ? html`<ol class="recommendations">${result.dispositifs.map((d) => html`<li>
  <h3><a href="/dispositifs/${d.id}">${d.nom}</a></h3>
  <p><strong>Pourquoi ce dispositif :</strong> ${d.pourquoi}</p>
  <p class="hint">Besoins couverts : ${d.besoins.map((code) => needLabel.get(code) ?? code).join(' ; ')}</p>
</li>`)}</ol>` : html`<p>Aucun dispositif du catalogue ne répond à ces besoins ici et maintenant.</p>`}
${result.besoins_non_couverts.length ? html`<h2>Besoins non couverts (${result.besoins_non_couverts.length})</h2>
<div class="notice"><p>Aucun dispositif éligible et disponible sur votre territoire ne répond à ces besoins. Ils sont signalés aux financeurs dans la <a href="/cartographie">cartographie des zones blanches</a>.</p>
<ul>${result.besoins_non_couverts.map(needItem)}</ul></div>` : ''}
${result.quasi_eligibles.length ? html`<h2>Presque éligibles (${result.quasi_eligibles.length})</h2>
<ul>${result.quasi_eligibles.map((d) => html`<li><a href="/dispositifs/${d.id}">${d.nom}</a> — ${d.raison}</li>`)}</ul>` : ''}
${alertForm('profil_orientation', input)}
<p class="hint">Règles de besoins, version ${result.version_regles}. Le catalogue reprend ce que disent les documents sources ; vérifiez les conditions auprès des porteurs.</p>`;
}

export function rulesPage(rules: NeedRule[], version: number): SafeHtml {
  const byMatrix = (matrice: NeedRule['matrice']) => rules.filter((r) => r.matrice === matrice);
  const typeNames = (rule: NeedRule) => [...rule.couvert_par.accompagnement.map((t) => typeAccompagnement.label(t)), ...rule.couvert_par.financement.map((t) => typeFinancement.label(t))].join(', ');
  const table = (matrice: NeedRule['matrice']) => html`<table class="table"><caption>${MATRIX_TITLES[matrice]}</caption>
<thead><tr><th scope="col">Ligne de la matrice</th><th scope="col">Besoin</th><th scope="col">Type</th><th scope="col">Dispositifs qui y répondent</th></tr></thead>
<tbody>${byMatrix(matrice).map((r) => html`<tr><td>${r.ligne}</td><td>${r.libelle}</td><td>${r.type}</td><td>${typeNames(r)}</td></tr>`)}</tbody></table>`;
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { href: '/orientation', label: 'Orientation' }, { label: 'Règles' }])}
<h1>Comment l’orientation déduit les besoins</h1>
<p>Les besoins viennent des deux matrices de l’étude du Labo de l’ESS « Vers une société de la coopération » (document 001) :
l’une pour la phase d’émergence, l’autre pour les phases de création, de consolidation et de changement d’échelle. Une coopération
« modélisée » suit un modèle existant (PTCE, TZCLD, AMAP…) ; « ciblée » ou « systémique » selon sa finalité ; « non marchande »,
« marchande » ou « hybride » selon son modèle économique. Chaque ligne qui correspond à votre profil ajoute ses besoins.
Pour une coopération ciblée, la matrice indique « pas de spécificité » : aucune ligne ne s’ajoute.</p>
<p>Un dispositif répond à un besoin quand il en a l’un des types indiqués dans la dernière colonne (lecture de Maillage, modifiable).
Il est proposé s’il est ouvert au stade, au modèle, à la forme juridique et au territoire de la coopération, et ouvert à la date du jour
(heure de Paris). Sinon, s’il ne manque qu’un ou deux critères, il apparaît parmi les « presque éligibles » avec la raison.</p>
<p>Version des règles : ${version}.</p>
${table('emergence')}
${table('creation_consolidation_changement_echelle')}`;
}
