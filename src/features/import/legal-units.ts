/**
 * First pass of a SIRENE import: the legal-unit stock (about 25 million rows nationally) read once and
 * reduced to what the establishments need — name, legal form and ESS flag — for the units that are kept.
 * Each kept unit (active, and flagged ESS unless every unit is wanted) is one packed string in a Map keyed
 * by the SIREN as a number (no object per unit), and a bitmap remembers every SIREN seen, so that an establishment of a unit left aside is told apart from an
 * establishment whose unit is missing from the file.
 */
import { isValidSiren } from '../../domain/siret.ts';
import { columnIndexes, type CsvFile } from './csv-source.ts';

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

export class LegalUnitIndex {
  private readonly shards = Array.from({ length: SHARDS }, () => new Map<number, string>());
  /** One bit per valid SIREN: its first eight digits identify it, the ninth is the check digit. */
  private readonly seen = new Uint8Array(100_000_000 / 8);
  kept = 0;

  keep(siren: string, unit: LegalUnit): void {
    const key = Number(siren);
    // Packed as legal form (4) + ESS flag (1) + name.
    this.shards[key % SHARDS]!.set(key, `${unit.legalForm.padEnd(4)}${unit.ess || ' '}${unit.name}`);
    this.kept++;
  }

  markSeen(siren: string): void {
    const prefix = Math.floor(Number(siren) / 10);
    this.seen[prefix >> 3]! |= 1 << (prefix & 7);
  }

  hasSeen(siren: string): boolean {
    const prefix = Math.floor(Number(siren) / 10);
    return (this.seen[prefix >> 3]! & (1 << (prefix & 7))) !== 0;
  }

  get(siren: string): LegalUnit | undefined {
    const key = Number(siren);
    const packed = this.shards[key % SHARDS]!.get(key);
    if (packed === undefined) return undefined;
    return { legalForm: packed.slice(0, 4).trim(), ess: packed[4]!.trim(), name: packed.slice(5) };
  }
}

/** "[ND]" marks what a unit or establishment does not allow to be published (statut de diffusion partielle). */
export const published = (value: string | undefined): string => (value === undefined || value === '[ND]' ? '' : value.trim());

/** The name of a unit: its denomination, or for a person « prénom nom » (usual ones first). */
function unitName(fields: string[], at: Record<(typeof LEGAL_UNIT_COLUMNS)[number], number>): string {
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
  for await (const { line, fields } of file.records) {
    reading.onRow?.(++read);
    const siren = fields[at.siren]!;
    if (!isValidSiren(siren)) {
      reading.reject(line, siren, /^\d{9}$/.test(siren) ? 'SIREN invalide (clé de contrôle)' : 'SIREN invalide : 9 chiffres attendus');
      continue;
    }
    index.markSeen(siren);
    const ess = fields[at.economieSocialeSolidaireUniteLegale]!;
    // A ceased unit (about half of the stock) has only closed establishments: no need to hold it.
    if (fields[at.etatAdministratifUniteLegale] === 'C' || (!reading.keepAll && ess !== 'O')) continue;
    const legalForm = fields[at.categorieJuridiqueUniteLegale]!;
    index.keep(siren, { name: unitName(fields, at), legalForm: /^\d{4}$/.test(legalForm) ? legalForm : '', ess });
  }
  return { index, read };
}
