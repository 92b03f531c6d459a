/** The private pages of a structure's treasury: its plans, and one plan's forecast month by month. */
import { euros } from '../../domain/funding.ts';
import { monthRanges, type Forecast } from '../../domain/treasury.ts';
import { html } from '../../web/html.ts';
import { breadcrumb } from '../../web/layout.ts';
import type { Structure } from './queries.ts';

const structureCrumbs = (structure: Structure) => [
  { href: '/organisations', label: 'Structures' },
  { href: `/organisations/${structure.id}`, label: structure.nom },
];

export function plansPage(structure: Structure, plans: { id: number; nom: string }[]) {
  return html`${breadcrumb([...structureCrumbs(structure), { label: 'Trésorerie' }])}
<h1>Trésorerie — ${structure.nom}</h1>
<p>Ces plans sont privés : seuls les membres de la structure les voient. Ils s’enregistrent par l’API
(<code>POST /api/v1/organisations/${structure.id}/tresorerie</code>, voir <a href="/api">la documentation</a>) ;
la <code>POST /api/v1/tresorerie/simulation</code> calcule un plan sans l’enregistrer.</p>
${
  plans.length
    ? html`<ul>${plans.map((p) => html`<li><a href="/organisations/${structure.id}/tresorerie/${p.id}">${p.nom}</a></li>`)}</ul>`
    : html`<p>Aucun plan enregistré pour l’instant.</p>`
}`;
}

export function forecastPage(
  structure: Structure,
  plan: { id: number; nom: string },
  result: Forecast & { dispositifs: { id: number; nom: string; pourquoi: string }[] },
) {
  const base = `/organisations/${structure.id}/tresorerie/${plan.id}`;
  return html`${breadcrumb([...structureCrumbs(structure), { href: `/organisations/${structure.id}/tresorerie`, label: 'Trésorerie' }, { label: plan.nom }])}
<h1>${plan.nom}</h1>
<p>${
    result.mois_en_tension.length ? `Mois en tension : ${monthRanges(result.mois_en_tension)}.` : 'Aucun mois en tension sur la période.'
  } Télécharger : <a href="${base}.csv" download>CSV</a>, <a href="${base}.xlsx" download>XLSX</a>.</p>
<table class="table">
  <caption>Prévision de trésorerie mois par mois</caption>
  <thead><tr><th scope="col">Mois</th><th scope="col">Solde de début</th><th scope="col">Encaissements</th><th scope="col">Décaissements</th>
    <th scope="col">Solde de fin</th><th scope="col">Tension et causes</th></tr></thead>
  <tbody>${result.mois.map(
    (m) => html`<tr><th scope="row">${m.mois}</th><td class="number">${euros(m.solde_debut)}</td><td class="number">${euros(m.encaissements)}</td>
      <td class="number">${euros(m.decaissements)}</td><td class="number">${euros(m.solde_fin)}</td>
      <td>${m.tension ? html`<strong>En tension</strong><ul>${m.causes.map((c) => html`<li>${c.libelle}</li>`)}</ul>` : 'Non'}</td></tr>`,
  )}</tbody>
</table>
${
  result.dispositifs.length
    ? html`<h2>Dispositifs qui répondent aux tensions</h2>
<ul>${result.dispositifs.map((d) => html`<li><a href="/dispositifs/${d.id}">${d.nom}</a> — ${d.pourquoi}</li>`)}</ul>`
    : ''
}`;
}
