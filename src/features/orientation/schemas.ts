import { z } from 'zod';
import { finalite, isModelisee, modele, modeleEconomique, stade } from '../../domain/cooperation.ts';
import { secteur } from '../../domain/sector.ts';
import { cogCode } from '../../platform/params.ts';

const legalFormCode = z.string().regex(/^\d{2}(\d{2})?$/, 'une forme juridique est un code INSEE de 2 ou 4 chiffres (ex. 92 ou 9220)');

/**
 * The profile of a cooperation, as POST /api/v1/orientation receives it. Unknown fields are refused, so that
 * a misspelt field is not silently ignored; `modelisee`, when given, must agree with `modele` (001).
 */
export const orientationInputSchema = z
  .strictObject({
    modele: modele.schema.describe('Modèle de coopération ; « aucun » = coopération non modélisée'),
    modelisee: z.boolean().optional().describe('Facultatif : doit être cohérent avec le modèle (faux seulement pour « aucun »)'),
    finalite: finalite.schema,
    modele_economique: modeleEconomique.schema,
    stade: stade.schema,
    commune: cogCode.commune.optional(),
    epci: cogCode.epci.optional(),
    departement: cogCode.departement.optional(),
    region: cogCode.region.optional(),
    territoire: z
      .string()
      .regex(/^[a-z0-9-]{1,80}$/, 'identifiant de territoire de projet invalide')
      .optional()
      .describe('Territoire de projet (identifiant)'),
    formes_juridiques: z.array(legalFormCode).max(20).default([]),
    secteur: secteur.schema.optional(),
    nouveaux_chantiers: z.boolean().default(false).describe('La coopération engage-t-elle de nouveaux chantiers ?'),
    agrement_esus: z.boolean().default(false).describe('La structure porteuse a-t-elle l’agrément ESUS ?'),
  })
  .superRefine((input, context) => {
    if (input.modelisee !== undefined && input.modelisee !== isModelisee(input.modele)) {
      context.addIssue({
        code: 'custom',
        path: ['modelisee'],
        message:
          input.modele === 'aucun'
            ? 'profil contradictoire : sans modèle, la coopération est « non modélisée »'
            : `profil contradictoire : un modèle ${input.modele} fait de la coopération une coopération « modélisée »`,
      });
    }
    if (!input.commune && !input.epci && !input.departement && !input.region && !input.territoire) {
      context.addIssue({ code: 'custom', path: ['commune'], message: 'indiquez un territoire : commune, EPCI, département, région ou territoire de projet' });
    }
  })
  .meta({
    example: {
      modele: 'PTCE',
      finalite: 'systemique',
      modele_economique: 'hybride',
      stade: 'emergence',
      commune: '26281',
      formes_juridiques: ['9220'],
      nouveaux_chantiers: true,
      agrement_esus: false,
    },
  });

export type OrientationInput = z.infer<typeof orientationInputSchema>;

const needSchema = z.object({
  code: z.string(),
  type: z.enum(['accompagnement', 'financement']),
  libelle: z.string().describe('Libellé de la matrice des besoins (001)'),
  regle: z.string().describe('La règle qui produit ce besoin'),
});

export const orientationOutputSchema = z.object({
  besoins: z.array(needSchema),
  dispositifs: z.array(
    z.object({
      id: z.number().int(),
      nom: z.string(),
      besoins: z.array(z.string()),
      score: z.number(),
      pourquoi: z.string(),
    }),
  ),
  quasi_eligibles: z.array(z.object({ id: z.number().int(), nom: z.string(), besoins: z.array(z.string()), raison: z.string() })),
  besoins_non_couverts: z.array(needSchema),
  territoire: z.string().describe('Le territoire retenu pour la disponibilité'),
  version_regles: z.number().int().describe('La version des règles de besoins qui a produit ce résultat (lisible sur /orientation/regles?version=N)'),
});
