/** Pages of indicators: a cooperation's values (public once validated) with the entry form for its admins, and the validation queue. */
import type { FastifyRequest } from 'fastify';
import { statutSaisie } from '../../domain/indicators.ts';
import { csrfField } from '../../platform/http/csrf.ts';
import { errorSummary, fieldsOf, formMessages } from '../../web/form-fields.ts';
import type { FormState } from '../../web/forms.ts';
import { formatNumber, html, type SafeHtml } from '../../web/html.ts';
import { breadcrumb } from '../../web/layout.ts';
import type { Indicator } from './catalogue.ts';
import type { Entry } from './entries.ts';

export const VALIDATION_PATH = '/indicateurs/validation';

const LABELS = { indicateur: 'Indicateur', periode: 'Période', valeur: 'Valeur', commentaire: 'Commentaire', decision: 'Décision', motif: 'Motif du refus' };

const nameOf = (indicators: readonly Indicator[]) => {
  const byCode = new Map(indicators.map((i) => [i.code, i]));
  return (code: string) => byCode.get(code) ?? null;
};

function valueText(entry: Entry, indicator: Indicator | null): string {
  return `${formatNumber(entry.valeur)} ${indicator?.unite ?? ''}`.trim();
}

interface EntriesOptions {
  request: FastifyRequest;
  cooperation: { id: number; nom: string };
  entries: readonly Entry[];
  indicators: readonly Indicator[];
  /** For its editors: the cooperation's funded applications whose agreement has reporting due dates. */
  funded: readonly { id: number; titre: string; appel_titre: string; rapports: number }[];
  editor: boolean;
  state: FormState;
}

function fundedList(funded: EntriesOptions['funded']): SafeHtml | '' {
  if (!funded.length) return '';
  return html`<h2>Rapports de financement</h2>
<p>Les conventions de financement de la coopération attendent des indicateurs à leurs échéances de rapport.</p>
<ul>${funded.map(
    (f) =>
      html`<li><a href="/candidatures/${f.id}/rapports">${f.titre}</a> (${f.appel_titre}) : ${f.rapports} échéance${f.rapports > 1 ? 's' : ''} de rapport</li>`,
  )}</ul>`;
}

export function entriesPage({ request, cooperation, entries, indicators, funded, editor, state }: EntriesOptions): SafeHtml {
  const indicator = nameOf(indicators);
  const field = fieldsOf(state);
  const table = entries.length
    ? html`<table class="table">
  <caption>${editor ? 'Valeurs saisies et leur validation' : 'Valeurs validées'}</caption>
  <thead><tr><th scope="col">Période</th><th scope="col">Indicateur</th><th scope="col">Valeur</th>${editor ? html`<th scope="col">État</th>` : ''}<th scope="col">Commentaire</th></tr></thead>
  <tbody>${entries.map(
    (
      e,
    ) => html`<tr><td>${e.periode}</td><td>${indicator(e.indicateur_code)?.libelle ?? e.indicateur_code}</td><td>${valueText(e, indicator(e.indicateur_code))}</td>
    ${editor ? html`<td>${statutSaisie.label(e.statut)}${e.motif ? html`<br><span class="hint">Motif : ${e.motif}</span>` : ''}</td>` : ''}<td>${e.commentaire ?? ''}</td></tr>`,
  )}</tbody>
</table>`
    : html`<p>${editor ? 'Aucune valeur saisie.' : 'Aucune valeur validée.'}</p>`;
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { href: `/cooperations/${cooperation.id}`, label: cooperation.nom }, { label: 'Indicateurs' }])}
<h1>Indicateurs : ${cooperation.nom}</h1>
${errorSummary(state, { labels: LABELS })}${formMessages({ ...state, errors: undefined })}
<p>Les valeurs sont publiées une fois validées par la modération de la région ou, pour un indicateur d’appel, par l’équipe d’instruction de l’appel.
Elles entrent alors dans les <a href="/api/v1/indicateurs">agrégats publics</a>.</p>
${table}
${fundedList(funded)}
${
  editor
    ? html`<h2>Saisir une valeur</h2>
<form method="post" action="/cooperations/${cooperation.id}/indicateurs" class="stacked-form" novalidate>
  ${csrfField(request)}
  ${field({ name: 'indicateur', label: 'Indicateur', kind: 'select', required: true, blank: 'Choisir un indicateur', choices: indicators.map((i) => ({ value: i.code, label: `${i.libelle} (${i.unite})` })) })}
  ${field({ name: 'periode', label: 'Période', required: true, hint: 'Une année (« 2025 ») ou un trimestre (« 2025-T2 »), déjà commencé.', attributes: html`maxlength="7"` })}
  ${field({ name: 'valeur', label: 'Valeur', required: true, hint: 'Un nombre positif ou nul ; la virgule décimale est acceptée.', attributes: html`inputmode="decimal" maxlength="40"` })}
  ${field({ name: 'commentaire', label: 'Commentaire', kind: 'textarea', rows: 2, hint: 'Facultatif : la source du chiffre (1 000 caractères au plus).' })}
  <button type="submit" class="button">Enregistrer la valeur</button>
</form>`
    : ''
}`;
}

interface ValidationOptions {
  request: FastifyRequest;
  entries: readonly Entry[];
  indicators: readonly Indicator[];
  state: FormState;
}

export function validationPage({ request, entries, indicators, state }: ValidationOptions): SafeHtml {
  const indicator = nameOf(indicators);
  const item = (e: Entry) => {
    const form = `saisie-${e.id}`;
    const field = fieldsOf(state, form);
    return html`<li id="${form}">
  <h2><a href="/cooperations/${e.cooperation_id}/indicateurs">${e.cooperation}</a> — ${indicator(e.indicateur_code)?.libelle ?? e.indicateur_code}, ${e.periode}</h2>
  <p>Valeur saisie : <strong>${valueText(e, indicator(e.indicateur_code))}</strong>${e.commentaire ? html` — ${e.commentaire}` : ''}</p>
  ${errorSummary(state, { form, labels: LABELS, level: 3 })}
  <form method="post" action="/indicateurs/saisies/${e.id}/decision" class="stacked-form" novalidate>
    ${csrfField(request)}
    ${field({ name: 'decision', label: 'Décision', kind: 'radios', required: true, inline: true, choices: { valider: 'Valider', refuser: 'Refuser' } })}
    ${field({ name: 'motif', label: 'Motif du refus', kind: 'textarea', rows: 2, hint: 'Obligatoire pour un refus : il est montré à la coopération.' })}
    <button type="submit" class="button">Enregistrer la décision</button>
  </form>
</li>`;
  };
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { label: 'Indicateurs à valider' }])}
<h1>Indicateurs à valider</h1>
${formMessages({ ...state, errors: undefined })}
<p>Les valeurs saisies par les coopérations de vos régions et, pour les indicateurs de vos appels, par leurs candidats. Une valeur validée entre dans les agrégats publics.</p>
${entries.length ? html`<ul class="plain-list">${entries.map(item)}</ul>` : html`<p>Aucune valeur n’attend de validation.</p>`}`;
}
