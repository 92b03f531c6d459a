/** The mutualisation board's reading and publishing API: search, publish, one entry with its calendar, iCalendar. */
import { z } from 'zod';
import { icsCalendar } from '../../domain/booking.ts';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { accountOf, requireVerifiedAccount } from '../../platform/http/guards.ts';
import { idParams } from '../../platform/params.ts';
import { publishEntry } from './publish.ts';
import { entryOf, readEntry, searchBoard, upcomingBookings } from './queries.ts';
import { boardAnswerSchema, boardSearchSchema, entryDetailSchema, newEntrySchema } from './schemas.ts';

export function registerPoolingApi(app: TypedApp, { database, territories }: AppContext) {
  const db = database.db;

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
    async (request) => searchBoard(db, territories, request.query),
  );

  app.post(
    '/api/v1/mutualisation',
    {
      schema: {
        tags: ['Mutualisation'],
        summary: 'Publier une offre ou une demande (compte vérifié), au nom d’une structure dont on est membre si elle est indiquée',
        body: newEntrySchema.meta({ examples: [{ sens: 'offre', categorie: 'local', titre: 'Salle de réunion', description: '20 places', commune: '26281' }] }),
        response: { 201: z.object({ id: z.number().int() }) },
      },
      preHandler: requireVerifiedAccount,
    },
    async (request, reply) => reply.status(201).send({ id: await publishEntry(db, territories, accountOf(request), request.body) }),
  );

  app.get(
    '/api/v1/mutualisation/:id',
    { schema: { tags: ['Mutualisation'], summary: 'Une offre ou demande et son calendrier à venir', params: idParams, response: { 200: entryDetailSchema } } },
    async (request) => ({
      ...entryOf(await readEntry(db, request.params.id), territories),
      // Without the people: the calendar is public, who asked is the owner's to know.
      reservations: (await upcomingBookings(db, request.params.id)).map(({ demandeur: _who, ...booking }) => booking),
    }),
  );

  app.get(
    '/api/v1/mutualisation/:id/calendrier.ics',
    { schema: { tags: ['Mutualisation'], summary: 'Le calendrier de réservation en iCalendar', params: idParams } },
    async (request, reply) => {
      const row = await readEntry(db, request.params.id);
      const events = (await upcomingBookings(db, row.id)).map((r) => ({
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
}
