/** The pages of local currencies: the reference list (and its form for moderators), an organisation's acceptance form. */
import { errorSummary, fieldsOf, formMessages } from '../../../web/form-fields.ts';
import type { FormState } from '../../../web/forms.ts';
import { html, type SafeHtml } from '../../../web/html.ts';
import { breadcrumb } from '../../../web/layout.ts';
import type { Currency } from './schemas.ts';

const LABELS = { nom: 'Nom de la monnaie', territoire: 'Territoire', site_web: 'Site web' };

/** The Atlas search of the organisations that accept a currency. */
export const acceptingUrl = (slug: string) => `/recherche?type=organisations&monnaie_locale=${encodeURIComponent(slug)}`;

export function currenciesPage(currencies: readonly Currency[], form: { csrf: SafeHtml; state: FormState } | undefined): SafeHtml {
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { label: 'Monnaies locales' }])}
<h1>Monnaies locales complémentaires</h1>
<p>Les monnaies locales que des structures de l’Atlas déclarent accepter. La liste est tenue par la modération régionale :
elle ne reprend aucune liste extérieure. Chaque structure indique sur sa fiche celles qu’elle accepte ; l’Atlas les retrouve
avec le filtre <code>monnaie_locale</code> (<a href="/api">API</a> : <code>GET /api/v1/organisations?monnaie_locale=…</code>).</p>
${
  currencies.length
    ? html`<table class="table">
  <caption>Monnaies locales connues de Maillage</caption>
  <thead><tr><th scope="col">Monnaie</th><th scope="col">Territoire</th><th scope="col">Identifiant</th><th scope="col">Structures qui l’acceptent</th></tr></thead>
  <tbody>${currencies.map(
    (c) => html`<tr><th scope="row">${c.site_web ? html`<a href="${c.site_web}" rel="noopener">${c.nom}</a>` : c.nom}</th><td>${c.territoire}</td>
      <td><code>${c.slug}</code></td><td><a href="${acceptingUrl(c.slug)}">Voir les structures<span class="visually-hidden"> qui acceptent ${c.nom}</span></a></td></tr>`,
  )}</tbody>
</table>`
    : html`<p>Aucune monnaie locale n’est encore enregistrée.</p>`
}
${form ? creationForm(form.csrf, form.state) : ''}`;
}

function creationForm(csrf: SafeHtml, state: FormState): SafeHtml {
  const field = fieldsOf(state, 'monnaie');
  return html`<h2 id="ajouter">Ajouter une monnaie locale</h2>
<p>Réservé à la modération. Vérifiez l’existence de la monnaie auprès de sa structure gestionnaire avant de l’ajouter.</p>
${errorSummary(state, { form: 'monnaie', labels: LABELS, level: 3 })}${formMessages(state)}
<form method="post" action="/monnaies-locales" class="stacked-form" novalidate>${csrf}
  ${field({ name: 'nom', label: LABELS.nom, required: true, attributes: html`maxlength="120"` })}
  ${field({ name: 'territoire', label: 'Territoire où elle circule', required: true, hint: 'Par exemple : Métropole de Lyon, ou Pays de Romans (Drôme).', attributes: html`maxlength="200"` })}
  ${field({ name: 'site_web', label: 'Site web (facultatif)', kind: 'url', hint: 'Commence par https://' })}
  <button type="submit" class="button">Ajouter la monnaie</button>
</form>`;
}

export function acceptancePage(
  organisation: { id: number; nom: string },
  currencies: readonly Currency[],
  accepted: readonly string[],
  csrf: SafeHtml,
  state: FormState,
): SafeHtml {
  const field = fieldsOf(state, undefined, { monnaies: accepted });
  return html`${breadcrumb([
    { href: '/recherche?type=organisations', label: 'Structures' },
    { href: `/organisations/${organisation.id}`, label: organisation.nom },
    { label: 'Monnaies locales' },
  ])}
<h1>Monnaies locales acceptées — ${organisation.nom}</h1>
${errorSummary(state)}${formMessages(state)}
${
  currencies.length
    ? html`<form method="post" action="/organisations/${organisation.id}/monnaies-locales" class="stacked-form" novalidate>${csrf}
  ${field({
    name: 'monnaies',
    label: 'Monnaies locales que la structure accepte',
    kind: 'checkboxes',
    choices: currencies.map((c) => ({ value: c.slug, label: `${c.nom} (${c.territoire})` })),
    hint: 'Décochez toutes les cases si la structure n’en accepte aucune.',
  })}
  <button type="submit" class="button">Enregistrer</button>
</form>`
    : html`<p>Aucune monnaie locale n’est encore enregistrée : la modération régionale les ajoute sur <a href="/monnaies-locales">la page des monnaies locales</a>.</p>`
}
<p><a href="/monnaies-locales">Toutes les monnaies locales</a></p>`;
}

/** The organisation page's part: the currencies it accepts, and the link to change them for those who may. */
export function acceptedCurrencies(organisationId: number, accepted: readonly Currency[], mayEdit: boolean): SafeHtml {
  return html`<h2>Monnaies locales acceptées</h2>
${
  accepted.length
    ? html`<ul>${accepted.map((c) => html`<li><a href="${acceptingUrl(c.slug)}">${c.nom}</a> — ${c.territoire}</li>`)}</ul>`
    : html`<p>Aucune monnaie locale déclarée.</p>`
}
${mayEdit ? html`<p><a href="/organisations/${organisationId}/monnaies-locales">Indiquer les monnaies locales acceptées</a></p>` : ''}`;
}
