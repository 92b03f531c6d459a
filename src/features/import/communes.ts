/**
 * `maillage import communes`: the centres of the communes, from the geo.api.gouv.fr JSON format
 * (`[{ code, centre: { type: 'Point', coordinates: [lon, lat] } }]`, e.g. /communes?fields=code,centre) or a CSV
 * with code_commune_INSEE, latitude and longitude columns (the « communes-departement-region » file of
 * data.gouv.fr). Organisations without coordinates are then placed at the centre of their commune. The
 * file is small (about 35 000 communes): it is read whole and written in one transaction.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { checkedFirstRow, countRow, jsonRecords, type Database, type Db } from '../../db/database.ts';
import { assertReadableFile, openCsv, readFirstLine } from './csv-source.ts';
import { ImportInputError } from './errors.ts';
import { RejectionReport, type Rejection } from './report.ts';
import { loadCommuneDepartements } from './validation.ts';

export interface CommuneCentresSummary {
  read: number;
  communesUpdated: number;
  /** Arrondissements municipaux given the centre of their commune because the file had none for them. */
  arrondissementsFromParent: number;
  organisationsPlaced: number;
  rejected: number;
  reportPath: string;
  durationMs: number;
}

interface Centre {
  code: string;
  latitude: number;
  longitude: number;
}

/** One entry of the file: its position (line or element number), code and coordinates as found. */
interface RawCentre {
  line: number;
  code: string;
  latitude: unknown;
  longitude: unknown;
}

interface GeoApiCommune {
  code?: unknown;
  centre?: { coordinates?: unknown[] };
}

function readGeoApiJson(path: string): RawCentre[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ImportInputError(`JSON illisible (${path}) : ${error instanceof Error ? error.message : error}`);
  }
  if (!Array.isArray(parsed)) throw new ImportInputError(`Le JSON doit être une liste de communes (format geo.api.gouv.fr) : ${path}`);
  return (parsed as GeoApiCommune[]).map((item, index) => ({
    line: index + 1,
    code: String(item?.code ?? ''),
    longitude: item?.centre?.coordinates?.[0],
    latitude: item?.centre?.coordinates?.[1],
  }));
}

const CSV_COLUMNS = { code: ['code_commune_insee', 'code_insee', 'code'], latitude: ['latitude', 'lat'], longitude: ['longitude', 'lon', 'lng'] };

async function readCentresCsv(path: string, rejections: Rejection[]): Promise<RawCentre[]> {
  const file = await openCsv(path, { onMalformed: (line, reason) => rejections.push({ file: path, line, siret: '', reason }) });
  try {
    const lower = file.header.map((name) => name.toLowerCase());
    const find = (names: string[]) => lower.findIndex((name) => names.includes(name));
    const at = { code: find(CSV_COLUMNS.code), latitude: find(CSV_COLUMNS.latitude), longitude: find(CSV_COLUMNS.longitude) };
    if (Object.values(at).some((index) => index < 0)) {
      throw new ImportInputError(`Le CSV doit avoir les colonnes code_commune_INSEE, latitude et longitude (en-tête : ${file.header.join(', ')})`);
    }
    const centres: RawCentre[] = [];
    for await (const { line, fields } of file.records) {
      centres.push({ line, code: fields[at.code]!.trim(), latitude: fields[at.latitude]!.trim(), longitude: fields[at.longitude]!.trim() });
    }
    return centres;
  } finally {
    file.close();
  }
}

const coordinate = (value: unknown, limit: number): number | null => {
  const number = typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value.replace(',', '.')) : NaN;
  return Number.isFinite(number) && Math.abs(number) <= limit ? number : null;
};

/** Valid centres, one per commune (the CSV repeats a commune for each of its postal codes: the first wins). */
function checkCentres(raw: RawCentre[], communes: ReadonlyMap<string, string>, path: string, rejections: Rejection[]): Centre[] {
  const centres = new Map<string, Centre>();
  for (const entry of raw) {
    const code = /^\d{4}$/.test(entry.code) ? `0${entry.code}` : entry.code;
    const latitude = coordinate(entry.latitude, 90);
    const longitude = coordinate(entry.longitude, 180);
    const reason = !communes.has(code) ? `commune inconnue du COG : ${code}` : latitude === null || longitude === null ? 'coordonnées invalides' : null;
    if (reason) rejections.push({ file: path, line: entry.line, siret: '', reason });
    else if (!centres.has(code)) centres.set(code, { code, latitude: latitude!, longitude: longitude! });
  }
  return [...centres.values()];
}

const count = async (tx: Db, query: ReturnType<typeof sql>) => (await checkedFirstRow(tx, countRow, query))!.n;

async function writeCentres(tx: Db, centres: Centre[]) {
  const communesUpdated = await count(
    tx,
    sql`with updated as (
      update commune c set latitude = r.latitude, longitude = r.longitude
      from json_to_recordset(${jsonRecords(centres)}) as r(code text, latitude float8, longitude float8)
      where c.code = r.code returning 1)
    select count(*)::int as n from updated`,
  );
  // geo.api.gouv.fr lists Paris, Lyon and Marseille, not their arrondissements, where SIRENE puts establishments.
  const arrondissementsFromParent = await count(
    tx,
    sql`with updated as (
      update commune a set latitude = p.latitude, longitude = p.longitude
      from commune p where a.parent_code = p.code and a.latitude is null and p.latitude is not null returning 1)
    select count(*)::int as n from updated`,
  );
  const organisationsPlaced = await count(
    tx,
    sql`with updated as (
      update organisation o set latitude = c.latitude, longitude = c.longitude, updated_at = now()
      from commune c where o.commune_code = c.code and o.latitude is null and c.latitude is not null returning 1)
    select count(*)::int as n from updated`,
  );
  return { communesUpdated, arrondissementsFromParent, organisationsPlaced };
}

export async function importCommuneCentres(database: Database, options: { file: string; reportPath: string }): Promise<CommuneCentresSummary> {
  const started = performance.now();
  const path = resolve(options.file);
  assertReadableFile(path, 'Fichier des communes');
  const rejections: Rejection[] = [];
  const isJson = readFirstLine(path).trimStart().startsWith('[');
  const raw = isJson ? readGeoApiJson(path) : await readCentresCsv(path, rejections);
  const centres = checkCentres(raw, await loadCommuneDepartements(database.db), path, rejections);
  const written = await database.db.transaction(async (tx) => {
    const result = await writeCentres(tx as Db, centres);
    await tx.execute(sql`insert into import_run (kind, files, status, rows_read, rows_written, rows_rejected, report_path, finished_at)
      values ('communes', ${JSON.stringify([path])}::jsonb, 'done', ${raw.length}, ${result.communesUpdated}, ${rejections.length},
              ${options.reportPath}, now())`);
    return result;
  });
  new RejectionReport(options.reportPath, false).add(rejections);
  return { read: raw.length, ...written, rejected: rejections.length, reportPath: options.reportPath, durationMs: performance.now() - started };
}

export function formatCommunesSummary(summary: CommuneCentresSummary): string {
  const number = (value: number) => value.toLocaleString('fr-FR');
  return [
    `Centres des communes importés en ${(summary.durationMs / 1000).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} s`,
    `  entrées lues : ${number(summary.read)}`,
    `  communes mises à jour : ${number(summary.communesUpdated)}`,
    `  arrondissements placés au centre de leur commune : ${number(summary.arrondissementsFromParent)}`,
    `  organisations sans coordonnées placées au centre de leur commune : ${number(summary.organisationsPlaced)}`,
    `  rejetées : ${number(summary.rejected)}`,
    `Rapport des rejets : ${summary.reportPath}`,
  ].join('\n');
}
