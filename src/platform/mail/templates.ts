/**
 * The mail Maillage sends, in French, each as plain text and as HTML (escaped with html``).
 *
 * The verification mail does not repeat the name typed at sign-up: whoever signs up may type someone else's
 * address, and their text must not reach that person's mailbox under Maillage's name.
 */
import { formatParis } from '../../domain/call.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { MailMessage } from './mailer.ts';

/** What each mail is for, as the admins' list of failing mail names it (without anything of its content). */
export const MAIL_PURPOSES: Record<string, string> = {
  verification: 'Confirmation d’adresse e-mail',
  compte_existant: 'Tentative d’inscription avec une adresse déjà inscrite',
  reinitialisation: 'Lien de réinitialisation du mot de passe',
  mot_de_passe_modifie: 'Avis de mot de passe modifié',
  decision_contribution: 'Décision de modération sur une contribution',
  decision_revendication: 'Décision sur une demande de rôle',
  compte_supprime: 'Avis de suppression de compte',
  alerte: 'Résumé d’alerte',
  recepisse: 'Récépissé de dépôt de candidature',
  statut_candidature: 'Changement de statut d’une candidature',
  message_candidature: 'Nouveau message sur une candidature',
  complement_depose: 'Récépissé de complément',
  complement_instruction: 'Candidature complétée (pour l’instruction)',
  demande_pairs: 'Demande de rencontre entre pairs',
  reservation_mutualisation: 'Demande ou décision de réservation (mutualisation)',
};

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
    purpose: 'verification',
    to,
    subject: 'Confirmez votre adresse e-mail sur Maillage',
    text: `${greeting()}

Un compte Maillage vient d’être créé avec cette adresse. Pour la confirmer, ouvrez ce lien (valable 48 heures) :

${link}

Si vous n’avez pas créé ce compte, ignorez ce message : l’adresse restera non confirmée.${SIGNATURE}`,
    html: htmlDocument(
      title,
      html`<p>${greeting()}</p>
<p>Un compte Maillage vient d’être créé avec cette adresse. Pour la confirmer, suivez ce lien (valable 48 heures) :</p>
<p><a href="${link}">Confirmer mon adresse e-mail</a></p>
<p>Si le lien ne s’ouvre pas, copiez cette adresse dans votre navigateur : ${link}</p>
<p>Si vous n’avez pas créé ce compte, ignorez ce message : l’adresse restera non confirmée.</p>`,
    ),
  };
}

export function existingAccountMail(to: string, name: string, links: { signIn: string; forgot: string }): MailMessage {
  const title = 'Tentative de création de compte';
  return {
    purpose: 'compte_existant',
    to,
    subject: 'Quelqu’un a tenté de créer un compte Maillage avec votre adresse',
    text: `${greeting(name)}

Quelqu’un a tenté de créer un compte sur Maillage avec votre adresse e-mail, qui a déjà un compte. Rien n’a été modifié.

Si c’était vous, connectez-vous : ${links.signIn}
Mot de passe oublié ? ${links.forgot}

Si ce n’était pas vous, vous n’avez rien à faire.${SIGNATURE}`,
    html: htmlDocument(
      title,
      html`<p>${greeting(name)}</p>
<p>Quelqu’un a tenté de créer un compte sur Maillage avec votre adresse e-mail, qui a déjà un compte. Rien n’a été modifié.</p>
<p>Si c’était vous, <a href="${links.signIn}">connectez-vous</a>. Mot de passe oublié ?
<a href="${links.forgot}">Choisissez-en un nouveau</a>.</p>
<p>Si ce n’était pas vous, vous n’avez rien à faire.</p>`,
    ),
  };
}

export function resetMail(to: string, name: string, link: string): MailMessage {
  const title = 'Choisir un nouveau mot de passe';
  return {
    purpose: 'reinitialisation',
    to,
    subject: 'Réinitialisation de votre mot de passe Maillage',
    text: `${greeting(name)}

Une réinitialisation du mot de passe de votre compte Maillage a été demandée. Pour choisir un nouveau mot de passe,
ouvrez ce lien (valable 1 heure, utilisable une seule fois) :

${link}

Si vous n’avez rien demandé, ignorez ce message : votre mot de passe reste le même.${SIGNATURE}`,
    html: htmlDocument(
      title,
      html`<p>${greeting(name)}</p>
<p>Une réinitialisation du mot de passe de votre compte Maillage a été demandée. Pour choisir un nouveau mot de passe,
suivez ce lien (valable 1 heure, utilisable une seule fois) :</p>
<p><a href="${link}">Choisir un nouveau mot de passe</a></p>
<p>Si le lien ne s’ouvre pas, copiez cette adresse dans votre navigateur : ${link}</p>
<p>Si vous n’avez rien demandé, ignorez ce message : votre mot de passe reste le même.</p>`,
    ),
  };
}

export function passwordChangedMail(to: string, name: string, forgotLink: string): MailMessage {
  const title = 'Mot de passe modifié';
  return {
    purpose: 'mot_de_passe_modifie',
    to,
    subject: 'Votre mot de passe Maillage a été modifié',
    text: `${greeting(name)}

Le mot de passe de votre compte Maillage vient d’être modifié, et toutes vos sessions ont été fermées.

Si vous n’êtes pas à l’origine de ce changement, choisissez tout de suite un nouveau mot de passe : ${forgotLink}${SIGNATURE}`,
    html: htmlDocument(
      title,
      html`<p>${greeting(name)}</p>
<p>Le mot de passe de votre compte Maillage vient d’être modifié, et toutes vos sessions ont été fermées.</p>
<p>Si vous n’êtes pas à l’origine de ce changement, <a href="${forgotLink}">choisissez tout de suite un nouveau mot de passe</a>.</p>`,
    ),
  };
}

/** The moderation's decision on a contribution, for its author. */
export function contributionDecisionMail(
  to: string,
  name: string,
  decision: {
    accepted: boolean;
    amended: boolean;
    what: string;
    reason: string | null;
    link: string;
  },
): MailMessage {
  const title = decision.accepted ? 'Votre contribution est publiée' : 'Votre contribution n’a pas été retenue';
  const outcome = decision.accepted
    ? `Votre contribution « ${decision.what} » a été acceptée${decision.amended ? ' avec des modifications de la modération' : ''} : elle est publiée.`
    : `Votre contribution « ${decision.what} » n’a pas été retenue par la modération.`;
  const reason = decision.reason ? `Motif : ${decision.reason}` : '';
  const linkLabel = decision.accepted ? 'Voir la fiche' : 'Voir votre contribution';
  return {
    purpose: 'decision_contribution',
    to,
    subject: decision.accepted ? 'Maillage : votre contribution est publiée' : 'Maillage : votre contribution n’a pas été retenue',
    text: `${greeting(name)}

${outcome}
${reason ? `\n${reason}\n` : ''}
${linkLabel} : ${decision.link}${SIGNATURE}`,
    html: htmlDocument(
      title,
      html`<p>${greeting(name)}</p>
<p>${outcome}</p>
${reason ? html`<p>${reason}</p>` : ''}
<p><a href="${decision.link}">${linkLabel}</a></p>`,
    ),
  };
}

/** The moderation's decision on a claim of an organisation, for the person who claimed it. */
export function claimDecisionMail(
  to: string,
  name: string,
  decision: {
    accepted: boolean;
    organisation: string;
    role: string;
    reason: string | null;
    link: string;
  },
): MailMessage {
  const title = decision.accepted ? 'Votre demande est acceptée' : 'Votre demande n’a pas été acceptée';
  const outcome = decision.accepted
    ? `Votre demande de rôle « ${decision.role} » pour la structure « ${decision.organisation} » est acceptée.`
    : `Votre demande de rôle « ${decision.role} » pour la structure « ${decision.organisation} » n’a pas été acceptée.`;
  const reason = decision.reason ? `Motif : ${decision.reason}` : '';
  return {
    purpose: 'decision_revendication',
    to,
    subject: decision.accepted ? 'Maillage : demande de rôle acceptée' : 'Maillage : demande de rôle refusée',
    text: `${greeting(name)}

${outcome}
${reason ? `\n${reason}\n` : ''}
La fiche de la structure : ${decision.link}${SIGNATURE}`,
    html: htmlDocument(
      title,
      html`<p>${greeting(name)}</p>
<p>${outcome}</p>
${reason ? html`<p>${reason}</p>` : ''}
<p><a href="${decision.link}">La fiche de la structure</a></p>`,
    ),
  };
}

/** After an account deletion (RGPD), to the address the account had: a trace for the person, and an alarm if it was not them. */
export function accountDeletedMail(to: string, name: string): MailMessage {
  const title = 'Compte supprimé';
  return {
    purpose: 'compte_supprime',
    to,
    subject: 'Votre compte Maillage a été supprimé',
    text: `${greeting(name)}

Votre compte Maillage vient d’être supprimé, comme demandé. Votre nom et votre adresse e-mail ont été effacés ;
vos contributions restent publiées sous la mention « Compte supprimé ». Cette adresse peut servir à créer un nouveau compte.

Si vous n’êtes pas à l’origine de cette suppression, contactez sans tarder l’administration de la plateforme.${SIGNATURE}`,
    html: htmlDocument(
      title,
      html`<p>${greeting(name)}</p>
<p>Votre compte Maillage vient d’être supprimé, comme demandé. Votre nom et votre adresse e-mail ont été effacés ;
vos contributions restent publiées sous la mention « Compte supprimé ». Cette adresse peut servir à créer un nouveau compte.</p>
<p>Si vous n’êtes pas à l’origine de cette suppression, contactez sans tarder l’administration de la plateforme.</p>`,
    ),
  };
}

export interface DigestItem {
  label: string;
  nom: string;
  url: string;
}

/** The digest of one alert: each new item with its link, how many more there are, and where to manage alerts. */
export function alertDigestMail(
  to: string,
  digest: {
    name: string;
    alertName: string;
    items: DigestItem[];
    total: number;
    searchUrl: string;
    manageUrl: string;
  },
): MailMessage {
  const title = `Nouveautés pour votre alerte « ${digest.alertName} »`;
  const count = digest.total > 1 ? `${digest.total} nouveautés correspondent` : 'Une nouveauté correspond';
  const more = digest.total - digest.items.length;
  const moreText = more > 0 ? `\n… et ${more} autre${more > 1 ? 's' : ''} : ${digest.searchUrl}\n` : '';
  return {
    purpose: 'alerte',
    to,
    subject: `Maillage — ${digest.total > 1 ? `${digest.total} nouveautés` : '1 nouveauté'} pour « ${digest.alertName} »`,
    text: `${greeting(digest.name)}

${count} à votre alerte « ${digest.alertName} » :

${digest.items.map((item) => `- ${item.label} : ${item.nom}\n  ${item.url}`).join('\n')}
${moreText}
Voir la recherche complète : ${digest.searchUrl}

Pour changer la fréquence de vos alertes ou les arrêter : ${digest.manageUrl}${SIGNATURE}`,
    html: htmlDocument(
      title,
      html`<p>${greeting(digest.name)}</p>
<p>${count} à votre alerte « ${digest.alertName} » :</p>
<ul>${digest.items.map((item) => html`<li>${item.label} : <a href="${item.url}">${item.nom}</a></li>`)}</ul>
${more > 0 ? html`<p>… et ${more} autre${more > 1 ? 's' : ''} : <a href="${digest.searchUrl}">voir la recherche complète</a>.</p>` : html`<p><a href="${digest.searchUrl}">Voir la recherche complète</a></p>`}
<p>Pour changer la fréquence de vos alertes ou les arrêter : <a href="${digest.manageUrl}">gérer mes alertes</a>.</p>`,
    ),
  };
}

/** What a receipt mail says of the application, and its PDF. */
export interface ReceiptFacts {
  appel: string;
  titre: string;
  numero: string;
  deposeLe: Date;
  link: string;
  pdf: Uint8Array;
}

/** The receipt of a submitted application, with its PDF. */
export function applicationReceiptMail(to: string, name: string, receipt: ReceiptFacts): MailMessage {
  const title = 'Candidature déposée';
  const when = formatParis(receipt.deposeLe);
  return {
    purpose: 'recepisse',
    to,
    subject: `Récépissé de dépôt ${receipt.numero} — ${receipt.appel}`.slice(0, 250),
    text: `${greeting(name)}

Votre candidature « ${receipt.titre} » à l’appel « ${receipt.appel} » a bien été déposée le ${when} (heure de Paris).

Numéro de dépôt : ${receipt.numero}

Le récépissé est joint à ce message (PDF) ; vous pouvez aussi l’afficher et l’imprimer ici :
${receipt.link}${SIGNATURE}`,
    html: htmlDocument(
      title,
      html`<p>${greeting(name)}</p>
<p>Votre candidature « ${receipt.titre} » à l’appel « ${receipt.appel} » a bien été déposée le ${when} (heure de Paris).</p>
<p>Numéro de dépôt : <strong>${receipt.numero}</strong></p>
<p>Le récépissé est joint à ce message (PDF) ; vous pouvez aussi <a href="${receipt.link}">l’afficher et l’imprimer</a>.</p>`,
    ),
    attachments: [{ filename: `recepisse-${receipt.numero}.pdf`, content: Buffer.from(receipt.pdf), contentType: 'application/pdf' }],
  };
}

/** A change in the instruction of an application (en instruction, complément demandé, result), for its applicant. */
export function applicationStatusMail(
  to: string,
  name: string,
  change: {
    appel: string;
    titre: string;
    statut: string;
    motif: string | null;
    link: string;
  },
): MailMessage {
  const title = `Votre candidature : ${change.statut.toLowerCase()}`;
  const outcome = `Votre candidature « ${change.titre} » à l’appel « ${change.appel} » est désormais : ${change.statut.toLowerCase()}.`;
  const reason = change.motif ? `Motivation : ${change.motif}` : '';
  return {
    purpose: 'statut_candidature',
    to,
    subject: `Maillage : candidature « ${change.titre} » — ${change.statut.toLowerCase()}`.slice(0, 250),
    text: `${greeting(name)}

${outcome}
${reason ? `\n${reason}\n` : ''}
Votre candidature et vos échanges avec l’instruction : ${change.link}${SIGNATURE}`,
    html: htmlDocument(
      title,
      html`<p>${greeting(name)}</p>
<p>${outcome}</p>
${reason ? html`<p>${reason}</p>` : ''}
<p><a href="${change.link}">Votre candidature et vos échanges avec l’instruction</a></p>`,
    ),
  };
}

/** A new message in an application's thread, for the other side (the text stays on Maillage). */
export function applicationMessageMail(
  to: string,
  name: string,
  message: {
    appel: string;
    titre: string;
    from: 'candidat' | 'instruction';
    link: string;
  },
): MailMessage {
  const title = 'Nouveau message sur une candidature';
  const who = message.from === 'instruction' ? 'L’instruction de l’appel vous a écrit' : 'La personne qui candidate a écrit';
  const line = `${who} au sujet de la candidature « ${message.titre} » (appel « ${message.appel} »).`;
  return {
    purpose: 'message_candidature',
    to,
    subject: `Maillage : nouveau message — ${message.titre}`.slice(0, 250),
    text: `${greeting(name)}

${line}

Lire et répondre : ${message.link}${SIGNATURE}`,
    html: htmlDocument(
      title,
      html`<p>${greeting(name)}</p>
<p>${line}</p>
<p><a href="${message.link}">Lire et répondre</a></p>`,
    ),
  };
}

/** The receipt of a completed application (complément demandé → déposée), for its applicant, with its PDF. */
export function applicationCompletedMail(to: string, name: string, receipt: ReceiptFacts): MailMessage {
  const title = 'Complément déposé';
  const line = `Votre candidature « ${receipt.titre} » à l’appel « ${receipt.appel} », complétée à la demande de l’instruction, a bien été déposée de nouveau le ${formatParis(receipt.deposeLe)} (heure de Paris).`;
  return {
    purpose: 'complement_depose',
    to,
    subject: `Complément déposé — candidature ${receipt.numero} — ${receipt.appel}`.slice(0, 250),
    text: `${greeting(name)}

${line}

Numéro de dépôt : ${receipt.numero}
L’instruction de l’appel en est informée et reprend l’examen de votre candidature.

Le récépissé à jour est joint à ce message (PDF) ; vous pouvez aussi l’afficher ici :
${receipt.link}${SIGNATURE}`,
    html: htmlDocument(
      title,
      html`<p>${greeting(name)}</p>
<p>${line}</p>
<p>Numéro de dépôt : <strong>${receipt.numero}</strong></p>
<p>L’instruction de l’appel en est informée et reprend l’examen de votre candidature.</p>
<p>Le récépissé à jour est joint à ce message (PDF) ; vous pouvez aussi <a href="${receipt.link}">l’afficher</a>.</p>`,
    ),
    attachments: [{ filename: `recepisse-${receipt.numero}.pdf`, content: Buffer.from(receipt.pdf), contentType: 'application/pdf' }],
  };
}

/** For each instructor of the call: an application they asked to complete is submitted again. */
export function applicationCompletedInstructorMail(
  to: string,
  name: string,
  completed: {
    appel: string;
    titre: string;
    numero: string;
    deposeLe: Date;
    link: string;
  },
): MailMessage {
  const title = 'Candidature complétée';
  const line = `La candidature « ${completed.titre} » (n° ${completed.numero}) à l’appel « ${completed.appel} » a été complétée et déposée de nouveau le ${formatParis(completed.deposeLe)} (heure de Paris).`;
  return {
    purpose: 'complement_instruction',
    to,
    subject: `Maillage : candidature complétée — ${completed.titre}`.slice(0, 250),
    text: `${greeting(name)}

${line}

La lire et reprendre son instruction : ${completed.link}${SIGNATURE}`,
    html: htmlDocument(
      title,
      html`<p>${greeting(name)}</p>
<p>${line}</p>
<p><a href="${completed.link}">La lire et reprendre son instruction</a></p>`,
    ),
  };
}
