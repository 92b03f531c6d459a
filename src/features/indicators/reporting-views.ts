/** The page where a funded cooperation reports its indicators against the due dates of its agreement. */
import type { FastifyRequest } from 'fastify';
import { formatParisDate } from '../../domain/calendar.ts';
import { ETAT_RAPPORT_LIBELLES } from '../../domain/funding.ts';
import { etatAttendu } from '../../domain/report-indicators.ts';
import { csrfField } from '../../platform/http/csrf.ts';
import { errorSummary, fieldsOf, formMessages } from '../../web/form-fields.ts';
import type { FormState } from '../../web/forms.ts';
import { formatNumber, html, type SafeHtml } from '../../web/html.ts';
import { breadcrumb } from '../../web/layout.ts';
import { openToEntry, type DueDate, type FundedApplication } from './reporting.ts';

const day = (iso: string) => formatParisDate(new Date(`${iso}T12:00:00Z`));

/** The posted name of an expected indicator's value. */
export const valueField = (code: string) => `valeur.${code}`;

function dueDateSection(request: FastifyRequest, candidatureId: number, d: DueDate, reporter: boolean, state: FormState): SafeHtml {
  const form = `rapport-${d.id}`;
  const field = fieldsOf(state, form, Object.fromEntries(d.attendus.map((a) => [valueField(a.indicateur.code), a.saisie ? String(a.saisie.valeur) : ''])));
  const open = openToEntry(d);
  const table = d.attendus.length
    ? html`<table class="table"><caption>Indicateurs attendus${d.periode ? ` pour ${d.periode}` : ''}</caption>
<thead><tr><th scope="col">Indicateur</th><th scope="col">Valeur remise</th><th scope="col">État</th></tr></thead>
<tbody>${d.attendus.map(
        (a) => html`<tr><th scope="row">${a.indicateur.libelle}</th>
  <td>${a.saisie ? `${formatNumber(a.saisie.valeur)} ${a.indicateur.unite}` : '—'}</td>
  <td>${etatAttendu.label(a.etat)}${a.saisie?.motif && a.etat === 'refuse' ? html`<br><span class="hint">Motif : ${a.saisie.motif}</span>` : ''}</td></tr>`,
      )}</tbody></table>`
    : html`<p>L’équipe d’instruction n’a pas encore choisi les indicateurs attendus à cette échéance.</p>`;
  const entry =
    reporter && !d.valide && open.length && d.periode
      ? html`<form method="post" action="/candidatures/${candidatureId}/rapports/${d.id}" class="stacked-form" novalidate>
  ${csrfField(request)}
  ${errorSummary(state, { form, labels: Object.fromEntries(open.map((a) => [valueField(a.indicateur.code), a.indicateur.libelle])), level: 3 })}
  ${open.map((a) =>
    field({
      name: valueField(a.indicateur.code),
      label: `${a.indicateur.libelle} (${a.indicateur.unite}), ${d.periode}`,
      hint: 'Un nombre positif ou nul ; la virgule décimale est acceptée. Laissez vide ce que vous remettrez plus tard.',
      attributes: html`inputmode="decimal" maxlength="40"`,
    }),
  )}
  <button type="submit" class="button">Remettre les valeurs de « ${d.libelle} »</button>
</form>`
      : '';
  return html`<section aria-labelledby="${form}-titre">
<h2 id="${form}-titre">${d.libelle}</h2>
<dl class="facts"><dt>Échéance</dt><dd>${day(d.echeance)}</dd><dt>État</dt><dd>${ETAT_RAPPORT_LIBELLES[d.etat]}${d.remis_le ? ` (remis le ${day(d.remis_le)})` : ''}</dd></dl>
${table}
${entry}
</section>`;
}

export function reportsPage(request: FastifyRequest, c: FundedApplication, dates: readonly DueDate[], reporter: boolean, state: FormState): SafeHtml {
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { href: '/candidatures', label: 'Mes candidatures' }, { href: `/candidatures/${c.id}`, label: c.titre }, { label: 'Rapports' }])}
<h1>Rapports de financement : ${c.titre}</h1>
${formMessages({ ...state, errors: undefined })}
<p>Appel « ${c.appel_titre} »${c.cooperation ? html`, coopération <a href="/cooperations/${c.cooperation_id}/indicateurs">${c.cooperation}</a>` : ''}.
Chaque échéance de la convention attend des indicateurs pour une période ; les valeurs remises sont validées par l’équipe d’instruction de l’appel
et entrent alors dans les <a href="/api/v1/indicateurs">agrégats publics</a>. L’échéance est remise quand toutes ses valeurs le sont.</p>
${dates.length ? dates.map((d) => dueDateSection(request, c.id, d, reporter, state)) : html`<p>La convention n’a pas encore d’échéance de rapport.</p>`}`;
}
