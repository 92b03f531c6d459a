import { z } from 'zod';
import { finalite, modele, modeleEconomique, stade } from '../../domain/cooperation.ts';
import { niveauCouverture, typeAccompagnement, typeFinancement } from '../../domain/dispositif.ts';
import { cogCode, optionalParam, paginationSchema, textQueryParam } from '../../platform/params.ts';

const typeDispositif = z.enum([...typeAccompagnement.codes, ...typeFinancement.codes]);

/** Search filters of the catalogue, in the Atlas's conventions (same territory parameters, same pagination). */
export const dispositifFilterSchema = z.object({
  q: textQueryParam.describe('Texte libre : nom et description, sans accents requis, tolère les fautes de frappe sur les noms'),
  region: optionalParam(cogCode.region).describe('Dispositifs disponibles sur cette région (code COG)'),
  departement: optionalParam(cogCode.departement).describe('Dispositifs disponibles sur ce département'),
  epci: optionalParam(cogCode.epci).describe('Dispositifs disponibles sur cet EPCI (SIREN)'),
  commune: optionalParam(cogCode.commune).describe('Dispositifs disponibles sur cette commune'),
  stade: optionalParam(stade.schema).describe('Ouvert à ce stade (les dispositifs sans stade précisé sont inclus)'),
  type: optionalParam(typeDispositif).describe("Type d'accompagnement ou de financement"),
  nature: optionalParam(z.enum(['accompagnement', 'financement'])).describe('Accompagnement ou financement'),
  modele: optionalParam(modele.schema).describe('Ouvert à ce modèle de coopération (les dispositifs sans restriction sont inclus)'),
  couverture: optionalParam(niveauCouverture.schema).describe('Niveau de couverture géographique'),
});

export const dispositifSearchSchema = dispositifFilterSchema.extend(paginationSchema.shape);
export type DispositifFilters = z.infer<typeof dispositifFilterSchema>;
export type DispositifSearch = z.infer<typeof dispositifSearchSchema>;

const instant = z.string().describe('Instant ISO 8601 avec son décalage horaire (heure de Paris)');
export const calendrierSchema = z
  .object({
    type: z.enum(['permanent', 'date', 'vagues']),
    ouverture: instant.optional(),
    cloture: instant.optional(),
    vagues: z.array(z.object({ nom: z.string(), ouverture: instant.optional(), cloture: instant.optional() })).optional(),
  })
  .nullable();

export const dispositifSummarySchema = z.object({
  id: z.number().int(),
  nom: z.string(),
  types_accompagnement: z.array(typeAccompagnement.schema),
  types_financement: z.array(typeFinancement.schema),
  porteurs: z.array(z.string()),
  stades: z.array(stade.schema),
  couverture: z.object({ niveau: niveauCouverture.schema, codes: z.array(z.string()) }).nullable(),
  calendrier: calendrierSchema,
  statut: z.enum(['actif', 'clos']),
});

export const dispositifDetailSchema = dispositifSummarySchema.extend({
  key: z.string(),
  description: z.string().nullable(),
  modeles: z.array(modele.schema),
  finalites: z.array(finalite.schema),
  modeles_economiques: z.array(modeleEconomique.schema),
  formes_juridiques: z.array(z.string()),
  esus_requis: z.boolean().nullable(),
  montant_min: z.number().nullable(),
  montant_max: z.number().nullable(),
  montant_texte: z.string().nullable(),
  duree_texte: z.string().nullable(),
  conditions: z.string().nullable(),
  contact: z.string().nullable(),
  url: z.string().nullable(),
  source: z.string().nullable(),
  date_verification: z.string().nullable(),
  a_completer: z.array(z.string()).describe('Champs que la source ne renseigne pas'),
});
