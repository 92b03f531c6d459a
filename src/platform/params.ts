/**
 * Parameters every feature reads from URLs and query strings: empty form fields, bounded texts, integers,
 * COG codes, ids and pages, each with its French message (one Zod schema gives validation, type and OpenAPI).
 */
import { z } from 'zod';

/** HTML forms send empty fields as ""; they mean "no filter". */
export const optionalParam = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

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
  return z
    .string()
    .trim()
    .max(max, tooLong)
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

export const paginationSchema = z.object({
  page: optionalParam(integerParam(1, MAX_PAGE, `le numéro de page est un nombre entier de 1 à ${MAX_PAGE}`))
    .default(1)
    .describe('Numéro de page, à partir de 1'),
  par_page: optionalParam(integerParam(1, MAX_PER_PAGE, `le nombre de résultats par page est un nombre entier de 1 à ${MAX_PER_PAGE}`))
    .default(20)
    .describe(`Résultats par page (1 à ${MAX_PER_PAGE})`),
});

/** A facet of a search: one value, its label and how many results carry it. */
export const facetValueSchema = z.object({ valeur: z.string(), libelle: z.string(), nombre: z.number().int() });
