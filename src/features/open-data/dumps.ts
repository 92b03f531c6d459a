/**
 * Full dumps of the public datasets, CSV and JSON, gzip-compressed, written by the scheduled job
 * `open-data.refresh` (every day, and at the first start; a download asked before that run builds its dataset). Each dataset is read once, inside one REPEATABLE
 * READ snapshot, into both formats, then both files replace the previous ones in one transaction: a download
 * gets a whole file, and the two formats of a dataset always hold the same rows. Every file states the
 * Licence Ouverte: the CSV on a first comment line (« # », the `commentChar` of its CSV dialect), the JSON in
 * its `licence` member.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createGzip, type Gzip } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { checkedRows, column, type Db } from '../../db/database.ts';
import type { JobHandler } from '../../platform/jobs/queue.ts';
import { csvLine } from '../../web/csv.ts';
import { datasetBatches } from './datasets.ts';
import { DATASET_FIELDS, DATASET_INFO, DATASET_NAMES, LICENCE, type DatasetName } from './table-schemas.ts';

export const OPEN_DATA_JOB = 'open-data.refresh';
export const DUMP_FORMATS = ['csv', 'json'] as const;
export type DumpFormat = (typeof DUMP_FORMATS)[number];

/** The CSV dialect of the dumps, as a Frictionless CSV Dialect. */
export const CSV_DIALECT = { delimiter: ',', lineTerminator: '\r\n', quoteChar: '"', doubleQuote: true, header: true, commentChar: '#' } as const;

export const schemaUrl = (baseUrl: string, name: DatasetName) => `${baseUrl}/donnees/schemas/${name}.json`;

/** A gzip stream whose output is gathered in memory (a dump is a few megabytes compressed at national scale). */
function gatheringGzip(): { gzip: Gzip; done: Promise<Buffer> } {
  const gzip = createGzip({ level: 6 });
  const chunks: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    gzip.on('end', () => resolve(Buffer.concat(chunks)));
    gzip.on('error', reject);
  });
  return { gzip, done };
}

/** Writes and waits while the compressor is behind, so the uncompressed text never piles up in memory. */
async function put(gzip: Gzip, text: string): Promise<void> {
  if (!gzip.write(text)) await once(gzip, 'drain');
}

interface Built {
  rows: number;
  csv: Buffer;
  json: Buffer;
}

async function build(db: Db, name: DatasetName, baseUrl: string, generatedAt: Date): Promise<Built> {
  const fields = DATASET_FIELDS[name].map((f) => f.name);
  const stamp = `${generatedAt.toISOString().slice(0, 19)}Z`;
  const csv = gatheringGzip();
  const json = gatheringGzip();
  await put(
    csv.gzip,
    `# ${LICENCE.title} (Etalab) ${LICENCE.path} — Maillage, jeu « ${DATASET_INFO[name].title} » produit le ${stamp} — schéma ${schemaUrl(baseUrl, name)}\r\n`,
  );
  await put(csv.gzip, csvLine(fields, 'rfc4180'));
  const head = {
    licence: { nom: LICENCE.title, url: LICENCE.path },
    producteur: 'Maillage',
    jeu: name,
    titre: DATASET_INFO[name].title,
    schema: schemaUrl(baseUrl, name),
    genere_le: stamp,
  };
  await put(json.gzip, `${JSON.stringify(head).slice(0, -1)},"donnees":[\n`);
  let rows = 0;
  for await (const batch of datasetBatches(db, name)) {
    await put(
      csv.gzip,
      batch
        .map((row) =>
          csvLine(
            fields.map((f) => row[f]),
            'rfc4180',
          ),
        )
        .join(''),
    );
    await put(
      json.gzip,
      batch.map((row, i) => (rows + i === 0 ? '' : ',\n') + JSON.stringify(Object.fromEntries(fields.map((f) => [f, row[f] ?? null])))).join(''),
    );
    rows += batch.length;
  }
  await put(json.gzip, '\n]}\n');
  csv.gzip.end();
  json.gzip.end();
  return { rows, csv: await csv.done, json: await json.done };
}

const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

/** Writes both dumps of one dataset from one snapshot, in one transaction. */
export async function refreshDataset(db: Db, name: DatasetName, baseUrl: string, now: Date): Promise<void> {
  await db.transaction(
    async (tx) => {
      const built = await build(tx, name, baseUrl, now);
      for (const format of DUMP_FORMATS) {
        const content = built[format];
        await tx.execute(sql`
          insert into open_data_dump (dataset, format, generated_at, row_count, size_bytes, sha256, content)
          values (${name}, ${format}, ${now.toISOString()}::timestamptz, ${built.rows}, ${content.length}, ${sha256(content)}, ${content})
          on conflict (dataset, format) do update set generated_at = excluded.generated_at, row_count = excluded.row_count,
            size_bytes = excluded.size_bytes, sha256 = excluded.sha256, content = excluded.content`);
      }
    },
    { isolationLevel: 'repeatable read' },
  );
}

/** Writes the dumps of every dataset (each dataset in its own snapshot and transaction). */
export async function refreshDumps(db: Db, baseUrl: string, now: Date): Promise<void> {
  for (const name of DATASET_NAMES) await refreshDataset(db, name, baseUrl, now);
}

export function openDataJob(baseUrl: string): JobHandler {
  return {
    everySeconds: 24 * 3600,
    run: (_payload, { db, now }) => refreshDumps(db, baseUrl, now),
  };
}

const dumpInfoRow = z.object({
  dataset: z.enum(DATASET_NAMES as [DatasetName, ...DatasetName[]]),
  format: z.enum(DUMP_FORMATS),
  generated_at: column.instant,
  row_count: z.number().int(),
  size_bytes: z.number().int(),
  sha256: z.string(),
});
export type DumpInfo = z.infer<typeof dumpInfoRow>;

/** What the last dumps are (date, rows, size), without their content. */
export async function dumpInfos(db: Db): Promise<DumpInfo[]> {
  return checkedRows(db, dumpInfoRow, sql`select dataset, format, generated_at, row_count, size_bytes, sha256 from open_data_dump order by dataset, format`);
}

const contentRow = dumpInfoRow.extend({ content: z.instanceof(Buffer) });

export async function dumpContent(db: Db, name: DatasetName, format: DumpFormat) {
  const [found] = await checkedRows(
    db,
    contentRow,
    sql`select dataset, format, generated_at, row_count, size_bytes, sha256, content from open_data_dump where dataset = ${name} and format = ${format}`,
  );
  return found;
}
