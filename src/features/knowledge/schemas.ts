/** The contract of the knowledge base's search and records: validation, types and OpenAPI from one Zod schema. */
import { z } from 'zod';
import { modele, stade } from '../../domain/cooperation.ts';
import { themeRessource, typeRessource } from '../../domain/knowledge.ts';
import { cogCode, facetValueSchema, integerParam, optionalParam, paginationSchema, textQueryParam } from '../../platform/params.ts';

export const resourceFilterSchema = z.object({
  q: textQueryParam.describe('Texte libre, en français (titre, résumé, contenu) ; sans accents ni majuscules requis'),
  type: optionalParam(typeRessource.schema).describe('Type de ressource'),
  theme: optionalParam(themeRessource.schema).describe('Thème'),
  stade: optionalParam(stade.schema).describe('Stade de coopération auquel la ressource s’adresse'),
  modele: optionalParam(modele.schema).describe('Modèle de coopération auquel la ressource s’adresse'),
  region: optionalParam(cogCode.region).describe('Ressources venues de cette région (code COG)'),
  departement: optionalParam(cogCode.departement).describe('Ressources venues de ce département (code COG)'),
  cooperation: optionalParam(integerParam(1, Number.MAX_SAFE_INTEGER, 'l’identifiant de coopération est un nombre entier positif')).describe(
    'Ressources liées à cette coopération (son identifiant Maillage)',
  ),
  dispositif: optionalParam(integerParam(1, Number.MAX_SAFE_INTEGER, 'l’identifiant de dispositif est un nombre entier positif')).describe(
    'Ressources liées à ce dispositif (son identifiant Maillage)',
  ),
});
export const resourceSearchSchema = resourceFilterSchema.extend(paginationSchema.shape);
export type ResourceFilters = z.infer<typeof resourceFilterSchema>;
export type ResourceSearch = z.infer<typeof resourceSearchSchema>;

const territorySchema = z.object({ code: z.string(), nom: z.string() }).nullable();

export const resourceSummarySchema = z.object({
  id: z.number().int(),
  titre: z.string(),
  type: typeRessource.schema,
  resume: z.string(),
  themes: z.array(themeRessource.schema),
  stades: z.array(stade.schema),
  modeles: z.array(modele.schema),
  region: territorySchema,
  departement: territorySchema,
  exemple: z.boolean().describe('Ressource d’exemple tirée des documents sources'),
  source: z.string().nullable().describe('Le document et le passage dont elle vient'),
});

export const resourceDetailSchema = resourceSummarySchema.extend({
  corps: z.string().describe('Contenu en Markdown (sous-ensemble : titres, listes, citations, emphase, code, liens http(s))'),
  cooperations: z.array(z.object({ id: z.number().int(), nom: z.string() })).describe('Coopérations liées'),
  dispositifs: z.array(z.object({ id: z.number().int(), nom: z.string() })).describe('Dispositifs liés'),
  mise_a_jour: z.string().describe('Dernière modification (ISO 8601)'),
  fichiers: z
    .array(
      z.object({
        id: z.string(),
        nom: z.string(),
        type: z.string().describe('Type de contenu, reconnu au contenu du fichier'),
        taille: z.number().int().describe('Taille en octets'),
        adresse: z.string().describe('Adresse de téléchargement'),
      }),
    )
    .describe('Fichiers joints'),
});

export const resourceSearchResponseSchema = z.object({
  total: z.number().int(),
  page: z.number().int(),
  par_page: z.number().int(),
  resultats: z.array(resourceSummarySchema),
  facettes: z.record(z.string(), z.array(facetValueSchema)).describe('Pour chaque facette (type, theme, stade, modele), ses valeurs et leur nombre'),
});

export type ResourceSummary = z.infer<typeof resourceSummarySchema>;
export type ResourceDetail = z.infer<typeof resourceDetailSchema>;
export type ResourceSearchAnswer = z.infer<typeof resourceSearchResponseSchema>;
