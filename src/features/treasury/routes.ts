import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { keepsTreasuryOf } from '../../domain/authorization.ts';
import { RuleError } from '../../domain/rule-error.ts';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { accountOf, ensure, requireAccount, requireVerifiedAccount } from '../../platform/http/guards.ts';
import { problemSchema } from '../../platform/http/known-parameters.ts';
import { idParams, integerParam } from '../../platform/params.ts';
import { sendPage } from '../../web/forms.ts';
import type { OrientationDataCache } from '../orientation/service.ts';
import { exportName, forecastCsv, forecastXlsx } from './exports.ts';
import { agreementTranches, deletePlan, insertPlan, plansOf, savedPlan, structureOf, updatePlan, type PlanWrite } from './queries.ts';
import { simulationExample, simulationInputSchema, simulationOutputSchema } from './schemas.ts';
import { checkedForecast, tensionSchemes } from './service.ts';
import { forecastPage, plansPage } from './views.ts';

const planParams = idParams.extend({
  plan: integerParam(1, Number.MAX_SAFE_INTEGER, 'l’identifiant du plan est un nombre entier positif').describe('Identifiant du plan'),
});

const planWriteSchema = z.strictObject({
  nom: z.string().trim().min(1, 'donnez un nom au plan').max(200, 'un nom de plan ne dépasse pas 200 caractères'),
  avec_conventions: z.boolean().default(true).describe('Ajouter les tranches dues par les conventions de financement des appels de Maillage'),
  plan: simulationInputSchema,
});
const planWriteExample = { nom: 'Budget 2027', avec_conventions: true, plan: simulationExample };

const savedForecastSchema = simulationOutputSchema.extend({
  id: z.number().int(),
  nom: z.string(),
  avec_conventions: z.boolean(),
  plan: simulationInputSchema,
  tranches_conventions: z
    .array(z.object({ libelle: z.string(), montant: z.number().int(), date_convenue: z.string(), date_prevue: z.string().optional() }))
    .describe('Tranches restant dues par les conventions de financement, ajoutées au plan'),
});

const MEMBERS_ONLY = 'Les plans de trésorerie d’une structure sont réservés à ses membres.';

export async function registerTreasury(app: TypedApp, context: AppContext, orientationData: OrientationDataCache) {
  const { database, territories } = context;
  const db = database.db;

  app.post(
    '/api/v1/tresorerie/simulation',
    {
      schema: {
        tags: ['Trésorerie'],
        summary: 'Simulation d’un plan de trésorerie',
        description:
          'Prévision mois par mois d’un plan de trésorerie (montants en centimes, mois AAAA-MM, dates AAAA-MM-JJ) : solde initial, encaissements et décaissements avec les délais des clients et des fournisseurs, tranches de subventions avec la date convenue et la date réellement attendue. Les mois dont le solde de fin est négatif ou sous le seuil sont en tension, avec leurs causes ; avec le profil de la structure, les avances, garanties, prêts et quasi-fonds propres du catalogue qui y répondent, trouvés par le moteur d’orientation. Rien n’est enregistré.',
        body: simulationInputSchema.meta({ examples: [simulationExample] }),
        response: { 200: simulationOutputSchema, 400: problemSchema },
      },
    },
    async (request) => {
      const { profil, ...plan } = request.body;
      const data = await orientationData.get();
      const result = checkedForecast(plan, data);
      const dispositifs = profil ? await tensionSchemes(db, territories, data, result, profil) : [];
      return { ...result, dispositifs };
    },
  );

  /** The structure, once the signed-in person is checked to belong to it. */
  const memberStructure = async (request: FastifyRequest, id: number) => {
    const structure = await structureOf(db, id);
    ensure(structure.siret !== null && keepsTreasuryOf(accountOf(request), structure.siret), MEMBERS_ONLY);
    return structure;
  };

  /** A saved plan forecast with what the structure's agreements still owe, and the schemes for its tensions. */
  const savedForecast = async (organisationId: number, siret: string | null, planId: number) => {
    const saved = await savedPlan(db, organisationId, planId);
    const { profil, ...plan } = saved.plan;
    const owed = saved.avec_conventions ? await agreementTranches(db, siret, plan.debut) : [];
    const data = await orientationData.get();
    const result = checkedForecast({ ...plan, tranches: [...plan.tranches, ...owed] }, data);
    const dispositifs = profil ? await tensionSchemes(db, territories, data, result, profil) : [];
    return { ...saved, tranches_conventions: owed, ...result, dispositifs };
  };

  /** Checks the plan as the simulation would (months in order, known schemes) before anything is written. */
  const checkedWrite = async (write: PlanWrite) => {
    const data = await orientationData.get();
    try {
      checkedForecast(write.plan, data);
    } catch (error) {
      // The plan is the body's « plan »: the field at fault is named from the body.
      if (error instanceof RuleError && error.field) throw new RuleError(error.code, error.message, { field: `plan.${error.field}`, kind: error.kind });
      throw error;
    }
    return write;
  };

  app.get(
    '/api/v1/organisations/:id/tresorerie',
    {
      schema: {
        tags: ['Trésorerie'],
        summary: 'Plans de trésorerie d’une structure (ses membres seulement)',
        params: idParams,
        response: {
          200: z.object({ plans: z.array(z.object({ id: z.number().int(), nom: z.string(), avec_conventions: z.boolean(), mis_a_jour: z.string() })) }),
        },
      },
      preHandler: requireAccount,
    },
    async (request) => {
      const structure = await memberStructure(request, request.params.id);
      const plans = await plansOf(db, structure.id);
      return { plans: plans.map((p) => ({ ...p, mis_a_jour: String(p.mis_a_jour) })) };
    },
  );

  app.post(
    '/api/v1/organisations/:id/tresorerie',
    {
      schema: {
        tags: ['Trésorerie'],
        summary: 'Enregistrer un plan de trésorerie — en-tête x-csrf-token',
        description:
          'Par un membre de la structure. Le plan est vérifié comme par la simulation (400 en français nommant le champ) ; rien n’est écrit s’il est refusé.',
        params: idParams,
        body: planWriteSchema.meta({ examples: [planWriteExample] }),
        response: { 201: z.object({ id: z.number().int() }), 400: problemSchema, 403: problemSchema, 404: problemSchema },
      },
      preHandler: requireVerifiedAccount,
    },
    async (request, reply) => {
      const structure = await memberStructure(request, request.params.id);
      const id = await insertPlan(db, accountOf(request), structure.id, await checkedWrite(request.body));
      return reply.status(201).send({ id });
    },
  );

  app.get(
    '/api/v1/organisations/:id/tresorerie/:plan',
    {
      schema: {
        tags: ['Trésorerie'],
        summary: 'Prévision d’un plan enregistré, avec les tranches dues par les conventions de financement',
        params: planParams,
        response: { 200: savedForecastSchema, 403: problemSchema, 404: problemSchema },
      },
      preHandler: requireAccount,
    },
    async (request) => {
      const structure = await memberStructure(request, request.params.id);
      return savedForecast(structure.id, structure.siret, request.params.plan);
    },
  );

  app.post(
    '/api/v1/organisations/:id/tresorerie/:plan',
    {
      schema: {
        tags: ['Trésorerie'],
        summary: 'Remplacer un plan de trésorerie — en-tête x-csrf-token',
        description: 'Par un membre de la structure ; le plan est vérifié comme à l’enregistrement.',
        params: planParams,
        body: planWriteSchema.meta({ examples: [planWriteExample] }),
        response: { 200: z.object({ id: z.number().int() }), 400: problemSchema, 403: problemSchema, 404: problemSchema },
      },
      preHandler: requireVerifiedAccount,
    },
    async (request) => {
      const structure = await memberStructure(request, request.params.id);
      await updatePlan(db, accountOf(request), structure.id, request.params.plan, await checkedWrite(request.body));
      return { id: request.params.plan };
    },
  );

  app.post(
    '/api/v1/organisations/:id/tresorerie/:plan/suppression',
    {
      schema: {
        tags: ['Trésorerie'],
        summary: 'Supprimer un plan de trésorerie — en-tête x-csrf-token',
        params: planParams,
        response: { 200: z.object({ id: z.number().int() }), 403: problemSchema, 404: problemSchema },
      },
      preHandler: requireVerifiedAccount,
    },
    async (request) => {
      const structure = await memberStructure(request, request.params.id);
      await deletePlan(db, accountOf(request), structure.id, request.params.plan);
      return { id: request.params.plan };
    },
  );

  app.get('/organisations/:id/tresorerie', { schema: { hide: true, params: idParams }, preHandler: requireAccount }, async (request, reply) => {
    const structure = await memberStructure(request, request.params.id);
    return sendPage(reply, {
      title: `Trésorerie — ${structure.nom}`,
      main: plansPage(structure, await plansOf(db, structure.id)),
      currentPath: '/organisations',
    });
  });

  app.get('/organisations/:id/tresorerie/:plan', { schema: { hide: true, params: planParams }, preHandler: requireAccount }, async (request, reply) => {
    const structure = await memberStructure(request, request.params.id);
    const result = await savedForecast(structure.id, structure.siret, request.params.plan);
    return sendPage(reply, { title: `${result.nom} — trésorerie`, main: forecastPage(structure, result, result), currentPath: '/organisations' });
  });

  app.get('/organisations/:id/tresorerie/:plan.csv', { schema: { hide: true, params: planParams }, preHandler: requireAccount }, async (request, reply) => {
    const structure = await memberStructure(request, request.params.id);
    const result = await savedForecast(structure.id, structure.siret, request.params.plan);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${exportName(structure.id, result.id, 'csv')}"`)
      .send(forecastCsv(result));
  });

  app.get('/organisations/:id/tresorerie/:plan.xlsx', { schema: { hide: true, params: planParams }, preHandler: requireAccount }, async (request, reply) => {
    const structure = await memberStructure(request, request.params.id);
    const result = await savedForecast(structure.id, structure.siret, request.params.plan);
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="${exportName(structure.id, result.id, 'xlsx')}"`)
      .send(await forecastXlsx(result, `${structure.nom} — ${result.nom}`));
  });
}
