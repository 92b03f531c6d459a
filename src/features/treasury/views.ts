/**
 * The treasury pages: a structure's plans (private), one plan's forecast month by month, the plan form's pages
 * and the public simulation.
 */
import { euros } from '../../domain/funding.ts';
import { MAX_MONTHS, MIN_MONTHS, monthRanges, type Forecast } from '../../domain/treasury.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import { breadcrumb } from '../../web/layout.ts';
import { planForm, type PlanFormModel } from './form-views.ts';
import type { Structure } from './queries.ts';

type ForecastWithSchemes = Forecast & { dispositifs: { id: number; nom: string; pourquoi: string }[] };

const structureCrumbs = (structure: Structure) => [
  { href: '/organisations', label: 'Structures' },
  { href: `/organisations/${structure.id}`, label: structure.nom },
];
const treasuryCrumbs = (structure: Structure) => [...structureCrumbs(structure), { href: `/organisations/${structure.id}/tresorerie`, label: 'Trésorerie' }];

const monthFormat = new Intl.DateTimeFormat('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** « mars 2027 » from « 2027-03 ». */
const monthName = (month: string) => monthFormat.format(new Date(`${month}-01T00:00:00Z`));

export function plansPage(structure: Structure, plans: { id: number; nom: string }[]) {
  return html`${breadcrumb([...structureCrumbs(structure), { label: 'Trésorerie' }])}
<h1>Trésorerie — ${structure.nom}</h1>
<p>Ces plans sont privés : seuls les membres de la structure les voient et les modifient.</p>
<p><a class="button-link" href="/organisations/${structure.id}/tresorerie/nouveau">Nouveau plan de trésorerie</a></p>
${
  plans.length
    ? html`<ul>${plans.map((p) => html`<li><a href="/organisations/${structure.id}/tresorerie/${p.id}">${p.nom}</a></li>`)}</ul>`
    : html`<p>Aucun plan enregistré pour l’instant.</p>`
}
<p>Pour essayer un plan sans l’enregistrer : <a href="/tresorerie/simulation">la simulation de trésorerie</a>. Les plans s’enregistrent
aussi par l’API (<code>POST /api/v1/organisations/${structure.id}/tresorerie</code>, voir <a href="/api">la documentation</a>).</p>`;
}

/** The forecast: the months of tension said in words, the monthly table, the schemes with « pourquoi ». */
export function forecastResult(result: ForecastWithSchemes, headingLevel: 2 | 3 = 2): SafeHtml {
  const heading = (text: string) => (headingLevel === 2 ? html`<h2>${text}</h2>` : html`<h3>${text}</h3>`);
  return html`<p id="tensions"><strong>${
    result.mois_en_tension.length
      ? `Mois en tension : ${monthRanges(result.mois_en_tension)}. En tout, ${result.mois_en_tension.length} mois sur ${result.mois.length}.`
      : 'Aucun mois en tension sur la période.'
  }</strong></p>
<table class="table">
  <caption>Prévision de trésorerie mois par mois (en euros)</caption>
  <thead><tr><th scope="col">Mois</th><th scope="col">Solde de début</th><th scope="col">Encaissements</th><th scope="col">Décaissements</th>
    <th scope="col">Solde de fin</th><th scope="col">Tension et causes</th></tr></thead>
  <tbody>${result.mois.map(
    (m) => html`<tr${m.tension ? html` class="tension"` : ''}><th scope="row"><time datetime="${m.mois}">${monthName(m.mois)}</time></th>
      <td class="number">${euros(m.solde_debut)}</td><td class="number">${euros(m.encaissements)}</td>
      <td class="number">${euros(m.decaissements)}</td><td class="number">${euros(m.solde_fin)}</td>
      <td>${m.tension ? html`<strong>En tension</strong><ul>${m.causes.map((c) => html`<li>${c.libelle}</li>`)}</ul>` : 'Non'}</td></tr>`,
  )}</tbody>
</table>
${heading('Dispositifs qui répondent aux tensions')}
${
  result.dispositifs.length
    ? html`<ul class="schemes">${result.dispositifs.map(
        (d) => html`<li><a href="/dispositifs/${d.id}">${d.nom}</a><p><strong>Pourquoi :</strong> ${d.pourquoi}</p></li>`,
      )}</ul>`
    : html`<p>${
        result.mois_en_tension.length
          ? 'Aucun dispositif proposé : renseignez le profil de la structure (modèle, stade, département…) pour les trouver, ou aucun ne répond sur ce territoire.'
          : 'Aucun mois en tension : aucun dispositif à proposer.'
      }</p>`
}`;
}

export function forecastPage(structure: Structure, plan: { id: number; nom: string }, result: ForecastWithSchemes) {
  const base = `/organisations/${structure.id}/tresorerie/${plan.id}`;
  return html`${breadcrumb([...treasuryCrumbs(structure), { label: plan.nom }])}
<h1>${plan.nom}</h1>
<p><a class="button-link" href="${base}/modifier">Modifier ce plan</a></p>
<p>Télécharger la prévision : <a href="${base}.csv" download>CSV (tableur)</a>, <a href="${base}.xlsx" download>XLSX (Excel)</a>.</p>
${forecastResult(result)}`;
}

/** A structure's new plan, or one of its plans to edit. */
export function planFormPage(structure: Structure, plan: { id: number; nom: string } | undefined, form: PlanFormModel): SafeHtml {
  const title = plan ? `Modifier « ${plan.nom} »` : 'Nouveau plan de trésorerie';
  const crumbs = plan
    ? [{ href: `/organisations/${structure.id}/tresorerie/${plan.id}`, label: plan.nom }, { label: 'Modifier' }]
    : [{ label: 'Nouveau plan' }];
  return html`${breadcrumb([...treasuryCrumbs(structure), ...crumbs])}
<h1>${title}</h1>
<p>Montants en euros. Le plan reste privé à la structure ; la prévision s’affiche une fois le plan enregistré.</p>
${planForm(form)}`;
}

/** The public simulation: the form, and below it the forecast of what was posted. */
export function simulationPage(form: PlanFormModel, result?: ForecastWithSchemes): SafeHtml {
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { label: 'Simulation de trésorerie' }])}
<h1>Simulation de trésorerie</h1>
<p>Saisissez un plan de trésorerie de ${MIN_MONTHS} à ${MAX_MONTHS} mois : Maillage calcule le solde de chaque mois, signale les mois en tension avec
leurs causes (une subvention versée en retard, des clients qui paient tard…) et, avec le profil de votre structure, les dispositifs
qui y répondent. Aucun compte n’est nécessaire et rien n’est enregistré. La même simulation est ouverte aux logiciels :
<code>POST /api/v1/tresorerie/simulation</code> (<a href="/api">documentation de l’API</a>).</p>
${
  result
    ? html`<section aria-labelledby="resultat-titre"><h2 id="resultat-titre" tabindex="-1">Résultat de la simulation</h2>
${forecastResult(result, 3)}</section>
<h2>Votre plan</h2>`
    : ''
}
${planForm(form)}`;
}
