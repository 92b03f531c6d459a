/**
 * The guards of call management, run before the schemas (preValidation): signed in (pages send to the sign-in
 * page), then the rule of domain/authorization.ts. A call one does not manage answers 404, as if it did not
 * exist: a call in preparation is private, and the instructor of another call learns nothing of it.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { canManageCall } from '../../domain/authorization.ts';
import { notFound } from '../../web/errors.ts';
import { ensure, requireAccount } from '../accounts/guards.ts';
import { idParam } from '../instruction/access.ts';
import { managedCall, mayCreateSomeCall, type ManagedCall } from './queries.ts';
import type { Db } from '../../db/database.ts';

const calls = new WeakMap<FastifyRequest, ManagedCall>();

/** The call its guard loaded for this request. */
export function callOf(request: FastifyRequest): ManagedCall {
  return calls.get(request)!;
}

export function managedCallGuard(db: Db) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    if (!request.account) return requireAccount(request, reply);
    const id = idParam(request);
    const call = canManageCall(request.account, id) ? await managedCall(db, id) : undefined;
    if (!call) throw notFound(`Aucun appel ne porte l’identifiant ${id} parmi ceux que vous gérez.`);
    calls.set(request, call);
    return undefined;
  };
}

/** Creating a call: platform admins, and scheme publishers (the organiser is checked against their providers). */
export async function callCreatorGuard(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  if (!request.account) return requireAccount(request, reply);
  ensure(mayCreateSomeCall(request.account),
    'Créer un appel est réservé aux personnes qui publient les dispositifs d’un financeur, et à l’administration de la plateforme.');
  return undefined;
}
