/**
 * SIRENE stock pairs written straight to files, fast and without a database, for the import measures
 * (bench/run.ts, bench/import-parsers.ts): the real headers of test/fixtures/sirene, communes of the COG
 * (@etalab/decoupage-administratif), valid SIREN and SIRET. Two shapes:
 * - the national mix: most units outside the ESS (share `essShare`), a third of the establishments closed, so
 *   that most lines are read and dropped, as in INSEE's stock;
 * - kept rows: every unit ESS and every establishment active, so that every line is written.
 * `changed` alters the names of one unit in that many, for a re-import that updates some rows.
 */
import { createWriteStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { mulberry32, withLuhnKey } from './synthetic.ts';

const require = createRequire(import.meta.url);
const fixtures = join(import.meta.dirname, '..', 'test', 'fixtures', 'sirene');
const header = (file: string) =>
  readFileSync(join(fixtures, file), 'utf8')
    .split('\n', 1)[0]!
    .replace(/^\uFEFF/, '')
    .split(',');

export const ETABLISSEMENT_HEADER = header('StockEtablissement_utf8.csv');
export const UNITE_LEGALE_HEADER = header('StockUniteLegale_utf8.csv');

export interface SireneFilesOptions {
  /** Establishment lines to write. */
  establishments: number;
  /** Share of units flagged ESS (the national stock: a few per cent). */
  essShare: number;
  /** Share of closed establishments. */
  closedShare: number;
  seed?: number;
  /** One unit in `renamed` gets another name (a re-import with changes); 0 for none. */
  renamed?: number;
}

export interface SireneFiles {
  etablissements: string;
  unitesLegales: string;
  units: number;
  /** Establishment lines of an active ESS unit: the rows an import keeps. */
  kept: number;
}

const NAF = ['88.99B', '94.99Z', '56.10A', '47.11B', '01.13Z', '85.59A', '86.90D', '93.12Z', '62.01Z', '43.21A'];
const WORDS = ['JARDIN', 'SOLIDAIRE', 'COOPERATIVE', 'ATELIER', 'EPICERIE', 'RESSOURCERIE', 'MAISON', 'QUARTIER', 'VELO', 'CULTURE'];
const TOWNS = ['RUE DE LA REPUBLIQUE', 'AVENUE JEAN JAURES', 'CHEMIN DES VIGNES', 'PLACE DU MARCHE', 'RUE VICTOR HUGO'];

function communes(): string[] {
  const all = require('@etalab/decoupage-administratif/data/communes.json') as { code: string; type: string }[];
  return all.filter((c) => c.type === 'commune-actuelle' && !c.code.startsWith('97')).map((c) => c.code);
}

const field = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

function lineOf(columns: readonly string[], values: Record<string, string>): string {
  return `${columns.map((column) => field(values[column] ?? '')).join(',')}\n`;
}

/** Writes lines through a stream, waiting when its buffer is full. */
async function writeAll(path: string, lines: Iterable<string>): Promise<void> {
  const stream = createWriteStream(path);
  let buffer = '';
  for (const line of lines) {
    buffer += line;
    if (buffer.length < 1 << 16) continue;
    if (!stream.write(buffer)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
    buffer = '';
  }
  stream.write(buffer);
  await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

/** Writes the pair into `dir`; establishments come 1 to 3 per unit, in SIREN order as INSEE sorts them. */
export async function writeSireneFiles(dir: string, options: SireneFilesOptions): Promise<SireneFiles> {
  const random = mulberry32(options.seed ?? 15);
  const codes = communes();
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const units: { siren: string; ess: boolean; name: string; establishments: number }[] = [];
  for (let lines = 0, n = 0; lines < options.establishments; n++) {
    const siren = withLuhnKey(String(10_000_000 + n * 7).padStart(8, '0'));
    const count = Math.min(options.establishments - lines, 1 + Math.floor(random() * 3));
    const renamed = options.renamed ? n % options.renamed === 0 : false;
    const name = `${pick(WORDS)} ${pick(WORDS)} ${n}${renamed ? ' (NOUVEAU NOM)' : ''}`;
    units.push({ siren, ess: random() < options.essShare, name, establishments: count });
    lines += count;
  }
  await writeAll(
    join(dir, 'StockUniteLegale_utf8.csv'),
    (function* () {
      yield `${UNITE_LEGALE_HEADER.join(',')}\n`;
      for (const unit of units) {
        yield lineOf(UNITE_LEGALE_HEADER, {
          siren: unit.siren,
          statutDiffusionUniteLegale: 'O',
          dateCreationUniteLegale: '2001-01-01',
          denominationUniteLegale: `${unit.name}, ASSOCIATION`,
          categorieJuridiqueUniteLegale: '9220',
          activitePrincipaleUniteLegale: '94.99Z',
          nomenclatureActivitePrincipaleUniteLegale: 'NAFRev2',
          etatAdministratifUniteLegale: 'A',
          economieSocialeSolidaireUniteLegale: unit.ess ? 'O' : 'N',
          nicSiegeUniteLegale: '00012',
          categorieEntreprise: 'PME',
        });
      }
    })(),
  );
  let kept = 0;
  await writeAll(
    join(dir, 'StockEtablissement_utf8.csv'),
    (function* () {
      yield `${ETABLISSEMENT_HEADER.join(',')}\n`;
      for (const unit of units) {
        for (let i = 0; i < unit.establishments; i++) {
          const siret = withLuhnKey(`${unit.siren}00${String(i + 1).padStart(2, '0')}`);
          const active = random() >= options.closedShare;
          if (active && unit.ess) kept++;
          yield lineOf(ETABLISSEMENT_HEADER, {
            siren: unit.siren,
            nic: siret.slice(9),
            siret,
            statutDiffusionEtablissement: 'O',
            dateCreationEtablissement: '2001-01-01',
            trancheEffectifsEtablissement: pick(['NN', '01', '02', '11']),
            etablissementSiege: i === 0 ? 'true' : 'false',
            numeroVoieEtablissement: String(1 + Math.floor(random() * 120)),
            typeVoieEtablissement: '',
            libelleVoieEtablissement: pick(TOWNS),
            codePostalEtablissement: '75001',
            libelleCommuneEtablissement: 'COMMUNE',
            codeCommuneEtablissement: pick(codes),
            etatAdministratifEtablissement: active ? 'A' : 'F',
            enseigne1Etablissement: i === 0 ? '' : `${unit.name}, ANTENNE ${i}`,
            activitePrincipaleEtablissement: pick(NAF),
            nomenclatureActivitePrincipaleEtablissement: 'NAFRev2',
            caractereEmployeurEtablissement: 'N',
          });
        }
      }
    })(),
  );
  return {
    etablissements: join(dir, 'StockEtablissement_utf8.csv'),
    unitesLegales: join(dir, 'StockUniteLegale_utf8.csv'),
    units: units.length,
    kept,
  };
}
