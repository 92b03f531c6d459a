/**
 * Local currencies: the reference list (public; entries added by platform admins and regional moderators, for want of
 * a sourced list) and an organisation's acceptance, set by those who edit the organisation directly — its admins and
 * the moderators of its région, as for its other attributes written without moderation.
 */
import type { FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedRows, type Db } from '../../../db/database.ts';
import { canEditOrganisation, isModerator, type Actor } from '../../../domain/authorization.ts';
import type { AppContext, TypedApp } from '../../../platform/app-context.ts';
import { csrfField } from '../../../platform/http/csrf.ts';
import { accountOf, ensure, requireAccount, requireModerator, requireVerifiedAccount } from '../../../platform/http/guards.ts';
import { problemSchema } from '../../../platform/http/known-parameters.ts';
import { idParams } from '../../../platform/params.ts';
import { notFound } from '../../../web/errors.ts';
import { formBody, type FormBody } from '../../../web/form-body.ts';
import { sendPage, submitForm, type FormState } from '../../../web/forms.ts';
import { allCurrencies, createCurrency, currenciesOf, setAcceptance } from './queries.ts';
import { acceptanceExample, acceptanceSchema, currencyFormSchema, currencyInputExample, currencyInputSchema, currencySchema } from './schemas.ts';
import { acceptancePage, currenciesPage } from './views.ts';

const TAGS = ['Monnaies locales'];

interface Editable {
  id: number;
  nom: string;
  siret: string | null;
  region: string | null;
}

async function organisationOf(db: Db, id: number): Promise<Editable> {
  const [found] = await checkedRows(
    db,
    z.object({ id: z.number(), nom: z.string(), siret: z.string().nullable(), region: z.string().nullable() }),
    sql`select id::int as id, name as nom, siret, region_code as region from organisation where id = ${id}`,
  );
  if (!found) throw notFound('Aucune structure ne porte cet identifiant.');
  return found;
}

/** May set the organisation's currencies: whoever edits it without moderation. */
export const editsCurrenciesOf = (actor: Actor | null, organisation: Pick<Editable, 'siret' | 'region'>) =>
  canEditOrganisation(actor, { siret: organisation.siret ?? '', regionCode: organisation.region });

const EDITORS_ONLY = 'Les monnaies acceptées par une structure sont indiquées par ses administrateurs ou la modération de sa région.';
/** What the currencies' routes share: the database, and an organisation once its editor is checked. */
interface CurrencyKit {
  db: Db;
  editable(request: FastifyRequest, id: number): Promise<Editable>;
}

export async function registerLocalCurrencies(app: TypedApp, { database }: AppContext) {
  const db = database.db;
  const kit: CurrencyKit = {
    db,
    async editable(request, id) {
      const organisation = await organisationOf(db, id);
      ensure(editsCurrenciesOf(accountOf(request), organisation), EDITORS_ONLY);
      return organisation;
    },
  };
  registerCurrencyList(app, kit);
  registerAcceptance(app, kit);
}

/** The reference list: read by anyone, added to by the moderators (API and page). */
function registerCurrencyList(app: TypedApp, { db }: CurrencyKit) {
  app.get(
    '/api/v1/monnaies-locales',
    {
      schema: {
        tags: TAGS,
        summary: 'Monnaies locales complémentaires connues de Maillage',
        response: { 200: z.object({ monnaies: z.array(currencySchema) }) },
      },
    },
    async () => ({ monnaies: (await allCurrencies(db)).map(({ id: _, ...currency }) => currency) }),
  );

  app.post(
    '/api/v1/monnaies-locales',
    {
      schema: {
        tags: TAGS,
        summary: 'Ajouter une monnaie locale — modération, en-tête x-csrf-token',
        description: 'Par un administrateur de la plateforme ou un modérateur régional. L’identifiant est tiré du nom ; un nom déjà pris est refusé (409).',
        body: currencyInputSchema.meta({ example: currencyInputExample }),
        response: { 201: currencySchema, 400: problemSchema, 403: problemSchema, 409: problemSchema },
      },
      preHandler: requireModerator,
    },
    async (request, reply) => reply.status(201).send(await createCurrency(db, accountOf(request), request.body)),
  );

  const listPage = async (request: FastifyRequest, state: FormState) =>
    currenciesPage(await allCurrencies(db), isModerator(request.account ?? null) ? { csrf: csrfField(request), state } : undefined);

  app.get('/monnaies-locales', { schema: { hide: true } }, async (request, reply) =>
    sendPage(reply, { title: 'Monnaies locales', currentPath: '/organisations', main: await listPage(request, {}) }),
  );

  app.post('/monnaies-locales', { schema: { hide: true, body: formBody }, preHandler: requireModerator }, async (request, reply) =>
    submitForm({
      reply,
      form: 'monnaie',
      values: request.body,
      parse: currencyFormSchema,
      act: (input) => createCurrency(db, accountOf(request), input),
      done: async (created) =>
        sendPage(reply, {
          title: 'Monnaies locales',
          currentPath: '/organisations',
          main: await listPage(request, { notice: `La monnaie « ${created.nom} » est ajoutée (identifiant ${created.slug}).` }),
        }),
      render: async (status, state) =>
        sendPage(reply, { status, title: 'Monnaies locales', currentPath: '/organisations', main: await listPage(request, state) }),
    }),
  );
}

/** An organisation's acceptance, set by its editors (API and page). */
function registerAcceptance(app: TypedApp, { db, editable }: CurrencyKit) {
  app.post(
    '/api/v1/organisations/:id/monnaies-locales',
    {
      schema: {
        tags: TAGS,
        summary: 'Monnaies locales acceptées par une structure — en-tête x-csrf-token',
        description:
          'Remplace la liste des monnaies acceptées (identifiants de GET /api/v1/monnaies-locales). Par les administrateurs de la structure ou la modération de sa région. Une monnaie inconnue est refusée (400) et rien n’est écrit.',
        params: idParams,
        body: acceptanceSchema.meta({ examples: [acceptanceExample] }),
        response: { 200: z.object({ monnaies: z.array(currencySchema) }), 400: problemSchema, 403: problemSchema, 404: problemSchema },
      },
      preHandler: requireVerifiedAccount,
    },
    async (request) => {
      const organisation = await editable(request, request.params.id);
      await setAcceptance(db, accountOf(request), organisation.id, request.body.monnaies);
      return { monnaies: await currenciesOf(db, organisation.id) };
    },
  );

  const acceptance = async (request: FastifyRequest, organisation: Editable, state: FormState) =>
    acceptancePage(
      organisation,
      await allCurrencies(db),
      (await currenciesOf(db, organisation.id)).map((c) => c.slug),
      csrfField(request),
      state,
    );

  app.get('/organisations/:id/monnaies-locales', { schema: { hide: true, params: idParams }, preHandler: requireAccount }, async (request, reply) => {
    const organisation = await editable(request, request.params.id);
    return sendPage(reply, {
      title: `Monnaies locales — ${organisation.nom}`,
      currentPath: '/organisations',
      main: await acceptance(request, organisation, {}),
    });
  });

  app.post(
    '/organisations/:id/monnaies-locales',
    { schema: { hide: true, params: idParams, body: formBody }, preHandler: requireVerifiedAccount },
    async (request, reply) => {
      const organisation = await editable(request, request.params.id);
      const body = request.body as FormBody;
      return submitForm({
        reply,
        values: body,
        parse: (values) => {
          const ticked = values.monnaies;
          return Array.isArray(ticked) ? ticked.map(String) : ticked ? [String(ticked)] : [];
        },
        act: (slugs) => setAcceptance(db, accountOf(request), organisation.id, slugs, () => 'monnaies'),
        redirect: () => `/organisations/${organisation.id}`,
        render: async (status, state) =>
          sendPage(reply, {
            status,
            title: `Monnaies locales — ${organisation.nom}`,
            currentPath: '/organisations',
            main: await acceptance(request, organisation, state),
          }),
      });
    },
  );
}
