/** Pages of custom indicators: the list a person defines (a call's instructors, a network's admins), the creation and edit forms. */
import type { FastifyRequest } from 'fastify';
import { porteurIndicateur, typeValeur } from '../../domain/indicators.ts';
import { csrfField } from '../../platform/http/csrf.ts';
import { errorSummary, fieldsOf, formMessages } from '../../web/form-fields.ts';
import type { FormState } from '../../web/forms.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import { breadcrumb } from '../../web/layout.ts';
import type { Indicator } from './catalogue.ts';

export const DEFINITIONS_PATH = '/indicateurs/personnalises';

const LABELS = { porteur: 'Porteur', code: 'Code', libelle: 'Libellé', type: 'Sorte de valeur', unite: 'Unité', description: 'Description' };

/** A call or a network the person defines indicators for, as the form's choice « appel:12 » or « reseau:5 ». */
export interface Owner {
  value: string;
  label: string;
}

/** The fields an edit shares with a creation. */
function describedFields(field: ReturnType<typeof fieldsOf>): SafeHtml {
  return html`${field({ name: 'libelle', label: 'Libellé', required: true, hint: 'Par exemple « Repas servis » (200 caractères au plus).', attributes: html`maxlength="200"` })}
  ${field({ name: 'type', label: 'Sorte de valeur', kind: 'select', required: true, choices: typeValeur.labels })}
  ${field({ name: 'unite', label: 'Unité', required: true, hint: '« personnes », « € », « m² »… (40 caractères au plus).', attributes: html`maxlength="40"` })}
  ${field({ name: 'description', label: 'Description', kind: 'textarea', rows: 3, hint: 'Facultatif : ce que compte l’indicateur et sur quelle période (1 000 caractères au plus).' })}`;
}

export function definitionsPage(request: FastifyRequest, mine: readonly Indicator[], owners: readonly Owner[], state: FormState): SafeHtml {
  const field = fieldsOf(state, undefined, { type: 'entier' });
  const list = mine.length
    ? html`<table class="table"><caption>Vos indicateurs personnalisés</caption>
<thead><tr><th scope="col">Libellé</th><th scope="col">Code</th><th scope="col">Sorte et unité</th><th scope="col">Porteur</th><th scope="col">Modifier</th></tr></thead>
<tbody>${mine.map(
        (i) => html`<tr><th scope="row">${i.libelle}</th><td><code>${i.code}</code></td><td>${typeValeur.label(i.type)}, ${i.unite}</td>
  <td>${porteurIndicateur.label(i.porteur)} — ${i.source}</td><td><a href="${DEFINITIONS_PATH}/${i.code}">Modifier<span class="visually-hidden"> « ${i.libelle} »</span></a></td></tr>`,
      )}</tbody></table>`
    : html`<p>Vous n’avez encore défini aucun indicateur.</p>`;
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { label: 'Indicateurs personnalisés' }])}
<h1>Indicateurs personnalisés</h1>
${errorSummary(state, { labels: LABELS })}${formMessages({ ...state, errors: undefined })}
<p>Un appel à projets (son équipe d’instruction) ou un réseau (l’administration de la coopération) ajoute ses propres indicateurs au
<a href="/api/v1/indicateurs">jeu de référence</a> : les coopérations les saisissent par période, et les échéances de rapport d’un appel peuvent les attendre.</p>
${list}
<h2>Définir un indicateur</h2>
<form method="post" action="${DEFINITIONS_PATH}" class="stacked-form" novalidate>
  ${csrfField(request)}
  ${field({ name: 'porteur', label: 'Porteur', kind: 'select', required: true, blank: 'Choisir un appel ou un réseau', choices: owners })}
  ${field({ name: 'code', label: 'Code', required: true, hint: 'Minuscules sans accent, chiffres et « _ », en commençant par une lettre, par exemple « repas_servis » ; il ne change plus.', attributes: html`maxlength="60" autocapitalize="none" spellcheck="false"` })}
  ${describedFields(field)}
  <button type="submit" class="button">Définir l’indicateur</button>
</form>`;
}

export function definitionEditPage(request: FastifyRequest, indicator: Indicator, state: FormState): SafeHtml {
  const field = fieldsOf(state, undefined, {
    libelle: indicator.libelle,
    type: indicator.type,
    unite: indicator.unite,
    description: indicator.description ?? '',
  });
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { href: DEFINITIONS_PATH, label: 'Indicateurs personnalisés' }, { label: indicator.libelle }])}
<h1>Modifier l’indicateur « ${indicator.libelle} »</h1>
${errorSummary(state, { labels: LABELS })}${formMessages({ ...state, errors: undefined })}
<p>Code <code>${indicator.code}</code> — ${indicator.source}. Le code et le porteur ne changent pas ; la sorte de valeur ne change plus une fois des valeurs saisies.</p>
<form method="post" action="${DEFINITIONS_PATH}/${indicator.code}" class="stacked-form" novalidate>
  ${csrfField(request)}
  ${describedFields(field)}
  <button type="submit" class="button">Enregistrer l’indicateur</button>
</form>`;
}
