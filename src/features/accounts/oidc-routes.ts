/**
 * The pages of OpenID Connect sign-in (see oidc.ts), registered only when the configuration turns it on (the
 * paths answer 404 otherwise): /compte/oidc/connexion sends the browser to the provider, /compte/oidc/retour
 * takes it back and signs the account in, /compte/oidc/deconnexion offers to end the provider's session after
 * signing out of Maillage.
 *
 * A failed return (provider error, unknown or expired attempt, state that does not match, replayed callback,
 * answer that does not verify) shows a French page saying what to do, writes no account, link or session, and
 * shows nothing of the provider's answer.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import { sendPage } from '../../web/forms.ts';
import { breadcrumb } from '../../web/layout.ts';
import { clearCookie, readCookie, setCookie } from '../../platform/http/cookies.ts';
import {
  endSessionUrl,
  exchangeCode,
  idTokenOfSession,
  OIDC_RATE_RULES,
  oidcProvider,
  oidcSettings,
  PENDING_COOKIE,
  PENDING_SECONDS,
  signInWithIdentity,
  startSignIn,
  takePending,
  type OidcSettings,
} from './oidc.ts';
import { hitAll, type RateRule } from '../../platform/http/rate-limit.ts';
import { safeReturnPath } from '../../platform/http/return-path.ts';
import { setSessionCookie } from '../../platform/http/sessions.ts';
import { isTokenShaped } from '../../platform/http/tokens.ts';

/** Holds the ID token between signing out of Maillage and the page that offers to sign out of the provider. */
const END_COOKIE = 'maillage_oidc_fin';
const END_SECONDS = 10 * 60;
const isJwtShaped = (value: string | undefined): value is string => value !== undefined && value.length < 4000 && /^[\w-]+\.[\w-]+\.[\w-]*$/.test(value);

const queryStrings = z.record(z.string(), z.union([z.string(), z.array(z.string())]));
const firstOf = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

const trail = (label: string) => breadcrumb([{ href: '/', label: 'Accueil' }, { href: '/compte/connexion', label: 'Se connecter' }, { label }]);

function failurePage(settings: OidcSettings, message: string): SafeHtml {
  return html`${trail(`Connexion avec ${settings.label}`)}
<h1>La connexion avec ${settings.label} n’a pas abouti</h1>
<div class="alert" role="alert"><p>${message}</p></div>
<p><a href="/compte/oidc/connexion">Réessayer avec ${settings.label}</a></p>
<p><a href="/compte/connexion">Se connecter avec une adresse e-mail et un mot de passe</a></p>`;
}

function providerSignOutPage(settings: OidcSettings, url: URL): SafeHtml {
  return html`${breadcrumb([{ href: '/', label: 'Accueil' }, { label: 'Déconnexion' }])}
<h1>Déconnexion effectuée</h1>
<div class="notice" role="status"><p>Votre session Maillage est fermée.</p></div>
<p>Votre session ${settings.label} reste ouverte sur ce navigateur : d’autres services pourraient vous reconnaître
sans vous demander de vous identifier.</p>
<p><a class="button" href="${url.href}">Se déconnecter aussi de ${settings.label}</a></p>
<p><a href="/">Retour à l’accueil</a></p>`;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The provider's name when OIDC sign-in is on (the sign-in page then shows its button); absent otherwise. */
    oidcLabel?: string;
  }
}

export async function registerOidc(app: TypedApp, context: AppContext) {
  const settings = oidcSettings(context.config);
  if (!settings) return;
  app.decorateRequest('oidcLabel', settings.label);
  const db = context.database.db;
  const provider = oidcProvider(settings);
  const messages = {
    expired: `Cette tentative de connexion a expiré ou a déjà servi. Recommencez depuis la page de connexion ; vous disposez de ${PENDING_SECONDS / 60} minutes pour vous identifier auprès de ${settings.label}.`,
    cancelled: `La connexion a été interrompue ou refusée par ${settings.label}. Vous pouvez réessayer.`,
    unverifiable: `La réponse de ${settings.label} n’a pas pu être vérifiée. Réessayez dans quelques instants.`,
    unreachable: `${settings.label} ne répond pas pour le moment. Réessayez plus tard, ou connectez-vous avec votre adresse e-mail et votre mot de passe.`,
    no_email: `${settings.label} n’a pas transmis d’adresse e-mail valide : Maillage ne peut pas créer votre compte.`,
    email_taken: `Un compte Maillage utilise déjà l’adresse transmise par ${settings.label}, qui ne la certifie pas. Connectez-vous avec votre mot de passe.`,
  };

  const fail = (reply: FastifyReply, status: number, message: string) =>
    sendPage(reply, { status, title: `Connexion avec ${settings.label}`, main: failurePage(settings, message), currentPath: '/compte' });

  /** Counts the attempt; answers 429 (true) when over the limit. */
  async function limited(request: FastifyRequest, reply: FastifyReply, rule: RateRule): Promise<boolean> {
    const decision = await hitAll(db, [[rule, request.ip]]);
    if (decision.allowed) return false;
    const minutes = Math.max(1, Math.ceil(decision.retryAfterSeconds / 60));
    reply.header('retry-after', String(decision.retryAfterSeconds));
    fail(reply, 429, `Trop de tentatives depuis votre connexion. Patientez ${minutes} minute${minutes > 1 ? 's' : ''} avant de réessayer.`);
    return true;
  }

  app.get('/compte/oidc/connexion', { schema: { hide: true, querystring: queryStrings } }, async (request, reply) => {
    const retour = safeReturnPath(firstOf(request.query.retour));
    if (request.account) return reply.redirect(retour ?? '/compte', 303);
    if (await limited(request, reply, OIDC_RATE_RULES.startPerIp)) return reply;
    let configuration;
    try {
      configuration = await provider();
    } catch (error) {
      request.log.warn({ err: { name: (error as Error).name, message: (error as Error).message } }, 'OIDC : découverte impossible');
      return fail(reply, 503, messages.unreachable);
    }
    const { token, url } = await startSignIn(db, configuration, settings, retour);
    setCookie(request, reply, PENDING_COOKIE, token, { maxAge: PENDING_SECONDS });
    return reply.redirect(url.href, 303);
  });

  app.get('/compte/oidc/retour', { schema: { hide: true, querystring: queryStrings } }, async (request, reply) => {
    if (await limited(request, reply, OIDC_RATE_RULES.callbackPerIp)) return reply;
    const cookie = readCookie(request, PENDING_COOKIE);
    clearCookie(request, reply, PENDING_COOKIE);
    const state = firstOf(request.query.state);
    const pending = isTokenShaped(cookie) && state ? await takePending(db, cookie, state) : undefined;
    if (!pending) return fail(reply, 400, messages.expired);
    if (request.query.error !== undefined) return fail(reply, 400, messages.cancelled);

    const callbackUrl = new URL(settings.redirectUri);
    callbackUrl.search = new URL(request.url, 'http://localhost').search;
    let identity;
    try {
      identity = await exchangeCode(await provider(), callbackUrl, pending);
    } catch (error) {
      // The name and code tell what failed (signature, nonce, network…); no token or claim is logged.
      const { name, code } = error as { name?: string; code?: string };
      request.log.warn({ err: { name, code } }, 'OIDC : réponse du fournisseur refusée');
      return fail(reply, 502, messages.unverifiable);
    }
    const result = await signInWithIdentity(db, identity, {
      userAgent: request.headers['user-agent'],
      previousSessionId: request.accountSession?.id,
    });
    if (result.status === 'no_email') return fail(reply, 400, messages.no_email);
    if (result.status === 'email_taken') return fail(reply, 409, messages.email_taken);
    setSessionCookie(request, reply, result.token);
    return reply.redirect(pending.returnPath ?? '/compte', 303);
  });

  // Signing out of a session opened through the provider: the accounts route closes Maillage's session, then
  // the browser is sent to a page offering to end the provider's session too. It is a link, not a redirect:
  // browsers apply the form's CSP (form-action 'self') to every redirect that follows a form submission.
  const signingOut = new WeakMap<FastifyRequest, string>();
  app.addHook('preHandler', async (request) => {
    if (request.method !== 'POST' || request.routeOptions.url !== '/compte/deconnexion' || !request.accountSession) return;
    const idToken = await idTokenOfSession(db, request.accountSession.id);
    if (idToken) signingOut.set(request, idToken);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const idToken = signingOut.get(request);
    if (idToken && reply.statusCode === 303 && isJwtShaped(idToken)) {
      setCookie(request, reply, END_COOKIE, idToken, { maxAge: END_SECONDS });
      reply.header('location', '/compte/oidc/deconnexion');
    }
    return payload;
  });

  app.get('/compte/oidc/deconnexion', { schema: { hide: true } }, async (request, reply) => {
    const idToken = readCookie(request, END_COOKIE);
    clearCookie(request, reply, END_COOKIE);
    if (request.account || !isJwtShaped(idToken)) return reply.redirect('/compte/deconnexion', 303);
    const url = await provider().then(
      (configuration) => endSessionUrl(configuration, settings, idToken),
      () => undefined,
    );
    if (!url) return reply.redirect('/compte/deconnexion', 303);
    return sendPage(reply, {
      title: 'Déconnexion effectuée',
      main: providerSignOutPage(settings, url),
      currentPath: '/compte',
    });
  });
}
