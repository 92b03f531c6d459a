/**
 * The guards of call management, run before the schemas (preValidation): signed in (pages send to the sign-in
 * page), then the rule of domain/authorization.ts. A call one does not manage answers 404, as if it did not
 * exist: a call in preparation is private, and the instructor of another call learns nothing of it.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { canManageCall } from '../../../domain/authorization.ts';
import { notFound } from '../../../web/errors.ts';
import { ensure, requireAccount } from '../../../platform/http/guards.ts';
import { idParam } from '../instruction/access.ts';
import { mayCreateSomeCall } from './queries.ts';

/**
 * A guard for the pages of one call: loads it with `load` for those who manage it, 404 for anyone else; `callOf`
 * gives the handler what the guard loaded. Each feature loads what it needs (this one the whole call, the form
 * builder its title).
 */
export function managedCallGuard<T extends object>(load: (id: number) => Promise<T | undefined>) {
  const loaded = new WeakMap<FastifyRequest, T>();
  const guard = async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    if (!request.account) return requireAccount(request, reply);
    const id = idParam(request);
    const call = canManageCall(request.account, id) ? await load(id) : undefined;
    if (!call) throw notFound(`Aucun appel ne porte l’identifiant ${id} parmi ceux que vous gérez.`);
    loaded.set(request, call);
    return undefined;
  };
  return { guard, callOf: (request: FastifyRequest): T => loaded.get(request)! };
}

/** Creating a call: platform admins, and scheme publishers (the organiser is checked against their providers). */
export async function callCreatorGuard(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  if (!request.account) return requireAccount(request, reply);
  ensure(
    mayCreateSomeCall(request.account),
    'Créer un appel est réservé aux personnes qui publient les dispositifs d’un financeur, et à l’administration de la plateforme.',
  );
  return undefined;
}
