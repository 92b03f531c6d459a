/**
 * The administration pages: find an account, see and change its roles, read the audit log, follow the mail
 * that fails to leave. Every user-given
 * text (names, addresses, audit details) goes through html`` and is escaped; forms carry the CSRF field and
 * announce their errors in a summary linked to the fields.
 */
import type { FastifyRequest } from 'fastify';
import { paginationNav } from '../../web/pagination.ts';
import { role, scopeKind } from '../../domain/authorization.ts';
import { auditActionLabel, auditObjectLabel } from '../../domain/audit-actions.ts';
import { formatParisDateTime } from '../../domain/calendar.ts';
import { SCOPE_HINTS, SCOPE_OF_ROLE } from '../../domain/grants.ts';
import { errorSummary, formField, formMessages } from '../../web/form-fields.ts';
import type { FormState } from '../../web/forms.ts';
import { formatNumber, html, type SafeHtml } from '../../web/html.ts';
import { breadcrumb } from '../../web/layout.ts';
import { csrfField } from '../../platform/http/csrf.ts';
import type { FailingMail } from '../../platform/jobs/mail.ts';
import { MAIL_PURPOSES } from '../../platform/mail/templates.ts';
import type { TerritoryIndex } from '../../platform/territory-index.ts';
import { JOURNAL_PAGE_SIZE, type AccountDetail, type AccountListRow, type JournalPage, type JournalRow } from './queries.ts';
import type { JournalQuery } from './schemas.ts';

const trail = (items: { href?: string; label: string }[]) =>
  breadcrumb([{ href: '/', label: 'Accueil' }, { href: '/admin', label: 'Administration' }, ...items]);

function adminNav(current: 'comptes' | 'journal' | 'courriels'): SafeHtml {
  const link = (key: typeof current, href: string, label: string) =>
    html`<li><a href="${href}" ${key === current ? html`aria-current="page"` : ''}>${label}</a></li>`;
  return html`<nav aria-label="Administration" class="admin-nav"><ul class="nav">
  ${link('comptes', '/admin', 'Comptes et rôles')}${link('journal', '/admin/journal', 'Journal des actions')}${link('courriels', '/admin/courriels', 'Courriels en échec')}
  <li><a href="/admin/regles-besoins">Règles de besoins</a></li><li><a href="/admin/statistiques">Statistiques d’usage</a></li></ul></nav>`;
}

function roleList(codes: string[]): string {
  return codes.map((code) => role.label(code)).join(', ') || 'aucun';
}

export function adminHomePage(q: string | undefined, accounts: AccountListRow[]): SafeHtml {
  const heading = q ? `Comptes trouvés pour « ${q} »` : 'Comptes ayant des rôles au-delà de la contribution';
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { label: 'Administration' }])}
<h1>Administration</h1>
${adminNav('comptes')}
<form method="get" action="/admin" class="search-form" role="search">
  <div class="field">
    <label for="q">Adresse e-mail ou nom</label>
    <input type="search" id="q" name="q" value="${q ?? ''}" autocomplete="off" spellcheck="false">
  </div>
  <button type="submit" class="button">Chercher un compte</button>
</form>
<h2>${heading}</h2>
${
  accounts.length === 0
    ? html`<p>Aucun compte.</p>`
    : html`<table class="table">
<caption class="visually-hidden">${heading}</caption>
<thead><tr><th scope="col">Nom</th><th scope="col">Adresse e-mail</th><th scope="col">Adresse confirmée</th><th scope="col">Rôles</th></tr></thead>
<tbody>${accounts.map(
        (a) => html`<tr>
  <td><a href="/admin/comptes/${a.id}">${a.display_name}</a></td><td>${a.email}</td>
  <td>${a.verified ? 'oui' : 'non'}</td><td>${roleList(a.roles)}</td></tr>`,
      )}</tbody>
</table>`
}
${accounts.length >= 50 ? html`<p class="hint">Seuls les 50 premiers comptes sont affichés : précisez la recherche.</p>` : ''}`;
}

/** A scope as a person reads it: « Région : Bretagne (53) », « Structure (SIRET) : 443… ». */
function scopeLabel(territories: TerritoryIndex, kind: string, code: string): string {
  if (kind === 'platform') return scopeKind.label(kind);
  const name = kind === 'region' ? territories.name('region', code) : undefined;
  return `${scopeKind.label(kind)} : ${name ? `${name} (${code})` : code}`;
}

const GRANT_LABELS = { role: 'Rôle', portee: 'Portée' };

function grantForm(request: FastifyRequest, accountId: number, state: FormState): SafeHtml {
  const scopeHints = html`<ul>${role.codes.map((code) => html`<li>${role.label(code)} : ${SCOPE_HINTS[SCOPE_OF_ROLE[code]]}</li>`)}</ul>`;
  return html`<form method="post" action="/admin/comptes/${accountId}/roles" class="stacked-form" novalidate>
  ${csrfField(request)}
  ${formField({ name: 'role', label: GRANT_LABELS.role, kind: 'select', choices: role.labels }, state)}
  ${formField({ name: 'portee', label: GRANT_LABELS.portee, hint: ['Selon le rôle :', scopeHints], autocomplete: 'off', attributes: html`spellcheck="false"` }, state)}
  <button type="submit" class="button">Attribuer le rôle</button>
</form>`;
}

function rolesTable(request: FastifyRequest, account: AccountDetail, territories: TerritoryIndex): SafeHtml {
  if (account.roles.length === 0) return html`<p>Ce compte n’a aucun rôle.</p>`;
  return html`<table class="table">
<caption class="visually-hidden">Rôles de ${account.display_name}</caption>
<thead><tr><th scope="col">Rôle</th><th scope="col">Portée</th><th scope="col">Attribué le</th><th scope="col">Par</th><th scope="col">Action</th></tr></thead>
<tbody>${account.roles.map(
    (r) => html`<tr>
  <td>${role.label(r.role)}</td><td>${scopeLabel(territories, r.scope_kind, r.scope_code)}</td>
  <td>${formatParisDateTime(new Date(r.granted_at))}</td><td>${r.granted_by ?? '—'}</td>
  <td><form method="post" action="/admin/comptes/${account.id}/roles/retrait">
    ${csrfField(request)}
    <input type="hidden" name="role" value="${r.role}"><input type="hidden" name="type_portee" value="${r.scope_kind}">
    <input type="hidden" name="portee" value="${r.scope_code}">
    <button type="submit" class="button">Retirer<span class="visually-hidden"> le rôle ${role.label(r.role)} (${scopeLabel(territories, r.scope_kind, r.scope_code)})</span></button>
  </form></td></tr>`,
  )}</tbody>
</table>`;
}

export function accountAdminPage(request: FastifyRequest, account: AccountDetail, territories: TerritoryIndex, state: FormState = {}): SafeHtml {
  return html`${trail([{ label: account.display_name }])}
<h1>${account.display_name} <span class="subtitle">Compte n° ${account.id}</span></h1>
${adminNav('comptes')}
${formMessages(state)}
${errorSummary(state, { labels: GRANT_LABELS })}
<dl class="facts">
  <dt>Adresse e-mail</dt><dd>${account.email}</dd>
  <dt>Adresse confirmée</dt><dd>${account.verified ? 'oui' : 'non'}</dd>
  <dt>Créé le</dt><dd>${formatParisDateTime(new Date(account.created_at))}</dd>
  ${account.deleted_at ? html`<dt>Supprimé le</dt><dd>${formatParisDateTime(new Date(account.deleted_at))}</dd>` : ''}
</dl>
<p><a href="/admin/journal?objet=account&amp;objet_id=${account.id}">Actions du journal concernant ce compte</a></p>
${
  account.deleted_at
    ? html`<p>Ce compte est supprimé : il n’a plus de rôle et ne peut en recevoir.</p>`
    : html`
<h2>Rôles</h2>
${rolesTable(request, account, territories)}
<h2>Attribuer un rôle</h2>
${grantForm(request, account.id, state)}`
}`;
}

function detailsList(details: Record<string, unknown>): SafeHtml | string {
  const entries = Object.entries(details);
  if (entries.length === 0) return '—';
  return html`<ul class="result-list plain">${entries.map(
    ([key, value]) => html`<li>${key} : ${typeof value === 'string' ? value : JSON.stringify(value)}</li>`,
  )}</ul>`;
}

function journalRow(row: JournalRow): SafeHtml {
  const object =
    row.object_kind === 'account' && /^\d+$/.test(row.object_id)
      ? html`<a href="/admin/comptes/${row.object_id}">${auditObjectLabel(row.object_kind)} n° ${row.object_id}${row.object_name ? ` — ${row.object_name}` : ''}</a>`
      : html`${auditObjectLabel(row.object_kind)} ${row.object_id}`;
  return html`<tr>
  <td><time datetime="${row.at.toISOString()}">${formatParisDateTime(row.at)}</time></td>
  <td>${auditActionLabel(row.action)} <code>${row.action}</code></td>
  <td>${row.actor_label}</td>
  <td>${object}</td>
  <td>${detailsList(row.details)}</td></tr>`;
}

function journalUrl(query: Partial<JournalQuery>, page: number): string {
  const params = new URLSearchParams();
  if (query.action) params.set('action', query.action);
  if (query.objet) params.set('objet', query.objet);
  if (query.objet_id) params.set('objet_id', query.objet_id);
  if (page > 1) params.set('page', String(page));
  const search = params.toString();
  return `/admin/journal${search ? `?${search}` : ''}`;
}

function journalFilters(query: JournalQuery, journal: JournalPage): SafeHtml {
  const option = (value: string, label: string, selected: boolean) => html`<option value="${value}" ${selected ? 'selected' : ''}>${label}</option>`;
  return html`<form method="get" action="/admin/journal" class="search-form">
  <div class="field"><label for="action">Action</label>
    <select id="action" name="action">${option('', 'Toutes', !query.action)}${journal.actions.map((a) => option(a, auditActionLabel(a), a === query.action))}</select></div>
  <div class="field"><label for="objet">Type d’objet</label>
    <select id="objet" name="objet">${option('', 'Tous', !query.objet)}${journal.objectKinds.map((k) => option(k, auditObjectLabel(k), k === query.objet))}</select></div>
  <div class="field"><label for="objet_id">Identifiant de l’objet</label>
    <input type="text" id="objet_id" name="objet_id" value="${query.objet_id ?? ''}" autocomplete="off" spellcheck="false"></div>
  <button type="submit" class="button">Filtrer</button>
</form>`;
}

export function journalView(query: JournalQuery, journal: JournalPage): SafeHtml {
  const lastPage = Math.max(1, Math.ceil(journal.total / JOURNAL_PAGE_SIZE));
  const filtered = Boolean(query.action || query.objet || query.objet_id);
  return html`${trail([{ label: 'Journal des actions' }])}
<h1>Journal des actions</h1>
${adminNav('journal')}
<p>Les actions sensibles (rôles, modération, revendications, suppressions de comptes), de la plus récente à la plus ancienne.</p>
${journalFilters(query, journal)}
<h2>${formatNumber(journal.total)} action${journal.total > 1 ? 's' : ''}${filtered ? ' pour ces filtres' : ''}</h2>
${filtered ? html`<p><a href="/admin/journal">Retirer les filtres</a></p>` : ''}
${
  journal.rows.length === 0
    ? html`<p>Aucune action.</p>`
    : html`<table class="table">
<caption class="visually-hidden">Journal des actions, page ${query.page} sur ${lastPage}</caption>
<thead><tr><th scope="col">Date</th><th scope="col">Action</th><th scope="col">Par</th><th scope="col">Objet</th><th scope="col">Détails</th></tr></thead>
<tbody>${journal.rows.map(journalRow)}</tbody>
</table>`
}
${paginationNav(query.page, lastPage, (to) => journalUrl(query, to))}`;
}

const when = (at: Date) => html`<time datetime="${at.toISOString()}">${formatParisDateTime(at)}</time>`;

function failingMailRow(mail: FailingMail): SafeHtml {
  const what = MAIL_PURPOSES[mail.purpose] ?? 'Courriel';
  const state = mail.failed_at ? html`Abandonné le ${when(mail.failed_at)}` : html`Nouvel essai le ${mail.next_attempt ? when(mail.next_attempt) : '—'}`;
  return html`<tr>
  <td>${mail.id}</td><td>${what}</td><td>${when(mail.created_at)}</td>
  <td>${mail.attempts} sur ${mail.max_attempts}</td><td><code>${mail.error}</code></td><td>${state}</td></tr>`;
}

/**
 * The mail not delivered after at least one attempt: what it is for, its attempts and its error code, never
 * its address nor its content (the codes are nodemailer's, the SMTP server's or the file system's).
 */
export function failingMailsView(request: FastifyRequest, mails: FailingMail[], notice?: string): SafeHtml {
  return html`${trail([{ label: 'Courriels en échec' }])}
<h1>Courriels en échec</h1>
${adminNav('courriels')}
${formMessages({ notice })}
<p>Chaque courriel est réessayé de plus en plus espacé (30 secondes, 2 minutes, 8 minutes… jusqu’à 6 heures), puis
abandonné après son dernier essai. Les courriels ci-dessous ont échoué au moins une fois ; une fois le serveur de
courriel réparé, réessayez ceux qui sont abandonnés.</p>
${
  mails.some((mail) => mail.failed_at)
    ? html`<form method="post" action="/admin/courriels/relance">${csrfField(request)}
  <button type="submit" class="button">Réessayer les courriels abandonnés</button></form>`
    : ''
}
<p class="hint">Codes fréquents : <code>ECONNECTION</code> ou <code>ETIMEDOUT</code> (serveur injoignable),
<code>EAUTH</code> (identifiants refusés), <code>EENVELOPE</code> ou <code>EMESSAGE</code> suivis du code de réponse
SMTP (adresse ou message refusés), <code>EACCES</code> ou <code>EROFS</code> (dossier des courriels non inscriptible).</p>
${
  mails.length === 0
    ? html`<p>Aucun courriel en échec.</p>`
    : html`<table class="table">
<caption class="visually-hidden">Courriels en échec, du plus récent au plus ancien</caption>
<thead><tr><th scope="col">N°</th><th scope="col">Courriel</th><th scope="col">Écrit le</th><th scope="col">Essais</th><th scope="col">Erreur</th><th scope="col">État</th></tr></thead>
<tbody>${mails.map(failingMailRow)}</tbody>
</table>`
}`;
}
