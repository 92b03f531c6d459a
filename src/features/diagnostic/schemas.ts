/** The contract of GET /api/v1/cooperations/{id}/diagnostic-ptce: field names are the public API. */
import { z } from 'zod';
import { familleCritere, statutCritere } from '../../domain/ptce-diagnostic.ts';

export const diagnosticResponseSchema = z.object({
  cooperation: z.object({ id: z.number().int(), nom: z.string() }),
  criteres: z.array(
    z.object({
      code: z.string().describe('Code stable du critère (ex. « partenariat_collectivite »)'),
      famille: familleCritere.schema,
      libelle: z.string(),
      statut: statutCritere.schema.describe('Pour une exclusion, « rempli » signifie que la situation est constatée'),
      raison: z.string().describe('Pourquoi, en français : les données de la coopération ou la déclaration et sa preuve'),
      source: z.string().describe('Le passage du document dont vient le critère'),
    }),
  ),
  synthese: z.object({
    incontournables_remplis: z.number().int(),
    incontournables_total: z.number().int(),
    exclusions_constatees: z.number().int(),
    conclusion: z.string(),
  }),
});
