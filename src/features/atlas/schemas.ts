/**
 * The search contract shared by the JSON API, the exports, the map and the HTML pages: one Zod schema gives
 * validation (with French messages), the TypeScript type and the OpenAPI documentation.
 */
import { z } from 'zod';
import { finalite, modele, modeleEconomique, stade } from '../../domain/cooperation.ts';
import { formeJuridique, statutEss } from '../../domain/organisation.ts';
import { secteur } from '../../domain/sector.ts';
import { currencySlug } from './currencies/schemas.ts';
import { cogCode, facetValueSchema, optionalParam, paginationSchema, textQueryParam } from '../../platform/params.ts';

export const atlasFilterSchema = z.object({
  q: textQueryParam.describe('Texte libre : nom, description, territoire. Sans accents ni majuscules requis, tolère les fautes de frappe sur les noms.'),
  region: optionalParam(cogCode.region).describe('Code COG de la région'),
  departement: optionalParam(cogCode.departement).describe('Code COG du département'),
  epci: optionalParam(cogCode.epci).describe("SIREN de l'EPCI"),
  commune: optionalParam(cogCode.commune).describe('Code COG de la commune (une commune à arrondissements inclut ceux-ci)'),
  territoire: optionalParam(z.string().regex(/^[a-z0-9-]{1,80}$/, 'identifiant de territoire de projet invalide')).describe(
    'Identifiant (slug) d’un territoire de projet (Pays, PETR…)',
  ),
  modele: optionalParam(modele.schema).describe('Modèle de coopération'),
  stade: optionalParam(stade.schema).describe('Stade de la coopération'),
  finalite: optionalParam(finalite.schema).describe('Finalité : ciblée ou systémique'),
  modele_economique: optionalParam(modeleEconomique.schema).describe('Modèle économique'),
  secteur: optionalParam(secteur.schema).describe('Secteur thématique'),
  forme_juridique: optionalParam(z.enum(formeJuridique.codes)).describe('Catégorie juridique INSEE, niveau II (2 chiffres)'),
  statut_ess: optionalParam(statutEss.schema).describe('Statut ESS'),
  monnaie_locale: optionalParam(currencySlug).describe(
    'Identifiant d’une monnaie locale complémentaire (GET /api/v1/monnaies-locales) : les structures qui l’acceptent, les coopérations dont un membre l’accepte',
  ),
});

export const atlasSearchSchema = atlasFilterSchema.extend(paginationSchema.shape);

export type AtlasFilters = z.infer<typeof atlasFilterSchema>;
export type AtlasSearch = z.infer<typeof atlasSearchSchema>;

export const FILTER_KEYS = Object.keys(atlasFilterSchema.shape) as (keyof AtlasFilters)[];

export const communeRefSchema = z.object({ code: z.string(), nom: z.string() }).nullable();

export const organisationSummarySchema = z.object({
  id: z.number().int(),
  nom: z.string(),
  siret: z.string().nullable(),
  forme_juridique: z.string().nullable(),
  statut_ess: statutEss.schema.nullable(),
  code_naf: z.string().nullable(),
  secteur: secteur.schema.nullable(),
  commune: communeRefSchema,
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  exemple: z.boolean().describe('Fiche d’exemple tirée des documents sources'),
});

export const cooperationSummarySchema = z.object({
  id: z.number().int(),
  nom: z.string(),
  modele: modele.schema,
  finalite: finalite.schema.nullable(),
  modele_economique: modeleEconomique.schema.nullable(),
  stade: stade.schema.nullable(),
  secteur: secteur.schema.nullable(),
  territoire: z.string().nullable(),
  commune: communeRefSchema,
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  exemple: z.boolean().describe('Fiche d’exemple tirée des documents sources'),
});

export const searchResponseSchema = <T extends z.ZodType>(result: T) =>
  z.object({
    total: z.number().int(),
    page: z.number().int(),
    par_page: z.number().int(),
    resultats: z.array(result),
    facettes: z.record(z.string(), z.array(facetValueSchema)),
  });
