/**
 * The contract of the circuit-court supplier search, shared by the API, the page and the exports: one Zod
 * schema validates (French messages), types the handlers and documents the API.
 */
import { z } from 'zod';
import { isKnownNaf } from '../../data/naf.ts';
import { statutEss } from '../../domain/organisation.ts';
import { normaliseNaf, secteur } from '../../domain/sector.ts';
import { DEFAULT_RADIUS_KM, MAX_RADIUS_KM, MIN_RADIUS_KM } from '../../domain/suppliers.ts';
import { cogCode, integerParam, optionalParam, paginationSchema } from '../../platform/params.ts';

const nafParam = z
  .string()
  .trim()
  .transform((code, context) => {
    const normalised = normaliseNaf(code);
    if (normalised && isKnownNaf(normalised)) return normalised;
    context.addIssue({ code: 'custom', message: `code NAF inconnu : « ${code.slice(0, 20)} » (une sous-classe de la NAF rév. 2, ex. 56.29A)` });
    return z.NEVER;
  });

export const supplierFilterSchema = z.object({
  naf: optionalParam(nafParam).describe('Code NAF rév. 2 de l’activité recherchée (ex. 56.29A ou 5629A)'),
  secteur: optionalParam(secteur.schema).describe('Secteur de l’activité, quand le code NAF exact importe peu'),
  commune: optionalParam(cogCode.commune).describe('Code COG de la commune autour de laquelle chercher ; les résultats sont classés par distance'),
  rayon_km: optionalParam(
    integerParam(MIN_RADIUS_KM, MAX_RADIUS_KM, `le rayon est un nombre entier de kilomètres de ${MIN_RADIUS_KM} à ${MAX_RADIUS_KM}`),
  ).describe(`Rayon autour de la commune, en kilomètres (${MIN_RADIUS_KM} à ${MAX_RADIUS_KM} ; ${DEFAULT_RADIUS_KM} par défaut)`),
  region: optionalParam(cogCode.region).describe('Seulement dans cette région (code COG)'),
  departement: optionalParam(cogCode.departement).describe('Seulement dans ce département (code COG)'),
  epci: optionalParam(cogCode.epci).describe('Seulement dans cet EPCI (SIREN)'),
});

export const supplierSearchSchema = supplierFilterSchema.extend(paginationSchema.shape);

export type SupplierFilters = z.infer<typeof supplierFilterSchema>;
export type SupplierSearch = z.infer<typeof supplierSearchSchema>;

export const supplierSchema = z.object({
  id: z.number().int(),
  nom: z.string(),
  siret: z.string().nullable(),
  code_naf: z.string().nullable(),
  libelle_naf: z.string().nullable(),
  secteur: secteur.schema.nullable(),
  statut_ess: statutEss.schema,
  commune: z.object({ code: z.string(), nom: z.string() }).nullable(),
  adresse: z.string().nullable(),
  site_web: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  distance_km: z.number().nullable().describe('Distance à vol d’oiseau depuis la commune, en km (null sans commune)'),
  charte_circuit_court: z.boolean().describe('La structure déclare avoir signé la charte des acteurs du circuit court (document 003)'),
  exemple: z.boolean().describe('Fiche d’exemple tirée des documents sources'),
});

export const supplierResponseSchema = z.object({
  total: z.number().int(),
  page: z.number().int(),
  par_page: z.number().int(),
  centre: z
    .object({
      commune: z.object({ code: z.string(), nom: z.string() }),
      latitude: z.number(),
      longitude: z.number(),
      origine: z
        .enum(['centre_commune', 'structures_commune'])
        .describe('Centre de la commune, ou, faute de l’avoir, position moyenne des structures qui y sont'),
    })
    .nullable(),
  rayon_km: z.number().int().nullable(),
  resultats: z.array(supplierSchema),
});

export type Supplier = z.infer<typeof supplierSchema>;
export type SupplierAnswer = z.infer<typeof supplierResponseSchema>;
