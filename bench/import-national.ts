/**
 * The national import measures, each beside a naive baseline in the same run, through the built command
 * (dist/maillage.js) measured from outside by /usr/bin/time (wall time, peak resident memory of the import
 * process alone; the database server's apart):
 *   - national mix (`--lignes`, 2 000 000 establishment lines by default, 5 % of units ESS, a third closed):
 *     lines/s end to end          vs csv-parse reading the same file and filtering it, without writing;
 *   - first import of `--gardees` kept rows (300 000) into an empty database: written rows/s
 *                                  vs row-by-row INSERT of a sample of the same rows, extrapolated;
 *   - re-import of the unchanged files: lines/s and rows rewritten (n_tup_upd + n_tup_ins, must be 0)
 *                                  vs row-by-row UPDATE … WHERE the values differ, on a sample, extrapolated.
 * The database is the embedded server of a temporary data folder, held by this process while it measures.
 *
 *   node scripts/build.mjs && node --import tsx bench/import-national.ts [--lignes N] [--gardees N]
 * Also run by `npm run bench -- --mesures import_national` (bench/run.ts).
 */
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse';
import { sql } from 'drizzle-orm';
import { firstRow, openDatabase, type Database } from '../src/db/database.ts';
import { stopServer } from '../src/db/embedded-server.ts';
import { ETABLISSEMENT_HEADER, writeSireneFiles, type SireneFiles } from './sirene-files.ts';

const root = join(import.meta.dirname, '..');

export interface ImportMeasure {
  id: string;
  mesure: string;
  unite: string;
  valeur: number | null;
  cible: number;
  reference: number | null;
  reference_description: string;
  note: string;
}

interface Timed {
  code: number | null;
  seconds: number;
  peakMb: number | null;
  cpuSeconds: number | null;
  stderr: string;
}

/** `node dist/maillage.js ARGS` under /usr/bin/time -v, as the issue measures it. */
function timedCommand(args: string[], env: NodeJS.ProcessEnv): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('/usr/bin/time', ['-v', process.execPath, join(root, 'dist', 'maillage.js'), ...args], { env, cwd: root });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.resume();
    child.on('error', reject);
    child.on('close', (code) => {
      const number = (label: string) => Number(new RegExp(`${label}: ([\\d.]+)`).exec(stderr)?.[1] ?? Number.NaN);
      const peakKb = number('Maximum resident set size \\(kbytes\\)');
      resolve({
        code,
        seconds: (performance.now() - started) / 1000,
        peakMb: Number.isNaN(peakKb) ? null : Math.round(peakKb / 1024),
        cpuSeconds: Math.round((number('User time \\(seconds\\)') + number('System time \\(seconds\\)')) * 10) / 10,
        stderr,
      });
    });
  });
}

/** Rows inserted and updated in organisation so far (statistics flushed first). */
async function writes(database: Database): Promise<number> {
  await database.db.execute(sql`select pg_stat_force_next_flush()`);
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const row = await firstRow<{ n: number }>(database.db, sql`select (n_tup_ins + n_tup_upd)::int as n from pg_stat_user_tables where relname = 'organisation'`);
  return row?.n ?? 0;
}

async function lastRun(database: Database) {
  return (await firstRow<{ rows_read: number; rows_written: number; rows_inserted: number; seconds: number }>(
    database.db,
    sql`select rows_read::int, rows_written::int, rows_inserted::int,
      extract(epoch from finished_at - started_at)::float8 as seconds from import_run order by id desc limit 1`,
  ))!;
}

/** The naive reading of the national mix: csv-parse, every line cut, the ESS filter on a Set of strings. */
async function csvParseBaseline(files: SireneFiles, essSirens: Set<string>): Promise<number> {
  const started = performance.now();
  const state = ETABLISSEMENT_HEADER.indexOf('etatAdministratifEtablissement');
  let lines = 0;
  let kept = 0;
  const parser = createReadStream(files.etablissements).pipe(parse({ delimiter: ',', relax_quotes: true, relax_column_count: true, from_line: 2 }));
  for await (const record of parser as AsyncIterable<string[]>) {
    lines++;
    if (record[state] === 'A' && essSirens.has(record[0]!)) kept++;
  }
  const rate = lines / ((performance.now() - started) / 1000);
  if (kept === 0) throw new Error('la référence n’a gardé aucune ligne : filtre faux');
  return rate;
}

/** Sample rows written one INSERT (or one compared UPDATE) at a time, extrapolated to rows per second. */
async function rowByRow(database: Database, sample: number, update: boolean): Promise<number> {
  const client = await database.pool.connect();
  try {
    const existing = (
      await client.query<{ siret: string; name: string; naf_code: string | null }>('select siret, name, naf_code from organisation limit $1', [sample])
    ).rows;
    const started = performance.now();
    for (let i = 0; i < sample; i++) {
      if (update) {
        const row = existing[i % existing.length]!;
        await client.query('update organisation set name = $2, naf_code = $3 where siret = $1 and (name, naf_code) is distinct from ($2, $3)', [
          row.siret,
          row.name,
          row.naf_code,
        ]);
      } else {
        const siret = `9${String(i).padStart(13, '0')}`;
        await client.query(
          `insert into organisation (siret, siren, name, source, commune_code, departement_code, region_code)
           select $1, $2, $3, 'référence', code, departement_code, region_code from commune limit 1`,
          [siret, siret.slice(0, 9), `Référence ${i}`],
        );
      }
    }
    const rate = sample / ((performance.now() - started) / 1000);
    await client.query(`delete from organisation where source = 'référence'`);
    return rate;
  } finally {
    client.release();
  }
}

export async function measureNationalImports(options: { lines: number; kept: number; log: (line: string) => void }): Promise<ImportMeasure[]> {
  const { log } = options;
  const work = mkdtempSync(join(tmpdir(), 'maillage-import-bench-'));
  // Its own folder, as newDataDir of the tests: the embedded server's user must be able to traverse it.
  const dataDir = mkdtempSync(join(tmpdir(), 'maillage-import-data-'));
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const env = { ...inherited, MAILLAGE_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  let database: Database | undefined;
  try {
    // This process holds the embedded server, so that each command joins it instead of starting its own.
    database = await openDatabase({ dataDir, poolSize: 2 });
    const migrated = await timedCommand(['migrate'], env);
    if (migrated.code !== 0) throw new Error(`maillage migrate : ${migrated.stderr.slice(-500)}`);
    const measures: ImportMeasure[] = [];

    const mixDir = join(work, 'mix');
    mkdirSync(mixDir);
    log(`Mélange national : ${options.lines.toLocaleString('fr-FR')} lignes d’établissements générées…`);
    const mix = await writeSireneFiles(mixDir, { establishments: options.lines, essShare: 0.05, closedShare: 0.35, seed: 1 });
    const national = await timedCommand(['import', 'sirene', mix.etablissements, mix.unitesLegales, '--rapport', join(work, 'rejets-mix.csv')], env);
    if (national.code !== 0) throw new Error(`import du mélange national : ${national.stderr.slice(-500)}`);
    const nationalRun = await lastRun(database);
    const essSirens = new Set<string>();
    for await (const record of createReadStream(mix.unitesLegales).pipe(parse({ columns: true })) as AsyncIterable<Record<string, string>>) {
      if (record.economieSocialeSolidaireUniteLegale === 'O') essSirens.add(record.siren!);
    }
    const nationalBaseline = await csvParseBaseline(mix, essSirens);
    measures.push({
      id: 'import_national_debit',
      mesure: `Mélange national (${options.lines.toLocaleString('fr-FR')} lignes, 5 % ESS), de bout en bout`,
      unite: 'lignes/s',
      valeur: Math.round(options.lines / national.seconds),
      cible: 150_000,
      reference: Math.round(nationalBaseline),
      reference_description: 'csv-parse seul : lecture et filtre, sans écriture',
      note: `commande ${national.seconds.toFixed(1)} s (processeur ${national.cpuSeconds} s), import_run ${nationalRun.seconds.toFixed(1)} s, ${nationalRun.rows_written} écrites ; RSS max ${national.peakMb} Mo`,
    });
    rmSync(mixDir, { recursive: true, force: true });
    await database.db.execute(sql`truncate organisation cascade`);

    const keptDir = join(work, 'kept');
    mkdirSync(keptDir);
    log(`Premier import : ${options.kept.toLocaleString('fr-FR')} lignes gardées générées…`);
    const kept = await writeSireneFiles(keptDir, { establishments: options.kept, essShare: 1, closedShare: 0, seed: 2 });
    const importArgs = ['import', 'sirene', kept.etablissements, kept.unitesLegales, '--rapport', join(work, 'rejets-kept.csv')];
    const first = await timedCommand(importArgs, env);
    if (first.code !== 0) throw new Error(`premier import : ${first.stderr.slice(-500)}`);
    const firstRun = await lastRun(database);
    const insertBaseline = await rowByRow(database, 2_000, false);
    measures.push({
      id: 'import_premier_debit',
      mesure: `Premier import (${options.kept.toLocaleString('fr-FR')} lignes gardées), base vide`,
      unite: 'lignes écrites/s',
      valeur: Math.round(firstRun.rows_inserted / first.seconds),
      cible: 20_000,
      reference: Math.round(insertBaseline),
      reference_description: 'INSERT ligne à ligne (échantillon de 2 000, extrapolé)',
      note: `commande ${first.seconds.toFixed(1)} s (processeur ${first.cpuSeconds} s), import_run ${firstRun.seconds.toFixed(1)} s, ${firstRun.rows_inserted} insérées`,
    });
    measures.push({
      id: 'import_memoire_processus',
      mesure: 'Mémoire maximale du processus d’import (premier import)',
      unite: 'Mo',
      valeur: first.peakMb,
      cible: 400,
      reference: national.peakMb,
      reference_description: 'le même processus sur le mélange national',
      note: '/usr/bin/time -v, RSS maximal ; le serveur PostgreSQL à part',
    });

    const before = await writes(database);
    const again = await timedCommand(importArgs, env);
    if (again.code !== 0) throw new Error(`réimport : ${again.stderr.slice(-500)}`);
    const rewritten = (await writes(database)) - before;
    const updateBaseline = await rowByRow(database, 2_000, true);
    measures.push({
      id: 'import_reimport_debit',
      mesure: 'Réimport des mêmes fichiers',
      unite: 'lignes/s',
      valeur: Math.round(options.kept / again.seconds),
      cible: 150_000,
      reference: Math.round(updateBaseline),
      reference_description: 'UPDATE ligne à ligne si les valeurs diffèrent (échantillon, extrapolé)',
      note: `commande ${again.seconds.toFixed(1)} s (processeur ${again.cpuSeconds} s) ; lignes réécrites : ${rewritten} ; RSS max ${again.peakMb} Mo`,
    });
    return measures;
  } finally {
    await database?.close();
    await stopServer(dataDir).catch(() => {});
    rmSync(work, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === import.meta.filename) {
  const { values } = parseArgs({ options: { lignes: { type: 'string', default: '2000000' }, gardees: { type: 'string', default: '300000' } } });
  if (!existsSync(join(root, 'dist', 'maillage.js'))) throw new Error('Construisez d’abord : node scripts/build.mjs');
  const measures = await measureNationalImports({ lines: Number(values.lignes), kept: Number(values.gardees), log: console.log });
  console.table(measures.map(({ mesure, unite, valeur, cible, reference }) => ({ mesure, unite, valeur, cible, reference })));
  for (const measure of measures) console.log(`${measure.id} : ${measure.note} ; référence : ${measure.reference_description}`);
}
