/**
 * Bookings of pooled premises and equipment, for the API and the pages alike: asked by any verified account (an
 * overlap is refused by the database's exclusion constraint, even at the same instant: 409), confirmed or declined
 * by the owner (who published the offer, or a member of its structure), a mail at each step.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedRows, column } from '../../db/database.ts';
import { type Actor, answersBookingsOf } from '../../domain/authorization.ts';
import { checkBookingPeriod, overlapRefusal } from '../../domain/booking.ts';
import { formatParisDateTime } from '../../domain/calendar.ts';
import { RuleError } from '../../domain/rule-error.ts';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { recordAudit } from '../../platform/audit.ts';
import { accountOf, ensure, requireVerifiedAccount } from '../../platform/http/guards.ts';
import type { CurrentAccount } from '../../platform/http/sessions.ts';
import { enqueueMail } from '../../platform/jobs/mail.ts';
import { idParams } from '../../platform/params.ts';
import { html } from '../../web/html.ts';
import { accountEmail, type EntryRow, readEntry } from './queries.ts';
import { BOOKABLE, bookingParams, bookingSchema, decisionSchema, reservationSchema } from './schemas.ts';

export type Decision = z.infer<typeof decisionSchema>['decision'];

export const ownsEntry = (actor: Actor | null, row: EntryRow) => answersBookingsOf(actor, { publisherId: row.account_id, structureSiret: row.structure_siret });

const OWNER_ONLY = 'Seules la personne qui publie cette offre et les membres de sa structure confirment ou déclinent ses réservations.';

function bookingMail(to: string, subject: string, lines: string[], link: string) {
  const text = `${lines.join('\n')}\n\n${link}\n`;
  const body = html`<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${subject}</title></head><body>${lines.map((l) => html`<p>${l}</p>`)}<p><a href="${link}">${link}</a></p></body></html>`;
  return { purpose: 'reservation_mutualisation', to, subject, text, html: body.toString() };
}

/** 23P01: the exclusion constraint saw an overlap, possibly with a booking committed an instant before. */
const isOverlap = (error: unknown) => {
  const e = error as { code?: string; cause?: { code?: string } } | null;
  return e?.code === '23P01' || e?.cause?.code === '23P01';
};

export function bookingActions({ database, config }: AppContext) {
  const db = database.db;
  const link = (id: number) => new URL(`/mutualisation/${id}`, config.BASE_URL).toString();

  /** Asks for [start, end) of an offered room or piece of equipment; the owner is told by mail. */
  async function book(account: CurrentAccount, row: EntryRow, start: Date, end: Date): Promise<number> {
    if (row.sens !== 'offre' || !BOOKABLE.has(row.categorie))
      throw new RuleError('reservation.non_reservable', 'Seuls les locaux et équipements offerts se réservent : contactez plutôt la personne qui publie.', {
        kind: 'conflict',
      });
    checkBookingPeriod(start, end, new Date());
    return db
      .transaction(async (tx) => {
        const [r] = await checkedRows(
          tx,
          z.object({ id: z.number().int() }),
          sql`insert into reservation (mutualisation_id, account_id, periode) values (${row.id}, ${account.id}, tstzrange(${start.toISOString()}::timestamptz, ${end.toISOString()}::timestamptz, '[)'))
            returning id::int as id`,
        );
        const owner = await accountEmail(tx, row.account_id);
        if (owner)
          await enqueueMail(
            tx,
            bookingMail(
              owner,
              `Demande de réservation : ${row.titre}`,
              [
                `${account.displayName} demande « ${row.titre} » du ${formatParisDateTime(start)} au ${formatParisDateTime(end)}.`,
                'Confirmez ou déclinez-la sur sa page dans Maillage.',
              ],
              link(row.id),
            ),
          );
        return r!.id;
      })
      .catch((error: unknown) => {
        throw isOverlap(error) ? overlapRefusal() : error;
      });
  }

  /** The owner's answer to a booking still asked for; the person who asked is told by mail. */
  async function decide(account: CurrentAccount, row: EntryRow, reservationId: number, decision: Decision) {
    ensure(ownsEntry(account, row), OWNER_ONLY);
    return db.transaction(async (tx) => {
      const [r] = await checkedRows(
        tx,
        z.object({ id: z.number().int(), account_id: z.number().int().nullable(), debut: column.instant }),
        sql`update reservation set statut = ${decision} where id = ${reservationId} and mutualisation_id = ${row.id} and statut = 'demandee'
          returning id::int as id, account_id::int as account_id, lower(periode) as debut`,
      );
      if (!r) throw new RuleError('reservation.deja_decidee', 'Cette demande n’existe pas ou a déjà reçu une réponse.', { kind: 'conflict' });
      const word = decision === 'confirmee' ? 'confirmée' : 'déclinée';
      await recordAudit(tx, {
        actor: account,
        action: 'mutualisation.reservation_decide',
        object: { kind: 'mutualisation', id: row.id },
        details: { reservation: r.id, decision },
      });
      const asker = await accountEmail(tx, r.account_id);
      if (asker)
        await enqueueMail(
          tx,
          bookingMail(
            asker,
            `Réservation ${word} : ${row.titre}`,
            [`Votre demande de « ${row.titre} » à partir du ${formatParisDateTime(new Date(r.debut))} est ${word}.`],
            link(row.id),
          ),
        );
      return { id: r.id, statut: decision };
    });
  }

  return { book, decide };
}

export type BookingActions = ReturnType<typeof bookingActions>;

/** The two booking routes of the API (JSON, CSRF header). */
export function registerBookingApi(app: TypedApp, context: AppContext, actions: BookingActions) {
  const db = context.database.db;
  app.post(
    '/api/v1/mutualisation/:id/reservations',
    {
      schema: {
        tags: ['Mutualisation'],
        summary: 'Demander un créneau (compte vérifié) ; 409 s’il chevauche une autre réservation',
        params: idParams,
        body: bookingSchema.meta({ examples: [{ debut: '2027-01-15T09:00:00+01:00', fin: '2027-01-15T12:00:00+01:00' }] }),
        response: { 201: reservationSchema },
      },
      preHandler: requireVerifiedAccount,
    },
    async (request, reply) => {
      const start = new Date(request.body.debut);
      const end = new Date(request.body.fin);
      const id = await actions.book(accountOf(request), await readEntry(db, request.params.id), start, end);
      return reply.status(201).send({ id, debut: start.toISOString(), fin: end.toISOString(), statut: 'demandee' as const });
    },
  );

  app.post(
    '/api/v1/mutualisation/:id/reservations/:reservation/decision',
    {
      schema: {
        tags: ['Mutualisation'],
        summary: 'Confirmer ou décliner une demande de réservation (la personne qui publie l’offre, ou un membre de sa structure)',
        params: bookingParams,
        body: decisionSchema.meta({ examples: [{ decision: 'confirmee' }] }),
        response: { 200: z.object({ id: z.number().int(), statut: z.enum(['confirmee', 'refusee']) }) },
      },
      preHandler: requireVerifiedAccount,
    },
    async (request) => actions.decide(accountOf(request), await readEntry(db, request.params.id), request.params.reservation, request.body.decision),
  );
}
