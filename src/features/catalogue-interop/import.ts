/**
 * `maillage import dispositifs-aide FICHIER.csv`: schemes from a file of the national schema
 * (etalab/schema-dispositif-aide 0.0.1). Streaming read, every row checked (rejected rows listed with their
 * reason in a CSV report, nothing of them written), written by batches of one transaction each, upserted by
 * id_aide so that importing the same file again updates instead of duplicating.
 */
import { mkdirSync, writeFileSync, appendFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { sql } from 'drizzle-orm';
import { type Database, type Db, checkedFirstRow } from '../../db/database.ts';
import { csvLine, UTF8_BOM, fromCsvText } from '../../web/csv.ts';
import { ImportInputError } from '../import/errors.ts';
import { assertReadableFile, openCsv } from '../import/csv-source.ts';
import type { ImportProgress } from '../import/progress.ts';
import { loadTerritoryIndex } from '../../platform/territory-index.ts';
import { fromSchemaRow, importKey, SCHEMA_FIELDS, SCHEMA_NAME, SCHEMA_VERSION, type ImportedScheme, type SchemaRow } from './mapping.ts';
import { territoryNames } from './territories.ts';
import { z } from 'zod';

export const DEFAULT_BATCH_SIZE = 500;

export interface SchemeRejection {
  line: number;
  idAide: string;
  reason: string;
}

export interface SchemeImportSummary {
  read: number;
  inserted: number;
  updated: number;
  rejected: number;
  reportPath: string;
  durationMs: number;
}

export interface SchemeImportOptions {
  file: string;
  reportPath: string;
  batchSize?: number;
  onProgress?(progress: ImportProgress): void;
}

/** The rejected rows, in French Excel's CSV dialect so that the report opens as is. */
class RejectionReport {
  constructor(
    readonly path: string,
    readonly file: string,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, UTF8_BOM + csvLine(['fichier', 'ligne', 'id_aide', 'motif'], 'excel-fr'));
  }

  add(rejection: SchemeRejection): void {
    appendFileSync(this.path, csvLine([basename(this.file), rejection.line, rejection.idAide, rejection.reason], 'excel-fr'));
  }
}

const jsonText = (values: readonly string[]) => sql`array(select json_array_elements_text(${JSON.stringify(values)}::json))`;

const savedRow = z.object({ id: z.number(), inserted: z.boolean() });

/**
 * Writes one scheme and its porteurs; true when it is new. A scheme exported by Maillage keeps its key and its
 * source (its Maillage block); any other takes a key of its id_aide and the file as its source.
 */
async function upsertScheme(tx: Db, scheme: ImportedScheme, fileSource: string): Promise<boolean> {
  // A Maillage export read back: the scheme of that key is the same one, and takes the id_aide.
  await tx.execute(sql`update dispositif set id_aide = ${scheme.idAide}
    where id_aide is null and key = ${scheme.key} and not exists (select 1 from dispositif where id_aide = ${scheme.idAide})`);
  const saved = await checkedFirstRow(
    tx,
    savedRow,
    sql`insert into dispositif (key, id_aide, name, description,
      types_accompagnement, types_financement, stades, modeles, finalites, modeles_economiques, formes_juridiques, esus_requis,
      couverture_niveau, couverture_codes, montant_min, montant_max, montant_texte, duree_texte, calendrier, conditions, contact, url,
      source, date_verification, statut, champs_interop)
    values (coalesce((select ${scheme.key}::text where not exists (select 1 from dispositif where key = ${scheme.key})), ${importKey(scheme.idAide)}),
      ${scheme.idAide}, ${scheme.nom}, ${scheme.description}, ${jsonText(scheme.typesAccompagnement)},
      ${jsonText(scheme.typesFinancement)}, ${jsonText(scheme.stades)}, ${jsonText(scheme.modeles)}, ${jsonText(scheme.finalites)},
      ${jsonText(scheme.modelesEconomiques)}, ${jsonText(scheme.formesJuridiques)}, ${scheme.esusRequis}, ${scheme.couverture?.niveau ?? null},
      ${jsonText(scheme.couverture?.codes ?? [])}, ${scheme.montantMin}, ${scheme.montantMax}, ${scheme.montantTexte}, ${scheme.dureeTexte},
      ${scheme.calendrier ? JSON.stringify(scheme.calendrier) : null}::jsonb, ${scheme.conditions}, ${scheme.contact}, ${scheme.url},
      ${scheme.source ?? fileSource}, ${scheme.dateVerification}::date, ${scheme.statut}, ${JSON.stringify(scheme.champs)}::jsonb)
    on conflict (id_aide) do update set name = excluded.name, description = excluded.description,
      types_accompagnement = excluded.types_accompagnement, types_financement = excluded.types_financement, stades = excluded.stades,
      modeles = excluded.modeles, finalites = excluded.finalites, modeles_economiques = excluded.modeles_economiques,
      formes_juridiques = excluded.formes_juridiques, esus_requis = excluded.esus_requis,
      couverture_niveau = excluded.couverture_niveau, couverture_codes = excluded.couverture_codes, montant_min = excluded.montant_min,
      montant_max = excluded.montant_max, montant_texte = excluded.montant_texte, duree_texte = excluded.duree_texte,
      calendrier = excluded.calendrier, conditions = excluded.conditions, contact = excluded.contact, url = excluded.url,
      source = excluded.source, date_verification = excluded.date_verification, statut = excluded.statut,
      champs_interop = excluded.champs_interop, updated_at = now()
    returning id::int as id, (xmax = 0) as inserted`,
  );
  await tx.execute(sql`delete from dispositif_porteur where dispositif_id = ${saved!.id}`);
  if (scheme.porteurs.length) {
    await tx.execute(sql`insert into dispositif_porteur (dispositif_id, position, name, siren, organisation_id)
      select ${saved!.id}, p.position, p.nom, p.siren,
        (select o.id from organisation o where p.siren is not null and o.siren = p.siren order by o.id limit 1)
      from json_to_recordset(${JSON.stringify(scheme.porteurs.map((p, position) => ({ ...p, position })))}::json)
        as p(position int, nom text, siren text)`);
  }
  return saved!.inserted;
}

export async function importDispositifsAide(database: Database, options: SchemeImportOptions): Promise<SchemeImportSummary> {
  const started = Date.now();
  const db = database.db;
  assertReadableFile(options.file, 'Fichier de dispositifs');
  const names = territoryNames(await loadTerritoryIndex(db));
  const report = new RejectionReport(options.reportPath, options.file);
  const counts = { read: 0, inserted: 0, updated: 0, rejected: 0 };
  const reject = (rejection: SchemeRejection) => {
    counts.rejected++;
    report.add(rejection);
  };
  const csv = await openCsv(options.file, { onMalformed: (line, reason) => reject({ line, idAide: '', reason }) });
  const columns = new Map(csv.header.map((name, i) => [name, i]));
  if (!columns.has('id_aide') || !(columns.has('nom_aide') || columns.has('nom_aide_normalise'))) {
    csv.close();
    throw new ImportInputError(`Ce fichier ne suit pas le schéma ${SCHEMA_NAME} : les colonnes id_aide et nom_aide sont nécessaires (${options.file}).`);
  }
  const fileSource = `Import du fichier « ${basename(options.file)} » au format ${SCHEMA_NAME} ${SCHEMA_VERSION} (etalab), le ${new Date().toISOString().slice(0, 10)}`;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const seen = new Map<string, number>();
  let batch: ImportedScheme[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const written = batch;
    batch = [];
    await db.transaction(async (tx) => {
      for (const scheme of written) {
        if (await upsertScheme(tx as unknown as Db, scheme, fileSource)) counts.inserted++;
        else counts.updated++;
      }
    });
  };

  for await (const record of csv.records) {
    counts.read++;
    const row = Object.fromEntries(
      SCHEMA_FIELDS.map((field) => {
        const index = columns.get(field);
        return [field, index === undefined ? '' : fromCsvText(record.fields[index]!.trim())];
      }),
    ) as SchemaRow;
    const result = fromSchemaRow(row, names);
    if (!result.ok) {
      reject({ line: record.line, idAide: row.id_aide, reason: result.reasons.join(' ; ') });
    } else if (seen.has(result.scheme.idAide)) {
      reject({ line: record.line, idAide: row.id_aide, reason: `id_aide déjà présent ligne ${seen.get(result.scheme.idAide)} de ce fichier` });
    } else {
      seen.set(result.scheme.idAide, record.line);
      batch.push(result.scheme);
      if (batch.length >= batchSize) await flush();
    }
    options.onProgress?.({ phase: 'lignes', rowsRead: counts.read, bytesRead: csv.bytesRead(), totalBytes: csv.size });
  }
  await flush();
  return { ...counts, reportPath: options.reportPath, durationMs: Date.now() - started };
}

const number = (value: number) => value.toLocaleString('fr-FR');

export function formatSchemeSummary(summary: SchemeImportSummary): string {
  return [
    `Import des dispositifs terminé en ${(summary.durationMs / 1000).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} s`,
    `  lignes lues : ${number(summary.read)}`,
    `  dispositifs ajoutés : ${number(summary.inserted)}`,
    `  dispositifs mis à jour : ${number(summary.updated)}`,
    `  lignes rejetées : ${number(summary.rejected)}`,
    `Rapport des rejets : ${summary.reportPath}`,
  ].join('\n');
}
