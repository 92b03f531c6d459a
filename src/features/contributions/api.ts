/** The version history of each public object in the JSON API: who, when, and what changed (field, before, after). */
import { z } from 'zod';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { contributionKind } from '../../domain/contribution.ts';
import { diffRecords } from '../../domain/diff.ts';
import { notFound } from '../../web/errors.ts';
import { KIND_PATHS, objectName } from './objects.ts';
import { PROPOSAL_FIELDS } from './schemas.ts';
import { listVersions } from './versions.ts';
import { idParams } from '../../platform/params.ts';

export const historySchema = z.object({
  id: z.number().int(),
  nom: z.string(),
  versions: z
    .array(
      z.object({
        version: z.number().int().describe('Numéro de version, à partir de 1'),
        date: z.string().describe('Instant ISO 8601 de la version'),
        auteur: z.string().nullable().describe('Nom affiché de l’auteur ou l’autrice ; null pour l’état d’origine (import, source) ou un compte supprimé'),
        source: z
          .string()
          .nullable()
          .describe('Source qui a chargé cet état quand aucun compte ne l’a écrit (ex. « Import SIRENE », « Données de démonstration »)'),
        contribution: z.number().int().nullable().describe('Contribution modérée dont la version vient ; null pour une modification directe'),
        modifications: z
          .array(z.object({ champ: z.string(), avant: z.unknown(), apres: z.unknown() }))
          .describe('Champs modifiés par rapport à la version précédente'),
        fiche: z.record(z.string(), z.unknown()).describe('La fiche entière à cette version'),
      }),
    )
    .describe('De la plus récente à la plus ancienne'),
});

export async function registerContributionApi(app: TypedApp, { database }: AppContext) {
  const db = database.db;
  for (const kind of contributionKind.codes) {
    app.get(
      `/api/v1/${KIND_PATHS[kind]}/:id/historique`,
      {
        schema: {
          tags: ['Contributions'],
          summary: `Historique des versions d’${kind === 'organisation' ? 'une structure' : kind === 'cooperation' ? 'une coopération' : 'un dispositif'}`,
          params: idParams,
          response: { 200: historySchema },
        },
      },
      async (request) => {
        const { id } = request.params;
        const name = await objectName(db, kind, id);
        if (name === undefined) throw notFound(`Aucune fiche de ce type ne porte l'identifiant ${id}.`);
        const versions = await listVersions(db, kind, id);
        return {
          id,
          nom: name,
          versions: versions.map((v, i) => ({
            version: v.version,
            date: new Date(v.at).toISOString(),
            auteur: v.author_name,
            source: v.source_label,
            contribution: v.contribution_id,
            modifications: diffRecords(versions[i + 1]?.snapshot ?? null, v.snapshot, PROPOSAL_FIELDS[kind]).map((c) => ({
              champ: c.field,
              avant: c.before,
              apres: c.after,
            })),
            fiche: v.snapshot,
          })),
        };
      },
    );
  }
}
