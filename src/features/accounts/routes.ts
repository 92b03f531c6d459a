/**
 * Account pages (/compte/…): sign-up and verification, sign-in and sign-out, password reset, my account, and the
 * RGPD pages; the hooks every request goes through (session, CSRF, layout) are in request-hooks.ts.
 *
 * Sign-in is allowed before the address is verified; features that publish something (contributions) will ask
 * for a verified address with requireVerifiedAccount.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { RuleError } from '../../domain/rule-error.ts';
import { HttpError, setErrorHeaders, TooManyRequests } from '../../web/errors.ts';
import { formValue, formValues } from '../../web/form-body.ts';
import { sendPage, submitForm, type FormState } from '../../web/forms.ts';
import type { SafeHtml } from '../../web/html.ts';
import { accountOf, requireAccount } from '../../platform/http/guards.ts';
import type { PersonalDataOfFeatures } from '../../platform/personal-data.ts';
import { registerAccountDeletion } from './deletion.ts';
import { registerPersonalData } from './personal-data.ts';
import { pageAccount, registerRequestHooks } from './request-hooks.ts';
import { safeReturnPath } from '../../platform/http/return-path.ts';
import { forgotPasswordSchema, resetPasswordSchema, signInSchema, signUpSchema, tokenSchema } from './schemas.ts';
import {
  isResetTokenUsable,
  requestPasswordReset,
  resendVerification,
  resetPassword,
  signIn,
  signOut,
  signUp,
  verifyEmail,
  type AccountsDeps,
} from './service.ts';
import { clearSessionCookie, setSessionCookie } from '../../platform/http/sessions.ts';
import {
  accountPage,
  forgotPasswordPage,
  forgotPasswordSentPage,
  invalidLinkPage,
  resetPasswordPage,
  SIGN_IN_REFUSED,
  signInPage,
  signInWaitMessage,
  signOutPage,
  signUpPage,
  signUpSentPage,
  verifiedPage,
} from './views.ts';

function tooMany(seconds: number): TooManyRequests {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return new TooManyRequests(
    `Trop de tentatives. Pour protéger les comptes, patientez ${minutes} minute${minutes > 1 ? 's' : ''} avant de réessayer.`,
    seconds,
  );
}

const queryStrings = z.record(z.string(), z.union([z.string(), z.array(z.string())]));
const firstOf = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

const SIGN_IN_NOTICES: Record<string, string> = {
  reinitialise: 'Votre mot de passe est changé et toutes vos sessions ont été fermées. Connectez-vous avec le nouveau mot de passe.',
};
const ACCOUNT_NOTICES: Record<string, string> = {
  renvoye: 'Un nouveau lien de confirmation va vous être envoyé par e-mail dans quelques instants.',
};

/** The header's account is read again: this request may have just signed someone in or out. */
function render(reply: FastifyReply, request: FastifyRequest, status: number, title: string, main: SafeHtml) {
  return sendPage(reply, { status, title, main, currentPath: '/compte', account: pageAccount(request) });
}

export async function registerAccounts(app: TypedApp, context: AppContext, personalData: PersonalDataOfFeatures) {
  const deps: AccountsDeps = { db: context.database.db, baseUrl: context.config.BASE_URL };
  // First: the hooks apply to every route registered after them.
  await registerRequestHooks(app, deps.db, context.config.BASE_URL);
  registerSignUp(app, deps);
  registerSignIn(app, deps);
  registerPasswordReset(app, deps);
  // My account -----------------------------------------------------------------------------------------------
  app.get('/compte', { schema: { hide: true, querystring: queryStrings }, preHandler: requireAccount }, async (request, reply) => {
    const key = Object.keys(ACCOUNT_NOTICES).find((k) => request.query[k] !== undefined);
    return render(reply, request, 200, 'Mon compte', accountPage(request, accountOf(request), { notice: key && ACCOUNT_NOTICES[key] }));
  });

  // RGPD: download of one's data, deletion of one's account.
  await registerPersonalData(app, context, personalData);
  await registerAccountDeletion(app, context, personalData);
}

function registerSignUp(app: TypedApp, deps: AccountsDeps) {
  // Sign-up ------------------------------------------------------------------------------------------------
  app.get('/compte/inscription', { schema: { hide: true } }, async (request, reply) => render(reply, request, 200, 'Créer un compte', signUpPage(request, {})));

  app.post('/compte/inscription', { schema: { hide: true } }, async (request, reply) =>
    submitForm({
      reply,
      values: formValues(request.body, ['email', 'nom', 'mot_de_passe']),
      parse: signUpSchema,
      act: async (input) => {
        const result = await signUp(deps, input, request.ip);
        if (result.status === 'rate_limited') throw tooMany(result.retryAfterSeconds);
      },
      redirect: () => '/compte/inscription/confirmation',
      render: (status, state) => render(reply, request, status, 'Créer un compte', signUpPage(request, state)),
    }),
  );

  app.get('/compte/inscription/confirmation', { schema: { hide: true } }, async (request, reply) =>
    render(reply, request, 200, 'Vérifiez votre messagerie', signUpSentPage()),
  );

  // E-mail verification --------------------------------------------------------------------------------------
  app.get('/compte/verification', { schema: { hide: true, querystring: queryStrings } }, async (request, reply) => {
    const token = tokenSchema.safeParse(firstOf(request.query.jeton));
    const result = token.success ? await verifyEmail(deps, token.data) : 'invalid';
    if (result === 'invalid') return render(reply, request, 400, 'Lien invalide', invalidLinkPage('verify'));
    if (request.account && !request.account.emailVerified) request.account = { ...request.account, emailVerified: true };
    return render(reply, request, 200, 'Adresse confirmée', verifiedPage(request.account !== null));
  });

  app.post('/compte/verification/renvoi', { schema: { hide: true }, preHandler: requireAccount }, async (request, reply) => {
    const account = accountOf(request);
    const result = await resendVerification(deps, account);
    if (result.status === 'rate_limited') {
      const refusal = tooMany(result.retryAfterSeconds);
      setErrorHeaders(reply, refusal);
      return render(reply, request, 429, 'Mon compte', accountPage(request, account, { alert: refusal.message }));
    }
    return reply.redirect('/compte?renvoye=1', 303);
  });
}

function registerSignIn(app: TypedApp, deps: AccountsDeps) {
  // Sign-in and sign-out -------------------------------------------------------------------------------------
  app.get('/compte/connexion', { schema: { hide: true, querystring: queryStrings } }, async (request, reply) => {
    const retour = safeReturnPath(firstOf(request.query.retour));
    if (request.account) return reply.redirect(retour ?? '/compte', 303);
    const key = Object.keys(SIGN_IN_NOTICES).find((k) => request.query[k] !== undefined);
    return render(reply, request, 200, 'Se connecter', signInPage(request, { notice: key && SIGN_IN_NOTICES[key] }, retour));
  });

  app.post('/compte/connexion', { schema: { hide: true } }, async (request, reply) => {
    const retour = safeReturnPath(formValue(request.body, 'retour'));
    return submitForm({
      reply,
      values: formValues(request.body, ['email', 'mot_de_passe']),
      parse: signInSchema,
      act: async (input) => {
        const result = await signIn(deps, input, { ip: request.ip, userAgent: request.headers['user-agent'], previousSessionId: request.accountSession?.id });
        if (result.status === 'rate_limited') throw new TooManyRequests(signInWaitMessage(result.retryAfterSeconds), result.retryAfterSeconds);
        if (result.status === 'invalid') throw new HttpError(401, SIGN_IN_REFUSED);
        setSessionCookie(request, reply, result.token);
      },
      redirect: () => retour ?? '/compte',
      render: (status, state) => render(reply, request, status, 'Se connecter', signInPage(request, state, retour)),
    });
  });

  app.get('/compte/deconnexion', { schema: { hide: true } }, async (request, reply) =>
    render(reply, request, 200, request.account ? 'Se déconnecter' : 'Déconnexion effectuée', signOutPage(request, request.account !== null)),
  );

  app.post('/compte/deconnexion', { schema: { hide: true } }, async (request, reply) => {
    if (request.accountSession) await signOut(deps, request.accountSession.id);
    request.account = null;
    request.accountSession = null;
    clearSessionCookie(request, reply);
    return reply.redirect('/compte/deconnexion', 303);
  });
}

function registerPasswordReset(app: TypedApp, deps: AccountsDeps) {
  // Password reset -------------------------------------------------------------------------------------------
  app.get('/compte/mot-de-passe-oublie', { schema: { hide: true } }, async (request, reply) =>
    render(reply, request, 200, 'Mot de passe oublié', forgotPasswordPage(request, { values: { email: request.account?.email } })),
  );

  app.post('/compte/mot-de-passe-oublie', { schema: { hide: true } }, async (request, reply) =>
    submitForm({
      reply,
      values: formValues(request.body, ['email']),
      parse: forgotPasswordSchema,
      act: async (input) => {
        const result = await requestPasswordReset(deps, input.email, request.ip);
        if (result.status === 'rate_limited') throw tooMany(result.retryAfterSeconds);
      },
      redirect: () => '/compte/mot-de-passe-oublie/confirmation',
      render: (status, state) => render(reply, request, status, 'Mot de passe oublié', forgotPasswordPage(request, state)),
    }),
  );

  app.get('/compte/mot-de-passe-oublie/confirmation', { schema: { hide: true } }, async (request, reply) =>
    render(reply, request, 200, 'Vérifiez votre messagerie', forgotPasswordSentPage()),
  );

  app.get('/compte/reinitialisation', { schema: { hide: true, querystring: queryStrings } }, async (request, reply) => {
    const token = tokenSchema.safeParse(firstOf(request.query.jeton));
    if (!token.success || !(await isResetTokenUsable(deps, token.data))) {
      return render(reply, request, 400, 'Lien invalide', invalidLinkPage('reset'));
    }
    return render(reply, request, 200, 'Nouveau mot de passe', resetPasswordPage(request, token.data, {}));
  });

  const invalidLink = (reply: FastifyReply, request: FastifyRequest) => render(reply, request, 400, 'Lien invalide', invalidLinkPage('reset'));

  app.post('/compte/reinitialisation', { schema: { hide: true } }, async (request, reply) => {
    const token = tokenSchema.safeParse(formValue(request.body, 'jeton'));
    if (!token.success) return invalidLink(reply, request);
    return submitForm({
      reply,
      values: { jeton: token.data, mot_de_passe: formValue(request.body, 'mot_de_passe') },
      parse: resetPasswordSchema,
      act: async (input) => {
        if ((await resetPassword(deps, input.jeton, input.mot_de_passe)) === 'invalid') throw new RuleError('lien_invalide', 'Ce lien n’est plus valable.');
        // Every session of the account is closed; this browser is signed out too, whoever it was signed in as.
        if (request.accountSession) await signOut(deps, request.accountSession.id);
        request.account = null;
        request.accountSession = null;
        clearSessionCookie(request, reply);
      },
      redirect: () => '/compte/connexion?reinitialise=1',
      // The one refusal of the whole form is a link used or expired meanwhile: nothing left to fill in.
      render: (status, state: FormState) =>
        state.alert ? invalidLink(reply, request) : render(reply, request, status, 'Nouveau mot de passe', resetPasswordPage(request, token.data, state)),
    });
  });
}
