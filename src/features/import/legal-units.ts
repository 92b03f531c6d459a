/**
 * First pass of a SIRENE import: the legal-unit stock (about 25 million rows nationally) read once and
 * reduced to what the establishments need — name, legal form and ESS flag — for the units that are kept.
 * Kept units are packed as bytes in one growing buffer outside the JavaScript heap, with a Map from the
 * SIREN (a small integer) to the unit's offset: about 20 bytes of heap per unit instead of an object or a
 * string each, so that the garbage collector neither scans them nor lets the heap swell while they are read
 * (the import's peak memory, measured by `npm run bench`). A bitmap remembers every SIREN seen, so that an
 * establishment of a unit left aside is told apart from an establishment whose unit is missing from the file.
 */
import { isValidSiren } from '../../domain/siret.ts';
import { FieldPicker, type LineDropper } from './csv-lines.ts';
import { columnIndexes, type CsvFile } from './csv-source.ts';
import type { ByteDigest } from './line-digest.ts';

export interface LegalUnit {
  name: string;
  /** INSEE catégorie juridique, four digits, or '' when unknown. */
  legalForm: string;
  /** economieSocialeSolidaireUniteLegale: 'O', 'N' or '' (not filled). */
  ess: string;
}

export const LEGAL_UNIT_COLUMNS = [
  'siren',
  'denominationUniteLegale',
  'nomUniteLegale',
  'nomUsageUniteLegale',
  'prenom1UniteLegale',
  'prenomUsuelUniteLegale',
  'categorieJuridiqueUniteLegale',
  'economieSocialeSolidaireUniteLegale',
  'etatAdministratifUniteLegale',
] as const;

/** V8 Maps hold at most 2^24 entries: one Map per first digit of the SIREN stays far below. */
const SHARDS = 10;
/** A packed unit: legal form (4 bytes, spaces when unknown), ESS flag (1 byte), name length (2 bytes), name (UTF-8). */
const HEADER_BYTES = 7;
/** SIRENE names are at most a few hundred characters; a longer one is cut rather than overflowing its length. */
const MAX_NAME_BYTES = 0xffff;
const SPACE = 0x20;

export class LegalUnitIndex {
  private readonly shards = Array.from({ length: SHARDS }, () => new Map<number, number>());
  private bytes = Buffer.alloc(1 << 20);
  private used = 0;
  /** One bit per valid SIREN: its first eight digits identify it, the ninth is the check digit. */
  private readonly seen = new Uint8Array(100_000_000 / 8);
  kept = 0;

  keep(siren: string, unit: LegalUnit): void {
    // Written in place (UTF-8 takes at most three bytes per UTF-16 unit): no buffer made for each name.
    this.reserve(HEADER_BYTES + Math.min(MAX_NAME_BYTES, unit.name.length * 3));
    const at = this.used;
    for (let i = 0; i < 4; i++) this.bytes[at + i] = i < unit.legalForm.length ? unit.legalForm.charCodeAt(i) : SPACE;
    this.bytes[at + 4] = unit.ess ? unit.ess.charCodeAt(0) : SPACE;
    const nameLength = this.bytes.write(unit.name, at + HEADER_BYTES, MAX_NAME_BYTES, 'utf8');
    this.bytes.writeUInt16LE(nameLength, at + 5);
    this.used += HEADER_BYTES + nameLength;
    const key = Number(siren);
    this.shards[key % SHARDS]!.set(key, at);
    this.kept++;
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
    return this.shards[key % SHARDS]!.has(key);
  }

  get(siren: string): LegalUnit | undefined {
    const key = Number(siren);
    const at = this.shards[key % SHARDS]!.get(key);
    if (at === undefined) return undefined;
    const nameStart = at + HEADER_BYTES;
    return {
      legalForm: this.bytes.toString('latin1', at, at + 4).trim(),
      ess: this.bytes.toString('latin1', at + 4, at + 5).trim(),
      name: this.bytes.toString('utf8', nameStart, nameStart + this.bytes.readUInt16LE(at + 5)),
    };
  }

  /** Adds what an establishment's row takes from its kept unit (its packed bytes) to the line's digest. */
  addToDigest(digest: ByteDigest, siren: number): void {
    const at = this.shards[siren % SHARDS]!.get(siren);
    if (at !== undefined) digest.add(this.bytes, at, at + HEADER_BYTES + this.bytes.readUInt16LE(at + 5));
  }

  /** Grows the buffer by doubling, so that filling it costs a copy per byte on average. */
  private reserve(length: number): void {
    if (this.used + length <= this.bytes.length) return;
    const grown = Buffer.alloc(Math.max(this.bytes.length * 2, this.used + length));
    this.bytes.copy(grown, 0, 0, this.used);
    this.bytes = grown;
  }
}

/** "[ND]" marks what a unit or establishment does not allow to be published (statut de diffusion partielle). */
export const published = (value: string | undefined): string => (value === undefined || value === '[ND]' ? '' : value.trim());

/** The name of a unit: its denomination, or for a person « prénom nom » (usual ones first). */
type UnitColumns = Record<(typeof LEGAL_UNIT_COLUMNS)[number], number>;

function unitName(fields: string[], at: UnitColumns): string {
  const denomination = published(fields[at.denominationUniteLegale]);
  if (denomination) return denomination;
  const firstName = published(fields[at.prenomUsuelUniteLegale]) || published(fields[at.prenom1UniteLegale]);
  const lastName = published(fields[at.nomUsageUniteLegale]) || published(fields[at.nomUniteLegale]);
  return [firstName, lastName].filter(Boolean).join(' ');
}

export interface LegalUnitReading {
  /** Only units flagged ESS, unless every unit is wanted (--tous). */
  keepAll: boolean;
  reject(line: number, siren: string, reason: string): void;
  onRow?(rowsRead: number): void;
}

/** Reads the whole legal-unit file into an index; returns it with the number of rows read. */
export async function readLegalUnits(file: CsvFile, reading: LegalUnitReading): Promise<{ index: LegalUnitIndex; read: number }> {
  const at = columnIndexes(file, LEGAL_UNIT_COLUMNS, 'Fichier des unités légales');
  const index = new LegalUnitIndex();
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
      keepUnit(index, at, siren, fields);
  }
}

/** Keeps a unit from its fields (all of them, or only those of LEGAL_UNIT_COLUMNS at their place). */
function keepUnit(index: LegalUnitIndex, at: UnitColumns, siren: string, fields: string[]): void {
  const legalForm = fields[at.categorieJuridiqueUniteLegale]!;
  index.keep(siren, {
    name: unitName(fields, at),
    legalForm: /^\d{4}$/.test(legalForm) ? legalForm : '',
    ess: fields[at.economieSocialeSolidaireUniteLegale]!,
  });
}

/** A ceased unit (about half of the stock) has only closed establishments: no need to hold it. */
const leftAside = (state: string | undefined, ess: string | undefined, keepAll: boolean) => state === 'C' || (!keepAll && ess !== 'O');

const ESS = 0x4f; // O
const CEASED = 0x43; // C

/**
 * The drop path of the units left aside (most of the national stock): seen from three fields of the raw
 * line's bytes, as leftAside decides. A unit kept is kept from the few fields it needs, decoded in place: the
 * line is never split. Any other line, or one with an invalid SIREN, goes through the full reading.
 */
function unitDropper(file: CsvFile, at: UnitColumns, index: LegalUnitIndex, keepAll: boolean): LineDropper {
  const delimiter = file.delimiter.charCodeAt(0);
  const picker = new FieldPicker(delimiter, file.header.length, [at.siren, at.economieSocialeSolidaireUniteLegale, at.etatAdministratifUniteLegale]);
  const columns = LEGAL_UNIT_COLUMNS.map((name) => at[name]);
  const needed = new FieldPicker(delimiter, file.header.length, columns, true);
  const fields: string[] = [];
  return (bytes, start, end) => {
    if (!picker.pick(bytes, start, end)) return undefined;
    const siren = picker.digits(bytes, 0, 9);
    if (siren === -1) return undefined;
    const text = String(siren).padStart(9, '0');
    if (!isValidSiren(text)) return undefined;
    index.markSeen(siren);
    if (picker.is(bytes, 2, CEASED) || (!keepAll && !picker.is(bytes, 1, ESS))) return 'leftAside';
    if (!needed.pick(bytes, start, end)) return undefined;
    for (let slot = 0; slot < columns.length; slot++) fields[columns[slot]!] = needed.text(bytes, slot, file.delimiter);
    keepUnit(index, at, text, fields);
    return 'kept';
  };
}
