/**
 * `maillage import csv`: any CSV of organisations, given a mapping from Maillage fields to the file's
 * column names (`--colonnes siret=SIRET,name=Raison sociale,commune_code=Code INSEE`). Same checks,
 * batches, journal and report as the SIRENE import; an update only overwrites the mapped fields.
 */
import { basename, resolve } from 'node:path';
import { statutEss, trancheEffectif } from '../../domain/organisation.ts';
import { normaliseNaf, secteurFromNaf } from '../../domain/sector.ts';
import { normaliseIdentifier } from '../../domain/siret.ts';
import type { Database } from '../../db/database.ts';
import { assertReadableFile, openCsv, type CsvFile } from './csv-source.ts';
import { ImportInputError } from './errors.ts';
import { runJournaled, type BatchInfo, type ImportSetup, type Outcome, type Pipeline } from './pipeline.ts';
import type { ImportProgress } from './progress.ts';
import type { ImportSummary } from './report.ts';
import { communeProblem, loadCommuneDepartements, MAX_NAME_LENGTH, siretProblem } from './validation.ts';
import type { OrganisationColumn, OrganisationRow } from './writer.ts';

/** The Maillage fields a column can be mapped to. */
export const MAPPABLE_FIELDS = [
  'siret',
  'name',
  'commune_code',
  'legal_form',
  'statut_ess',
  'naf_code',
  'tranche_effectif',
  'latitude',
  'longitude',
  'address',
  'website',
  'description',
] as const;
export type MappableField = (typeof MAPPABLE_FIELDS)[number];
export type ColumnMapping = Partial<Record<MappableField, string>>;

const REQUIRED_FIELDS: MappableField[] = ['siret', 'name'];

export interface CsvImportOptions {
  file: string;
  mapping: ColumnMapping;
  /** Forced separator; detected from the header by default. */
  delimiter?: ',' | ';';
  batchSize?: number;
  resume?: boolean;
  reportPath: string;
  onProgress?: (progress: ImportProgress) => void;
  onBatch?: (info: BatchInfo) => void | Promise<void>;
}

/** Reads `siret=SIRET,name=Raison sociale`; a column name cannot itself hold a comma. */
export function parseColumnMapping(text: string): ColumnMapping {
  const mapping: ColumnMapping = {};
  for (const pair of text.split(',').filter((part) => part.trim() !== '')) {
    const equals = pair.indexOf('=');
    const field = pair.slice(0, equals).trim();
    const column = pair.slice(equals + 1).trim();
    if (equals < 0 || !column) throw new ImportInputError(`Correspondance de colonnes illisible : « ${pair} » (attendu champ=Nom de colonne)`);
    if (!(MAPPABLE_FIELDS as readonly string[]).includes(field)) {
      throw new ImportInputError(`Champ inconnu dans --colonnes : ${field} (champs possibles : ${MAPPABLE_FIELDS.join(', ')})`);
    }
    mapping[field as MappableField] = column;
  }
  const missing = REQUIRED_FIELDS.filter((field) => !mapping[field]);
  if (missing.length > 0) throw new ImportInputError(`--colonnes doit indiquer la colonne de : ${missing.join(', ')}`);
  if (Boolean(mapping.latitude) !== Boolean(mapping.longitude)) {
    throw new ImportInputError('--colonnes doit indiquer latitude et longitude ensemble');
  }
  return mapping;
}

function mappedIndexes(file: CsvFile, mapping: ColumnMapping): Partial<Record<MappableField, number>> {
  const entries = Object.entries(mapping) as [MappableField, string][];
  const missing = entries.filter(([, column]) => !file.header.includes(column)).map(([, column]) => column);
  if (missing.length > 0) {
    throw new ImportInputError(
      `Colonne${missing.length > 1 ? 's' : ''} absente${missing.length > 1 ? 's' : ''} du fichier : ` +
        `${missing.join(', ')} (en-tête : ${file.header.join(', ')})`,
    );
  }
  return Object.fromEntries(entries.map(([field, column]) => [field, file.header.indexOf(column)]));
}

/** A decimal number as people type it in France (comma) or not; null when empty. */
function decimal(text: string): number | null | undefined {
  if (!text) return null;
  const value = Number(text.replace(',', '.'));
  return Number.isFinite(value) ? value : undefined;
}

type Checked<T> = { value: T } | { problem: string };

const optionalCode = (text: string, valid: (code: string) => boolean, label: string): Checked<string | null> =>
  !text ? { value: null } : valid(text) ? { value: text } : { problem: `${label} invalide : ${text}` };

/** Each mapped field turned into its column value, or the reason the row is refused. */
const FIELD_CHECKS: Record<Exclude<MappableField, 'siret' | 'name' | 'commune_code' | 'latitude' | 'longitude'>, (text: string) => Checked<string | null>> = {
  legal_form: (text) => optionalCode(text, (code) => /^\d{2}(\d{2})?$/.test(code), 'forme juridique'),
  statut_ess: (text) => optionalCode(text, (code) => code in statutEss.labels, `statut ESS (valeurs : ${statutEss.codes.join(', ')})`),
  // Spreadsheets drop the leading zero of « 01 ».
  tranche_effectif: (text) => optionalCode(text.length === 1 ? `0${text}` : text, (code) => code in trancheEffectif.labels, "tranche d'effectif"),
  naf_code: (text) => (!text ? { value: null } : normaliseNaf(text) ? { value: normaliseNaf(text) } : { problem: `code NAF invalide : ${text}` }),
  website: (text) => optionalCode(text, (url) => /^https?:\/\/\S+$/i.test(url), 'site web (http:// ou https:// attendu)'),
  address: (text) => ({ value: text || null }),
  description: (text) => ({ value: text || null }),
};

/** Both coordinates or neither, in range. */
function coordinates(latitudeText: string, longitudeText: string): Checked<{ latitude: number | null; longitude: number | null }> {
  const latitude = decimal(latitudeText);
  const longitude = decimal(longitudeText);
  const valid =
    latitude !== undefined &&
    longitude !== undefined &&
    (latitude === null) === (longitude === null) &&
    (latitude === null || (Math.abs(latitude) <= 90 && Math.abs(longitude!) <= 180));
  return valid ? { value: { latitude, longitude: longitude! } } : { problem: `coordonnées invalides : ${latitudeText} ; ${longitudeText}` };
}

function nameProblem(name: string): string | null {
  if (!name) return 'nom absent';
  return name.length > MAX_NAME_LENGTH ? `nom trop long (plus de ${MAX_NAME_LENGTH} caractères)` : null;
}

function csvConverter(file: CsvFile, mapping: ColumnMapping, communes: ReadonlyMap<string, string>) {
  const at = mappedIndexes(file, mapping);
  const source = `Import CSV : ${basename(file.path)}`;
  const checks = (Object.entries(FIELD_CHECKS) as [keyof typeof FIELD_CHECKS, (text: string) => Checked<string | null>][]).filter(
    ([field]) => at[field] !== undefined,
  );
  return (fields: string[]): Outcome => {
    const text = (field: MappableField) => (at[field] === undefined ? '' : fields[at[field]]!.trim());
    const siret = normaliseIdentifier(text('siret'));
    const name = text('name');
    // Spreadsheets drop the leading zero of « 01004 ».
    const commune = text('commune_code').replace(/^(\d{4})$/, '0$1');
    const problem = siretProblem(siret) ?? nameProblem(name) ?? (commune ? communeProblem(commune, communes) : null);
    if (problem) return { rejected: problem, siret };
    const row: OrganisationRow = { siret, siren: siret.slice(0, 9), name, source };
    if (at.commune_code !== undefined) row.commune_code = commune || null;
    for (const [field, check] of checks) {
      const checked = check(text(field));
      if ('problem' in checked) return { rejected: checked.problem, siret };
      row[field] = checked.value;
    }
    if (at.naf_code !== undefined) row.secteur = secteurFromNaf(row.naf_code);
    if (at.latitude !== undefined) {
      const checked = coordinates(text('latitude'), text('longitude'));
      if ('problem' in checked) return { rejected: checked.problem, siret };
      Object.assign(row, checked.value);
    }
    return { row };
  };
}

/** Columns an update overwrites: the mapped ones and what derives from them. */
function providedColumns(mapping: ColumnMapping): OrganisationColumn[] {
  const mapped = Object.keys(mapping) as MappableField[];
  return ['siren', 'source', ...mapped, ...(mapping.naf_code ? (['secteur'] as const) : [])];
}

export async function importCsv(database: Database, options: CsvImportOptions): Promise<ImportSummary> {
  const path = resolve(options.file);
  assertReadableFile(path, 'Fichier CSV');
  let pipeline: Pipeline | undefined;
  const file = await openCsv(path, { delimiter: options.delimiter, onMalformed: (line, reason) => pipeline!.malformed(path, line, reason) });
  try {
    const convert = csvConverter(file, options.mapping, await loadCommuneDepartements(database.db));
    const setup: ImportSetup = {
      identity: { kind: 'csv', files: [path], options: { mapping: options.mapping, delimiter: file.delimiter } },
      resume: options.resume,
      reportPath: options.reportPath,
      batchSize: options.batchSize,
      provided: providedColumns(options.mapping),
      onBatch: options.onBatch,
    };
    return await runJournaled(database, setup, async (started) => {
      pipeline = started;
      let rowsRead = 0;
      for await (const { line, fields } of file.records) {
        if (++rowsRead % 1000 === 0) options.onProgress?.({ phase: 'lignes', rowsRead, bytesRead: file.bytesRead(), totalBytes: file.size });
        if (line <= started.resumeAfter) continue;
        if (started.add(path, line, convert(fields))) await started.flush();
      }
    });
  } finally {
    file.close();
  }
}
