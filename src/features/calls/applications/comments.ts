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
import { type Db, checkedFirstRow, checkedRows, column, idRow } from '../../../db/database.ts';
import { canManageCall } from '../../../domain/authorization.ts';
import { toParisIso, statutAppel, type StatutAppel } from '../../../domain/call.ts';
import { RuleError } from '../../../domain/rule-error.ts';
import { notFound, TooManyRequests } from '../../../web/errors.ts';
import { sendPage, submitForm, type FormState } from '../../../web/forms.ts';
import { html, type SafeHtml } from '../../../web/html.ts';
import { csrfField } from '../../../platform/http/csrf.ts';
import { accountOf, requireRule, requireVerifiedAccount } from '../../../platform/http/guards.ts';
import { hit, type RateRule } from '../../../platform/http/rate-limit.ts';
import type { CurrentAccount } from '../../../platform/http/sessions.ts';
import { integerParam } from '../../../platform/params.ts';
import { recordAudit } from '../../../platform/audit.ts';
import { now } from './clock.ts';
import { concertationSection } from './comments-views.ts';
import { findAppel, type AppelDetail } from './queries.ts';
import { idParams, sectionCommentaire, type Commentaire } from './schemas.ts';
import { appelPage } from './views.ts';
import { firstValue, formBody } from '../../../web/form-body.ts';

const text = (max: number, empty: string) =>
  z
    .string()
    .trim()
    .min(1, empty)
    .max(max, `${max.toLocaleString('fr-FR')} caractères au plus`);

const commentSchema = z.object({
  section: z.enum(sectionCommentaire.codes, { error: 'choisissez la partie de l’appel commentée' }).default('general'),
  texte: text(4000, 'écrivez votre commentaire'),
});
const replySchema = z.object({ texte: text(4000, 'écrivez la réponse') });
const hideSchema = z.object({ motif: text(1000, 'indiquez pourquoi le commentaire est masqué') });

/** Like error reports: a person may post this many comments an hour (all calls together). */
export const COMMENT_RATE: RateRule = { name: 'comment:account', limit: 10, windowSeconds: 60 * 60 };

const DELETED = 'Compte supprimé';

const publicCommentRow = z.object({
  id: z.number(),
  auteur: z.string(),
  section: sectionCommentaire.schema,
  texte: z.string(),
  date: column.instant,
  reply: z.string().nullable(),
  replied_at: column.instant.nullable(),
});

/** The visible comments of a call, oldest first (hidden ones never leave the database). */
export async function publicComments(db: Db, appelId: number): Promise<Commentaire[]> {
  const found = await checkedRows(
    db,
    publicCommentRow,
    sql`
    select k.id::int as id, coalesce(acc.display_name, ${DELETED}) as auteur, k.section, k.body as texte, k.created_at as date,
      k.reply, k.replied_at
    from appel_commentaire k left join account acc on acc.id = k.account_id
    where k.appel_id = ${appelId} and k.hidden_at is null order by k.created_at, k.id`,
  );
  return found.map((c) => ({
    id: c.id,
    auteur: c.auteur,
    section: c.section,
    texte: c.texte,
    date: toParisIso(new Date(c.date)),
    reponse: c.reply !== null && c.replied_at !== null ? { texte: c.reply, date: toParisIso(new Date(c.replied_at)) } : null,
  }));
}

const actorOf = (account: CurrentAccount) => ({ id: account.id, displayName: account.displayName });

const statutRow = z.object({ statut: statutAppel.schema });

/** The call's state, read FOR SHARE inside the transaction; a private draft is as if absent. */
async function lockedCall(tx: Db, appelId: number): Promise<StatutAppel> {
  const call = await checkedFirstRow(tx, statutRow, sql`select statut from appel where id = ${appelId} for share`);
  if (!call || call.statut === 'brouillon') throw new RuleError('appel_inconnu', `Aucun appel ne porte l'identifiant ${appelId}.`, { kind: 'not_found' });
  return call.statut;
}

export async function addComment(db: Db, account: CurrentAccount, appelId: number, input: z.infer<typeof commentSchema>): Promise<number> {
  return db.transaction(async (tx) => {
    if ((await lockedCall(tx, appelId)) !== 'brouillon_concertation') {
      throw new RuleError(
        'hors_concertation',
        'Cet appel n’est pas soumis à concertation : il ne reçoit pas de commentaires. Les commentaires déjà publiés restent consultables.',
      );
    }
    const created = await checkedFirstRow(
      tx,
      idRow,
      sql`insert into appel_commentaire (appel_id, account_id, section, body)
      values (${appelId}, ${account.id}, ${input.section}, ${input.texte}) returning id::int as id`,
    );
    return created!.id;
  });
}

const hiddenRow = z.object({ hidden: z.boolean() });

/** The comment, locked: 404 when the call has no such comment, 409 when it is hidden (nothing more is done to it). */
async function lockedVisibleComment(tx: Db, appelId: number, commentId: number): Promise<void> {
  await lockedCall(tx, appelId);
  const found = await checkedFirstRow(
    tx,
    hiddenRow,
    sql`select hidden_at is not null as hidden from appel_commentaire
    where id = ${commentId} and appel_id = ${appelId} for update`,
  );
  if (!found) throw new RuleError('commentaire_inconnu', 'Aucun commentaire ne porte cet identifiant sur cet appel.', { kind: 'not_found' });
  if (found.hidden) throw new RuleError('commentaire_masque', 'Ce commentaire est masqué : on n’y répond plus et il ne se masque pas deux fois.');
}

/** The manager's reply under a comment (a new reply replaces the previous one). */
export async function replyToComment(db: Db, account: CurrentAccount, appelId: number, commentId: number, texte: string): Promise<void> {
  await db.transaction(async (tx) => {
    await lockedVisibleComment(tx, appelId, commentId);
    await tx.execute(sql`update appel_commentaire set reply = ${texte}, replied_by = ${account.id}, replied_at = now() where id = ${commentId}`);
    await recordAudit(tx, {
      actor: actorOf(account),
      action: 'appel.comment_reply',
      object: { kind: 'appel', id: appelId },
      details: { commentaire: commentId },
    });
  });
}

const texteRow = z.object({ texte: z.string() });

/** Hides an abusive comment; the audit log keeps who, when, why and what was said. */
export async function hideComment(db: Db, account: CurrentAccount, appelId: number, commentId: number, motif: string): Promise<void> {
  await db.transaction(async (tx) => {
    await lockedVisibleComment(tx, appelId, commentId);
    const hidden = await checkedFirstRow(
      tx,
      texteRow,
      sql`update appel_commentaire set hidden_at = now(), hidden_reason = ${motif}
      where id = ${commentId} returning body as texte`,
    );
    await recordAudit(tx, {
      actor: actorOf(account),
      action: 'appel.comment_hide',
      object: { kind: 'appel', id: appelId },
      details: { commentaire: commentId, motif, texte: hidden!.texte },
    });
  });
}

// ——— Routes ———

const commentParams = idParams.extend({
  commentaire: integerParam(1, Number.MAX_SAFE_INTEGER, 'l’identifiant du commentaire est un nombre entier positif'),
});

const NOTICES: Record<string, string> = {
  publie: 'Merci : votre commentaire est publié.',
  repondu: 'La réponse est publiée.',
  masque: 'Le commentaire est masqué.',
};

/** The « Concertation » section of a call's page: shown while in concertation, after it when comments were made, and with a refusal. */
export async function concertation(db: Db, request: FastifyRequest, appel: AppelDetail, state: FormState = {}): Promise<SafeHtml | ''> {
  const comments = await publicComments(db, appel.id);
  const refusal = state.alert !== undefined || !!state.errors?.length;
  if (appel.etat_publication !== 'brouillon_concertation' && !comments.length && !refusal) return '';
  const done = (request.query as Record<string, unknown> | undefined)?.commentaire;
  return concertationSection(
    appel,
    comments,
    {
      account: request.account,
      manager: canManageCall(request.account, appel.id),
      csrf: csrfField(request),
    },
    { ...state, notice: state.notice ?? (typeof done === 'string' ? NOTICES[done] : undefined) },
  );
}

export async function registerCallComments(app: TypedApp, context: AppContext) {
  const db = context.database.db;

  /** The call's page again, with the concertation's form state (errors, values, alert), with this status. */
  const render = (request: FastifyRequest, reply: FastifyReply, appelId: number) => async (status: number, state: FormState) => {
    const appel = await findAppel(db, appelId, now(), request.account);
    if (!appel) throw notFound(`Aucun appel ne porte l'identifiant ${appelId}.`);
    const main = html`${appelPage(appel, request.account !== null)}${await concertation(db, request, appel, state)}`;
    return sendPage(reply, { status, title: appel.titre, main, currentPath: '/appels' });
  };

  app.post(
    '/appels/:id/commentaires',
    { schema: { hide: true, params: idParams, body: formBody }, preHandler: requireVerifiedAccount },
    async (request, reply) => {
      const appelId = request.params.id;
      return submitForm({
        reply,
        form: 'commentaire',
        values: { section: firstValue(request.body.section) || undefined, texte: firstValue(request.body.texte) },
        parse: commentSchema,
        act: async (input) => {
          const limit = await hit(db, COMMENT_RATE, String(accountOf(request).id));
          if (!limit.allowed) {
            throw new TooManyRequests(
              'Vous avez envoyé beaucoup de commentaires en peu de temps : patientez une heure avant de réessayer.',
              limit.retryAfterSeconds,
            );
          }
          return addComment(db, accountOf(request), appelId, input);
        },
        redirect: (id) => `/appels/${appelId}?commentaire=publie#commentaire-${id}`,
        render: render(request, reply, appelId),
      });
    },
  );

  /** Managers only: signed in, then canManageCall on this call (403 for anyone else, the call's existence aside). */
  const manage = requireRule(
    (actor, request) => canManageCall(actor, (request.params as { id: number }).id),
    'Seules les personnes qui gèrent cet appel répondent aux commentaires ou les masquent.',
  );

  app.post(
    '/appels/:id/commentaires/:commentaire/reponse',
    { schema: { hide: true, params: commentParams, body: formBody }, preHandler: manage },
    async (request, reply) => {
      const { id, commentaire } = request.params;
      return submitForm({
        reply,
        form: `reponse-${commentaire}`,
        values: { texte: firstValue(request.body.texte) },
        parse: replySchema,
        act: ({ texte }) => replyToComment(db, accountOf(request), id, commentaire, texte),
        redirect: () => `/appels/${id}?commentaire=repondu#commentaire-${commentaire}`,
        render: render(request, reply, id),
      });
    },
  );

  app.post(
    '/appels/:id/commentaires/:commentaire/masquage',
    { schema: { hide: true, params: commentParams, body: formBody }, preHandler: manage },
    async (request, reply) => {
      const { id, commentaire } = request.params;
      return submitForm({
        reply,
        form: `masquage-${commentaire}`,
        values: { motif: firstValue(request.body.motif) },
        parse: hideSchema,
        act: ({ motif }) => hideComment(db, accountOf(request), id, commentaire, motif),
        redirect: () => `/appels/${id}?commentaire=masque#concertation`,
        render: render(request, reply, id),
      });
    },
  );
}
