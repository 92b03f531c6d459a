/** The contract of the mutualisation board and its bookings (validation, types and OpenAPI from one Zod schema). */
import { z } from 'zod';
import { defineEnum } from '../../domain/enum.ts';
import { MAX_RADIUS_KM, MIN_RADIUS_KM } from '../../domain/suppliers.ts';
import { cogCode, integerParam, optionalParam, paginationSchema } from '../../platform/params.ts';

export const sens = defineEnum({ offre: 'Offre', demande: 'Demande' });
export const categorie = defineEnum({
  local: 'Local',
  equipement: 'Équipement',
  vehicule: 'Véhicule',
  competence: 'Compétence',
  emploi_partage: 'Emploi partagé',
});
/** Premises and equipment are booked (PRODUCT §6); the other kinds are arranged between the parties. */
export const BOOKABLE = new Set(['local', 'equipement']);

export const boardSearchSchema = z
  .object({
    sens: optionalParam(sens.schema).describe('Offres ou demandes'),
    categorie: optionalParam(categorie.schema).describe('Catégorie'),
    commune: optionalParam(cogCode.commune).describe('Code COG de la commune autour de laquelle chercher (classé par distance)'),
    rayon_km: optionalParam(
      integerParam(MIN_RADIUS_KM, MAX_RADIUS_KM, `le rayon est un nombre entier de kilomètres de ${MIN_RADIUS_KM} à ${MAX_RADIUS_KM}`),
    ).describe('Rayon autour de la commune, en km (30 par défaut)'),
    region: optionalParam(cogCode.region).describe('Code COG de la région'),
    departement: optionalParam(cogCode.departement).describe('Code COG du département'),
  })
  .extend(paginationSchema.shape);

export const entrySchema = z.object({
  id: z.number().int(),
  sens: sens.schema,
  categorie: categorie.schema,
  titre: z.string(),
  description: z.string(),
  structure: z.object({ id: z.number().int(), nom: z.string() }).nullable().describe('La structure au nom de laquelle elle est publiée'),
  commune: z.object({ code: z.string(), nom: z.string() }),
  reservable: z.boolean().describe('Locaux et équipements : un calendrier de réservation'),
  distance_km: z.number().nullable(),
});

export const boardAnswerSchema = z.object({ total: z.number().int(), page: z.number().int(), par_page: z.number().int(), resultats: z.array(entrySchema) });

export const newEntrySchema = z.object({
  sens: sens.schema,
  categorie: categorie.schema,
  titre: z.string().trim().min(1, 'donnez un titre').max(200, 'le titre compte au plus 200 caractères'),
  description: z.string().trim().max(5000, 'la description compte au plus 5 000 caractères').default(''),
  commune: cogCode.commune,
  structure: z
    .number({ error: 'la structure est l’identifiant Maillage d’une structure dont vous êtes membre' })
    .int()
    .positive()
    .optional()
    .describe('Identifiant de la structure au nom de laquelle publier (il faut en être membre ou administrateur)'),
});

/** The publishing form of the pages: the same fields, posted as text, and a structure of the person is required. */
export const publishFormSchema = newEntrySchema.extend({
  structure: integerParam(1, Number.MAX_SAFE_INTEGER, 'choisissez la structure au nom de laquelle publier'),
});

/** The booking form of the pages: a date and an optional time (Paris) for each end. */
export const bookingFormSchema = z.object({
  debut: z.string({ error: 'indiquez la date de début' }).trim().min(1, 'indiquez la date de début'),
  debut_heure: z.string().trim().default(''),
  fin: z.string({ error: 'indiquez la date de fin' }).trim().min(1, 'indiquez la date de fin'),
  fin_heure: z.string().trim().default(''),
});

export const bookingSchema = z.object({
  debut: z.iso.datetime({ offset: true, error: 'le début est un instant ISO 8601 avec son fuseau (ex. 2027-01-15T09:00:00+01:00)' }),
  fin: z.iso.datetime({ offset: true, error: 'la fin est un instant ISO 8601 avec son fuseau (ex. 2027-01-15T12:00:00+01:00)' }),
});

export const decisionSchema = z.object({ decision: z.enum(['confirmee', 'refusee'], { error: 'la décision est « confirmee » ou « refusee »' }) });

export const reservationSchema = z.object({
  id: z.number().int(),
  debut: z.string(),
  fin: z.string(),
  statut: z.enum(['demandee', 'confirmee', 'refusee']),
});

export const entryDetailSchema = entrySchema.extend({
  reservations: z.array(reservationSchema).describe('Créneaux demandés ou confirmés (sans les personnes)'),
});

export const bookingParams = z.object({
  id: integerParam(1, Number.MAX_SAFE_INTEGER, 'l’identifiant est un nombre entier positif'),
  reservation: integerParam(1, Number.MAX_SAFE_INTEGER, 'l’identifiant de la réservation est un nombre entier positif'),
});
