/**
 * RGPD right to erasure: a person deletes their own account (/compte/suppression). Confirmed by the password,
 * or, when the session was opened through OpenID Connect (the account may have no password), by typing
 * « SUPPRIMER »; then in one transaction: the audit entry, the account anonymised (name « Compte supprimé »,
 * a unique address that cannot receive mail, a password hash nothing matches, deleted_at), each erasure step
 * (sessions, e-mailed links, roles, provider identities, and what other features add), and the person's past
 * audit entries relabelled « Compte supprimé », and the mail to the old address that confirms it.
 *
 * The account row stays: contributions keep their author id and show « Compte supprimé », and the audit log
 * still tells that the same (now anonymous) account did this and that. The address is free again at once
 * (the unique index only covers live accounts). The last platform admin cannot leave this way.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { firstRow, type Db, checkedFirstRow } from '../../db/database.ts';
import { removesLastPlatformAdmin } from '../../domain/grants.ts';
import { RuleError } from '../../domain/rule-error.ts';
import { TooManyRequests } from '../../web/errors.ts';
import { formValue } from '../../web/form-body.ts';
import { errorSummary, formField, formMessages } from '../../web/form-fields.ts';
import { InvalidForm, sendPage, submitForm, type FormState } from '../../web/forms.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import { breadcrumb } from '../../web/layout.ts';
import { lockedPlatformAdmins } from './roles.ts';
import { recordAudit } from '../../platform/audit.ts';
import { enqueueMail } from '../../platform/jobs/mail.ts';
import { accountDeletedMail } from '../../platform/mail/templates.ts';
import { csrfField } from '../../platform/http/csrf.ts';
import { accountOf, requireAccount } from '../../platform/http/guards.ts';
import { verifyPassword } from './passwords.ts';
import { hit, type RateRule } from '../../platform/http/rate-limit.ts';
import { clearSessionCookie, type CurrentAccount } from '../../platform/http/sessions.ts';
import type { ErasureStep, PersonalDataOfFeatures } from '../../platform/personal-data.ts';
import { z } from 'zod';

const DELETED_NAME = 'Compte supprimé';
/** What a person signed in through the provider types to confirm. */
const CONFIRMATION_WORD = 'SUPPRIMER';
/** Not a PHC string: verifyPassword fails on it, whatever is typed. */
const UNUSABLE_PASSWORD_HASH = '!compte-supprime';
/** A stolen session must not become a way to guess the password. */
const CONFIRM_RULE: RateRule = { name: 'delete:account', limit: 5, windowSeconds: 15 * 60 };

/** An address nobody can receive mail at (.invalid is reserved, RFC 2606), unique per account. */
export const deletedEmail = (accountId: number) => `compte-supprime-${accountId}@maillage.invalid`;

/**
 * A session opened with the password is confirmed with the password. One opened through the provider is
 * confirmed by typing the word: the account may have no password (its hash matches nothing), and the
 * provider has just authenticated the person.
 */
export async function confirmsWithPassword(db: Db, sessionId: string): Promise<boolean> {
  return (await firstRow(db, sql`select 1 from oidc_session where session_id = ${sessionId}`)) === undefined;
}

/** What is erased outright when an account is deleted; features holding more personal data add their step. */
/** The account's own steps, before those of the other features. */
const accountErasureSteps: ErasureStep[] = [
  { name: 'sessions', run: async (tx, id) => void (await tx.execute(sql`delete from session where account_id = ${id}`)) },
  { name: 'liens envoyés par e-mail', run: async (tx, id) => void (await tx.execute(sql`delete from one_time_token where account_id = ${id}`)) },
  { name: 'rôles', run: async (tx, id) => void (await tx.execute(sql`delete from account_role where account_id = ${id}`)) },
  { name: 'identités OpenID Connect', run: async (tx, id) => void (await tx.execute(sql`delete from account_identity where account_id = ${id}`)) },
];

const refused = (message: string) => new InvalidForm([{ field: 'confirmation', message }]);

const passwordHashRow = z.object({ password_hash: z.string() });

/** Throws the refusal of a deletion not confirmed (the form again), rate-limited or of an account already gone. */
async function checkConfirmation(db: Db, account: CurrentAccount, sessionId: string, confirmation: string): Promise<void> {
  const row = await checkedFirstRow(db, passwordHashRow, sql`select password_hash from account where id = ${account.id} and deleted_at is null`);
  if (!row) throw new RuleError('compte_deja_supprime', 'Ce compte est déjà supprimé.', { kind: 'not_found' });
  if (!(await confirmsWithPassword(db, sessionId))) {
    if (confirmation.trim() !== CONFIRMATION_WORD) throw refused(`Tapez ${CONFIRMATION_WORD} en majuscules pour confirmer la suppression.`);
    return;
  }
  if (confirmation === '') throw refused('Indiquez votre mot de passe pour confirmer la suppression.');
  const limit = await hit(db, CONFIRM_RULE, String(account.id));
  if (!limit.allowed) {
    const minutes = Math.max(1, Math.ceil(limit.retryAfterSeconds / 60));
    throw new TooManyRequests(`Trop de tentatives : patientez ${minutes} minute${minutes > 1 ? 's' : ''} avant de réessayer.`, limit.retryAfterSeconds);
  }
  if (!(await verifyPassword(row.password_hash, confirmation))) throw refused('Le mot de passe est incorrect : le compte n’a pas été supprimé.');
}

/** Deletes the account (see the module comment), or throws the refusal with nothing written. */
async function deleteAccount(
  context: AppContext,
  features: PersonalDataOfFeatures,
  account: CurrentAccount,
  sessionId: string,
  confirmation: string,
): Promise<void> {
  const db = context.database.db;
  await checkConfirmation(db, account, sessionId, confirmation);
  await db.transaction(async (tx) => {
    const admins = await lockedPlatformAdmins(tx);
    if (admins.includes(account.id) && removesLastPlatformAdmin('platform_admin', admins.length)) {
      throw new RuleError(
        'dernier_administrateur',
        'Vous êtes la dernière personne à administrer la plateforme : nommez d’abord une autre administratrice ou un autre administrateur (page Administration), puis supprimez votre compte.',
      );
    }
    await recordAudit(tx, { actor: { id: account.id, displayName: DELETED_NAME }, action: 'account.delete', object: { kind: 'account', id: account.id } });
    await tx.execute(sql`update account set display_name = ${DELETED_NAME}, email = ${deletedEmail(account.id)},
        password_hash = ${UNUSABLE_PASSWORD_HASH}, email_verified_at = null,
        deleted_at = now(), updated_at = now()
      where id = ${account.id}`);
    for (const step of [...accountErasureSteps, ...features.erasure]) await step.run(tx, account.id);
    await tx.execute(sql`update audit_log set actor_label = ${DELETED_NAME} where actor_id = ${account.id}`);
    await enqueueMail(tx, accountDeletedMail(account.email, account.displayName));
  });
}

// Pages ------------------------------------------------------------------------------------------------------

const trail = (label: string) => breadcrumb([{ href: '/', label: 'Accueil' }, { href: '/compte', label: 'Mon compte' }, { label }]);

function confirmationField(withPassword: boolean, state: FormState): SafeHtml {
  return formField(
    {
      name: 'confirmation',
      required: 'unmarked',
      kind: withPassword ? 'password' : 'text',
      label: withPassword ? 'Votre mot de passe' : `Tapez ${CONFIRMATION_WORD} pour confirmer`,
      hint: withPassword ? 'Le mot de passe de ce compte, pour confirmer que c’est bien vous.' : `En majuscules : ${CONFIRMATION_WORD}`,
      autocomplete: withPassword ? 'current-password' : 'off',
      attributes: html`spellcheck="false"`,
    },
    { ...state, values: undefined },
  ); // typed again each time, like a password
}

function deletionPage(request: FastifyRequest, withPassword: boolean, state: FormState): SafeHtml {
  return html`${trail('Supprimer mon compte')}
<h1>Supprimer mon compte</h1>
${errorSummary(state)}${formMessages(state)}
<p>La suppression est définitive. Avant de confirmer, vous pouvez <a href="/compte/donnees.json">télécharger toutes vos données</a> (fichier JSON).</p>
<h2>Ce qui est effacé</h2>
<ul>
  <li>votre nom et votre adresse e-mail (l’adresse pourra servir à créer un nouveau compte) ;</li>
  <li>votre mot de passe, vos sessions ouvertes (vous serez déconnecté·e partout) et vos rôles.</li>
</ul>
<h2>Ce qui est gardé</h2>
<ul>
  <li>vos contributions publiées, sans votre nom : elles affichent « ${DELETED_NAME} » ;</li>
  <li>la trace des actions sensibles dans le journal de la plateforme, sous la mention « ${DELETED_NAME} ».</li>
</ul>
<form method="post" action="/compte/suppression" class="stacked-form" novalidate>
  ${csrfField(request)}
  ${confirmationField(withPassword, state)}
  <button type="submit" class="button">Supprimer définitivement mon compte</button>
</form>
<p><a href="/compte">Annuler et revenir à mon compte</a></p>`;
}

function deletedPage(): SafeHtml {
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { label: 'Compte supprimé' }])}
<h1>Votre compte est supprimé</h1>
<div class="notice" role="status"><p>Votre compte est supprimé et vous êtes déconnecté·e. Un message de confirmation va être envoyé à votre adresse.</p></div>
<p><a href="/">Retour à l’accueil</a></p>`;
}

export async function registerAccountDeletion(app: TypedApp, context: AppContext, features: PersonalDataOfFeatures) {
  const db = context.database.db;
  const render = (reply: FastifyReply, status: number, title: string, main: SafeHtml) => sendPage(reply, { status, title, main, currentPath: '/compte' });
  const sessionOf = (request: FastifyRequest) => request.accountSession!.id;

  app.get('/compte/suppression', { schema: { hide: true }, preHandler: requireAccount }, async (request, reply) =>
    render(reply, 200, 'Supprimer mon compte', deletionPage(request, await confirmsWithPassword(db, sessionOf(request)), {})),
  );

  app.post('/compte/suppression', { schema: { hide: true }, preHandler: requireAccount }, async (request, reply) =>
    submitForm({
      reply,
      values: { confirmation: formValue(request.body, 'confirmation') ?? '' },
      parse: (values) => String(values.confirmation),
      act: async (confirmation) => {
        await deleteAccount(context, features, accountOf(request), sessionOf(request), confirmation);
        request.account = null;
        request.accountSession = null;
        clearSessionCookie(request, reply);
      },
      redirect: () => '/compte/suppression/effectuee',
      render: async (status, state) =>
        render(reply, status, 'Supprimer mon compte', deletionPage(request, await confirmsWithPassword(db, sessionOf(request)), state)),
    }),
  );

  app.get('/compte/suppression/effectuee', { schema: { hide: true } }, async (_request, reply) => render(reply, 200, 'Compte supprimé', deletedPage()));
}
