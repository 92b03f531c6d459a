/**
 * `maillage import …`: parses the arguments, runs the import with a progress bar on stderr and prints the
 * French summary. Exit codes: 0 done (even with rejected rows), 2 usage error, 1 failure.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { formatCommunesSummary, importCommuneCentres } from './communes.ts';
import { ImportInputError } from './errors.ts';
import { importEssFrance } from './ess-france.ts';
import { importCsv, MAPPABLE_FIELDS, parseColumnMapping } from './generic-csv.ts';
import { DEFAULT_BATCH_SIZE } from './pipeline.ts';
import { progressBar } from './progress.ts';
import { defaultReportPath, formatSummary, type ImportSummary } from './report.ts';
import { importRna } from './rna.ts';
import { importSirene } from './sirene.ts';

const IMPORT_USAGE = `Usage : maillage import <type> <fichiers…> [options]
  sirene ETABLISSEMENTS.csv UNITES_LEGALES.csv [--tous] [--reprendre] [--rapport FICHIER] [--lot N]
      les fichiers stock SIRENE de l'INSEE (StockEtablissement_utf8.csv, StockUniteLegale_utf8.csv) :
      établissements actifs des unités légales de l'ESS ; avec --tous, de toutes les unités légales
  csv FICHIER --colonnes champ=Colonne,… [--separateur ';'|','] [--reprendre] [--rapport FICHIER] [--lot N]
      un CSV quelconque ; champs : ${MAPPABLE_FIELDS.join(', ')} (siret et name obligatoires)
  rna FICHIER [--reprendre] [--rapport FICHIER] [--lot N]
      un fichier « waldec » du Répertoire national des associations (rna_waldec_…_dpt_XX.csv, séparateur ;) :
      associations actives, jointes par leur SIRET aux fiches SIRENE ; les dissoutes sont ignorées
  ess-france FICHIER [--reprendre] [--rapport FICHIER] [--lot N]
      la liste des entreprises de l'ESS (ESS France), colonne SIREN : marque ESS les organisations de ces SIREN
      (les SIREN absents de la base sont signalés dans le rapport, pas créés)
  communes FICHIER [--rapport FICHIER]
      centres des communes : JSON de geo.api.gouv.fr ou CSV (code_commune_INSEE, latitude, longitude)
Options :
  --reprendre         reprend l'import interrompu des mêmes fichiers après sa dernière ligne enregistrée
  --rapport FICHIER   rapport des lignes rejetées (CSV) ; par défaut sous MAILLAGE_DATA_DIR/imports/
  --lot N             lignes par lot enregistré (par défaut ${DEFAULT_BATCH_SIZE.toLocaleString('fr-FR')})`;

const OPTIONS = {
  tous: { type: 'boolean' },
  reprendre: { type: 'boolean' },
  rapport: { type: 'string' },
  lot: { type: 'string' },
  colonnes: { type: 'string' },
  separateur: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type OptionName = keyof typeof OPTIONS;
type Values = { [K in OptionName]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

/** What each import type takes: its files and the options that apply to it. */
const COMMANDS: Record<string, { files: number; options: OptionName[] }> = {
  sirene: { files: 2, options: ['tous', 'reprendre', 'rapport', 'lot'] },
  csv: { files: 1, options: ['colonnes', 'separateur', 'reprendre', 'rapport', 'lot'] },
  rna: { files: 1, options: ['reprendre', 'rapport', 'lot'] },
  'ess-france': { files: 1, options: ['reprendre', 'rapport', 'lot'] },
  communes: { files: 1, options: ['rapport'] },
};

function parse(args: string[]): { kind: string; files: string[]; values: Values } {
  let parsed;
  try {
    parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    const option = /'(-[^']*)'/.exec(error instanceof Error ? error.message : '')?.[1];
    throw new ImportInputError(option ? `Option inconnue ou incomplète : ${option}` : 'Arguments invalides.');
  }
  const [kind = '', ...files] = parsed.positionals;
  const values = parsed.values as Values;
  const command = COMMANDS[kind];
  if (!command) throw new ImportInputError(kind ? `Type d'import inconnu : ${kind}` : "Précisez le type d'import.");
  if (files.length !== command.files) {
    throw new ImportInputError(
      `L'import ${kind} attend ${command.files} fichier${command.files > 1 ? 's' : ''}, ${files.length} donné${files.length > 1 ? 's' : ''}.`,
    );
  }
  const misplaced = (Object.keys(values) as OptionName[]).find((name) => name !== 'help' && !command.options.includes(name));
  if (misplaced) throw new ImportInputError(`L'option --${misplaced} ne s'applique pas à l'import ${kind}.`);
  return { kind, files, values };
}

function batchSize(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const size = Number(text);
  if (!Number.isInteger(size) || size < 1 || size > 100_000) throw new ImportInputError(`--lot attend un nombre entier entre 1 et 100 000 : ${text}`);
  return size;
}

function delimiter(text: string | undefined): ',' | ';' | undefined {
  if (text === undefined || text === ',' || text === ';') return text;
  throw new ImportInputError(`--separateur attend ';' ou ',' : ${text}`);
}

async function runOrganisationImport(database: Database, kind: string, files: string[], values: Values): Promise<ImportSummary> {
  const reportPath = values.rapport ?? defaultReportPath(loadConfig().dataDir, files[0]!);
  const common = { resume: values.reprendre, reportPath, batchSize: batchSize(values.lot) };
  const progress = progressBar();
  try {
    if (kind === 'sirene') {
      return await importSirene(database, {
        ...common,
        etablissements: files[0]!,
        unitesLegales: files[1]!,
        keepAll: values.tous,
        onProgress: progress.update,
      });
    }
    if (kind === 'rna') return await importRna(database, { ...common, file: files[0]!, onProgress: progress.update });
    if (kind === 'ess-france') return await importEssFrance(database, { ...common, file: files[0]!, onProgress: progress.update });
    if (!values.colonnes) throw new ImportInputError("L'import csv demande --colonnes (par exemple --colonnes siret=SIRET,name=Nom).");
    return await importCsv(database, {
      ...common,
      file: files[0]!,
      mapping: parseColumnMapping(values.colonnes),
      delimiter: delimiter(values.separateur),
      onProgress: progress.update,
    });
  } finally {
    progress.end();
  }
}

/** Runs `maillage import …`; returns the process exit code. */
export async function runImport(database: Database, args: string[]): Promise<number> {
  let kind = '';
  try {
    if (args.length === 0 || args.includes('--help') || args.includes('-h')) {
      console.log(IMPORT_USAGE);
      return args.length === 0 ? 2 : 0;
    }
    const parsed = parse(args);
    kind = parsed.kind;
    if (kind === 'communes') {
      const reportPath = parsed.values.rapport ?? defaultReportPath(loadConfig().dataDir, parsed.files[0]!);
      console.log(formatCommunesSummary(await importCommuneCentres(database, { file: parsed.files[0]!, reportPath })));
    } else {
      console.log(formatSummary(await runOrganisationImport(database, kind, parsed.files, parsed.values)));
    }
    return 0;
  } catch (error) {
    if (error instanceof ImportInputError) {
      console.error(`${error.message}\n\n${IMPORT_USAGE}`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    const hint =
      kind === 'communes' ? 'Rien n’a été enregistré.' : 'Les lots précédents sont enregistrés : relancez la même commande avec --reprendre pour continuer.';
    console.error(`Échec de l'import : ${message}\n${hint}`);
    return 1;
  }
}
