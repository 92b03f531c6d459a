/**
 * `maillage import sirene`: the two INSEE SIRENE stock files, joined on the SIREN.
 *
 * The legal units are read first into a compact index (legal-units.ts), then the establishments are
 * streamed, filtered (active establishments of units flagged ESS, or of every unit with keepAll), turned
 * into organisations and upserted by SIRET in batches (pipeline.ts).
 *
 * The name of an organisation is the establishment's own when it has one (denominationUsuelleEtablissement,
 * else enseigne1Etablissement: « Épicerie solidaire de … » says more on a map than its association's
 * name), else the legal unit's (denomination, or « prénom nom » for a person).
 * Closed establishments are never imported: an organisation has no state column, it would look active.
 * A re-import skips, before converting them, the lines whose digest is the one their row keeps (line-digest.ts).
 */
import { resolve } from 'node:path';
import type pg from 'pg';
import { legalToWgs84, parseProjectedCoordinate } from '../../domain/coordinates.ts';
import { statutEssFromSirene, trancheEffectif } from '../../domain/organisation.ts';
import { normaliseNaf, secteurFromNaf } from '../../domain/sector.ts';
import type { Database } from '../../db/database.ts';
import { FieldPicker, type LineDropper } from './csv-lines.ts';
import { assertReadableFile, columnIndexes, openCsv, type CsvFile } from './csv-source.ts';
import { LEGAL_UNIT_COLUMNS, published, readLegalUnits, type LegalUnitIndex } from './legal-units.ts';
import { organisationsEmpty } from './bulk-load.ts';
import { ByteDigest, readStoredDigests, NumberTable } from './line-digest.ts';
import { runJournaled, type BatchInfo, type ImportSetup, type Outcome, type Pipeline } from './pipeline.ts';
import type { ImportProgress } from './progress.ts';
import type { ImportSummary } from './report.ts';
import { communeProblem, loadCommuneDepartements, siretProblem } from './validation.ts';
import type { OrganisationColumn } from './writer.ts';

export const SIRENE_SOURCE = 'INSEE, base SIRENE (stock)';

export interface SireneImportOptions {
  /** StockEtablissement_utf8.csv */
  etablissements: string;
  /** StockUniteLegale_utf8.csv */
  unitesLegales: string;
  /** Every unit, not only those flagged ESS (--tous). */
  keepAll?: boolean;
  batchSize?: number;
  /** Continue the last unfinished import of the same files and options (--reprendre). */
  resume?: boolean;
  reportPath: string;
  onProgress?: (progress: ImportProgress) => void;
  onBatch?: (info: BatchInfo) => void | Promise<void>;
}

const PROGRESS_EVERY = 1000;

const ESTABLISHMENT_COLUMNS = ['siret', 'codeCommuneEtablissement', 'etatAdministratifEtablissement'] as const;
/** Columns read when present: older stocks lack the coordinates, for instance. */
const OPTIONAL_COLUMNS = [
  'activitePrincipaleEtablissement',
  'nomenclatureActivitePrincipaleEtablissement',
  'trancheEffectifsEtablissement',
  'denominationUsuelleEtablissement',
  'enseigne1Etablissement',
  'coordonneeLambertAbscisseEtablissement',
  'coordonneeLambertOrdonneeEtablissement',
  'complementAdresseEtablissement',
  'numeroVoieEtablissement',
  'indiceRepetitionEtablissement',
  'typeVoieEtablissement',
  'libelleVoieEtablissement',
  'codePostalEtablissement',
  'libelleCommuneEtablissement',
] as const;

const PROVIDED: OrganisationColumn[] = [
  'siret',
  'siren',
  'name',
  'legal_form',
  'statut_ess',
  'naf_code',
  'secteur',
  'tranche_effectif',
  'commune_code',
  'latitude',
  'longitude',
  'address',
  'source',
];

const CLOSED = { ignored: 'closed' } as const satisfies Outcome;
const NOT_ESS = { ignored: 'notEss' } as const satisfies Outcome;
const UNCHANGED = { unchanged: true } as const satisfies Outcome;
/** The drop path's name for a line whose digest is its row's. */
const SAME_DIGEST = 'unchanged';
/**
 * Goes into every line's digest: raise it when the conversion of a line changes, so that the next import
 * converts every line again instead of keeping rows made the old way.
 */
const CONVERSION_VERSION = 1;
const UNIT_MISSING = 'unité légale absente du fichier des unités légales';

type Fields = string[];

/** Turns an establishment row into what to do with it. */
function establishmentConverter(file: CsvFile, units: LegalUnitIndex, communes: ReadonlyMap<string, string>) {
  const at = columnIndexes(file, ESTABLISHMENT_COLUMNS, 'Fichier des établissements');
  const optional = Object.fromEntries(OPTIONAL_COLUMNS.map((name) => [name, file.header.indexOf(name)])) as Record<(typeof OPTIONAL_COLUMNS)[number], number>;
  const get = (fields: Fields, column: (typeof OPTIONAL_COLUMNS)[number]) => published(fields[optional[column]]);

  const address = (fields: Fields): string | null => {
    const street = [
      get(fields, 'numeroVoieEtablissement') + get(fields, 'indiceRepetitionEtablissement'),
      get(fields, 'typeVoieEtablissement'),
      get(fields, 'libelleVoieEtablissement'),
    ]
      .filter(Boolean)
      .join(' ');
    const town = [get(fields, 'codePostalEtablissement'), get(fields, 'libelleCommuneEtablissement')].filter(Boolean).join(' ');
    return [get(fields, 'complementAdresseEtablissement'), street, town].filter(Boolean).join(', ') || null;
  };

  const naf = (fields: Fields): string | null => {
    const nomenclature = get(fields, 'nomenclatureActivitePrincipaleEtablissement');
    return nomenclature && nomenclature !== 'NAFRev2' ? null : normaliseNaf(get(fields, 'activitePrincipaleEtablissement'));
  };

  const position = (fields: Fields, departement: string) => {
    const x = parseProjectedCoordinate(get(fields, 'coordonneeLambertAbscisseEtablissement'));
    const y = parseProjectedCoordinate(get(fields, 'coordonneeLambertOrdonneeEtablissement'));
    return x === null || y === null ? null : legalToWgs84(x, y, departement);
  };

  return (fields: Fields, digest: number | undefined): Outcome => {
    // Cheapest tests first: nationally most rows are closed or outside the ESS.
    if (fields[at.etatAdministratifEtablissement] !== 'A') return CLOSED;
    const siret = fields[at.siret]!;
    if (!/^\d{14}$/.test(siret)) return { rejected: siretProblem(siret)!, siret };
    const siren = siret.slice(0, 9);
    const unit = units.get(siren);
    if (!unit) return units.hasSeen(siren) ? NOT_ESS : { rejected: UNIT_MISSING, siret };
    const problem = siretProblem(siret) ?? communeProblem(fields[at.codeCommuneEtablissement]!, communes);
    if (problem) return { rejected: problem, siret };
    const name = get(fields, 'denominationUsuelleEtablissement') || get(fields, 'enseigne1Etablissement') || unit.name;
    if (!name) return { rejected: 'nom absent (ni dénomination, ni enseigne, ni nom de l’unité légale)', siret };
    const communeCode = fields[at.codeCommuneEtablissement]!;
    const nafCode = naf(fields);
    const tranche = get(fields, 'trancheEffectifsEtablissement');
    const lambert = position(fields, communes.get(communeCode)!);
    return {
      row: {
        siret,
        siren,
        name,
        legal_form: unit.legalForm || null,
        statut_ess: statutEssFromSirene(unit.ess || undefined, unit.legalForm || undefined),
        naf_code: nafCode,
        secteur: secteurFromNaf(nafCode),
        tranche_effectif: tranche in trancheEffectif.labels ? tranche : null,
        commune_code: communeCode,
        latitude: lambert?.latitude ?? null,
        longitude: lambert?.longitude ?? null,
        address: address(fields),
        source: SIRENE_SOURCE,
        import_line_digest: digest ?? null,
      },
    };
  };
}

const ACTIVE = 0x41; // A

/**
 * What a line's digest starts from: the conversion's version and the communes it checks against (a commune
 * gone from the COG must be refused again, not kept by a skip).
 */
function digestSeed(communes: ReadonlyMap<string, string>): number {
  const digest = new ByteDigest().start(CONVERSION_VERSION);
  // In code order: the map's order is the query's, which an update of the commune table changes.
  for (const code of [...communes.keys()].sort()) digest.addText(code + communes.get(code));
  return digest.value % 2 ** 32;
}

/**
 * The drop path of the national mix, where most lines are of closed establishments or of units outside the
 * ESS: decided on the raw line's bytes from two fields, as the converter would, without decoding any (one pass
 * finds the ranges of every field the converter reads). Any line it is unsure of (wrong width, a SIRET to reject, a unit missing) goes through the converter.
 * A line it keeps is digested from the fields the converter reads and its unit: when its row keeps the same
 * digest, the line is unchanged and goes no further; otherwise the converter gets those fields alone, decoded
 * from the same ranges, and the digest for the row.
 */
function establishmentDropper(file: CsvFile, units: LegalUnitIndex, stored: NumberTable, seed: number): LineDropper {
  // The fields the converter reads, the required ones first: one pass over the line finds them all.
  const converted = [...ESTABLISHMENT_COLUMNS, ...OPTIONAL_COLUMNS].map((name) => file.header.indexOf(name)).filter((index) => index !== -1);
  const [SIRET, STATE] = [ESTABLISHMENT_COLUMNS.indexOf('siret'), ESTABLISHMENT_COLUMNS.indexOf('etatAdministratifEtablissement')];
  const fields = new FieldPicker(file.delimiter.charCodeAt(0), file.header.length, converted, true);
  const digest = new ByteDigest();
  return (bytes, start, end) => {
    // A quoted state or SIRET is left to the full reader (a quoted SIRET has no digits).
    if (!fields.pick(bytes, start, end) || fields.quotedAt(bytes, STATE)) return undefined;
    if (!fields.is(bytes, STATE, ACTIVE)) return CLOSED.ignored;
    const siret = fields.digits(bytes, SIRET, 14);
    if (siret === -1) return undefined;
    const siren = Math.floor(siret / 100_000);
    if (!units.has(siren)) return units.hasSeen(siren) ? NOT_ESS.ignored : undefined;
    units.addToDigest(digest.start(seed), siren);
    const { ranges } = fields;
    for (let range = 0; range < ranges.length; range += 2) digest.add(bytes, ranges[range]!, ranges[range + 1]!);
    const value = digest.value;
    return stored.get(siret) === value ? SAME_DIGEST : { fields: fields.record(bytes), digest: value };
  };
}

const droppedOutcome = (reason: string): Outcome => (reason === CLOSED.ignored ? CLOSED : reason === SAME_DIGEST ? UNCHANGED : NOT_ESS);

async function withClient<T>(database: Database, use: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await database.pool.connect();
  try {
    return await use(client);
  } finally {
    client.release();
  }
}

function reportProgress(options: SireneImportOptions, phase: ImportProgress['phase'], file: CsvFile, rowsRead: number): void {
  if (rowsRead % PROGRESS_EVERY === 0) options.onProgress?.({ phase, rowsRead, bytesRead: file.bytesRead(), totalBytes: file.size });
}

export async function importSirene(database: Database, options: SireneImportOptions): Promise<ImportSummary> {
  const etablissements = resolve(options.etablissements);
  const unitesLegales = resolve(options.unitesLegales);
  assertReadableFile(etablissements, 'Fichier des établissements');
  assertReadableFile(unitesLegales, 'Fichier des unités légales');
  const keepAll = options.keepAll ?? false;
  let pipeline: Pipeline | undefined;
  // Rejections of the legal-unit file belong to the first batch: once it is committed, they are reported.
  const rejectUnit = (line: number, siren: string, reason: string) => {
    if (pipeline!.resumeAfter === 0) pipeline!.reject(unitesLegales, line, siren, reason);
  };
  const unitFile = await openCsv(unitesLegales, { delimiter: ',', onMalformed: (line, reason) => rejectUnit(line, '', reason) });
  let establishmentFile: CsvFile | undefined;
  try {
    establishmentFile = await openCsv(etablissements, {
      delimiter: ',',
      onMalformed: (line, reason) => pipeline!.malformed(etablissements, line, reason),
    });
    // Both headers are checked before anything is read or written.
    columnIndexes(establishmentFile, ESTABLISHMENT_COLUMNS, 'Fichier des établissements');
    columnIndexes(unitFile, LEGAL_UNIT_COLUMNS, 'Fichier des unités légales');
    // A table with rows is never loaded as a first load (whose transaction keeps it to itself until it commits).
    const empty = await withClient(database, organisationsEmpty);
    const setup: ImportSetup = {
      identity: { kind: 'sirene', files: [etablissements, unitesLegales], options: { keepAll } },
      resume: options.resume,
      reportPath: options.reportPath,
      batchSize: options.batchSize,
      provided: PROVIDED,
      onBatch: options.onBatch,
      firstLoadWhenEmpty: empty,
    };
    return await runJournaled(database, setup, async (started) => {
      pipeline = started;
      // Read while the legal units are (started once the run is, which then needs no connection of its own).
      const storedDigests = empty ? Promise.resolve(new NumberTable()) : withClient(database, readStoredDigests);
      storedDigests.catch(() => undefined);
      const communesRead = loadCommuneDepartements(database.db);
      communesRead.catch(() => undefined);
      const units = await readLegalUnits(unitFile, {
        keepAll,
        reject: rejectUnit,
        onRow: (rowsRead) => reportProgress(options, 'unites_legales', unitFile, rowsRead),
      });
      const establishments = establishmentFile!;
      const communes = await communesRead;
      const convert = establishmentConverter(establishments, units.index, communes);
      establishments.dropWith(establishmentDropper(establishments, units.index, await storedDigests, digestSeed(communes)));
      let rowsRead = 0;
      for await (const batch of establishments.batches) {
        for (const record of batch) {
          reportProgress(options, 'lignes', establishments, ++rowsRead);
          const { line, fields, dropped } = record;
          if (line <= started.resumeAfter || !establishments.accepts(record)) continue;
          const outcome = dropped === undefined ? convert(fields, record.digest) : droppedOutcome(dropped);
          if (started.add(etablissements, line, outcome)) await started.flush();
        }
      }
      return { legalUnits: { read: units.read, kept: units.index.kept } };
    });
  } finally {
    unitFile.close();
    establishmentFile?.close();
  }
}
