/**
 * Cigales clubs: an organisation's admins (or its région's moderators) declare it a club; the club's members
 * record its investments (enterprise by SIRET, amount in cents, date, instrument); the club's page, the funded
 * enterprise's page (through the structure section) and the API show them with their totals.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { declaresCigalesClub, recordsInvestmentsOf } from '../../domain/campaign-cigales.ts';
import { parisToday } from '../../domain/campaign.ts';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { csrfField } from '../../platform/http/csrf.ts';
import { accountOf, ensure, requireVerifiedAccount } from '../../platform/http/guards.ts';
import { problemSchema } from '../../platform/http/known-parameters.ts';
import { idParams } from '../../platform/params.ts';
import { formBody, formValues } from '../../web/form-body.ts';
import { type FormState, sendPage, submitForm } from '../../web/forms.ts';
import { type ClubOrganisation, clubOrganisation, insertInvestment, investmentsOf, setClub } from './cigales-queries.ts';
import { clubPage } from './cigales-views.ts';
import { clubDeclarationSchema, type InvestmentInput, investmentExample, investmentFormSchema, investmentSchema, investmentsSchema } from './schemas.ts';

const DECLARERS_ONLY = 'Seuls les administrateurs de la structure, ou la modération de sa région, la déclarent club Cigales.';
const MEMBERS_ONLY = 'Seuls les membres du club enregistrent ses investissements.';

/** What the Cigales routes share: the database, who declares a club and who records its investments, the recording. */
interface CigalesKit {
  db: AppContext['database']['db'];
  declares(request: FastifyRequest, organisation: ClubOrganisation): boolean;
  records(request: FastifyRequest, organisation: ClubOrganisation): boolean;
  recordInvestment(request: FastifyRequest, id: number, input: InvestmentInput): Promise<number>;
}

export function registerCigales(app: TypedApp, { database }: AppContext) {
  const db = database.db;
  const records = (request: FastifyRequest, o: ClubOrganisation) => recordsInvestmentsOf(request.account ?? null, o);
  const kit: CigalesKit = {
    db,
    declares: (request, o) => declaresCigalesClub(request.account ?? null, o),
    records,
    async recordInvestment(request, id, input) {
      const organisation = await clubOrganisation(db, id);
      ensure(records(request, organisation), MEMBERS_ONLY);
      return insertInvestment(db, accountOf(request), organisation.id, input, parisToday());
    },
  };
  registerCigalesApi(app, kit);
  registerClubPages(app, kit);
}

/** The API: a club's investments, the declaration of a club, the recording of an investment. */
function registerCigalesApi(app: TypedApp, { db, declares, recordInvestment }: CigalesKit) {
  app.get(
    '/api/v1/organisations/:id/cigales',
    {
      schema: {
        tags: ['Campagnes'],
        summary: 'Club Cigales : les investissements du club, et ceux que la structure a reçus de clubs',
        params: idParams,
        response: { 200: investmentsSchema, 404: problemSchema },
      },
    },
    async (request) => investmentsOf(db, await clubOrganisation(db, request.params.id)),
  );

  app.post(
    '/api/v1/organisations/:id/club-cigales',
    {
      schema: {
        tags: ['Campagnes'],
        summary: 'Déclarer une structure club Cigales, ou ne plus la déclarer — en-tête x-csrf-token',
        description: 'Par les administrateurs de la structure ou la modération de sa région. Un club dont des investissements sont enregistrés le reste (409).',
        params: idParams,
        body: clubDeclarationSchema.meta({ examples: [{ club: true }] }),
        response: { 200: z.object({ id: z.number().int(), club: z.boolean() }), 403: problemSchema, 404: problemSchema, 409: problemSchema },
      },
      preHandler: requireVerifiedAccount,
    },
    async (request) => {
      const organisation = await clubOrganisation(db, request.params.id);
      ensure(declares(request, organisation), DECLARERS_ONLY);
      await setClub(db, accountOf(request), organisation.id, request.body.club);
      return { id: organisation.id, club: request.body.club };
    },
  );

  app.post(
    '/api/v1/organisations/:id/investissements-cigales',
    {
      schema: {
        tags: ['Campagnes'],
        summary: 'Enregistrer un investissement d’un club Cigales — en-tête x-csrf-token',
        description:
          'Par les membres du club. L’entreprise financée est désignée par son SIRET et doit être recensée dans Maillage ; montant en centimes ; date passée ou du jour (Europe/Paris). 400 en français nommant le champ, rien n’est écrit.',
        params: idParams,
        body: investmentSchema.meta({ examples: [investmentExample] }),
        response: { 201: z.object({ id: z.number().int() }), 400: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema },
      },
      preHandler: requireVerifiedAccount,
    },
    async (request, reply) => reply.status(201).send({ id: await recordInvestment(request, request.params.id, request.body) }),
  );
}

/** The club's page, with its declaration and investment forms. */
function registerClubPages(app: TypedApp, { db, declares, records, recordInvestment }: CigalesKit) {
  const showClub = async (request: FastifyRequest, reply: FastifyReply, id: number, status: number, state: FormState) => {
    const organisation = await clubOrganisation(db, id);
    return sendPage(reply, {
      title: `Club Cigales — ${organisation.nom}`,
      status,
      main: clubPage(organisation, await investmentsOf(db, organisation), {
        csrf: csrfField(request),
        declares: declares(request, organisation),
        records: records(request, organisation),
        state,
      }),
      currentPath: '/organisations',
    });
  };

  const NOTICES: Record<string, string> = {
    declaree: 'La structure est déclarée club Cigales.',
    retiree: 'La structure n’est plus déclarée club Cigales.',
    enregistre: 'L’investissement est enregistré.',
  };

  app.get('/organisations/:id/cigales', { schema: { hide: true, params: idParams } }, async (request, reply) => {
    const notice = NOTICES[String((request.query as Record<string, unknown>).fait ?? '')];
    return showClub(request, reply, request.params.id, 200, notice ? { notice } : {});
  });

  app.post(
    '/organisations/:id/cigales/declaration',
    { schema: { hide: true, params: idParams, body: formBody }, preHandler: requireVerifiedAccount },
    async (request, reply) => {
      const organisation = await clubOrganisation(db, request.params.id);
      ensure(declares(request, organisation), DECLARERS_ONLY);
      return submitForm({
        reply,
        values: formValues(request.body, ['club']),
        parse: z.object({ club: z.enum(['oui', 'non'], { error: 'choisissez oui ou non' }) }),
        hiddenInputs: true,
        act: async ({ club }) => {
          await setClub(db, accountOf(request), organisation.id, club === 'oui');
          return club;
        },
        redirect: (club) => `/organisations/${organisation.id}/cigales?fait=${club === 'oui' ? 'declaree' : 'retiree'}`,
        render: (status, state) => showClub(request, reply, organisation.id, status, state),
      });
    },
  );

  app.post(
    '/organisations/:id/cigales/investissements',
    { schema: { hide: true, params: idParams, body: formBody }, preHandler: requireVerifiedAccount },
    async (request, reply) =>
      submitForm({
        reply,
        values: formValues(request.body, ['entreprise_siret', 'montant', 'date_investissement', 'instrument']),
        parse: investmentFormSchema,
        act: (input) => recordInvestment(request, request.params.id, input),
        redirect: () => `/organisations/${request.params.id}/cigales?fait=enregistre`,
        render: (status, state) => showClub(request, reply, request.params.id, status, state),
      }),
  );
}
