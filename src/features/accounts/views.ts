/**
 * The account pages. Every form posts with its CSRF field, announces its errors in a summary (role="alert")
 * whose links lead to the fields, and ties each error to its field (aria-describedby, aria-invalid). Inputs say
 * their purpose (autocomplete) for password managers and assistive technologies (WCAG 1.3.5).
 */
import type { FastifyRequest } from 'fastify';
import { role } from '../../domain/authorization.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import { breadcrumb } from '../../web/layout.ts';
import { errorSummary, formField, formMessages, type FieldSpec } from '../../web/form-fields.ts';
import type { FormState } from '../../web/forms.ts';
import { csrfField } from '../../platform/http/csrf.ts';
import { RESET_TOKEN_MINUTES, VERIFY_TOKEN_HOURS } from './service.ts';
import { NAME_MAX, PASSWORD_MIN } from './schemas.ts';
import type { CurrentAccount } from '../../platform/http/sessions.ts';

/** Every field of these forms is required, so none is marked; an address is never corrected by the browser. */
const field = (spec: FieldSpec, state: FormState) => formField({ required: 'unmarked', ...spec }, state);

const trail = (label: string) => breadcrumb([{ href: '/', label: 'Accueil' }, { label }]);

const SIGN_UP_LABELS = { email: 'Adresse e-mail', nom: 'Nom ou pseudonyme', mot_de_passe: 'Mot de passe' };

export function signUpPage(request: FastifyRequest, state: FormState): SafeHtml {
  return html`${trail('Créer un compte')}
<h1>Créer un compte</h1>
<p>Un compte permet de proposer des fiches et des corrections, puis de suivre vos contributions. Pour consulter
Maillage, aucun compte n’est nécessaire.</p>
${errorSummary(state, { labels: SIGN_UP_LABELS })}${formMessages(state)}
<form method="post" action="/compte/inscription" class="stacked-form" novalidate>
  ${csrfField(request)}
  ${field(
    {
      name: 'email',
      label: SIGN_UP_LABELS.email,
      kind: 'email',
      autocomplete: 'email',
      hint: 'Un lien vous sera envoyé pour la confirmer. Format attendu : nom@exemple.fr',
    },
    state,
  )}
  ${field({ name: 'nom', label: SIGN_UP_LABELS.nom, autocomplete: 'name', hint: `Affiché avec vos contributions ; ${NAME_MAX} caractères au plus.` }, state)}
  ${field(
    {
      name: 'mot_de_passe',
      label: SIGN_UP_LABELS.mot_de_passe,
      kind: 'password',
      autocomplete: 'new-password',
      hint: `${PASSWORD_MIN} caractères au moins. Une phrase de plusieurs mots est plus facile à retenir et plus sûre.`,
    },
    state,
  )}
  <button type="submit" class="button">Créer mon compte</button>
</form>
<p>Vous avez déjà un compte ? <a href="/compte/connexion">Se connecter</a></p>`;
}

export function signUpSentPage(): SafeHtml {
  return html`${trail('Créer un compte')}
<h1>Vérifiez votre messagerie</h1>
<div class="notice" role="status"><p>Si cette adresse peut être utilisée, un e-mail va y être envoyé dans quelques instants : il contient un lien
pour confirmer votre adresse, valable ${VERIFY_TOKEN_HOURS} heures.</p></div>
<p>Pensez à regarder dans les courriers indésirables. Vous pouvez vous connecter dès maintenant ; la confirmation de
l’adresse sera demandée avant votre première contribution.</p>
<p><a href="/compte/connexion">Se connecter</a></p>`;
}

const SIGN_IN_LABELS = { email: 'Adresse e-mail', mot_de_passe: 'Mot de passe' };

/** The one message of a refused sign-in: the same for an unknown address and a wrong password. */
export const SIGN_IN_REFUSED =
  'Adresse e-mail ou mot de passe incorrect. Vérifiez-les, puis réessayez ; si vous avez oublié votre mot de passe, choisissez-en un nouveau avec « Mot de passe oublié ? ».';

const parisTime = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' });

/** A throttled sign-in: how long to wait, and until when (Paris time), rounded up to the minute. */
export function signInWaitMessage(seconds: number, now = new Date()): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  const at = parisTime.format(new Date(Math.ceil((now.getTime() + seconds * 1000) / 60_000) * 60_000));
  return `Trop d’essais de connexion infructueux. Pour protéger les comptes, réessayez dans ${minutes} minute${minutes > 1 ? 's' : ''}, à partir de ${at} (heure de Paris), ou choisissez un nouveau mot de passe avec « Mot de passe oublié ? ».`;
}

export function signInPage(request: FastifyRequest, state: FormState, retour?: string): SafeHtml {
  return html`${trail('Se connecter')}
<h1>Se connecter</h1>
${errorSummary(state, { labels: SIGN_IN_LABELS })}${formMessages(state)}
${
  request.oidcLabel
    ? html`<p><a class="button" href="/compte/oidc/connexion${retour ? `?retour=${encodeURIComponent(retour)}` : ''}">Se connecter avec ${request.oidcLabel}</a></p>
<p>Ou avec votre adresse e-mail et votre mot de passe :</p>`
    : ''
}
<form method="post" action="/compte/connexion" class="stacked-form" novalidate>
  ${csrfField(request)}
  ${retour ? html`<input type="hidden" name="retour" value="${retour}">` : ''}
  ${field({ name: 'email', label: SIGN_IN_LABELS.email, kind: 'email', autocomplete: 'username' }, state)}
  ${field({ name: 'mot_de_passe', label: SIGN_IN_LABELS.mot_de_passe, kind: 'password', autocomplete: 'current-password' }, state)}
  <button type="submit" class="button">Se connecter</button>
</form>
<p><a href="/compte/mot-de-passe-oublie">Mot de passe oublié ?</a></p>
<p>Pas encore de compte ? <a href="/compte/inscription">Créer un compte</a></p>`;
}

export function verifiedPage(signedIn: boolean): SafeHtml {
  return html`${trail('Adresse confirmée')}
<h1>Adresse e-mail confirmée</h1>
<div class="notice" role="status"><p>Merci : votre adresse e-mail est confirmée.</p></div>
<p>${signedIn ? html`<a href="/compte">Voir mon compte</a>` : html`<a href="/compte/connexion">Se connecter</a>`}</p>`;
}

export function invalidLinkPage(what: 'verify' | 'reset'): SafeHtml {
  const next =
    what === 'verify'
      ? html`<p>Si votre adresse est déjà confirmée, vous n’avez rien à faire. Sinon, connectez-vous : votre espace
permet de recevoir un nouveau lien.</p><p><a href="/compte/connexion">Se connecter</a></p>`
      : html`<p>Un lien de réinitialisation est valable ${RESET_TOKEN_MINUTES} minutes et ne sert qu’une fois ; seul le dernier
lien demandé fonctionne.</p><p><a href="/compte/mot-de-passe-oublie">Demander un nouveau lien</a></p>`;
  return html`${trail('Lien invalide')}
<h1>Ce lien n’est plus valable</h1>
<div class="alert" role="alert"><p>Le lien est incomplet, a expiré ou a déjà été utilisé.</p></div>
${next}`;
}

const FORGOT_LABELS = { email: 'Adresse e-mail' };

export function forgotPasswordPage(request: FastifyRequest, state: FormState): SafeHtml {
  return html`${trail('Mot de passe oublié')}
<h1>Mot de passe oublié</h1>
<p>Indiquez l’adresse e-mail de votre compte : vous recevrez un lien pour choisir un nouveau mot de passe,
valable ${RESET_TOKEN_MINUTES} minutes.</p>
${errorSummary(state, { labels: FORGOT_LABELS })}${formMessages(state)}
<form method="post" action="/compte/mot-de-passe-oublie" class="stacked-form" novalidate>
  ${csrfField(request)}
  ${field({ name: 'email', label: FORGOT_LABELS.email, kind: 'email', autocomplete: 'email' }, state)}
  <button type="submit" class="button">Recevoir un lien</button>
</form>`;
}

export function forgotPasswordSentPage(): SafeHtml {
  return html`${trail('Mot de passe oublié')}
<h1>Vérifiez votre messagerie</h1>
<div class="notice" role="status"><p>Si un compte existe pour cette adresse, un e-mail va y être envoyé dans quelques instants avec un lien pour
choisir un nouveau mot de passe, valable ${RESET_TOKEN_MINUTES} minutes.</p></div>
<p>Pensez à regarder dans les courriers indésirables. Rien reçu ? <a href="/compte/mot-de-passe-oublie">Demander un nouveau lien</a>.</p>`;
}

const RESET_LABELS = { mot_de_passe: 'Nouveau mot de passe' };

export function resetPasswordPage(request: FastifyRequest, token: string, state: FormState): SafeHtml {
  return html`${trail('Nouveau mot de passe')}
<h1>Choisir un nouveau mot de passe</h1>
<p>Une fois le mot de passe changé, toutes les sessions ouvertes avec votre compte seront fermées.</p>
${errorSummary(state, { labels: RESET_LABELS })}
<form method="post" action="/compte/reinitialisation" class="stacked-form" novalidate>
  ${csrfField(request)}
  <input type="hidden" name="jeton" value="${token}">
  ${field(
    {
      name: 'mot_de_passe',
      label: RESET_LABELS.mot_de_passe,
      kind: 'password',
      autocomplete: 'new-password',
      hint: `${PASSWORD_MIN} caractères au moins. Une phrase de plusieurs mots est plus facile à retenir et plus sûre.`,
    },
    state,
  )}
  <button type="submit" class="button">Enregistrer le mot de passe</button>
</form>`;
}

export function accountPage(request: FastifyRequest, account: CurrentAccount, state: FormState = {}): SafeHtml {
  return html`${trail('Mon compte')}
<h1>Mon compte</h1>
${formMessages(state)}
<dl class="facts">
  <dt>Nom</dt><dd>${account.displayName}</dd>
  <dt>Adresse e-mail</dt><dd>${account.email}</dd>
  <dt>Adresse confirmée</dt><dd>${account.emailVerified ? 'oui' : 'non'}</dd>
  <dt>Rôles</dt><dd>${account.roles.map((r) => role.label(r.role)).join(', ') || 'aucun'}</dd>
</dl>
${
  account.emailVerified
    ? ''
    : html`<h2>Confirmer votre adresse</h2>
<p>Votre adresse n’est pas encore confirmée : ouvrez le lien reçu par e-mail. La confirmation sera demandée avant
votre première contribution.</p>
<form method="post" action="/compte/verification/renvoi">
  ${csrfField(request)}
  <button type="submit" class="button">Recevoir un nouveau lien</button>
</form>`
}
<h2>Mes candidatures, contributions et alertes</h2>
<ul>
  <li><a href="/candidatures">Mes candidatures</a> aux appels à projets (brouillons, dépôts, récépissés)</li>
  <li><a href="/contributions">Mes contributions</a> (propositions, modifications et leur suite) — <a href="/contributions/nouvelle">proposer une fiche</a></li>
  <li><a href="/compte/alertes">Mes alertes</a> (recherches et profils suivis, résumé par e-mail)</li>
</ul>
<h2>Mes données</h2>
<p><a href="/compte/donnees.json">Télécharger toutes mes données</a> (fichier JSON : compte, rôles, sessions, actions…).</p>
<p><a href="/compte/suppression">Supprimer mon compte</a> (vos contributions restent publiées, sans votre nom).</p>
<h2>Sécurité</h2>
<p><a href="/compte/mot-de-passe-oublie">Changer de mot de passe</a> (un lien vous est envoyé par e-mail ; toutes vos sessions seront fermées).</p>
<form method="post" action="/compte/deconnexion">
  ${csrfField(request)}
  <button type="submit" class="button">Se déconnecter</button>
</form>`;
}

export function signOutPage(request: FastifyRequest, signedIn: boolean): SafeHtml {
  return signedIn
    ? html`${trail('Se déconnecter')}
<h1>Se déconnecter</h1>
<form method="post" action="/compte/deconnexion">
  ${csrfField(request)}
  <button type="submit" class="button">Se déconnecter</button>
</form>`
    : html`${trail('Déconnexion')}
<h1>Déconnexion effectuée</h1>
<div class="notice" role="status"><p>Votre session est fermée.</p></div>
<p><a href="/compte/connexion">Se reconnecter</a> — <a href="/">Retour à l’accueil</a></p>`;
}
