/**
 * The mail Maillage sends, in French, each as plain text and as HTML (escaped with html``).
 *
 * The verification mail does not repeat the name typed at sign-up: whoever signs up may type someone else's
 * address, and their text must not reach that person's mailbox under Maillage's name.
 */
import { html, type SafeHtml } from '../../web/html.ts';
import type { MailMessage } from './mailer.ts';

function htmlDocument(title: string, body: SafeHtml): string {
  return `<!doctype html>${html`<html lang="fr"><head><meta charset="utf-8"><title>${title}</title></head>
<body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1f2937; max-width: 40rem;">
<h1 style="font-size: 1.3rem; color: #0b4f6c;">${title}</h1>
${body}
<p style="color: #4b5563; font-size: 0.9rem;">Maillage — coopérations économiques territoriales de l’ESS.<br>
Ce message est envoyé automatiquement : n’y répondez pas.</p>
</body></html>`}`;
}

const SIGNATURE = '\n\n-- \nMaillage — coopérations économiques territoriales de l’ESS.\nCe message est envoyé automatiquement : n’y répondez pas.\n';

function greeting(name?: string): string {
  return name ? `Bonjour ${name},` : 'Bonjour,';
}

export function verificationMail(to: string, link: string): MailMessage {
  const title = 'Confirmez votre adresse e-mail';
  return {
    to,
    subject: 'Confirmez votre adresse e-mail sur Maillage',
    text: `${greeting()}

Un compte Maillage vient d’être créé avec cette adresse. Pour la confirmer, ouvrez ce lien (valable 48 heures) :

${link}

Si vous n’avez pas créé ce compte, ignorez ce message : l’adresse restera non confirmée.${SIGNATURE}`,
    html: htmlDocument(title, html`<p>${greeting()}</p>
<p>Un compte Maillage vient d’être créé avec cette adresse. Pour la confirmer, suivez ce lien (valable 48 heures) :</p>
<p><a href="${link}">Confirmer mon adresse e-mail</a></p>
<p>Si le lien ne s’ouvre pas, copiez cette adresse dans votre navigateur : ${link}</p>
<p>Si vous n’avez pas créé ce compte, ignorez ce message : l’adresse restera non confirmée.</p>`),
  };
}

export function existingAccountMail(to: string, name: string, links: { signIn: string; forgot: string }): MailMessage {
  const title = 'Tentative de création de compte';
  return {
    to,
    subject: 'Quelqu’un a tenté de créer un compte Maillage avec votre adresse',
    text: `${greeting(name)}

Quelqu’un a tenté de créer un compte sur Maillage avec votre adresse e-mail, qui a déjà un compte. Rien n’a été modifié.

Si c’était vous, connectez-vous : ${links.signIn}
Mot de passe oublié ? ${links.forgot}

Si ce n’était pas vous, vous n’avez rien à faire.${SIGNATURE}`,
    html: htmlDocument(title, html`<p>${greeting(name)}</p>
<p>Quelqu’un a tenté de créer un compte sur Maillage avec votre adresse e-mail, qui a déjà un compte. Rien n’a été modifié.</p>
<p>Si c’était vous, <a href="${links.signIn}">connectez-vous</a>. Mot de passe oublié ?
<a href="${links.forgot}">Choisissez-en un nouveau</a>.</p>
<p>Si ce n’était pas vous, vous n’avez rien à faire.</p>`),
  };
}

export function resetMail(to: string, name: string, link: string): MailMessage {
  const title = 'Choisir un nouveau mot de passe';
  return {
    to,
    subject: 'Réinitialisation de votre mot de passe Maillage',
    text: `${greeting(name)}

Une réinitialisation du mot de passe de votre compte Maillage a été demandée. Pour choisir un nouveau mot de passe,
ouvrez ce lien (valable 1 heure, utilisable une seule fois) :

${link}

Si vous n’avez rien demandé, ignorez ce message : votre mot de passe reste le même.${SIGNATURE}`,
    html: htmlDocument(title, html`<p>${greeting(name)}</p>
<p>Une réinitialisation du mot de passe de votre compte Maillage a été demandée. Pour choisir un nouveau mot de passe,
suivez ce lien (valable 1 heure, utilisable une seule fois) :</p>
<p><a href="${link}">Choisir un nouveau mot de passe</a></p>
<p>Si le lien ne s’ouvre pas, copiez cette adresse dans votre navigateur : ${link}</p>
<p>Si vous n’avez rien demandé, ignorez ce message : votre mot de passe reste le même.</p>`),
  };
}

export function passwordChangedMail(to: string, name: string, forgotLink: string): MailMessage {
  const title = 'Mot de passe modifié';
  return {
    to,
    subject: 'Votre mot de passe Maillage a été modifié',
    text: `${greeting(name)}

Le mot de passe de votre compte Maillage vient d’être modifié, et toutes vos sessions ont été fermées.

Si vous n’êtes pas à l’origine de ce changement, choisissez tout de suite un nouveau mot de passe : ${forgotLink}${SIGNATURE}`,
    html: htmlDocument(title, html`<p>${greeting(name)}</p>
<p>Le mot de passe de votre compte Maillage vient d’être modifié, et toutes vos sessions ont été fermées.</p>
<p>Si vous n’êtes pas à l’origine de ce changement, <a href="${forgotLink}">choisissez tout de suite un nouveau mot de passe</a>.</p>`),
  };
}
