import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import type { OrientationDataCache } from '../orientation/service.ts';
import { simulationExample, simulationInputSchema, simulationOutputSchema } from './schemas.ts';
import { checkedForecast, tensionSchemes } from './service.ts';

export async function registerTreasury(app: TypedApp, context: AppContext, orientationData: OrientationDataCache) {
  const { database, territories } = context;

  app.post(
    '/api/v1/tresorerie/simulation',
    {
      schema: {
        tags: ['Trésorerie'],
        summary: 'Simulation d’un plan de trésorerie',
        description:
          'Prévision mois par mois d’un plan de trésorerie (montants en centimes, mois AAAA-MM, dates AAAA-MM-JJ) : solde initial, encaissements et décaissements avec les délais des clients et des fournisseurs, tranches de subventions avec la date convenue et la date réellement attendue. Les mois dont le solde de fin est négatif ou sous le seuil sont en tension, avec leurs causes ; avec le profil de la structure, les avances, garanties, prêts et quasi-fonds propres du catalogue qui y répondent, trouvés par le moteur d’orientation. Rien n’est enregistré.',
        body: simulationInputSchema.meta({ examples: [simulationExample] }),
        response: { 200: simulationOutputSchema },
      },
    },
    async (request) => {
      const { profil, ...plan } = request.body;
      const data = await orientationData.get();
      const result = checkedForecast(plan, data);
      const dispositifs = profil ? await tensionSchemes(database.db, territories, data, result, profil) : [];
      return { ...result, dispositifs };
    },
  );
}
