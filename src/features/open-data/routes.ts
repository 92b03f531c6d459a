/**
 * /donnees: every public dataset with its Table Schema (/donnees/schemas/{jeu}.json), its full dumps
 * (/donnees/{jeu}.csv.gz and .json.gz, written by the scheduled job) and the paginated API beside them;
 * /api/v1/donnees lists the same in JSON.
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AppContext, TypedApp } from '../../platform/app-context.ts';
import { registerJobHandlers } from '../../platform/jobs/registry.ts';
import { sendPage } from '../../web/forms.ts';
import { dumpContent, dumpInfos, OPEN_DATA_JOB, openDataJob, refreshDataset, schemaUrl, type DumpFormat } from './dumps.ts';
import { DATASET_INFO, DATASET_NAMES, LICENCE, tableSchema, type DatasetName } from './table-schemas.ts';
import { dumpUrl, openDataPage } from './views.ts';

const datasetParams = z.object({
  jeu: z.enum(DATASET_NAMES as [DatasetName, ...DatasetName[]], { error: `jeu de données inconnu : les jeux sont ${DATASET_NAMES.join(', ')}` }),
});

const dumpSchema = z.object({ url: z.string(), produit_le: z.string(), lignes: z.number().int(), octets: z.number().int(), sha256: z.string() }).nullable();

const catalogueSchema = z.object({
  licence: z.object({ nom: z.string(), url: z.string() }),
  jeux: z.array(
    z.object({
      nom: z.string().describe('Identifiant du jeu dans les adresses'),
      titre: z.string(),
      description: z.string(),
      schema: z.string().describe('Adresse stable du schéma (Table Schema, JSON)'),
      api: z.string().describe('L’API paginée du même jeu'),
      csv: dumpSchema.describe('Le dernier fichier complet CSV compressé (gzip), ou null s’il n’a pas encore été produit'),
      json: dumpSchema.describe('Le dernier fichier complet JSON compressé (gzip), ou null'),
    }),
  ),
});

export function registerOpenData(app: TypedApp, context: AppContext) {
  const db = context.database.db;
  const baseUrl = context.config.BASE_URL.replace(/\/$/, '');
  registerJobHandlers(app, { [OPEN_DATA_JOB]: openDataJob(baseUrl) });

  app.get('/donnees', { schema: { hide: true } }, async (_request, reply) =>
    sendPage(reply, { title: 'Données ouvertes', main: openDataPage(await dumpInfos(db)), currentPath: '/api' }),
  );

  app.get(
    '/donnees/schemas/:jeu.json',
    {
      // Files beside the pages (outside /api/): their addresses are listed by /api/v1/donnees.
      schema: {
        hide: true,
        params: datasetParams,
      },
    },
    async (request, reply) => reply.type('application/schema+json; charset=utf-8').send(JSON.stringify(tableSchema(request.params.jeu, baseUrl), null, 2)),
  );

  // A download asked before the job's first run builds its dataset once (concurrent askers wait for the same build).
  const building = new Map<DatasetName, Promise<void>>();
  const firstBuild = (name: DatasetName) => {
    const pending = building.get(name) ?? refreshDataset(db, name, baseUrl, new Date()).finally(() => building.delete(name));
    building.set(name, pending);
    return pending;
  };
  const sendDump = async (reply: FastifyReply, name: DatasetName, format: DumpFormat) => {
    let dump = await dumpContent(db, name, format);
    if (!dump) {
      await firstBuild(name);
      dump = (await dumpContent(db, name, format))!;
    }
    return reply
      .type('application/gzip')
      .header('content-disposition', `attachment; filename="maillage-${name}.${format}.gz"`)
      .header('last-modified', new Date(dump.generated_at).toUTCString())
      .header('cache-control', 'public, max-age=3600')
      .send(dump.content);
  };
  for (const format of ['csv', 'json'] as const) {
    app.get(
      `/donnees/:jeu.${format}.gz`,
      {
        schema: {
          hide: true,
          params: datasetParams,
        },
      },
      async (request, reply) => sendDump(reply, request.params.jeu, format),
    );
  }

  app.get(
    '/api/v1/donnees',
    {
      schema: {
        tags: ['Données ouvertes'],
        summary: 'Les jeux de données publics : schéma, fichiers complets (date, taille), API',
        description:
          'Pour chaque jeu : son schéma (Frictionless Table Schema, JSON, adresse stable), ses fichiers complets CSV et JSON compressés (gzip) ' +
          'refaits chaque jour (date, lignes, octets, SHA-256), et son API paginée. Les CSV (UTF-8, virgule, CRLF) ont une première ligne de ' +
          'commentaire « # » qui rappelle la licence (Etalab 2.0), la date et le schéma ; les JSON sont un objet (licence, producteur, jeu, ' +
          'schema, genere_le) dont les enregistrements sont dans `donnees`.',
        response: { 200: catalogueSchema },
      },
    },
    async () => {
      const infos = await dumpInfos(db);
      const dump = (name: DatasetName, format: DumpFormat) => {
        const info = infos.find((i) => i.dataset === name && i.format === format);
        return info
          ? {
              url: `${baseUrl}${dumpUrl(name, format)}`,
              produit_le: new Date(info.generated_at).toISOString(),
              lignes: info.row_count,
              octets: info.size_bytes,
              sha256: info.sha256,
            }
          : null;
      };
      return {
        licence: { nom: LICENCE.title, url: LICENCE.path },
        jeux: DATASET_NAMES.map((name) => ({
          nom: name,
          titre: DATASET_INFO[name].title,
          description: DATASET_INFO[name].description,
          schema: schemaUrl(baseUrl, name),
          api: `${baseUrl}${DATASET_INFO[name].api}`,
          csv: dump(name, 'csv'),
          json: dump(name, 'json'),
        })),
      };
    },
  );
}
