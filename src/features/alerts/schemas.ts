/**
 * What an alert saves: the parameters of a search or an orientation profile, validated by the SAME Zod schema
 * as the route that runs it (so a saved query means what the page meant), and the forms of /compte/alertes.
 */
import { z } from 'zod';
import { alertFrequency, alertKind, type AlertKind } from '../../domain/alert.ts';
import { atlasFilterSchema } from '../atlas/schemas.ts';
import { typedText } from '../../platform/params.ts';
import { appelFilterSchema } from '../calls/applications/schemas.ts';
import { dispositifFilterSchema } from '../catalogue/schemas.ts';
import { orientationInputSchema } from '../orientation/schemas.ts';

/** The schema of the saved query of each kind; a stored query is parsed again with it each time it is used. */
export const savedQuerySchemas = {
  recherche_cooperations: atlasFilterSchema,
  recherche_organisations: atlasFilterSchema,
  recherche_dispositifs: dispositifFilterSchema,
  profil_orientation: orientationInputSchema,
  // A call that appears is news whatever its timing: the saved search keeps its text and territory only.
  recherche_appels: appelFilterSchema.omit({ statut: true }),
} satisfies Record<AlertKind, z.ZodType>;

export const MAX_NAME_LENGTH = 120;
const MAX_QUERY_STRING = 2000;

export const createAlertSchema = z.object({
  type: alertKind.schema,
  requete: z.string().max(MAX_QUERY_STRING, 'la recherche enregistrée est trop longue').default(''),
  nom: typedText(MAX_NAME_LENGTH, `le nom d’une alerte compte ${MAX_NAME_LENGTH} caractères au plus`).optional(),
  frequence: alertFrequency.schema.default('hebdomadaire'),
});

export const frequencySchema = z.object({ frequence: alertFrequency.schema });
export { idParams as alertIdParams } from '../../platform/params.ts';

const ORIENTATION_LISTS = new Set(['formes_juridiques']);
const ORIENTATION_FLAGS = new Set(['modelisee', 'nouveaux_chantiers', 'agrement_esus']);

/**
 * A query string as the schema of `kind` expects it: searches take one value per parameter (as their routes
 * do); a profile has its lists and yes/no fields typed (unknown parameters are left for its strict schema to refuse).
 */
function queryObject(kind: AlertKind, params: URLSearchParams): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const key of new Set(params.keys())) {
    const value = params.get(key)!;
    if (kind !== 'profil_orientation') object[key] = value;
    else if (ORIENTATION_LISTS.has(key)) object[key] = params.getAll(key);
    else if (ORIENTATION_FLAGS.has(key)) object[key] = value === 'true' ? true : value === 'false' ? false : value;
    else if (value !== '') object[key] = value;
  }
  return object;
}

/** Validates a query string for an alert of `kind`: its parameters as the search's schema outputs them. */
export function parseSavedQuery(kind: AlertKind, queryString: string) {
  return savedQuerySchemas[kind].safeParse(queryObject(kind, new URLSearchParams(queryString)));
}

/** The query string of saved parameters (the inverse of parseSavedQuery): lists repeated, yes/no as true/false. */
export function savedQueryString(query: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null && item !== '') params.append(key, String(item));
    }
  }
  return params.toString();
}

/** « « region » : Région inconnue… ; « stade » : … » — a validation failure told in French. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length ? `« ${issue.path.join('.')} » : ${issue.message}` : issue.message)).join(' ; ');
}
