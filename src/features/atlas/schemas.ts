/**
 * The search contract shared by the JSON API, the exports, the map and the HTML pages: one Zod schema gives
 * validation (with French messages), the TypeScript type and the OpenAPI documentation.
 */
import { z } from 'zod';
import { finalite, modele, modeleEconomique, stade } from '../../domain/cooperation.ts';
import { formeJuridique, statutEss } from '../../domain/organisation.ts';
import { secteur } from '../../domain/sector.ts';

/** HTML forms send empty fields as ""; they mean "no filter". */
export const optionalParam = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

export const MAX_QUERY_LENGTH = 200;
export const MAX_PAGE = 1000;
export const MAX_PER_PAGE = 100;

export const cogCode = {
  region: z.string().regex(/^\d{2,3}$/, 'un code de région compte 2 chiffres, 3 pour une collectivité d’outre-mer (ex. 84, 975)'),
  departement: z.string().regex(/^(\d{2,3}|2A|2B)$/, 'un code de département compte 2 ou 3 caractères (ex. 26, 2A, 974)'),
  epci: z.string().regex(/^\d{9}$/, "un code d'EPCI est son SIREN de 9 chiffres"),
  commune: z.string().regex(/^(\d{5}|2[AB]\d{3})$/, 'un code commune INSEE compte 5 caractères (ex. 26281)'),
};

/** Control characters (NUL, tabulations, bidi overrides…) have no place in a search, and PostgreSQL refuses NUL. */
const CONTROL_CHARACTERS = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;

/** A text typed in a search box: trimmed, bounded, without control characters. */
export function typedText(max: number, tooLong: string) {
  return z.string().trim().max(max, tooLong)
    .refine((text) => !CONTROL_CHARACTERS.test(text), 'le texte contient un caractère invisible (caractère de contrôle) : retirez-le');
}

/** The free-text parameter `q` of every search. */
export const textQueryParam = optionalParam(typedText(MAX_QUERY_LENGTH, `la recherche ne peut dépasser ${MAX_QUERY_LENGTH} caractères`));

/** An integer parameter, with one French message for every way it can be wrong (not a number, decimal, out of range). */
export function integerParam(min: number, max: number, message: string) {
  return z.coerce.number({ error: message }).int(message).min(min, message).max(max, message);
}

/** The `{id}` of a Maillage object in a URL. */
export const idParams = z.object({
  id: integerParam(1, Number.MAX_SAFE_INTEGER, 'l’identifiant est un nombre entier positif').describe('Identifiant Maillage'),
});

export const atlasFilterSchema = z.object({
  q: textQueryParam.describe('Texte libre : nom, description, territoire. Sans accents ni majuscules requis, tolère les fautes de frappe sur les noms.'),
  region: optionalParam(cogCode.region).describe('Code COG de la région'),
  departement: optionalParam(cogCode.departement).describe('Code COG du département'),
  epci: optionalParam(cogCode.epci).describe("SIREN de l'EPCI"),
  commune: optionalParam(cogCode.commune).describe('Code COG de la commune (une commune à arrondissements inclut ceux-ci)'),
  territoire: optionalParam(z.string().regex(/^[a-z0-9-]{1,80}$/, 'identifiant de territoire de projet invalide'))
    .describe('Identifiant (slug) d’un territoire de projet (Pays, PETR…)'),
  modele: optionalParam(modele.schema).describe('Modèle de coopération'),
  stade: optionalParam(stade.schema).describe('Stade de la coopération'),
  finalite: optionalParam(finalite.schema).describe('Finalité : ciblée ou systémique'),
  modele_economique: optionalParam(modeleEconomique.schema).describe('Modèle économique'),
  secteur: optionalParam(secteur.schema).describe('Secteur thématique'),
  forme_juridique: optionalParam(z.enum(formeJuridique.codes)).describe('Catégorie juridique INSEE, niveau II (2 chiffres)'),
  statut_ess: optionalParam(statutEss.schema).describe('Statut ESS'),
});

export const paginationSchema = z.object({
  page: optionalParam(integerParam(1, MAX_PAGE, `le numéro de page est un nombre entier de 1 à ${MAX_PAGE}`)).default(1)
    .describe('Numéro de page, à partir de 1'),
  par_page: optionalParam(integerParam(1, MAX_PER_PAGE, `le nombre de résultats par page est un nombre entier de 1 à ${MAX_PER_PAGE}`)).default(20)
    .describe(`Résultats par page (1 à ${MAX_PER_PAGE})`),
});

export const atlasSearchSchema = atlasFilterSchema.extend(paginationSchema.shape);

export type AtlasFilters = z.infer<typeof atlasFilterSchema>;
export type AtlasSearch = z.infer<typeof atlasSearchSchema>;

export const FILTER_KEYS = Object.keys(atlasFilterSchema.shape) as (keyof AtlasFilters)[];

export const communeRefSchema = z.object({ code: z.string(), nom: z.string() }).nullable();

export const facetValueSchema = z.object({ valeur: z.string(), libelle: z.string(), nombre: z.number().int() });

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
