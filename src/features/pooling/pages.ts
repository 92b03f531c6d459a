/** The mutualisation pages: the board, an entry and its calendar, the publishing, booking and answering forms. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parisInstant } from '../../domain/call.ts';
import { RuleError } from '../../domain/rule-error.ts';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { accountOf, requireVerifiedAccount } from '../../platform/http/guards.ts';
import { idParams, optionalParam } from '../../platform/params.ts';
import { formValues } from '../../web/form-body.ts';
import { fieldErrors, type FormState, InvalidForm, sendPage, submitForm } from '../../web/forms.ts';
import type { BookingActions } from './bookings.ts';
import { ownsEntry } from './bookings.ts';
import { publishEntry } from './publish.ts';
import { entryOf, readEntry, searchBoard, structuresOf, upcomingBookings } from './queries.ts';
import { boardSearchSchema, bookingFormSchema, bookingParams, decisionSchema, publishFormSchema } from './schemas.ts';
import { boardPage, entryPage, publishPage } from './views.ts';

const SECTION = '/mutualisation';
const DONE = {
  publiee: 'C’est publié.',
  reservation:
    'Votre demande de créneau est envoyée : la personne qui publie cette offre la confirmera ou la déclinera, et vous recevrez sa réponse par courriel.',
  decision: 'Votre réponse est enregistrée ; la personne qui a demandé le créneau la reçoit par courriel.',
} as const;
const doneQuery = z.object({ fait: optionalParam(z.enum(Object.keys(DONE) as [keyof typeof DONE])).catch(undefined) });

/** The instants of the booking form: a date and an optional time in Paris, each checked beside its input. */
function bookingPeriod(values: Record<string, unknown>): { start: Date; end: Date } {
  const form = bookingFormSchema.safeParse(values);
  if (!form.success) throw new InvalidForm(fieldErrors(form.error));
  const { debut, debut_heure, fin, fin_heure } = form.data;
  const start = parisInstant(debut, debut_heure, 'ouverture');
  const end = parisInstant(fin, fin_heure, 'cloture');
  const errors = [
    ...(start
      ? []
      : [
          {
            field: parisInstant(debut, '', 'ouverture') ? 'debut_heure' : 'debut',
            message: 'Indiquez une date AAAA-MM-JJ réelle et une heure HH:MM, ou pas d’heure.',
          },
        ]),
    ...(end
      ? []
      : [
          { field: parisInstant(fin, '', 'cloture') ? 'fin_heure' : 'fin', message: 'Indiquez une date AAAA-MM-JJ réelle et une heure HH:MM, ou pas d’heure.' },
        ]),
  ];
  if (errors.length) throw new InvalidForm(errors);
  return { start: start!, end: end! };
}

export function registerPoolingPages(app: TypedApp, { database, territories }: AppContext, actions: BookingActions) {
  const db = database.db;
  const regions = Object.fromEntries([...territories.regions.values()].map((r) => [r.code, r.name]).sort((a, b) => a[1]!.localeCompare(b[1]!, 'fr')));

  const showEntry = async (request: FastifyRequest, reply: FastifyReply, id: number, status: number, state: FormState) => {
    const row = await readEntry(db, id);
    const owner = ownsEntry(request.account ?? null, row);
    const entry = entryOf(row, territories);
    const main = entryPage(request, { entry, bookings: await upcomingBookings(db, id), owner, state });
    return sendPage(reply, { title: entry.titre, main, status, currentPath: SECTION });
  };

  app.get('/mutualisation', { schema: { hide: true } }, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const state: FormState = { values: query };
    const parsed = boardSearchSchema.safeParse(query);
    const send = (status: number, main: ReturnType<typeof boardPage>) => sendPage(reply, { title: 'Mutualisation', main, status, currentPath: SECTION });
    if (!parsed.success) return send(400, boardPage({ ...state, errors: fieldErrors(parsed.error) }, null, regions));
    try {
      return send(200, boardPage(state, await searchBoard(db, territories, parsed.data), regions));
    } catch (error) {
      if (!(error instanceof RuleError) || error.kind !== 'invalid') throw error;
      return send(400, boardPage({ ...state, errors: [{ field: error.field ?? '', message: error.message }] }, null, regions));
    }
  });

  const showPublish = async (request: FastifyRequest, reply: FastifyReply, status: number, state: FormState) =>
    sendPage(reply, {
      title: 'Publier une offre ou une demande',
      main: publishPage(request, await structuresOf(db, accountOf(request).id), state),
      status,
      currentPath: SECTION,
    });

  app.get('/mutualisation/publier', { schema: { hide: true }, preHandler: requireVerifiedAccount }, (request, reply) => showPublish(request, reply, 200, {}));

  app.post('/mutualisation/publier', { schema: { hide: true }, preHandler: requireVerifiedAccount }, async (request, reply) =>
    submitForm({
      reply,
      values: formValues(request.body, ['structure', 'sens', 'categorie', 'titre', 'description', 'commune']),
      parse: publishFormSchema,
      act: (entry) => publishEntry(db, territories, accountOf(request), entry),
      redirect: (id) => `/mutualisation/${id}?fait=publiee`,
      render: (status, state) => showPublish(request, reply, status, state),
    }),
  );

  app.get('/mutualisation/:id', { schema: { hide: true, params: idParams } }, async (request, reply) => {
    const { fait } = doneQuery.parse(request.query ?? {});
    return showEntry(request, reply, request.params.id, 200, { notice: fait ? DONE[fait] : undefined });
  });

  app.post('/mutualisation/:id/reserver', { schema: { hide: true, params: idParams }, preHandler: requireVerifiedAccount }, async (request, reply) => {
    const { id } = request.params;
    const row = await readEntry(db, id);
    return submitForm({
      reply,
      form: 'reservation',
      values: formValues(request.body, ['debut', 'debut_heure', 'fin', 'fin_heure']),
      parse: bookingPeriod,
      act: ({ start, end }) => actions.book(accountOf(request), row, start, end),
      redirect: () => `/mutualisation/${id}?fait=reservation#calendrier`,
      render: (status, state) => showEntry(request, reply, id, status, state),
    });
  });

  app.post(
    '/mutualisation/:id/reservations/:reservation/decision',
    { schema: { hide: true, params: bookingParams }, preHandler: requireVerifiedAccount },
    async (request, reply) => {
      const { id, reservation } = request.params;
      const row = await readEntry(db, id);
      return submitForm({
        reply,
        values: formValues(request.body, ['decision']),
        parse: decisionSchema,
        hiddenInputs: true,
        act: ({ decision }) => actions.decide(accountOf(request), row, reservation, decision),
        redirect: () => `/mutualisation/${id}?fait=decision#calendrier`,
        render: (status, state) => showEntry(request, reply, id, status, state),
      });
    },
  );
}
