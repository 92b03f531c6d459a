/**
 * The guards of instruction routes, run before the schemas (preValidation): signed in, then the person's part
 * in the call or on the application (domain/instruction-rules.ts). A call one has no part in answers 403; an
 * application one may not see answers 404, as if it did not exist (a conflicted reviewer, a draft, another
 * call's application). The access found is kept for the handler (accessOf).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import { firstRow, type Db, checkedFirstRow } from '../../../db/database.ts';
import { statutCandidature, type StatutCandidature } from '../../../domain/application.ts';
import { canDeclareConflict, canManage, roleOnApplication, roleOnCall, type RoleInstruction } from '../../../domain/instruction-rules.ts';
import { notFound } from '../../../web/errors.ts';
import { ensure, requireAccount } from '../../../platform/http/guards.ts';
import { z } from 'zod';

export interface CallAccess {
  appel: { id: number; titre: string };
  role: RoleInstruction;
}

export interface ApplicationAccess extends CallAccess {
  candidature: { id: number; titre: string; statut: StatutCandidature; accountId: number };
}

/** What the applicant's own thread knows. */
export type OwnerAccess = Omit<ApplicationAccess, 'role'>;

const accesses = new WeakMap<FastifyRequest, CallAccess | OwnerAccess>();

/** The access its guard found for this request. */
export function accessOf<T extends CallAccess | OwnerAccess>(request: FastifyRequest): T {
  return accesses.get(request) as T;
}

/** A positive integer path parameter, read before the schemas run; anything else is not found. */
export function idParam(request: FastifyRequest, name = 'id'): number {
  const raw = (request.params as Record<string, string | undefined>)[name] ?? '';
  const id = /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id)) throw notFound('Cette adresse n’existe pas sur Maillage.');
  return id;
}

const MANAGE_ONLY = 'Cette action est réservée aux instructrices et instructeurs de l’appel.';

async function reviewerOf(db: Db, appelId: number, accountId: number): Promise<boolean> {
  return !!(await firstRow(db, sql`select 1 from appel_evaluateur where appel_id = ${appelId} and account_id = ${accountId}`));
}

const appelRow = z.object({ id: z.number(), titre: z.string() });

/** preValidation of a call's instruction routes; `manage`: instructors only. */
export function callGuard(db: Db, need: 'view' | 'manage') {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    if (!request.account) return requireAccount(request, reply);
    const appelId = idParam(request);
    const appel = await checkedFirstRow(db, appelRow, sql`select id::int as id, title as titre from appel where id = ${appelId}`);
    if (!appel) throw notFound(`Aucun appel ne porte l’identifiant ${appelId}.`);
    const role = roleOnCall(request.account, appelId, await reviewerOf(db, appelId, request.account.id));
    ensure(role !== null, 'Vous ne participez pas à l’instruction de cet appel.');
    if (need === 'manage') ensure(canManage(role), MANAGE_ONLY);
    accesses.set(request, { appel, role: role! });
    return undefined;
  };
}

const applicationGuardRow = z.object({
  appel_id: z.number(),
  appel_titre: z.string(),
  titre: z.string(),
  statut: statutCandidature.schema,
  account_id: z.number(),
  assigned: z.boolean(),
  conflict: z.boolean(),
});

/** preValidation of an application's instruction routes: `manage` instructors, `conflict` reviewers. */
export function applicationGuard(db: Db, need: 'view' | 'manage' | 'conflict') {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    if (!request.account) return requireAccount(request, reply);
    const id = idParam(request);
    const row = await checkedFirstRow(
      db,
      applicationGuardRow,
      sql`select c.appel_id::int as appel_id, a.title as appel_titre, c.title as titre, c.statut,
        c.account_id::int as account_id,
        exists (select 1 from appel_evaluateur e where e.appel_id = c.appel_id and e.account_id = ${request.account.id}) as assigned,
        exists (select 1 from conflit_interet k where k.candidature_id = c.id and k.account_id = ${request.account.id}) as conflict
      from candidature c join appel a on a.id = c.appel_id where c.id = ${id}`,
    );
    const role = row && roleOnApplication(request.account, { appelId: row.appel_id, statut: row.statut }, row);
    if (!row || !role) throw notFound('Aucune candidature en instruction ne porte cet identifiant parmi celles que vous instruisez.');
    if (need === 'manage') ensure(canManage(role), MANAGE_ONLY);
    if (need === 'conflict') ensure(canDeclareConflict(role), 'Seuls les évaluateurs et évaluatrices déclarent ici un conflit d’intérêts.');
    accesses.set(request, {
      appel: { id: row.appel_id, titre: row.appel_titre },
      role,
      candidature: { id, titre: row.titre, statut: row.statut, accountId: row.account_id },
    } satisfies ApplicationAccess);
    return undefined;
  };
}

const ownerGuardRow = z.object({ appel_id: z.number(), appel_titre: z.string(), titre: z.string(), statut: statutCandidature.schema });

/** preValidation of the applicant's thread: the application's owner only; anyone else finds nothing. */
export function ownerGuard(db: Db) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    if (!request.account) return requireAccount(request, reply);
    const id = idParam(request);
    const row = await checkedFirstRow(
      db,
      ownerGuardRow,
      sql`
      select c.appel_id::int as appel_id, a.title as appel_titre, c.title as titre, c.statut
      from candidature c join appel a on a.id = c.appel_id where c.id = ${id} and c.account_id = ${request.account.id}`,
    );
    if (!row) throw notFound('Aucune candidature ne porte cet identifiant parmi les vôtres.');
    accesses.set(request, {
      appel: { id: row.appel_id, titre: row.appel_titre },
      candidature: { id, titre: row.titre, statut: row.statut, accountId: request.account.id },
    } satisfies OwnerAccess);
    return undefined;
  };
}
