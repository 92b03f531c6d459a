/**
 * The mutualisation board: offers and requests searched by territory and distance, bookings of premises and
 * equipment (overlaps refused by the database's exclusion constraint, answered 409), the owner's decision, a
 * mail at each step, and each calendar as iCalendar.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedRows, column, type Db } from '../../db/database.ts';
import { checkBookingPeriod, icsCalendar, overlapRefusal } from '../../domain/booking.ts';
import { RuleError } from '../../domain/rule-error.ts';
import { boxAround, DEFAULT_RADIUS_KM, distanceKm, roundKm } from '../../domain/suppliers.ts';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { accountOf, ensure, requireVerifiedAccount } from '../../platform/http/guards.ts';
import { enqueueMail } from '../../platform/jobs/mail.ts';
import { idParams } from '../../platform/params.ts';
import type { TerritoryIndex } from '../../platform/territory-index.ts';
import { notFound } from '../../web/errors.ts';
import { html } from '../../web/html.ts';
import {
  BOOKABLE,
  boardAnswerSchema,
  boardSearchSchema,
  bookingParams,
  bookingSchema,
  categorie,
  decisionSchema,
  entryDetailSchema,
  newEntrySchema,
  reservationSchema,
  sens,
} from './schemas.ts';

const NOT_FOUND = 'Cette offre ou demande n’existe pas.';

const entryRow = z.object({
  id: z.number().int(),
  sens: sens.schema,
  categorie: categorie.schema,
  titre: z.string(),
  description: z.string(),
  commune_code: z.string(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  account_id: z.number().int().nullable(),
});
type EntryRow = z.infer<typeof entryRow>;
const ENTRY = sql`select id::int as id, sens, categorie, titre, description, commune_code, latitude, longitude, account_id::int as account_id from mutualisation`;

const centreRow = z.object({ latitude: z.number().nullable(), longitude: z.number().nullable() });

function entry(row: EntryRow, territories: TerritoryIndex, distance: number | null) {
  const commune = territories.communes.get(row.commune_code);
  return {
    id: row.id,
    sens: row.sens,
    categorie: row.categorie,
    titre: row.titre,
    description: row.description,
    commune: { code: row.commune_code, nom: commune?.name ?? row.commune_code },
    reservable: BOOKABLE.has(row.categorie),
    distance_km: distance === null ? null : roundKm(distance),
  };
}

async function readEntry(db: Db, id: number): Promise<EntryRow> {
  const [row] = await checkedRows(db, entryRow, sql`${ENTRY} where id = ${id}`);
  if (!row) throw notFound(NOT_FOUND);
  return row;
}

async function accountEmail(db: Db, id: number | null): Promise<string | undefined> {
  if (id === null) return undefined;
  return (await checkedRows(db, z.object({ email: z.string() }), sql`select email from account where id = ${id} and deleted_at is null`))[0]?.email;
}

const paris = (d: Date) => d.toLocaleString('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'long', timeStyle: 'short' });

function bookingMail(to: string, subject: string, lines: string[], link: string) {
  const text = `${lines.join('\n')}\n\n${link}\n`;
  const body = html`<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${subject}</title></head><body>${lines.map((l) => html`<p>${l}</p>`)}<p><a href="${link}">${link}</a></p></body></html>`;
  return { purpose: 'reservation_mutualisation', to, subject, text, html: body.toString() };
}

export async function registerPooling(app: TypedApp, { database, territories, config }: AppContext) {
  const db = database.db;
  const calendarLink = (id: number) => new URL(`/api/v1/mutualisation/${id}`, config.BASE_URL).toString();

  app.get(
    '/api/v1/mutualisation',
    {
      schema: {
        tags: ['Mutualisation'],
        summary: 'Offres et demandes de locaux, équipements, véhicules, compétences et emplois partagés, par territoire ou autour d’une commune',
        querystring: boardSearchSchema,
        response: { 200: boardAnswerSchema },
      },
    },
    async (request) => {
      const q = request.query;
      if (q.rayon_km !== undefined && !q.commune)
        throw new RuleError('mutualisation.rayon_sans_commune', 'Un rayon se mesure autour d’une commune : indiquez la commune.', { field: 'commune' });
      if (q.commune && !territories.communes.has(q.commune))
        throw new RuleError('mutualisation.commune_inconnue', `Commune inconnue du COG : ${q.commune}.`, { field: 'commune' });
      const where = [sql`true`];
      if (q.sens) where.push(sql`sens = ${q.sens}`);
      if (q.categorie) where.push(sql`categorie = ${q.categorie}`);
      if (q.region) where.push(sql`region_code = ${q.region}`);
      if (q.departement) where.push(sql`departement_code = ${q.departement}`);
      let centre: { latitude: number; longitude: number } | null = null;
      const radius = q.rayon_km ?? DEFAULT_RADIUS_KM;
      if (q.commune) {
        const [c] = await checkedRows(db, centreRow, sql`select latitude, longitude from commune where code = ${q.commune}`);
        if (c?.latitude == null || c.longitude == null)
          throw new RuleError('mutualisation.centre_inconnu', 'La position de cette commune n’est pas connue : cherchez dans son département.', {
            field: 'commune',
          });
        centre = { latitude: c.latitude, longitude: c.longitude };
        const box = boxAround(centre, radius);
        where.push(sql`latitude between ${box.south} and ${box.north} and longitude between ${box.west} and ${box.east}`);
      }
      const found = await checkedRows(db, entryRow, sql`${ENTRY} where ${sql.join(where, sql` and `)} order by created_at desc, id desc limit 5000`);
      const ranked = found
        .map((row) => ({
          row,
          distance: centre && row.latitude !== null && row.longitude !== null ? distanceKm(centre, { latitude: row.latitude, longitude: row.longitude }) : null,
        }))
        .filter((r) => !centre || (r.distance !== null && r.distance <= radius))
        .sort((a, b) => (a.distance ?? 0) - (b.distance ?? 0));
      const start = (q.page - 1) * q.par_page;
      return {
        total: ranked.length,
        page: q.page,
        par_page: q.par_page,
        resultats: ranked.slice(start, start + q.par_page).map((r) => entry(r.row, territories, r.distance)),
      };
    },
  );

  app.post(
    '/api/v1/mutualisation',
    {
      schema: {
        tags: ['Mutualisation'],
        summary: 'Publier une offre ou une demande (compte vérifié)',
        body: newEntrySchema.meta({ examples: [{ sens: 'offre', categorie: 'local', titre: 'Salle de réunion', description: '20 places', commune: '26281' }] }),
        response: { 201: z.object({ id: z.number().int() }) },
      },
      preHandler: requireVerifiedAccount,
    },
    async (request, reply) => {
      const body = request.body;
      if (!territories.communes.has(body.commune))
        throw new RuleError('mutualisation.commune_inconnue', `Commune inconnue du COG : ${body.commune}.`, { field: 'commune' });
      const [row] = await checkedRows(
        db,
        z.object({ id: z.number().int() }),
        sql`insert into mutualisation (sens, categorie, titre, description, account_id, commune_code, departement_code, region_code, latitude, longitude)
          select ${body.sens}, ${body.categorie}, ${body.titre}, ${body.description}, ${accountOf(request).id}, code, departement_code, region_code, latitude, longitude
          from commune where code = ${body.commune} returning id::int as id`,
      );
      return reply.status(201).send(row!);
    },
  );

  const reservationsOf = (id: number) =>
    checkedRows(
      db,
      reservationSchema,
      sql`select id::int as id, to_char(lower(periode) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as debut,
        to_char(upper(periode) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as fin, statut
      from reservation where mutualisation_id = ${id} and statut in ('demandee', 'confirmee') and upper(periode) > now() order by lower(periode)`,
    );

  app.get(
    '/api/v1/mutualisation/:id',
    { schema: { tags: ['Mutualisation'], summary: 'Une offre ou demande et son calendrier à venir', params: idParams, response: { 200: entryDetailSchema } } },
    async (request) => ({ ...entry(await readEntry(db, request.params.id), territories, null), reservations: await reservationsOf(request.params.id) }),
  );

  app.get(
    '/api/v1/mutualisation/:id/calendrier.ics',
    { schema: { tags: ['Mutualisation'], summary: 'Le calendrier de réservation en iCalendar', params: idParams } },
    async (request, reply) => {
      const row = await readEntry(db, request.params.id);
      const events = (await reservationsOf(row.id)).map((r) => ({
        uid: `reservation-${r.id}@maillage`,
        start: new Date(r.debut),
        end: new Date(r.fin),
        summary: `${row.titre} — ${r.statut === 'confirmee' ? 'réservé' : 'demande en attente'}`,
        status: r.statut === 'confirmee' ? ('CONFIRMED' as const) : ('TENTATIVE' as const),
      }));
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', `attachment; filename="mutualisation-${row.id}.ics"`)
        .send(icsCalendar(row.titre, events, new Date()));
    },
  );

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
      const account = accountOf(request);
      const row = await readEntry(db, request.params.id);
      if (row.sens !== 'offre' || !BOOKABLE.has(row.categorie))
        throw new RuleError('reservation.non_reservable', 'Seuls les locaux et équipements offerts se réservent : contactez plutôt la personne qui publie.', {
          kind: 'conflict',
        });
      const start = new Date(request.body.debut);
      const end = new Date(request.body.fin);
      checkBookingPeriod(start, end, new Date());
      const created = await db
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
                [`${account.displayName} demande « ${row.titre} » du ${paris(start)} au ${paris(end)}.`, 'Confirmez ou déclinez-la dans Maillage.'],
                calendarLink(row.id),
              ),
            );
          return r!;
        })
        .catch((error: unknown) => {
          // 23P01: the exclusion constraint saw an overlap, possibly with a booking committed an instant before.
          if ((error as { code?: string; cause?: { code?: string } }).code === '23P01' || (error as { cause?: { code?: string } }).cause?.code === '23P01')
            throw overlapRefusal();
          throw error;
        });
      return reply.status(201).send({ id: created.id, debut: start.toISOString(), fin: end.toISOString(), statut: 'demandee' as const });
    },
  );

  app.post(
    '/api/v1/mutualisation/:id/reservations/:reservation/decision',
    {
      schema: {
        tags: ['Mutualisation'],
        summary: 'Confirmer ou décliner une demande de réservation (la personne qui publie l’offre)',
        params: bookingParams,
        body: decisionSchema.meta({ examples: [{ decision: 'confirmee' }] }),
        response: { 200: z.object({ id: z.number().int(), statut: z.enum(['confirmee', 'refusee']) }) },
      },
      preHandler: requireVerifiedAccount,
    },
    async (request) => {
      const account = accountOf(request);
      const row = await readEntry(db, request.params.id);
      ensure(row.account_id === account.id, 'Seule la personne qui publie cette offre confirme ou décline ses réservations.');
      const decision = request.body.decision;
      return db.transaction(async (tx) => {
        const [r] = await checkedRows(
          tx,
          z.object({ id: z.number().int(), account_id: z.number().int().nullable(), debut: column.instant }),
          sql`update reservation set statut = ${decision} where id = ${request.params.reservation} and mutualisation_id = ${row.id} and statut = 'demandee'
            returning id::int as id, account_id::int as account_id, lower(periode) as debut`,
        );
        if (!r) throw new RuleError('reservation.deja_decidee', 'Cette demande n’existe pas ou a déjà reçu une réponse.', { kind: 'conflict' });
        const asker = await accountEmail(tx, r.account_id);
        if (asker)
          await enqueueMail(
            tx,
            bookingMail(
              asker,
              `Réservation ${decision === 'confirmee' ? 'confirmée' : 'déclinée'} : ${row.titre}`,
              [`Votre demande de « ${row.titre} » à partir du ${paris(new Date(r.debut))} est ${decision === 'confirmee' ? 'confirmée' : 'déclinée'}.`],
              calendarLink(row.id),
            ),
          );
        return { id: r.id, statut: decision };
      });
    },
  );
}
