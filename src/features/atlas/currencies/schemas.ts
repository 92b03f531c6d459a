/**
 * The contract of local complementary currencies (monnaies locales complémentaires): an entry of the reference list
 * (its slug is the Atlas filter's value) and the currencies an organisation accepts.
 */
import { z } from 'zod';
import { typedText } from '../../../platform/params.ts';

/** The slug of a currency, as the Atlas filter `monnaie_locale` and the acceptance lists name it. */
export const currencySlug = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'une monnaie locale se désigne par son identifiant (ex. la-gonette), en minuscules et tirets')
  .max(80, 'identifiant de monnaie locale trop long');

export const currencySchema = z.object({
  slug: z.string().describe('Identifiant, valeur du filtre monnaie_locale de l’Atlas'),
  nom: z.string(),
  territoire: z.string().describe('Le territoire où elle circule, tel que sa structure gestionnaire le décrit'),
  site_web: z.string().nullable(),
});
export type Currency = z.infer<typeof currencySchema>;

export const currencyInputSchema = z.strictObject({
  nom: typedText(120, 'un nom de monnaie ne dépasse pas 120 caractères').pipe(z.string().min(1, 'indiquez le nom de la monnaie locale')),
  territoire: typedText(200, 'un territoire ne dépasse pas 200 caractères').pipe(z.string().min(1, 'indiquez le territoire où elle circule')),
  site_web: z
    .string()
    .trim()
    .max(500, 'une adresse ne dépasse pas 500 caractères')
    .regex(/^(https?:\/\/\S+)?$/, 'une adresse de site commence par https:// ou http://')
    .optional()
    .transform((v) => v || undefined)
    .describe('Le site de la monnaie, facultatif'),
});
export type CurrencyInput = z.output<typeof currencyInputSchema>;
/** The page form's fields: the same, beside the form's own (_csrf). */
export const currencyFormSchema = z.object(currencyInputSchema.shape);
export const currencyInputExample = { nom: 'Monnaie d’exemple', territoire: 'Pays d’exemple (Drôme)', site_web: 'https://monnaie.exemple.fr' };

export const acceptanceSchema = z.strictObject({
  monnaies: z.array(currencySlug).max(50, 'au plus 50 monnaies locales').describe('Les identifiants des monnaies acceptées ; une liste vide les retire toutes'),
});
export const acceptanceExample = { monnaies: [] as string[] };
