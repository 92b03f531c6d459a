/**
 * `maillage import dispositifs-aide FICHIER.csv [--rapport FICHIER] [--lot N]`; exit codes as the other imports:
 * 0 done (even with rejected rows), 2 usage error, 1 failure (batches already written stay, the rest is not).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { ImportInputError } from '../import/errors.ts';
import { progressBar } from '../import/progress.ts';
import { defaultReportPath } from '../import/report.ts';
import { DEFAULT_BATCH_SIZE, formatSchemeSummary, importDispositifsAide } from './import.ts';
import { SCHEMA_NAME, SCHEMA_VERSION } from './mapping.ts';

export const SCHEME_IMPORT_USAGE = `Usage : maillage import dispositifs-aide FICHIER.csv [--rapport FICHIER] [--lot N]
  dispositifs d'aide au schéma national etalab/${SCHEMA_NAME} ${SCHEMA_VERSION} (CSV, séparateur « , » ou « ; » détecté) ;
  un dispositif déjà importé (même id_aide) est mis à jour, jamais dupliqué
Options :
  --rapport FICHIER   rapport des lignes rejetées (CSV) ; par défaut sous MAILLAGE_DATA_DIR/imports/
  --lot N             dispositifs par lot enregistré (par défaut ${DEFAULT_BATCH_SIZE})`;

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { rapport: { type: 'string' }, lot: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch {
    throw new ImportInputError('Arguments invalides.');
  }
}

/** Runs the import; `args` follow « dispositifs-aide ». Returns the exit code. */
export async function runSchemeImport(database: Database, args: string[]): Promise<number> {
  try {
    const { positionals, values } = parse(args);
    if (values.help) {
      console.log(SCHEME_IMPORT_USAGE);
      return 0;
    }
    if (positionals.length !== 1)
      throw new ImportInputError(`L'import dispositifs-aide attend 1 fichier, ${positionals.length} donné${positionals.length > 1 ? 's' : ''}.`);
    const batchSize = values.lot === undefined ? undefined : Number(values.lot);
    if (batchSize !== undefined && !(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= 10_000)) {
      throw new ImportInputError(`--lot attend un nombre entier entre 1 et 10 000 : ${values.lot}`);
    }
    const file = positionals[0]!;
    const progress = progressBar();
    let summary;
    try {
      summary = await importDispositifsAide(database, {
        file,
        batchSize,
        reportPath: values.rapport ?? defaultReportPath(loadConfig().dataDir, file),
        onProgress: progress.update,
      });
    } finally {
      progress.end();
    }
    console.log(formatSchemeSummary(summary));
    return 0;
  } catch (error) {
    if (error instanceof ImportInputError) {
      console.error(`${error.message}\n\n${SCHEME_IMPORT_USAGE}`);
      return 2;
    }
    console.error(
      `Échec de l'import : ${error instanceof Error ? error.message : String(error)}\n` +
        'Les lots précédents sont enregistrés ; relancer la même commande met à jour les dispositifs déjà importés sans les dupliquer.',
    );
    return 1;
  }
}
