/**
 * The contract of the embeds: the Atlas's own search parameters (so a filter means the same thing in an iframe
 * as on Maillage), the kind of records, and the partner's title.
 */
import { z } from 'zod';
import { atlasFilterSchema, atlasSearchSchema } from '../schemas.ts';
import { integerParam, optionalParam, typedText } from '../../../platform/params.ts';

export const MAX_TITLE_LENGTH = 120;

export const embedKind = optionalParam(z.enum(['cooperations', 'organisations']))
  .default('cooperations')
  .describe('Objets montrés : coopérations ou structures');

const titre = optionalParam(typedText(MAX_TITLE_LENGTH, `le titre ne peut dépasser ${MAX_TITLE_LENGTH} caractères`)).describe(
  'Titre choisi par le partenaire, affiché en tête de l’intégration',
);

export const embedQuerySchema = atlasSearchSchema.extend({ type: embedKind, titre });
export type EmbedQuery = z.infer<typeof embedQuerySchema>;

export const EMBED_VIEWS = ['liste', 'carte'] as const;
export type EmbedView = (typeof EMBED_VIEWS)[number];

export const MIN_HEIGHT = 300;
export const MAX_HEIGHT = 2000;
export const MIN_WIDTH = 280;
export const MAX_WIDTH = 2000;

/**
 * The « Intégrer » form: the embed's parameters, a search address to start from (pasted from the Atlas), and
 * the iframe's size. Read by safeParse so that mistakes come back beside their field.
 */
export const builderSchema = atlasFilterSchema.extend({
  type: embedKind,
  titre,
  vue: optionalParam(z.enum(EMBED_VIEWS, { error: 'choisissez « liste » ou « carte »' })).default('liste'),
  adresse: optionalParam(typedText(2000, 'l’adresse ne peut dépasser 2 000 caractères')),
  hauteur: optionalParam(integerParam(MIN_HEIGHT, MAX_HEIGHT, `la hauteur est un nombre entier de pixels, de ${MIN_HEIGHT} à ${MAX_HEIGHT}`)).default(600),
  largeur: optionalParam(
    integerParam(MIN_WIDTH, MAX_WIDTH, `la largeur est un nombre entier de pixels, de ${MIN_WIDTH} à ${MAX_WIDTH} (vide : toute la largeur)`),
  ),
});
export type BuilderInput = z.infer<typeof builderSchema>;
