/**
 * First pass of a SIRENE import: the legal-unit stock (about 25 million rows nationally) read once and
 * reduced to what the establishments need — name, legal form and ESS flag — for the units that are kept.
 * Kept units are packed as bytes in one growing buffer outside the JavaScript heap: the raw bytes of the few
 * fields that make them, decoded only when an establishment's row is made (a re-import of unchanged lines
 * decodes none; their digest takes the bytes as they are). A table of numbers in typed arrays (NumberTable)
 * goes from the SIREN to the unit's offset: no object nor string per unit, so that the garbage collector
 * neither scans them nor lets the heap swell while they are read (the import's peak memory, measured by
 * `npm run bench`). A bitmap remembers every SIREN seen, so that an
 * establishment of a unit left aside is told apart from an establishment whose unit is missing from the file.
 */
import { isValidSiren } from '../../domain/siret.ts';
import { decodeField, FieldPicker, type LineDropper } from './csv-lines.ts';
import { columnIndexes, type CsvFile } from './csv-source.ts';
import { type ByteDigest, NumberTable } from './line-digest.ts';

/** Shared by the establishments of the unit (LegalUnitIndex.get): read-only. */
export interface LegalUnit {
  readonly name: string;
  /** INSEE catégorie juridique, four digits, or '' when unknown. */
  readonly legalForm: string;
  /** economieSocialeSolidaireUniteLegale: 'O', 'N' or '' (not filled). */
  readonly ess: string;
}

/** The fields a kept unit is made of, in the order they are packed. */
const UNIT_FIELDS = [
  'denominationUniteLegale',
  'nomUniteLegale',
  'nomUsageUniteLegale',
  'prenom1UniteLegale',
  'prenomUsuelUniteLegale',
  'categorieJuridiqueUniteLegale',
  'economieSocialeSolidaireUniteLegale',
] as const;

/** Columns read from the legal-unit file: the SIREN, a kept unit's fields, and its state. */
export const LEGAL_UNIT_COLUMNS = ['siren', ...UNIT_FIELDS, 'etatAdministratifUniteLegale'] as const;

export type UnitValues = Record<(typeof UNIT_FIELDS)[number], string>;
/**
 * A packed unit: how its fields are written (RAW: as in the CSV line, quotes included; TEXT: decoded), then each
 * field's length (2 bytes) and bytes. A field is at most 64 kB (SIRENE's are a few hundred bytes at most).
 */
const RAW = 0;
const TEXT = 1;
const HEADER_BYTES = 1 + 2 * UNIT_FIELDS.length;
const MAX_FIELD_BYTES = 0xffff;

export class LegalUnitIndex {
  /** Where each kept unit starts in `bytes`, by SIREN: a table in typed arrays (no Map's 2^24 entries limit, nothing for the collector). */
  private readonly offsets = new NumberTable();
  private bytes = Buffer.alloc(1 << 20);
  private used = 0;
  /** One bit per valid SIREN: its first eight digits identify it, the ninth is the check digit. */
  private readonly seen = new Uint8Array(100_000_000 / 8);
  kept = 0;
  /** The unit read last: a stock lists a unit's establishments one after the other, so most reads are of it again. */
  private last: { siren: number; unit: LegalUnit } | undefined;

  /** `delimiter`: the file's, to unquote the raw fields when a unit is read back. */
  constructor(private readonly delimiter = ',') {}

  /** Keeps a unit from the raw bytes of its fields, their byte ranges in `ranges` in UNIT_FIELDS order. */
  keepRaw(siren: number, bytes: Buffer, ranges: Int32Array): void {
    let length = HEADER_BYTES;
    for (let field = 0; field < UNIT_FIELDS.length; field++) length += Math.min(MAX_FIELD_BYTES, ranges[field * 2 + 1]! - ranges[field * 2]!);
    const at = this.start(siren, length, RAW);
    let to = at + HEADER_BYTES;
    for (let field = 0; field < UNIT_FIELDS.length; field++) {
      const from = ranges[field * 2]!;
      const size = Math.min(MAX_FIELD_BYTES, ranges[field * 2 + 1]! - from);
      this.bytes.writeUInt16LE(size, at + 1 + field * 2);
      // Byte by byte: fields are a few tens of bytes, where Buffer#copy's per-call cost was a quarter of reading the units.
      for (let byte = from; byte < from + size; byte++) this.bytes[to++] = bytes[byte]!;
    }
    this.used = to;
  }

  /** Keeps a unit from its decoded fields. */
  keep(siren: string, values: UnitValues): void {
    // UTF-8 takes at most three bytes per UTF-16 unit: reserved once, written in place.
    let reserve = HEADER_BYTES;
    for (const name of UNIT_FIELDS) reserve += Math.min(MAX_FIELD_BYTES, values[name].length * 3);
    const at = this.start(Number(siren), reserve, TEXT);
    let to = at + HEADER_BYTES;
    UNIT_FIELDS.forEach((name, field) => {
      const size = this.bytes.write(values[name], to, MAX_FIELD_BYTES, 'utf8');
      this.bytes.writeUInt16LE(size, at + 1 + field * 2);
      to += size;
    });
    this.used = to;
  }

  /** A SIREN as a string or, on the drop path, as the number its digits make. */
  markSeen(siren: string | number): void {
    const prefix = Math.floor(Number(siren) / 10);
    this.seen[prefix >> 3]! |= 1 << (prefix & 7);
  }

  hasSeen(siren: string | number): boolean {
    const prefix = Math.floor(Number(siren) / 10);
    return (this.seen[prefix >> 3]! & (1 << (prefix & 7))) !== 0;
  }

  has(siren: string | number): boolean {
    const key = Number(siren);
    return this.offsets.get(key) !== -1;
  }

  get(siren: string): LegalUnit | undefined {
    const key = Number(siren);
    if (this.last?.siren === key) return this.last.unit;
    const at = this.offsets.get(key);
    if (at === -1) return undefined;
    const raw = this.bytes[at] === RAW;
    const values = {} as UnitValues;
    let from = at + HEADER_BYTES;
    UNIT_FIELDS.forEach((name, field) => {
      const to = from + this.bytes.readUInt16LE(at + 1 + field * 2);
      values[name] = raw ? decodeField(this.bytes, from, to, this.delimiter) : this.bytes.toString('utf8', from, to);
      from = to;
    });
    const unit = legalUnit(values);
    this.last = { siren: key, unit };
    return unit;
  }

  /** Adds what an establishment's row takes from its kept unit (its packed bytes) to the line's digest. */
  addToDigest(digest: ByteDigest, siren: number): void {
    const at = this.offsets.get(siren);
    if (at === -1) return;
    let length = HEADER_BYTES;
    for (let field = 0; field < UNIT_FIELDS.length; field++) length += this.bytes.readUInt16LE(at + 1 + field * 2);
    digest.add(this.bytes, at, at + length);
  }

  /** Reserves room for a unit, maps its SIREN to it and writes how its fields are written; returns where it starts. */
  private start(siren: number, length: number, encoding: number): number {
    if (this.used + length > this.bytes.length) {
      // Grown by doubling, so that filling it costs a copy per byte on average.
      const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + length));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    const at = this.used;
    this.bytes[at] = encoding;
    this.offsets.set(siren, at);
    this.last = undefined; // a unit kept again replaces the one read last
    this.kept++;
    return at;
  }
}

/** "[ND]" marks what a unit or establishment does not allow to be published (statut de diffusion partielle). */
export const published = (value: string | undefined): string => (value === undefined || value === '[ND]' ? '' : value.trim());

/** The name of a unit: its denomination, or for a person « prénom nom » (usual ones first). */
function unitName(values: UnitValues): string {
  const denomination = published(values.denominationUniteLegale);
  if (denomination) return denomination;
  const firstName = published(values.prenomUsuelUniteLegale) || published(values.prenom1UniteLegale);
  const lastName = published(values.nomUsageUniteLegale) || published(values.nomUniteLegale);
  return [firstName, lastName].filter(Boolean).join(' ');
}

function legalUnit(values: UnitValues): LegalUnit {
  const legalForm = values.categorieJuridiqueUniteLegale.trim();
  return {
    name: unitName(values),
    legalForm: /^\d{4}$/.test(legalForm) ? legalForm : '',
    ess: values.economieSocialeSolidaireUniteLegale.slice(0, 1).trim(),
  };
}

type UnitColumns = Record<(typeof LEGAL_UNIT_COLUMNS)[number], number>;

export interface LegalUnitReading {
  /** Only units flagged ESS, unless every unit is wanted (--tous). */
  keepAll: boolean;
  reject(line: number, siren: string, reason: string): void;
  onRow?(rowsRead: number): void;
}

/** Reads the whole legal-unit file into an index; returns it with the number of rows read. */
export async function readLegalUnits(file: CsvFile, reading: LegalUnitReading): Promise<{ index: LegalUnitIndex; read: number }> {
  const at = columnIndexes(file, LEGAL_UNIT_COLUMNS, 'Fichier des unités légales');
  const index = new LegalUnitIndex(file.delimiter);
  let read = 0;
  file.dropWith(unitDropper(file, at, index, reading.keepAll));
  for await (const batch of file.batches) {
    for (const record of batch) {
      reading.onRow?.(++read);
      if (record.dropped === undefined && file.accepts(record)) readUnit(record.line, record.fields);
    }
  }
  return { index, read };

  function readUnit(line: number, fields: string[]): void {
    const siren = fields[at.siren]!;
    if (!isValidSiren(siren)) {
      reading.reject(line, siren, /^\d{9}$/.test(siren) ? 'SIREN invalide (clé de contrôle)' : 'SIREN invalide : 9 chiffres attendus');
      return;
    }
    index.markSeen(siren);
    if (!leftAside(fields[at.etatAdministratifUniteLegale], fields[at.economieSocialeSolidaireUniteLegale], reading.keepAll))
      index.keep(siren, Object.fromEntries(UNIT_FIELDS.map((name) => [name, fields[at[name]] ?? ''])) as UnitValues);
  }
}

/** A ceased unit (about half of the stock) has only closed establishments: no need to hold it. */
const leftAside = (state: string | undefined, ess: string | undefined, keepAll: boolean) => state === 'C' || (!keepAll && ess !== 'O');

const ESS = 0x4f; // O
const CEASED = 0x43; // C

/**
 * The drop path of the units left aside (most of the national stock): seen from three fields of the raw
 * line's bytes, as leftAside decides. A unit kept is kept from the raw bytes of the few fields it needs: the
 * line is never split nor decoded. Any other line, or one with an invalid SIREN, goes through the full reading.
 */
function unitDropper(file: CsvFile, at: UnitColumns, index: LegalUnitIndex, keepAll: boolean): LineDropper {
  // A kept unit's fields first (keepRaw reads their ranges in that order), then the SIREN and the state: one pass over the line.
  const picker = new FieldPicker(
    file.delimiter.charCodeAt(0),
    file.header.length,
    [...UNIT_FIELDS, 'siren', 'etatAdministratifUniteLegale'].map((name) => at[name as keyof UnitColumns]),
    true,
  );
  const [ESS_SLOT, SIREN_SLOT, STATE_SLOT] = [UNIT_FIELDS.indexOf('economieSocialeSolidaireUniteLegale'), UNIT_FIELDS.length, UNIT_FIELDS.length + 1];
  return (bytes, start, end) => {
    // A quoted flag or state is left to the full reader (a quoted SIREN has no digits).
    if (!picker.pick(bytes, start, end) || picker.quotedAt(bytes, ESS_SLOT) || picker.quotedAt(bytes, STATE_SLOT)) return undefined;
    const siren = picker.digits(bytes, SIREN_SLOT, 9);
    if (siren === -1 || !isValidSiren(String(siren).padStart(9, '0'))) return undefined;
    index.markSeen(siren);
    if (picker.is(bytes, STATE_SLOT, CEASED) || (!keepAll && !picker.is(bytes, ESS_SLOT, ESS))) return 'leftAside';
    index.keepRaw(siren, bytes, picker.ranges);
    return 'kept';
  };
}
