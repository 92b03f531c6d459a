/** The treasury's JSON API: the stateless simulation, and a structure's saved plans (its members alone). */
import { z } from 'zod';
import type { TypedApp } from '../../platform/app-context.ts';
import { accountOf, requireAccount, requireVerifiedAccount } from '../../platform/http/guards.ts';
import { problemSchema } from '../../platform/http/known-parameters.ts';
import { idParams } from '../../platform/params.ts';
import { planParams, type TreasuryDeps } from './deps.ts';
import { deletePlan, insertPlan, plansOf, updatePlan, type PlanWrite } from './queries.ts';
import { planWriteExample, planWriteSchema, simulationExample, simulationInputSchema, simulationOutputSchema } from './schemas.ts';

const savedForecastSchema = simulationOutputSchema.extend({
  id: z.number().int(),
  nom: z.string(),
  avec_conventions: z.boolean(),
  plan: simulationInputSchema,
  tranches_conventions: z
    .array(z.object({ libelle: z.string(), montant: z.number().int(), date_convenue: z.string(), date_prevue: z.string().optional() }))
    .describe('Tranches restant dues par les conventions de financement, ajoutées au plan'),
});

const TAGS = ['Trésorerie'];

export function registerSimulationApi(app: TypedApp, deps: TreasuryDeps) {
  app.post(
    '/api/v1/tresorerie/simulation',
    {
      schema: {
        tags: TAGS,
        summary: 'Simulation d’un plan de trésorerie',
        description:
          'Prévision mois par mois d’un plan de trésorerie (montants en centimes, mois AAAA-MM, dates AAAA-MM-JJ) : solde initial, encaissements et décaissements avec les délais des clients et des fournisseurs, tranches de subventions avec la date convenue et la date réellement attendue. Les mois dont le solde de fin est négatif ou sous le seuil sont en tension, avec leurs causes ; avec le profil de la structure, les avances, garanties, prêts et quasi-fonds propres du catalogue qui y répondent, trouvés par le moteur d’orientation. Rien n’est enregistré.',
        body: simulationInputSchema.meta({ examples: [simulationExample] }),
        response: { 200: simulationOutputSchema, 400: problemSchema },
      },
    },
    async (request) => deps.simulate(request.body),
  );
}

/** The plan of the body is « plan »: a field at fault is named from the body. */
const inBody = (field: string) => `plan.${field}`;

export function registerPlansApi(app: TypedApp, deps: TreasuryDeps) {
  const { db, memberStructure, savedForecast } = deps;
  const checkedWrite = async (write: PlanWrite) => {
    await deps.checkPlanToWrite(write.plan, inBody);
    return write;
  };

  app.get(
    '/api/v1/organisations/:id/tresorerie',
    {
      schema: {
        tags: TAGS,
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
        tags: TAGS,
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
        tags: TAGS,
        summary: 'Prévision d’un plan enregistré, avec les tranches dues par les conventions de financement',
        params: planParams,
        response: { 200: savedForecastSchema, 403: problemSchema, 404: problemSchema },
      },
      preHandler: requireAccount,
    },
    async (request) => savedForecast(await memberStructure(request, request.params.id), request.params.plan),
  );

  app.post(
    '/api/v1/organisations/:id/tresorerie/:plan',
    {
      schema: {
        tags: TAGS,
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
        tags: TAGS,
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
}
