/**
 * Co-construction of a call (001: funders co-construct their calls with the actors): while a call is shown
 * for concertation (statut 'brouillon_concertation'), any signed-in person with a verified address comments on
 * it, on the whole call or on one of its parts. Comments are public, with their author's display name. The
 * call's managers (canManageCall) answer under a comment, or hide an abusive one with a reason: it leaves the
 * public page and the API, the row and the audit log keep it. Once the call has left concertation the comments
 * stay readable and no new one is taken. Each write is one transaction; the call's row is read FOR SHARE so
 * that a comment and a change of the call's state do not cross.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext, TypedApp } from '../../../platform/app-context.ts';
import { firstRow, rows, type Db } from '../../../db/database.ts';
import { canManageCall } from '../../../domain/authorization.ts';
import { toParisIso, type StatutAppel } from '../../../domain/call.ts';
import { HttpError, notFound } from '../../../web/errors.ts';
import { html, type SafeHtml } from '../../../web/html.ts';
import { page } from '../../../web/layout.ts';
import { csrfField } from '../../../platform/http/csrf.ts';
import { accountOf, requireRule, requireVerifiedAccount } from '../../../platform/http/guards.ts';
import { hit, type RateRule } from '../../../platform/http/rate-limit.ts';
import type { CurrentAccount } from '../../../platform/http/sessions.ts';
import { integerParam } from '../../../platform/params.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { now } from './clock.ts';
import { concertationSection, type ConcertationState } from './comments-views.ts';
import { findAppel, type AppelDetail } from './queries.ts';
import { idParams, sectionCommentaire, type Commentaire } from './schemas.ts';
import { appelPage } from './views.ts';
import { firstValue, formBody } from '../../../web/form-body.ts';

const text = (max: number, empty: string) => z.string().trim().min(1, empty).max(max, `${max.toLocaleString('fr-FR')} caractères au plus`);

const commentSchema = z.object({
  section: z.enum(sectionCommentaire.codes, { error: 'choisissez la partie de l’appel commentée' }).default('general'),
  texte: text(4000, 'écrivez votre commentaire'),
});
const replySchema = z.object({ texte: text(4000, 'écrivez la réponse') });
const hideSchema = z.object({ motif: text(1000, 'indiquez pourquoi le commentaire est masqué') });

/** Like error reports: a person may post this many comments an hour (all calls together). */
export const COMMENT_RATE: RateRule = { name: 'comment:account', limit: 10, windowSeconds: 60 * 60 };

const DELETED = 'Compte supprimé';

/** The visible comments of a call, oldest first (hidden ones never leave the database). */
export async function publicComments(db: Db, appelId: number): Promise<Commentaire[]> {
  const found = await rows<{ id: number; auteur: string; section: Commentaire['section']; texte: string; date: Date | string;
    reply: string | null; replied_at: Date | string | null }>(db, sql`
    select k.id::int as id, coalesce(acc.display_name, ${DELETED}) as auteur, k.section, k.body as texte, k.created_at as date,
      k.reply, k.replied_at
    from appel_commentaire k left join account acc on acc.id = k.account_id
    where k.appel_id = ${appelId} and k.hidden_at is null order by k.created_at, k.id`);
  return found.map((c) => ({
    id: c.id, auteur: c.auteur, section: c.section, texte: c.texte, date: toParisIso(new Date(c.date)),
    reponse: c.reply !== null && c.replied_at !== null ? { texte: c.reply, date: toParisIso(new Date(c.replied_at)) } : null,
  }));
}

const conflict = (detail: string) => new HttpError(409, detail, 'Conflit');
const actorOf = (account: CurrentAccount) => ({ id: account.id, displayName: account.displayName });

/** The call's state, read FOR SHARE inside the transaction; a private draft is as if absent. */
async function lockedCall(tx: Db, appelId: number): Promise<StatutAppel> {
  const call = await firstRow<{ statut: StatutAppel }>(tx, sql`select statut from appel where id = ${appelId} for share`);
  if (!call || call.statut === 'brouillon') throw notFound(`Aucun appel ne porte l'identifiant ${appelId}.`);
  return call.statut;
}

export async function addComment(db: Db, account: CurrentAccount, appelId: number, input: z.infer<typeof commentSchema>): Promise<number> {
  return db.transaction(async (tx) => {
    if (await lockedCall(tx, appelId) !== 'brouillon_concertation') {
      throw conflict('Cet appel n’est pas soumis à concertation : il ne reçoit pas de commentaires. Les commentaires déjà publiés restent consultables.');
    }
    const created = await firstRow<{ id: number }>(tx, sql`insert into appel_commentaire (appel_id, account_id, section, body)
      values (${appelId}, ${account.id}, ${input.section}, ${input.texte}) returning id::int as id`);
    return created!.id;
  });
}

/** The comment, locked: 404 when the call has no such comment, 409 when it is hidden (nothing more is done to it). */
async function lockedVisibleComment(tx: Db, appelId: number, commentId: number): Promise<void> {
  await lockedCall(tx, appelId);
  const found = await firstRow<{ hidden: boolean }>(tx, sql`select hidden_at is not null as hidden from appel_commentaire
    where id = ${commentId} and appel_id = ${appelId} for update`);
  if (!found) throw notFound('Aucun commentaire ne porte cet identifiant sur cet appel.');
  if (found.hidden) throw conflict('Ce commentaire est masqué : on n’y répond plus et il ne se masque pas deux fois.');
}

/** The manager's reply under a comment (a new reply replaces the previous one). */
export async function replyToComment(db: Db, account: CurrentAccount, appelId: number, commentId: number, texte: string): Promise<void> {
  await db.transaction(async (tx) => {
    await lockedVisibleComment(tx, appelId, commentId);
    await tx.execute(sql`update appel_commentaire set reply = ${texte}, replied_by = ${account.id}, replied_at = now() where id = ${commentId}`);
    await recordAudit(tx, { actor: actorOf(account), action: 'appel.comment_reply', object: { kind: 'appel', id: appelId }, details: { commentaire: commentId } });
  });
}

/** Hides an abusive comment; the audit log keeps who, when, why and what was said. */
export async function hideComment(db: Db, account: CurrentAccount, appelId: number, commentId: number, motif: string): Promise<void> {
  await db.transaction(async (tx) => {
    await lockedVisibleComment(tx, appelId, commentId);
    const hidden = await firstRow<{ texte: string }>(tx, sql`update appel_commentaire set hidden_at = now(), hidden_reason = ${motif}
      where id = ${commentId} returning body as texte`);
    await recordAudit(tx, { actor: actorOf(account), action: 'appel.comment_hide', object: { kind: 'appel', id: appelId },
      details: { commentaire: commentId, motif, texte: hidden!.texte } });
  });
}

// ——— Routes ———

const commentParams = idParams.extend({
  commentaire: integerParam(1, Number.MAX_SAFE_INTEGER, 'l’identifiant du commentaire est un nombre entier positif'),
});

/** The zod issues of a form as its fields' errors, each named by its input's id (« commentaire-texte »). */
function fieldErrors(form: string, error: z.ZodError): ConcertationState['errors'] {
  return error.issues.map((issue) => ({ champ: `${form}-${issue.path.join('.')}`, message: issue.message }));
}

/** The « Concertation » section of a call's page: shown while in concertation, after it when comments were made, and with a refusal. */
export async function concertation(db: Db, request: FastifyRequest, appel: AppelDetail, state: ConcertationState = { errors: [] }): Promise<SafeHtml | ''> {
  const comments = await publicComments(db, appel.id);
  const refusal = state.alert !== undefined || state.errors.length > 0;
  if (appel.etat_publication !== 'brouillon_concertation' && !comments.length && !refusal) return '';
  const notice = (request.query as Record<string, unknown> | undefined)?.commentaire;
  return concertationSection(appel, comments, {
    account: request.account, manager: canManageCall(request.account, appel.id), csrf: csrfField(request),
  }, { ...state, notice: state.notice ?? (typeof notice === 'string' ? notice : undefined) });
}

export async function registerCallComments(app: TypedApp, context: AppContext) {
  const db = context.database.db;

  /** The call's page again, with the concertation's form state (errors, values, alert), with this status. */
  const render = async (request: FastifyRequest, reply: FastifyReply, appelId: number, status: number, state: ConcertationState) => {
    const appel = await findAppel(db, appelId, now(), request.account);
    if (!appel) throw notFound(`Aucun appel ne porte l'identifiant ${appelId}.`);
    const main = html`${appelPage(appel, request.account !== null)}${await concertation(db, request, appel, state)}`;
    return reply.status(status).type('text/html; charset=utf-8').send(page({ title: `${status >= 400 ? 'Erreur — ' : ''}${appel.titre}`, main, currentPath: '/appels' }));
  };
  /** A refusal of the rules (409 out of concertation, 404) shown on the page rather than as an error page. */
  const refused = (request: FastifyRequest, reply: FastifyReply, appelId: number, error: unknown) => {
    if (error instanceof HttpError && error.status === 409) return render(request, reply, appelId, 409, { errors: [], alert: error.message });
    throw error;
  };

  app.post('/appels/:id/commentaires', { schema: { hide: true, params: idParams, body: formBody }, preHandler: requireVerifiedAccount }, async (request, reply) => {
    const appelId = request.params.id;
    const input = { section: firstValue(request.body.section) || undefined, texte: firstValue(request.body.texte) };
    const values = { 'commentaire-section': input.section, 'commentaire-texte': input.texte };
    const parsed = commentSchema.safeParse(input);
    if (!parsed.success) return render(request, reply, appelId, 400, { errors: fieldErrors('commentaire', parsed.error), values });
    const limit = await hit(db, COMMENT_RATE, String(accountOf(request).id));
    if (!limit.allowed) {
      reply.header('retry-after', String(limit.retryAfterSeconds));
      return render(request, reply, appelId, 429, { errors: [], values, alert: 'Vous avez envoyé beaucoup de commentaires en peu de temps : patientez une heure avant de réessayer.' });
    }
    try {
      const id = await addComment(db, accountOf(request), appelId, parsed.data);
      return reply.redirect(`/appels/${appelId}?commentaire=publie#commentaire-${id}`, 303);
    } catch (error) {
      return refused(request, reply, appelId, error);
    }
  });

  /** Managers only: signed in, then canManageCall on this call (403 for anyone else, the call's existence aside). */
  const manage = requireRule((actor, request) => canManageCall(actor, (request.params as { id: number }).id),
    'Seules les personnes qui gèrent cet appel répondent aux commentaires ou les masquent.');

  app.post('/appels/:id/commentaires/:commentaire/reponse', { schema: { hide: true, params: commentParams, body: formBody }, preHandler: manage }, async (request, reply) => {
    const { id, commentaire } = request.params;
    const input = { texte: firstValue(request.body.texte) };
    const parsed = replySchema.safeParse(input);
    if (!parsed.success) return render(request, reply, id, 400, { errors: fieldErrors(`reponse-${commentaire}`, parsed.error), values: { [`reponse-${commentaire}-texte`]: input.texte } });
    try {
      await replyToComment(db, accountOf(request), id, commentaire, parsed.data.texte);
    } catch (error) {
      return refused(request, reply, id, error);
    }
    return reply.redirect(`/appels/${id}?commentaire=repondu#commentaire-${commentaire}`, 303);
  });

  app.post('/appels/:id/commentaires/:commentaire/masquage', { schema: { hide: true, params: commentParams, body: formBody }, preHandler: manage }, async (request, reply) => {
    const { id, commentaire } = request.params;
    const input = { motif: firstValue(request.body.motif) };
    const parsed = hideSchema.safeParse(input);
    if (!parsed.success) return render(request, reply, id, 400, { errors: fieldErrors(`masquage-${commentaire}`, parsed.error), values: { [`masquage-${commentaire}-motif`]: input.motif } });
    try {
      await hideComment(db, accountOf(request), id, commentaire, parsed.data.motif);
    } catch (error) {
      return refused(request, reply, id, error);
    }
    return reply.redirect(`/appels/${id}?commentaire=masque#concertation`, 303);
  });
}
