/**
 * Which CSV reader for the imports, by measurement: the establishment file of a generated national mix
 * (5 % of units ESS), read with each candidate, each record going through the drop path of the import (its
 * SIREN looked up in the set of ESS units, the line dropped when absent). Also checks that every candidate
 * gives the same records as csv-parse. Candidates: csv-parse (the import's first reader), fast-csv,
 * the hand-written splitter of src/features/import/csv-lines.ts, and reading the file alone (the ceiling).
 *
 *   node --import tsx bench/import-parsers.ts [--lignes 500000]
 */
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse';
import { parse as fastCsv } from 'fast-csv';
import { csvLineSplitter, FieldPicker } from '../src/features/import/csv-lines.ts';
import { ETABLISSEMENT_HEADER, UNITE_LEGALE_HEADER, writeSireneFiles } from './sirene-files.ts';

const { values } = parseArgs({ options: { lignes: { type: 'string', default: '500000' } } });
const lines = Number(values.lignes);

type Sink = (fields: string[]) => void;

async function readOnly(path: string): Promise<number> {
  let count = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) {
    for (let at = (chunk as Buffer).indexOf(10); at !== -1; at = (chunk as Buffer).indexOf(10, at + 1)) count++;
  }
  return count;
}

async function withCsvParse(path: string, sink: Sink): Promise<void> {
  const parser = createReadStream(path, { highWaterMark: 256 * 1024 }).pipe(
    parse({ delimiter: ',', bom: true, info: true, relax_quotes: true, relax_column_count: true, skip_empty_lines: true, skip_records_with_error: true }),
  );
  for await (const { record } of parser) sink(record as string[]);
}

async function withFastCsv(path: string, sink: Sink): Promise<void> {
  const parser = createReadStream(path, { highWaterMark: 256 * 1024 }).pipe(fastCsv({ delimiter: ',', ignoreEmpty: true }));
  for await (const record of parser) sink(record as string[]);
}

async function withSplitter(path: string, sink: Sink): Promise<void> {
  const splitter = csvLineSplitter(',');
  for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) {
    for (const record of splitter.push(chunk as Buffer)) sink(record.fields);
  }
  for (const record of splitter.end()) sink(record.fields);
}

/** The import's drop path: the SIRET read in the raw line's bytes, the other lines decoded and cut only when kept. */
async function withDropPath(path: string, sink: Sink, ess: Set<number>): Promise<void> {
  const splitter = csvLineSplitter(',');
  const siret = ETABLISSEMENT_HEADER.indexOf('siret');
  const picker = new FieldPicker(44, ETABLISSEMENT_HEADER.length, [siret]);
  splitter.drop = (bytes, start, end) => {
    if (!picker.pick(bytes, start, end)) return undefined;
    return ess.has(Math.floor(picker.digits(bytes, 0, 14) / 100_000)) ? undefined : 'notEss';
  };

  for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) {
    for (const record of splitter.push(chunk as Buffer)) if (record.dropped === undefined) sink(record.fields);
  }
  for (const record of splitter.end()) if (record.dropped === undefined) sink(record.fields);
}

const dir = mkdtempSync(join(tmpdir(), 'maillage-parsers-'));
try {
  const files = await writeSireneFiles(dir, { establishments: lines, essShare: 0.05, closedShare: 0.35 });
  const ess = new Set<number>();
  const unitSplitter = csvLineSplitter(',');
  const essColumn = UNITE_LEGALE_HEADER.indexOf('economieSocialeSolidaireUniteLegale');
  for (const { fields } of unitSplitter.push(readFileSync(files.unitesLegales))) if (fields[essColumn] === 'O') ess.add(Number(fields[0]));
  const candidates: [string, (path: string, sink: Sink) => Promise<void>][] = [
    ['csv-parse 7', withCsvParse],
    ['fast-csv 5', withFastCsv],
    ['découpage maison (csv-lines.ts)', withSplitter],
  ];
  console.log(`Fichier des établissements : ${lines.toLocaleString('fr-FR')} lignes, ${files.units.toLocaleString('fr-FR')} unités, 5 % ESS`);
  let started = performance.now();
  await readOnly(files.etablissements);
  const table: { candidat: string; 'lignes/s': number; gardees: number; empreinte: string }[] = [
    { candidat: 'lecture seule (plafond)', 'lignes/s': Math.round(lines / ((performance.now() - started) / 1000)), gardees: 0, empreinte: '' },
  ];
  for (let pass = 0; pass < 2; pass++) {
    let keptRows = 0;
    started = performance.now();
    await withDropPath(files.etablissements, (fields) => void (ess.has(Number(fields[0])) && keptRows++), ess);
    if (pass === 1)
      table.push({
        candidat: 'découpage maison + chemin de rejet en octets (FieldPicker)',
        'lignes/s': Math.round(lines / ((performance.now() - started) / 1000)),
        gardees: keptRows,
        empreinte: '',
      });
  }
  for (const [name, read] of candidates) {
    let keptRows = 0;
    started = performance.now();
    await read(files.etablissements, (fields) => {
      if (ess.has(Number(fields[0]))) keptRows++;
    });
    const rate = Math.round(lines / ((performance.now() - started) / 1000));
    // The same records? Checked on a second pass, so that hashing does not weigh on the rate.
    const hash = createHash('sha1');
    await read(files.etablissements, (fields) => void hash.update(fields.join('\u0001')));
    table.push({ candidat: name, 'lignes/s': rate, gardees: keptRows, empreinte: hash.digest('hex').slice(0, 12) });
  }
  console.table(table);
  const prints = new Set(table.filter((row) => row.empreinte).map((row) => row.empreinte));
  console.log(
    prints.size === 1 ? 'Tous les candidats lisent les mêmes enregistrements.' : 'ATTENTION : les candidats ne lisent pas les mêmes enregistrements.',
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
