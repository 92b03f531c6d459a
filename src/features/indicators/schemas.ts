/** Contracts of the indicators API: one Zod schema each for validation, types and the OpenAPI document. */
import { z } from 'zod';
import { modele } from '../../domain/cooperation.ts';
import { INDICATOR_CODE, porteurIndicateur, statutSaisie, typeValeur } from '../../domain/indicators.ts';
import { etatAttendu } from '../../domain/report-indicators.ts';
import { cogCode, optionalParam } from '../../platform/params.ts';
import { AGGREGATE_DIMENSIONS } from './aggregates.ts';

const periodParam = z.string().max(7).describe('Une année (« 2025 ») ou un trimestre (« 2025-T2 »)');

export const indicatorSchema = z.object({
  code: z.string(),
  libelle: z.string(),
  type: typeValeur.schema,
  unite: z.string(),
  description: z.string().nullable(),
  source: z.string(),
  porteur: porteurIndicateur.schema,
  appel_id: z.number().int().nullable(),
  reseau_id: z.number().int().nullable(),
});

export const indicatorListSchema = z.object({ indicateurs: z.array(indicatorSchema) });

export const codeParams = z.object({ code: z.string().regex(INDICATOR_CODE, 'code d’indicateur invalide (minuscules, chiffres et « _ »)') });

export const aggregateQuerySchema = z.object({
  region: optionalParam(cogCode.region),
  departement: optionalParam(cogCode.departement),
  epci: optionalParam(cogCode.epci),
  commune: optionalParam(cogCode.commune),
  modele: optionalParam(modele.schema),
  periode_debut: optionalParam(periodParam),
  periode_fin: optionalParam(periodParam),
  par: optionalParam(z.enum(AGGREGATE_DIMENSIONS)).describe('Dimension de ventilation en plus de la période (par défaut : aucune, la série temporelle seule)'),
});

export const aggregateResponseSchema = z.object({
  indicateur: z.object({ code: z.string(), libelle: z.string(), unite: z.string(), type: typeValeur.schema, source: z.string() }),
  par: z.enum(AGGREGATE_DIMENSIONS),
  resultats: z.array(
    z.object({
      periode: z.string(),
      groupe: z.object({ code: z.string(), libelle: z.string() }).nullable(),
      valeur: z.number().describe('Somme des valeurs validées'),
      cooperations: z.number().int().describe('Nombre de coopérations dont la valeur est sommée'),
    }),
  ),
});

export const entryBodySchema = z
  .object({
    indicateur: z.string().max(60).describe('Code de l’indicateur (voir GET /api/v1/indicateurs)'),
    periode: periodParam,
    valeur: z.union([z.number(), z.string().max(40)]).describe('Nombre de la sorte de l’indicateur (« 12,5 » accepté)'),
    commentaire: z.string().max(1000).optional(),
  })
  .meta({ example: { indicateur: 'etp', periode: '2025', valeur: 12.5, commentaire: 'Selon le bilan 2025' } });

export const entrySchema = z.object({
  id: z.number().int(),
  cooperation_id: z.number().int(),
  indicateur: z.string(),
  periode: z.string(),
  valeur: z.number(),
  commentaire: z.string().nullable(),
  statut: statutSaisie.schema,
  motif: z.string().nullable(),
});

const definitionFields = z.object({
  code: z.string().max(60).describe('Minuscules sans accent, chiffres et « _ », en commençant par une lettre ; il ne change plus'),
  libelle: z.string().max(200),
  type: typeValeur.schema,
  unite: z.string().max(40),
  description: z.string().max(1000).optional(),
  appel_id: z.number().int().positive().optional().describe('L’appel qui définit l’indicateur (son équipe d’instruction)'),
  reseau_id: z.number().int().positive().optional().describe('Le réseau (une coopération recensée) qui définit l’indicateur (son administration)'),
});

export const definitionBodySchema = definitionFields
  .refine((d) => (d.appel_id === undefined) !== (d.reseau_id === undefined), { message: 'indiquez soit appel_id, soit reseau_id', path: ['appel_id'] })
  .meta({ example: { code: 'surface_mutualisee', libelle: 'Surface mutualisée', type: 'decimal', unite: 'm²', reseau_id: 1 } });

/** An edit keeps the code and the owner. */
export const definitionUpdateSchema = definitionFields
  .pick({ libelle: true, type: true, unite: true, description: true })
  .meta({ example: { libelle: 'Repas servis', type: 'entier', unite: 'repas', description: 'Repas servis sur la période.' } });

export const decisionBodySchema = z
  .object({
    decision: z.enum(['valider', 'refuser']),
    motif: z.string().max(1000).optional().describe('Obligatoire pour un refus : il est montré à la coopération'),
  })
  .meta({ example: { decision: 'valider' } });

export const reportedValuesSchema = z
  .object({
    valeurs: z
      .array(
        z.object({
          indicateur: z.string().max(60).describe('Code d’un indicateur attendu par l’échéance'),
          valeur: z.union([z.number(), z.string().max(40)]).describe('Nombre de la sorte de l’indicateur (« 12,5 » accepté)'),
          commentaire: z.string().max(1000).optional(),
        }),
      )
      .max(40),
  })
  .meta({
    example: {
      valeurs: [
        { indicateur: 'etp', valeur: 3.5 },
        { indicateur: 'emplois_insertion', valeur: 4, commentaire: 'Selon le bilan annuel' },
      ],
    },
  });

export const dueDateSchema = z.object({
  id: z.number().int(),
  libelle: z.string(),
  echeance: z.string(),
  periode: z.string().nullable(),
  etat: z.enum(['a_venir', 'en_retard', 'remis', 'valide']),
  remis_le: z.string().nullable(),
  progression: z.object({ attendus: z.number().int(), saisis: z.number().int(), valides: z.number().int() }),
  indicateurs: z.array(
    z.object({
      code: z.string(),
      libelle: z.string(),
      unite: z.string(),
      etat: etatAttendu.schema,
      valeur: z.number().nullable(),
      motif: z.string().nullable(),
    }),
  ),
});

export const dueDatesSchema = z.object({
  candidature: z.object({ id: z.number().int(), titre: z.string(), appel: z.object({ id: z.number().int(), titre: z.string() }) }),
  cooperation: z.object({ id: z.number().int(), nom: z.string() }).nullable(),
  rapports: z.array(dueDateSchema),
});
