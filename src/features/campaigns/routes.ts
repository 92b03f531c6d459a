/**
 * Citizen investment and loan campaigns: the public list and pages with their progress, intentions by anyone
 * (API in JSON, page form; counted per address and per e-mail), and for the structure's members the drafts, the
 * opening and closing, the intentions with their totals and exports. Maillage handles no payment.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { checkAcceptsIntentions, checkPeriod, EXCEEDED_NOTICE, parisToday, progressOf, runsCampaignsOf } from '../../domain/campaign.ts';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { csrfField } from '../../platform/http/csrf.ts';
import { accountOf, ensure, requireAccount, requireVerifiedAccount } from '../../platform/http/guards.ts';
import { problemSchema } from '../../platform/http/known-parameters.ts';
import { emailSubject, hitAll, type RateRule } from '../../platform/http/rate-limit.ts';
import { notFound, TooManyRequests } from '../../web/errors.ts';
import { formBody, formValues } from '../../web/form-body.ts';
import { fieldErrors, type FormState, sendPage, submitForm } from '../../web/forms.ts';
import { XLSX_TYPE } from '../../web/spreadsheet.ts';
import { exportName, intentionsCsv, intentionsXlsx } from './exports.ts';
import {
  addIntention,
  type Campaign,
  changeState,
  findCampaign,
  insertCampaign,
  intentionsOf,
  NOT_FOUND,
  searchCampaigns,
  structureOfWrite,
  structuresRunBy,
  updateCampaign,
} from './queries.ts';
import {
  type CampaignWrite,
  campaignDetailSchema,
  campaignEditFormSchema,
  campaignEditSchema,
  campaignExample,
  campaignFormSchema,
  campaignListSchema,
  campaignParams,
  campaignSearchSchema,
  campaignWriteSchema,
  type IntentionInput,
  intentionExample,
  intentionFormSchema,
  intentionRowSchema,
  intentionSchema,
  transitionSchema,
} from './schemas.ts';
import { campaignPage, editCampaignPage, followPage, listPage, NO_PAYMENT, newCampaignPage } from './views.ts';

/** A script cannot flood a structure with pledges: per client address, and per e-mail address given. */
export const INTENTION_RATES: Record<'ip' | 'email', RateRule> = {
  ip: { name: 'campaign-intention:ip', limit: 20, windowSeconds: 60 * 60 },
  email: { name: 'campaign-intention:email', limit: 5, windowSeconds: 60 * 60 },
};

const MEMBERS_ONLY = 'Le suivi d’une campagne est réservé aux membres de la structure qui la mène.';
const TITLE = 'Campagnes d’investissement et de prêt citoyens';
const SECTION = '/campagnes';

/** What the campaigns' routes share: the database, the régions' names, the campaign as each person may see it, the two writes. */
interface CampaignKit {
  db: AppContext['database']['db'];
  regions: Record<string, string>;
  runs(request: FastifyRequest, campaign: Campaign): boolean;
  visibleCampaign(request: FastifyRequest, id: number): Promise<Campaign>;
  runCampaign(request: FastifyRequest, id: number): Promise<Campaign>;
  createCampaign(request: FastifyRequest, write: CampaignWrite): Promise<number>;
  recordIntention(request: FastifyRequest, id: number, input: IntentionInput): Promise<{ id: number; depasse: boolean }>;
}

export async function registerCampaigns(app: TypedApp, context: AppContext) {
  const kit = campaignKit(context);
  registerCampaignsApi(app, kit);
  registerCampaignManagementApi(app, kit);
  registerCampaignPages(app, kit);
  registerCampaignForms(app, kit);
  registerFollowUp(app, kit);
}

function campaignKit({ database, territories }: AppContext): CampaignKit {
  const db = database.db;
  const runs = (request: FastifyRequest, campaign: Campaign) => runsCampaignsOf(request.account ?? null, campaign.owner);
  return {
    db,
    regions: Object.fromEntries([...territories.regions.values()].map((r) => [r.code, r.name])),
    runs,

    /** A campaign as its public may see it: a draft is its structure's alone (404 to anyone else). */
    async visibleCampaign(request, id) {
      const campaign = await findCampaign(db, id);
      if (campaign.etat === 'brouillon' && !runs(request, campaign)) throw notFound(NOT_FOUND);
      return campaign;
    },

    /** A campaign the signed-in person runs (403 otherwise, saying nothing of a draft's existence to others). */
    async runCampaign(request, id) {
      const campaign = await findCampaign(db, id);
      ensure(runs(request, campaign), MEMBERS_ONLY);
      return campaign;
    },

    /** A new campaign, once its structure is known, the person one of its members and its dates in order. */
    async createCampaign(request, write) {
      const structure = await structureOfWrite(db, write);
      ensure(runsCampaignsOf(accountOf(request), structure), 'Seuls les membres d’une structure lancent ses campagnes.');
      checkPeriod(write.debut, write.fin);
      return insertCampaign(db, accountOf(request), structure, write);
    },

    /** An intention, counted against the limits, then checked and recorded on the locked campaign. */
    async recordIntention(request, id, input) {
      const limit = await hitAll(db, [
        [INTENTION_RATES.ip, request.ip],
        [INTENTION_RATES.email, emailSubject(input.email)],
      ]);
      if (!limit.allowed)
        throw new TooManyRequests('Trop d’intentions envoyées en peu de temps : patientez une heure avant de réessayer.', limit.retryAfterSeconds);
      const added = await addIntention(db, id, input, request.account ?? null, parisToday());
      return { id: added.id, depasse: added.total > added.sought };
    },
  };
}

/** A campaign with its progress, as the API shows it (without its structure's members). */
function detail(c: Campaign) {
  const { owner: _owner, ...summary } = c;
  const progress = progressOf(c.montant_recherche, c.montant_intentions, c.nombre_intentions);
  return { ...summary, depasse: progress.exceeded, progression_texte: progress.text, paiement: NO_PAYMENT };
}

/** The public API: the list, a campaign, and an intention by anyone. */
function registerCampaignsApi(app: TypedApp, { db, visibleCampaign, recordIntention }: CampaignKit) {
  app.get(
    '/api/v1/campagnes',
    {
      schema: {
        tags: ['Campagnes'],
        summary: 'Campagnes d’investissement, de prêt et de dons citoyens (ouvertes et closes)',
        description: 'Filtres : instrument, état (ouverte, close), territoire de la structure (région, département). Les brouillons ne sont pas publics.',
        querystring: campaignSearchSchema,
        response: { 200: campaignListSchema, 400: problemSchema },
      },
    },
    async (request) => {
      const answer = await searchCampaigns(db, request.query);
      return { ...answer, resultats: answer.resultats.map(({ owner: _owner, ...c }) => c) };
    },
  );

  app.get(
    '/api/v1/campagnes/:id',
    {
      schema: {
        tags: ['Campagnes'],
        summary: 'Une campagne et sa progression',
        params: campaignParams,
        response: { 200: campaignDetailSchema, 404: problemSchema },
      },
    },
    async (request) => detail(await visibleCampaign(request, request.params.id)),
  );

  app.post(
    '/api/v1/campagnes/:id/intentions',
    {
      schema: {
        tags: ['Campagnes'],
        summary: 'Indiquer une intention (aucun paiement)',
        description: `Par toute personne, connectée ou non (en-tête x-csrf-token avec une session). Montant en centimes ; dépasser le montant recherché est permis, et dit (depasse). ${NO_PAYMENT} 20 intentions par heure et par adresse IP, 5 par adresse e-mail (429 ensuite).`,
        params: campaignParams,
        body: intentionSchema.meta({ examples: [intentionExample] }),
        response: {
          201: z.object({ id: z.number().int(), depasse: z.boolean(), message: z.string() }),
          400: problemSchema,
          404: problemSchema,
          409: problemSchema,
          429: problemSchema,
        },
      },
    },
    async (request, reply) => {
      await visibleCampaign(request, request.params.id);
      const added = await recordIntention(request, request.params.id, request.body);
      return reply.status(201).send({ ...added, message: added.depasse ? EXCEEDED_NOTICE : `Intention enregistrée. ${NO_PAYMENT}` });
    },
  );
}

/** The members' API: creating, editing, opening and closing a campaign, and reading its intentions. */
function registerCampaignManagementApi(app: TypedApp, { db, runCampaign, createCampaign }: CampaignKit) {
  app.post(
    '/api/v1/campagnes',
    {
      schema: {
        tags: ['Campagnes'],
        summary: 'Créer une campagne en brouillon — en-tête x-csrf-token',
        description:
          'Par un membre de la structure (organisation_id) ou un administrateur de la coopération (cooperation_id). Montants en centimes, dates AAAA-MM-JJ (Europe/Paris). 400 en français nommant le champ (structure inconnue, fin avant le début…), rien n’est écrit.',
        body: campaignWriteSchema.meta({ examples: [campaignExample] }),
        response: { 201: z.object({ id: z.number().int() }), 400: problemSchema, 403: problemSchema },
      },
      preHandler: requireVerifiedAccount,
    },
    async (request, reply) => reply.status(201).send({ id: await createCampaign(request, request.body) }),
  );

  app.post(
    '/api/v1/campagnes/:id',
    {
      schema: {
        tags: ['Campagnes'],
        summary: 'Modifier une campagne en brouillon — en-tête x-csrf-token',
        description: 'Par les membres de sa structure ; une campagne ouverte ou close ne se modifie plus (409).',
        params: campaignParams,
        body: campaignEditSchema.meta({ examples: [(({ organisation_id: _o, ...fields }) => fields)(campaignExample)] }),
        response: { 200: z.object({ id: z.number().int() }), 400: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema },
      },
      preHandler: requireVerifiedAccount,
    },
    async (request) => {
      await runCampaign(request, request.params.id);
      checkPeriod(request.body.debut, request.body.fin);
      await updateCampaign(db, accountOf(request), request.params.id, request.body);
      return { id: request.params.id };
    },
  );

  app.post(
    '/api/v1/campagnes/:id/etat',
    {
      schema: {
        tags: ['Campagnes'],
        summary: 'Ouvrir ou clore une campagne — en-tête x-csrf-token',
        description: 'brouillon → ouverte → close, une étape à la fois (409 sinon).',
        params: campaignParams,
        body: transitionSchema.meta({ examples: [{ etat: 'ouverte' }] }),
        response: { 200: z.object({ id: z.number().int(), etat: z.string() }), 400: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema },
      },
      preHandler: requireVerifiedAccount,
    },
    async (request) => {
      await runCampaign(request, request.params.id);
      await changeState(db, accountOf(request), request.params.id, request.body.etat);
      return { id: request.params.id, etat: request.body.etat };
    },
  );

  app.get(
    '/api/v1/campagnes/:id/intentions',
    {
      schema: {
        tags: ['Campagnes'],
        summary: 'Les intentions d’une campagne et leur total (membres de la structure seulement)',
        params: campaignParams,
        response: {
          200: z.object({ total: z.number().int().describe('Centimes'), nombre: z.number().int(), intentions: z.array(intentionRowSchema) }),
          403: problemSchema,
          404: problemSchema,
        },
      },
      preHandler: requireAccount,
    },
    async (request) => {
      await runCampaign(request, request.params.id);
      const intentions = await intentionsOf(db, request.params.id);
      return { total: intentions.reduce((sum, i) => sum + i.montant, 0), nombre: intentions.length, intentions };
    },
  );
}

/** The public pages: the list, a campaign, and the intention form on its page. */
function registerCampaignPages(app: TypedApp, { db, regions, runs, visibleCampaign, recordIntention }: CampaignKit) {
  app.get('/campagnes', { schema: { hide: true } }, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const parsed = campaignSearchSchema.safeParse(query);
    const state: FormState = { values: query };
    if (!parsed.success) {
      return sendPage(reply, {
        title: TITLE,
        status: 400,
        main: listPage({ ...state, errors: fieldErrors(parsed.error) }, null, {}, regions),
        currentPath: SECTION,
      });
    }
    const { page: _page, par_page: _perPage, ...filters } = parsed.data;
    return sendPage(reply, { title: TITLE, main: listPage(state, await searchCampaigns(db, parsed.data), filters, regions), currentPath: SECTION });
  });

  const showCampaign = async (request: FastifyRequest, reply: FastifyReply, id: number, status: number, state: FormState) => {
    const campaign = await visibleCampaign(request, id);
    let acceptsToday = true;
    try {
      checkAcceptsIntentions(campaign, parisToday());
    } catch {
      acceptsToday = false;
    }
    return sendPage(reply, {
      title: campaign.titre,
      status,
      main: campaignPage(campaign, { csrf: csrfField(request), runs: runs(request, campaign), acceptsToday, state }),
      currentPath: SECTION,
    });
  };

  const NOTICES: Record<string, string> = { enregistree: `Merci, votre intention est enregistrée. ${NO_PAYMENT}`, depasse: EXCEEDED_NOTICE };

  app.get('/campagnes/:id', { schema: { hide: true, params: campaignParams } }, async (request, reply) => {
    const notice = NOTICES[String((request.query as Record<string, unknown>).intention ?? '')];
    return showCampaign(request, reply, request.params.id, 200, notice ? { notice } : {});
  });

  app.post('/campagnes/:id/intentions', { schema: { hide: true, params: campaignParams, body: formBody } }, async (request, reply) => {
    const { id } = request.params;
    await visibleCampaign(request, id);
    return submitForm({
      reply,
      values: formValues(request.body, ['montant', 'nom', 'email', 'message']),
      parse: intentionFormSchema,
      act: (input) => recordIntention(request, id, input),
      redirect: (added) => `/campagnes/${id}?intention=${added.depasse ? 'depasse' : 'enregistree'}#progression`,
      render: (status, state) => showCampaign(request, reply, id, status, state),
    });
  });
}

/** The members' forms: launching a campaign and editing its draft. */
function registerCampaignForms(app: TypedApp, { db, runCampaign, createCampaign }: CampaignKit) {
  const newPage = async (request: FastifyRequest, reply: FastifyReply, status: number, state: FormState) =>
    sendPage(reply, {
      title: 'Lancer une campagne',
      status,
      main: newCampaignPage(await structuresRunBy(db, accountOf(request)), csrfField(request), state),
      currentPath: SECTION,
    });

  app.get('/campagnes/nouvelle', { schema: { hide: true }, preHandler: requireAccount }, (request, reply) => newPage(request, reply, 200, {}));

  app.post('/campagnes/nouvelle', { schema: { hide: true, body: formBody }, preHandler: requireVerifiedAccount }, async (request, reply) =>
    submitForm({
      reply,
      values: formValues(request.body, ['structure', 'titre', 'objet', 'montant_recherche', 'instrument', 'debut', 'fin']),
      parse: campaignFormSchema,
      act: (write) => createCampaign(request, write),
      redirect: (id) => `/campagnes/${id}/suivi`,
      render: (status, state) => newPage(request, reply, status, state),
    }),
  );

  const editPage = (request: FastifyRequest, reply: FastifyReply, campaign: Campaign, status: number, state: FormState) =>
    sendPage(reply, { title: `Modifier — ${campaign.titre}`, status, main: editCampaignPage(campaign, csrfField(request), state), currentPath: SECTION });

  app.get('/campagnes/:id/modifier', { schema: { hide: true, params: campaignParams }, preHandler: requireAccount }, async (request, reply) =>
    editPage(request, reply, await runCampaign(request, request.params.id), 200, {}),
  );

  app.post(
    '/campagnes/:id/modifier',
    { schema: { hide: true, params: campaignParams, body: formBody }, preHandler: requireVerifiedAccount },
    async (request, reply) => {
      const campaign = await runCampaign(request, request.params.id);
      return submitForm({
        reply,
        values: formValues(request.body, ['titre', 'objet', 'montant_recherche', 'instrument', 'debut', 'fin']),
        parse: campaignEditFormSchema,
        act: async (edit) => {
          checkPeriod(edit.debut, edit.fin);
          await updateCampaign(db, accountOf(request), campaign.id, edit);
        },
        redirect: () => `/campagnes/${campaign.id}/suivi`,
        render: (status, state) => editPage(request, reply, campaign, status, state),
      });
    },
  );
}

/** The follow-up of a campaign by its structure's members: its intentions, its opening and closing, their exports. */
function registerFollowUp(app: TypedApp, { db, runCampaign }: CampaignKit) {
  const STATE_NOTICES: Record<string, string> = { ouverte: 'La campagne est ouverte : elle reçoit des intentions.', close: 'La campagne est close.' };

  const showFollowUp = async (request: FastifyRequest, reply: FastifyReply, campaign: Campaign, status: number, state: FormState) =>
    sendPage(reply, {
      title: `Suivi — ${campaign.titre}`,
      status,
      main: followPage(campaign, await intentionsOf(db, campaign.id), csrfField(request), state),
      currentPath: SECTION,
    });

  app.get('/campagnes/:id/suivi', { schema: { hide: true, params: campaignParams }, preHandler: requireAccount }, async (request, reply) => {
    const campaign = await runCampaign(request, request.params.id);
    const notice = STATE_NOTICES[String((request.query as Record<string, unknown>).etat ?? '')];
    return showFollowUp(request, reply, campaign, 200, notice ? { notice } : {});
  });

  app.post(
    '/campagnes/:id/etat',
    { schema: { hide: true, params: campaignParams, body: formBody }, preHandler: requireVerifiedAccount },
    async (request, reply) => {
      const campaign = await runCampaign(request, request.params.id);
      return submitForm({
        reply,
        values: formValues(request.body, ['etat']),
        parse: transitionSchema.strip(),
        hiddenInputs: true,
        act: ({ etat }) => changeState(db, accountOf(request), campaign.id, etat),
        redirect: () => `/campagnes/${campaign.id}/suivi?etat=${formValues(request.body, ['etat']).etat}`,
        render: (status, state) => showFollowUp(request, reply, campaign, status, state),
      });
    },
  );

  app.get('/campagnes/:id/intentions.csv', { schema: { hide: true, params: campaignParams }, preHandler: requireAccount }, async (request, reply) => {
    const campaign = await runCampaign(request, request.params.id);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${exportName(campaign, 'csv')}"`)
      .send(intentionsCsv(campaign, await intentionsOf(db, campaign.id)));
  });

  app.get('/campagnes/:id/intentions.xlsx', { schema: { hide: true, params: campaignParams }, preHandler: requireAccount }, async (request, reply) => {
    const campaign = await runCampaign(request, request.params.id);
    return reply
      .type(XLSX_TYPE)
      .header('content-disposition', `attachment; filename="${exportName(campaign, 'xlsx')}"`)
      .send(await intentionsXlsx(campaign, await intentionsOf(db, campaign.id)));
  });
}
