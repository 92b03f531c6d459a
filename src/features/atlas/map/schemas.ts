/** The map API contract: Zod schemas for validation (French messages), types and the OpenAPI document. */
import { z } from 'zod';
import { atlasFilterSchema } from '../schemas.ts';
import { optionalParam } from '../../../platform/params.ts';
import type { BBox } from './clusters.ts';

export const MAX_ZOOM = 20;

export const kindParam = optionalParam(z.enum(['cooperations', 'organisations']))
  .default('cooperations')
  .describe('Objets comptés : « cooperations » (par défaut) ou « organisations » (structures)');

const BBOX_FORMAT = 'ouest,sud,est,nord en degrés WGS 84, séparés par des virgules (ex. -5.5,41,10,51.5)';

/** Why a bbox is refused, in French, or undefined when it is valid. */
export function bboxProblem(parts: number[]): string | undefined {
  const [ouest, sud, est, nord] = parts as BBox;
  const problems: string[] = [];
  for (const [name, value] of [
    ['ouest', ouest],
    ['est', est],
  ] as const) {
    if (value < -180 || value > 180) problems.push(`la longitude ${name} (${value}) doit être comprise entre -180 et 180`);
  }
  for (const [name, value] of [
    ['sud', sud],
    ['nord', nord],
  ] as const) {
    if (value < -90 || value > 90) problems.push(`la latitude ${name} (${value}) doit être comprise entre -90 et 90`);
  }
  if (problems.length === 0 && ouest >= est) {
    problems.push(
      `ouest (${ouest}) doit être inférieur à est (${est}) ; un cadre qui franchit l’antiméridien n’est pas pris en charge : faites une requête de chaque côté`,
    );
  }
  if (problems.length === 0 && sud >= nord) problems.push(`sud (${sud}) doit être inférieur à nord (${nord})`);
  return problems.length ? problems.join(' ; ') : undefined;
}

export const bboxSchema = z
  .string({ error: (issue) => (issue.input === undefined ? `paramètre obligatoire : ${BBOX_FORMAT}` : `attendu : ${BBOX_FORMAT}`) })
  .max(120, `attendu : ${BBOX_FORMAT}`)
  .transform((text, ctx): BBox => {
    const parts = text.split(',').map((part) => part.trim());
    if (parts.length !== 4 || parts.some((part) => part === '' || !Number.isFinite(Number(part)))) {
      ctx.addIssue({ code: 'custom', message: `4 nombres attendus : ${BBOX_FORMAT}` });
      return z.NEVER;
    }
    const numbers = parts.map(Number);
    const problem = bboxProblem(numbers);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    return numbers as BBox;
  })
  .describe(
    `Cadre de la vue : ${BBOX_FORMAT}. Longitudes de -180 à 180, latitudes de -90 à 90, ouest < est (le franchissement de l’antiméridien n’est pas pris en charge), sud < nord.`,
  );

const ZOOM_MESSAGE = `le zoom est un entier de 0 à ${MAX_ZOOM}`;

export const zoomSchema = z
  .preprocess(
    (value) => (value === '' ? undefined : value),
    z.coerce
      .number({ error: `paramètre obligatoire : ${ZOOM_MESSAGE}` })
      .int(ZOOM_MESSAGE)
      .min(0, ZOOM_MESSAGE)
      .max(MAX_ZOOM, ZOOM_MESSAGE),
  )
  .describe(`Niveau de zoom de la carte (tuiles de 512 pixels, comme MapLibre), entier de 0 à ${MAX_ZOOM}`);

export const clustersQuery = atlasFilterSchema.extend({ type: kindParam, bbox: bboxSchema, zoom: zoomSchema });

export const niveauParam = optionalParam(z.enum(['departement', 'region']))
  .default('departement')
  .describe('Niveau des comptes : « departement » (par défaut) ou « region »');

export const choroplethQuery = atlasFilterSchema.extend({ type: kindParam, niveau: niveauParam });

const point = z.object({
  type: z.literal('Point'),
  coordinates: z.tuple([z.number(), z.number()]).describe('[longitude, latitude] en WGS 84'),
});

export const clusterFeatureSchema = z
  .object({
    type: z.literal('Feature'),
    geometry: point,
    properties: z.object({
      cluster: z.literal(true),
      nombre: z.number().int().describe('Nombre de fiches regroupées'),
      cluster_id: z.number().int().describe('Identifiant du regroupement (valable pour ces filtres, jusqu’à la prochaine mise à jour des données)'),
      zoom_expansion: z.number().int().describe('Zoom à partir duquel le regroupement se sépare'),
    }),
  })
  .describe('Regroupement de fiches proches, placé à leur barycentre');

export const pointFeatureSchema = z
  .object({
    type: z.literal('Feature'),
    geometry: point,
    properties: z.object({
      id: z.number().int().describe('Identifiant Maillage'),
      nom: z.string(),
      url: z.string().describe('Chemin de la fiche sur le site'),
    }),
  })
  .describe('Une fiche seule');

export const clustersResponseSchema = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(z.union([clusterFeatureSchema, pointFeatureSchema])),
  })
  .describe('GeoJSON (RFC 7946) : regroupements et fiches seules de la vue');

export const choroplethResponseSchema = z.object({
  type: z.enum(['cooperations', 'organisations']),
  niveau: z.enum(['departement', 'region']),
  total: z.number().int().describe('Nombre de fiches correspondant aux filtres'),
  sans_territoire: z.number().int().describe('Fiches sans département (ou région) connu'),
  valeurs: z
    .array(
      z.object({
        code: z.string().describe('Code COG'),
        nom: z.string(),
        nombre: z.number().int(),
      }),
    )
    .describe('Comptes par code, triés par code ; un code absent compte 0'),
});

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
  })
  .describe('Erreur RFC 9457, message en français');
