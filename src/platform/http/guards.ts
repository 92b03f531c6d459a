/**
 * Guards of the routes: preHandlers that let a request through or refuse it (401 to sign in, 403 when the
 * person lacks the right). The rules themselves are pure functions of src/domain/authorization.ts; a route
 * whose right depends on the object it touches loads the object, then calls `ensure(rule(...))`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { canAdministerPlatform, isModerator, type Actor } from '../../domain/authorization.ts';
import { HttpError, isApiRequest } from '../../web/errors.ts';
import { safeReturnPath } from './return-path.ts';
import type { CurrentAccount } from './sessions.ts';

/**
 * preHandler for routes reserved to signed-in people: pages redirect to the sign-in page (and come back),
 * API calls answer 401.
 */
export async function requireAccount(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  if (request.account) return undefined;
  if (isApiRequest(request) || request.method !== 'GET') {
    throw new HttpError(401, 'Connectez-vous pour continuer.', 'Connexion requise');
  }
  const back = safeReturnPath(request.url);
  return reply.redirect(`/compte/connexion${back ? `?retour=${encodeURIComponent(back)}` : ''}`, 303);
}

/** preHandler for actions that need a verified address (contributions, later): 403 until it is verified. */
export async function requireVerifiedAccount(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  if (!request.account) return requireAccount(request, reply);
  if (!request.account.emailVerified) {
    throw new HttpError(
      403,
      'Confirmez d’abord votre adresse e-mail : ouvrez le lien reçu, ou demandez-en un nouveau depuis « Mon compte ».',
      'Adresse à confirmer',
    );
  }
  return undefined;
}

/** The signed-in account of a route guarded by requireAccount. */
export function accountOf(request: FastifyRequest): CurrentAccount {
  if (!request.account) throw new HttpError(401, 'Connectez-vous pour continuer.', 'Connexion requise');
  return request.account;
}

/** The refusal of a signed-in person who lacks the right (the object is not said to exist or not). */
export function forbidden(message = 'Vous n’avez pas les droits nécessaires pour cette action.'): HttpError {
  return new HttpError(403, message, 'Accès refusé');
}

/** Throws the 403 unless the rule allowed it. */
export function ensure(allowed: boolean, message?: string): void {
  if (!allowed) throw forbidden(message);
}

/** preHandler factory: signed in, then the rule on the actor (platform admin, moderator) or on the object the request names (the call of /appels/:id). */
export function requireRule(rule: (actor: Actor | null, request: FastifyRequest) => boolean, message?: string) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    if (!request.account) return requireAccount(request, reply);
    ensure(rule(request.account, request), message);
    return undefined;
  };
}

export const requirePlatformAdmin = requireRule(canAdministerPlatform, 'Cette page est réservée à l’administration de la plateforme.');
export const requireModerator = requireRule(isModerator, 'Cette page est réservée aux modératrices et modérateurs régionaux.');
